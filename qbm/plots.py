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
import textwrap
from collections.abc import Mapping, Sequence

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
                   title: str = "", labels: Mapping[str, str] | None = None, log_scale: bool = False) -> None:
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
    labels : mapping of str to str, optional
        The axis label of a column, its name and unit (e.g. ``{"kl": "KL(data ‖ model), nats"}``);
        the column's name otherwise.
    log_scale : bool
        A logarithmic value axis (symmetric-logarithmic for a column with values ≤ 0).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "curve.png"
    >>> records = [{"epoch": 1, "kl": 2.0}, {"epoch": 2, "kl": 1.0}]
    >>> learning_curve(records, ["kl"], path, labels={"kl": "KL, nats"}, log_scale=True); path.exists()
    True
    """
    labels = dict(labels or {})
    width = max(6.0, 4.5 * len(columns))
    figure = _figure(width, 3.6)
    axes = figure.subplots(1, max(1, len(columns)), squeeze=False)[0]
    epoch = [record["epoch"] for record in epochs]
    for ax, column in zip(axes, columns):
        values = np.array([record.get(column, np.nan) for record in epochs], dtype=float)
        ax.plot(epoch, values)
        ax.set_xlabel("epoch")
        ax.set_ylabel(labels.get(column, column))
        if log_scale:
            if np.all(values[np.isfinite(values)] > 0):
                _plain_log_axis(ax, values[np.isfinite(values)])
            else:
                ax.set_yscale("symlog")
        ax.grid(alpha=0.3, which="both" if log_scale else "major")
    if title:
        figure.suptitle(textwrap.fill(title, width=int(9 * width)), fontsize="medium")
    _save(figure, path)


def _plain_log_axis(ax, values: np.ndarray) -> None:
    """A logarithmic value axis labelled in plain numbers: powers of ten, and 2 and 5 times them
    while the values span at most three decades."""
    from matplotlib.ticker import FuncFormatter

    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    decades = np.log10(values.max() / values.min()) if len(values) else 0.0

    def minor(value: float, _) -> str:
        leading = round(value / 10 ** math.floor(math.log10(value)))
        return f"{value:g}" if decades <= 3 and leading in (2, 5) else ""
    ax.yaxis.set_minor_formatter(FuncFormatter(minor))


def image_grid(rows: np.ndarray, path: str | os.PathLike, title: str = "", columns: int = 10,
               symmetric: bool = False) -> None:
    """Square images, one per row of ``rows``, as tiles framed by a gap of a colour the map does not use.

    Grey levels from 0 (white) to 1 (black); ``symmetric`` draws a diverging colour map centred
    on 0 with a colour bar, for weights.

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
        A diverging colour map centred on 0, with a colour bar (for weights).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "grid.png"
    >>> image_grid(np.eye(4), path); path.exists()
    True
    """
    from matplotlib import colormaps, colors
    from matplotlib.cm import ScalarMappable

    rows = np.asarray(rows, dtype=float)
    side = image_side(rows.shape[1]) if rows.ndim == 2 else None
    if side is None or len(rows) == 0:
        raise ValueError(f"rows must hold square images, one per row; got shape {rows.shape}")
    columns = min(columns, len(rows))
    lines = math.ceil(len(rows) / columns)
    if symmetric:
        limit = float(np.abs(rows).max()) or 1.0
        norm, cmap, gap_colour = colors.Normalize(-limit, limit), colormaps["RdBu_r"], (0.55, 0.55, 0.55, 1.0)
    else:
        norm, cmap, gap_colour = colors.Normalize(0.0, 1.0), colormaps["gray_r"], colors.to_rgba("#7fa7d6")
    gap = max(1, side // 8)
    pitch = side + gap
    tiles = np.zeros((lines * columns, pitch, pitch, 4))             # empty slots: transparent
    tiles[:len(rows)] = gap_colour
    tiles[:len(rows), :side, :side] = cmap(norm(rows.reshape(-1, side, side)))
    mosaic = tiles.reshape(lines, columns, pitch, pitch, 4).transpose(0, 2, 1, 3, 4).reshape(
        lines * pitch, columns * pitch, 4)
    framed = np.empty((mosaic.shape[0] + gap, mosaic.shape[1] + gap, 4))
    framed[:] = gap_colour               # the top and left edges (the first line and column are never empty)
    framed[gap:, gap:] = mosaic
    inches = 0.9 * columns / (columns * pitch + gap)
    figure = _figure(inches * framed.shape[1] + (1.1 if symmetric else 0.3),
                     inches * framed.shape[0] + (0.5 if title else 0.2))
    ax = figure.subplots()
    ax.imshow(framed, interpolation="nearest")
    ax.set_axis_off()
    if symmetric:
        figure.colorbar(ScalarMappable(norm, cmap), ax=ax, shrink=0.9, label="weight")
    if title:
        figure.suptitle(title)
    _save(figure, path)
