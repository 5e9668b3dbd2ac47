"""PNG figures of a training run: the learning curve, a grid of images, weight filters.

Figures are drawn with matplotlib's non-interactive Agg canvas and written atomically.

>>> import os, tempfile, qbm
>>> path = os.path.join(tempfile.mkdtemp(), "grid.png")
>>> image_grid(qbm.datasets.bars_and_stripes(3), path, title="bars and stripes")
>>> open(path, "rb").read(4)
b'\\x89PNG'
"""
from __future__ import annotations

import math
import os
from collections.abc import Sequence

import numpy as np

from ._utils import atomic_write

__all__ = ["learning_curve", "image_grid", "image_side"]


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(figure, path: str | os.PathLike) -> None:
    atomic_write(path, lambda handle: figure.savefig(handle, format="png"))


def image_side(n_pixels: int) -> int | None:
    """The side of a square image with ``n_pixels`` pixels, or ``None`` if there is none.

    Parameters
    ----------
    n_pixels : int
        Pixels per image.

    Returns
    -------
    int or None

    Examples
    --------
    >>> image_side(64), image_side(10)
    (8, None)
    """
    side = math.isqrt(n_pixels)
    return side if side * side == n_pixels and side > 1 else None


def learning_curve(epochs: Sequence[dict], columns: Sequence[str], path: str | os.PathLike,
                   title: str = "") -> None:
    """One panel per column of the per-epoch history (e.g. ``"kl"``), against the epoch.

    Parameters
    ----------
    epochs : sequence of dict
        ``history.epochs``.
    columns : sequence of str
        The columns to plot, one panel each.
    path : str or path
        The PNG to write (atomically).
    title : str
        Figure title.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "curve.png"
    >>> learning_curve([{"epoch": 1, "kl": 2.0}, {"epoch": 2, "kl": 1.0}], ["kl"], path); path.exists()
    True
    """
    figure = _figure(4.5 * max(1, len(columns)), 3.2)
    axes = figure.subplots(1, max(1, len(columns)), squeeze=False)[0]
    epoch = [record["epoch"] for record in epochs]
    for ax, column in zip(axes, columns):
        ax.plot(epoch, [record.get(column, np.nan) for record in epochs])
        ax.set_xlabel("epoch")
        ax.set_ylabel(column)
        ax.grid(alpha=0.3)
    if title:
        figure.suptitle(title)
    _save(figure, path)


def image_grid(rows: np.ndarray, path: str | os.PathLike, title: str = "", columns: int = 10,
               symmetric: bool = False) -> None:
    """Square images, one per row of ``rows`` (grey levels; ``symmetric`` centres a diverging map on 0).

    Parameters
    ----------
    rows : array-like of shape (n_images, side * side)
        The images.
    path : str or path
        The PNG to write (atomically).
    title : str
        Figure title.
    columns : int
        Images per line.
    symmetric : bool
        A diverging colour map centred on 0 (for weights).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "grid.png"
    >>> image_grid(np.eye(4), path); path.exists()
    True
    """
    rows = np.asarray(rows, dtype=float)
    side = image_side(rows.shape[1])
    if side is None:
        raise ValueError(f"rows of {rows.shape[1]} values are not square images")
    columns = min(columns, len(rows))
    lines = math.ceil(len(rows) / columns)
    figure = _figure(1.0 * columns + 0.4, 1.0 * lines + (0.5 if title else 0.2))
    axes = figure.subplots(lines, columns, squeeze=False, gridspec_kw={"wspace": 0.08, "hspace": 0.08})
    limit = float(np.abs(rows).max()) or 1.0
    style = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit} if symmetric else {"cmap": "gray_r", "vmin": 0, "vmax": 1}
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index < len(rows):
            ax.imshow(rows[index].reshape(side, side), interpolation="nearest", **style)
    if title:
        figure.suptitle(title)
    _save(figure, path)
