"""Small binary data sets that need no network.

>>> bars_and_stripes(2).shape
(6, 4)
"""
from __future__ import annotations

import numpy as np

from .exact import bit_table
from .utils import check_count

__all__ = ["bars_and_stripes", "load_digits"]


def bars_and_stripes(n: int) -> np.ndarray:
    """All distinct ``n×n`` images made of full rows (stripes) or full columns (bars), flattened.

    There are ``2**(n+1) - 2`` of them: the empty and the full image are both a
    bar and a stripe pattern and are listed once.

    >>> bars_and_stripes(4).shape
    (30, 16)
    """
    n = check_count(n, "n")
    lines = bit_table(0, 2 ** n, n)
    stripes = np.repeat(lines, n, axis=1)   # row i is on where line bit i is on
    bars = np.tile(lines, (1, n))           # column j is on where line bit j is on
    return np.unique(np.concatenate([stripes, bars]), axis=0)


def load_digits(binarize: float | None = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8×8 digits scaled to [0, 1], thresholded at ``binarize``.

    Returns ``(X, y)``: 1,797 rows of 64 pixels (0/1 when ``binarize`` is a number,
    grey levels in [0, 1] when it is ``None``) and the digit labels.

    >>> X, y = load_digits()
    >>> X.shape, sorted(set(X.ravel()))
    ((1797, 64), [np.float64(0.0), np.float64(1.0)])
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    X = digits.data / 16.0
    if binarize is not None:
        if not 0 <= binarize < 1:
            raise ValueError(f"binarize must be in [0, 1) or None, got {binarize!r}")
        X = (X > binarize).astype(np.float64)
    return X, digits.target
