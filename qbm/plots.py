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
from collections.abc import Mapping, Sequence

import numpy as np

from ._files import atomic_write

__all__ = ["learning_curve", "image_grid", "image_side", "grid_columns", "plain_log_axis"]


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
                   title: str = "", labels: Mapping[str, str] | None = None, log_scale: bool | None = None,
                   note: str = "") -> None:
    """One panel per column of the per-epoch history (e.g. ``"kl"``), against the epoch.

    By default (``log_scale=None``) a column of positive values spanning more than a decade gets
    a logarithmic axis, so the late epochs' progress shows; any other column a linear axis
    zoomed on the epochs after the first tenth (the first ones run off its edge).

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
    log_scale : bool, optional
        Force a logarithmic (True; symmetric-logarithmic for a column with values ≤ 0) or a
        linear (False) value axis; chosen per column by default.
    note : str
        A line under the panels, e.g. the run's final evaluation.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "curve.png"
    >>> records = [{"epoch": 1, "kl": 2.0}, {"epoch": 2, "kl": 1.0}]
    >>> learning_curve(records, ["kl"], path, labels={"kl": "KL, nats"}, note="final KL 1.0"); path.exists()
    True
    """
    from matplotlib.ticker import MaxNLocator

    labels = dict(labels or {})
    width = max(6.0, 4.5 * len(columns))
    figure = _figure(width, 3.8 if note else 3.6)
    axes = figure.subplots(1, max(1, len(columns)), squeeze=False)[0]
    epoch = np.array([record["epoch"] for record in epochs])
    for ax, column in zip(axes, columns):
        values = np.array([record.get(column, np.nan) for record in epochs], dtype=float)
        ax.plot(epoch, values)
        ax.set_xlabel("epoch")
        ax.set_ylabel(labels.get(column, column))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        finite = values[np.isfinite(values)]
        positive = len(finite) > 0 and bool(np.all(finite > 0))
        logarithmic = log_scale if log_scale is not None else positive and finite.max() > 10 * finite.min()
        if logarithmic and positive:
            plain_log_axis(ax)
        elif logarithmic:
            ax.set_yscale("symlog")
        else:
            _zoom_after_start(ax, values)
        ax.grid(alpha=0.3, which="both" if logarithmic else "major")
    if title:
        figure.suptitle(title, fontsize="medium")
    if note:
        figure.supxlabel(note, fontsize="small", color="0.3")
    _save(figure, path)


def _zoom_after_start(ax, values: np.ndarray) -> None:
    """Limit a linear value axis to the range after the first tenth of the epochs, padded by 5 %."""
    later = values[len(values) // 10:]
    later = later[np.isfinite(later)]
    if len(later) < 2 or np.ptp(later) == 0:
        return
    pad = 0.05 * np.ptp(later)
    ax.set_ylim(later.min() - pad, later.max() + pad)


def plain_log_axis(ax, axis: str = "y") -> None:
    """A logarithmic axis labelled in plain numbers (``0.5``, not ``5×10⁻¹``): powers of ten, and 2 and 5
    times them while the plotted data span at most three decades.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes, with its data already plotted.
    axis : {"x", "y"}
        Which axis.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> _ = ax.plot([1, 2, 3], [0.5, 0.2, 0.1])
    >>> plain_log_axis(ax); ax.get_yscale()
    'log'
    """
    from matplotlib.ticker import FuncFormatter

    low, high = (ax.dataLim.y0, ax.dataLim.y1) if axis == "y" else (ax.dataLim.x0, ax.dataLim.x1)
    decades = np.log10(high / low) if low > 0 and high > 0 else 0.0
    chosen = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    chosen.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))

    def minor(value: float, _) -> str:
        leading = round(value / 10 ** math.floor(math.log10(value)))
        return f"{value:g}" if decades <= 3 and leading in (2, 5) else ""
    chosen.set_minor_formatter(FuncFormatter(minor))


