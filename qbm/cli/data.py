"""Reading rows of 0/1 data and writing sample tables for the command line."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from .. import datasets
from .._utils import atomic_write

DATA_SETS = ("bars-and-stripes", "digits", "mnist")


def load_data(spec: str, size: int = 4) -> tuple[np.ndarray, str]:
    """Rows of 0/1 data: a built-in data set name or a ``.npy`` / ``.csv`` file."""
    if spec == "bars-and-stripes":
        return datasets.bars_and_stripes(size), f"bars-and-stripes {size}×{size}"
    if spec == "digits":
        return datasets.load_digits()[0], "8×8 digits (binarised at 0.5)"
    if spec == "mnist":
        return datasets.load_mnist()[0], "MNIST 5k subset (binarised at 0.5)"
    path = Path(spec)
    if not path.is_file():
        raise FileNotFoundError(f"no data file {spec!r} (expected {', '.join(DATA_SETS)}, or a .npy/.csv file)")
    if path.suffix == ".npy":
        try:
            array = np.load(path, allow_pickle=False)
        except ValueError as exc:
            raise ValueError(f"data file {spec!r} is not a plain .npy array of numbers") from exc
    elif path.suffix in (".csv", ".txt"):
        array = _read_table(path, spec)
    else:
        raise ValueError(f"data file {spec!r} must end in .npy, .csv or .txt")
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"data file {spec!r} must hold at least one row of 0/1 values")
    if not np.all((array == 0) | (array == 1)):
        raise ValueError(f"data file {spec!r} must hold a 2-D array of 0/1 values")
    return array.astype(np.float64), path.name


def _read_table(path: Path, spec: str) -> np.ndarray:
    """Rows of numbers, comma-separated (.csv) or whitespace-separated (.txt), with an optional header row."""
    delimiter = "," if path.suffix == ".csv" else None
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    header = 0
    if lines:
        try:
            [float(field) for field in lines[0].split(delimiter)]
        except ValueError:
            header = 1   # a first line that is not numbers is a header
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy warns about an empty file; the caller says it plainly
            return np.loadtxt(path, delimiter=delimiter, ndmin=2, skiprows=header)
    except ValueError as exc:
        raise ValueError(f"data file {spec!r} must hold rows of 0/1 numbers ({exc})") from exc


def write_rows(path: Path, rows: np.ndarray) -> None:
    """0/1 rows to ``.npy`` or ``.csv``, atomically."""
    if path.suffix == ".npy":
        atomic_write(path, lambda handle: np.save(handle, rows))
    elif path.suffix == ".csv":
        atomic_write(path, lambda handle: np.savetxt(handle, rows, fmt="%d", delimiter=","))
    else:
        raise ValueError(f"output file {str(path)!r} must end in .npy or .csv")
