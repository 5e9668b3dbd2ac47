"""Reading rows of 0/1 data and writing sample tables for the command line."""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .. import datasets
from .._files import atomic_write
from .._validation import describe_non_binary

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
    if array.ndim != 2:
        raise ValueError(f"data file {spec!r} must hold a 2-D array (one row per example), got {array.ndim} "
                         f"dimension(s) of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"data file {spec!r} must hold at least one row of 0/1 values")
    if not np.all((array == 0) | (array == 1)):
        raise ValueError(f"data file {spec!r} must hold 0/1 values; {describe_non_binary(array)}")
    return array.astype(np.float64), path.name


def _read_table(path: Path, spec: str) -> np.ndarray:
    """Rows of numbers, comma-separated (.csv) or whitespace-separated (.txt), with an optional header row.

    A header is a first row of names (no field a number); any other field that is not a number is an error
    naming the file, the line and the column.  A UTF-8 byte-order mark is not part of the first field.
    """
    delimiter = "," if path.suffix == ".csv" else None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"data file {spec!r} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    numbered = [(number, line.split(delimiter)) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if numbered and not any(_is_number(field) for field in numbered[0][1]):
        numbered = numbered[1:]   # a row of names: the header
    rows = []
    for number, fields in numbered:
        for column, field in enumerate(fields, 1):
            if not _is_number(field):
                raise ValueError(f"data file {spec!r}, line {number}, column {column}: {field.strip()!r} is not a "
                                 "number (rows of 0/1 numbers expected)")
        if rows and len(fields) != len(rows[0]):
            raise ValueError(f"data file {spec!r}, line {number}: {len(fields)} columns where the rows before have "
                             f"{len(rows[0])}")
        rows.append([float(field) for field in fields])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(rows[0]) if rows else 0)


def _is_number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def write_rows(path: Path, rows: np.ndarray) -> None:
    """0/1 rows to ``.npy`` or ``.csv``, atomically."""
    if path.suffix == ".npy":
        atomic_write(path, lambda handle: np.save(handle, rows))
    elif path.suffix == ".csv":
        atomic_write(path, lambda handle: np.savetxt(handle, rows, fmt="%d", delimiter=","))
    else:
        raise ValueError(f"output file {str(path)!r} must end in .npy or .csv")


def positive_int(text: str) -> int:
    """An ``argparse`` type: a positive integer, or a usage error naming what was given."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value