def grid_columns(n_images: int, limit: int = 10) -> int:
    """Images per line for ``n_images`` tiles: the most nearly square layout with full lines, when one
    of at most ``limit`` columns exists, else ``ceil(sqrt(n))`` capped at ``limit``.

    Parameters
    ----------
    n_images : int
        How many tiles.
    limit : int
        The most tiles on a line.

    Returns
    -------
    int

    Examples
    --------
    >>> grid_columns(16), grid_columns(20), grid_columns(50), grid_columns(7)
    (4, 5, 10, 3)
    """
    square = min(limit, max(1, math.ceil(math.sqrt(n_images))))
    full = [c for c in range(square, limit + 1) if n_images % c == 0]
    return full[0] if full and full[0] <= 2 * square else square


def image_grid(rows: np.ndarray, path: str | os.PathLike, title: str = "", columns: int | None = None,
               symmetric: bool = False, clamped: np.ndarray | None = None) -> None:
    """Square images, one per row of ``rows``, each in its own framed tile, with a colour bar.

    Grey levels from 0 (white) to 1 (black), the colour bar saying so; ``clamped`` pixels (those
    a generation held fixed) are drawn in blue levels instead. ``symmetric`` draws a diverging
    colour map centred on 0 for weights, its range the 99th percentile of ``|rows|`` so that a
    few extreme pixels do not wash the rest out (the bar's ends mark values beyond it).

    Parameters
    ----------
    rows : array-like of shape (n_images, side * side)
        The images.
    path : str or path
        The PNG to write (atomically).
    title : str
        Figure title.
    columns : int, optional
        Images per line; by default :func:`grid_columns` (full lines where possible).
    symmetric : bool
        A diverging colour map centred on 0 (for weights).
    clamped : array-like of bool, shape (side * side,) or like ``rows``, optional
        Pixels drawn in blue: the units a generation clamped.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "grid.png"
    >>> image_grid(np.eye(4), path, clamped=[True, True, False, False]); path.exists()
    True
    """
    from matplotlib import colormaps, colors
    from matplotlib.cm import ScalarMappable

    rows = np.asarray(rows, dtype=float)
    side = image_side(rows.shape[1]) if rows.ndim == 2 else None
    if side is None or len(rows) == 0:
        raise ValueError(f"rows must hold square images, one per row; got shape {rows.shape}")
    mask = None if clamped is None else np.broadcast_to(np.asarray(clamped, dtype=bool), rows.shape)
    columns = min(columns or grid_columns(len(rows)), len(rows))
    lines = math.ceil(len(rows) / columns)
    if symmetric:
        limit = float(np.percentile(np.abs(rows), 99)) or float(np.abs(rows).max()) or 1.0
        norm, cmap = colors.Normalize(-limit, limit), colormaps["RdBu_r"]
    else:
        norm, cmap = colors.Normalize(0.0, 1.0), colormaps["gray_r"]
    tile = 0.62 if side <= 16 else 0.9
    figure = _figure(tile * columns + 1.2, tile * lines + (0.45 if title else 0.15))
    axes = figure.subplots(lines, columns, squeeze=False, gridspec_kw={"wspace": 0.04, "hspace": 0.04})
    for index, ax in enumerate(axes.flat):
        if index >= len(rows):
            ax.set_axis_off()
            continue
        pixels = cmap(norm(rows[index].reshape(side, side)))
        if mask is not None:
            held = mask[index].reshape(side, side)
            pixels[held] = colormaps["Blues"](0.15 + 0.85 * np.clip(rows[index].reshape(side, side)[held], 0, 1))
        ax.imshow(pixels, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("0.6")
    bar = figure.colorbar(ScalarMappable(norm, cmap), ax=axes, shrink=min(0.9, 0.3 + 0.15 * lines), aspect=15,
                          extend="both" if symmetric else "neither")
    if symmetric:
        bar.set_label("weight")
    else:
        bar.set_ticks([0, 1], labels=["0 (white)", "1 (black)"])
        bar.set_label("unit value")
    if mask is not None and mask.any():
        figure.supxlabel("clamped pixels in blue levels (white 0, dark blue 1)", fontsize="small", color="0.3")
    if title:
        figure.suptitle(title, fontsize="medium")
    _save(figure, path)
