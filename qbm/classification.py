"""Classification with label units: an RBM over ``[x, one-hot(y)]``.

The class of ``x`` is read off the joint model in two ways: exactly, by comparing
the free energies ``F([x, e_c])`` of the ``C`` completions (``p(c | x) ∝ exp(-F)``),
or as in the lecture, by clamping ``x`` and Gibbs-sampling the label units.
:class:`~qbm.phases.LabelPhase` adds the discriminative gradient of ``log p(y | x)`` to any
generative phase (the hybrid objective of Larochelle & Bengio, 2008); it and the exact posterior live in
:mod:`qbm.phases.labels` and are re-exported here.

>>> import qbm
>>> rbm = qbm.RBM(4 + 3, 5, random_state=0)
>>> class_log_probabilities(rbm, [[1, 0, 1, 0]], 3).shape
(1, 3)
"""
from __future__ import annotations

import numpy as np

from .models import RBM
from ._deprecation import moved_names
from .phases.labels import check_label_features, class_log_probabilities
from .sampling.chains import RBMParameters, gibbs_sweep
from .typing import RandomLike
from ._validation import check_count
from ._random import check_random_state
from ._numerics import sigmoid

__all__ = ["one_hot", "with_labels", "class_log_probabilities", "gibbs_class_frequencies"]

__getattr__ = moved_names(__name__, {"LabelPhase": "qbm.phases"}, "0.3")


def one_hot(y, n_classes: int) -> np.ndarray:
    """Rows ``e_{y_i}`` for integer labels ``0..n_classes-1``.

    Parameters
    ----------
    y : array-like of int, shape (n_rows,)
        Class indices.
    n_classes : int
        Number of classes.

    Returns
    -------
    ndarray of shape (n_rows, n_classes)

    Examples
    --------
    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.dtype.kind not in "iu" or np.any((labels < 0) | (labels >= n_classes)):
        raise ValueError(f"y must be a 1-D array of integer class indices in 0..{n_classes - 1}")
    return np.eye(n_classes)[labels]


def with_labels(X, y, n_classes: int) -> np.ndarray:
    """The joint visible rows ``[x, one-hot(y)]`` a label-unit RBM is trained on.

    Parameters
    ----------
    X : array-like of shape (n_rows, n_features)
        Feature rows.
    y : array-like of int, shape (n_rows,)
        Class indices.
    n_classes : int
        Number of classes.

    Returns
    -------
    ndarray of shape (n_rows, n_features + n_classes)

    Examples
    --------
    >>> with_labels([[1, 0]], [1], 2)
    array([[1., 0., 0., 1.]])
    """
    return np.concatenate([np.asarray(X, dtype=np.float64), one_hot(y, n_classes)], axis=1)


def gibbs_class_frequencies(model: RBM, X, n_classes: int, *, num_sweeps: int = 50, burn_in: int = 10,
                            random_state: RandomLike = None) -> np.ndarray:
    """How often each label unit is on when ``x`` is clamped and ``(h, labels)`` are Gibbs-sampled.

    One chain per row, all rows at once: ``h ~ p(h | x, labels)``, then the label
    units ``~ p(labels | h)``; the label units' probabilities are averaged over the
    sweeps after ``burn_in``.  Rows of the result need not sum to one (label units
    are independent binary units, as in the lecture); ``argmax`` is the prediction.

    Parameters
    ----------
    model : RBM
        A label-unit RBM.
    X : array-like of shape (n_rows, n_features)
        Feature rows, clamped.
    n_classes : int
        Number of classes.
    num_sweeps : int
        Sweeps averaged over.
    burn_in : int
        Sweeps discarded first.
    random_state : int, numpy.random.Generator or None
        The random stream.

    Returns
    -------
    ndarray of shape (n_rows, n_classes)

    Examples
    --------
    >>> import qbm
    >>> gibbs_class_frequencies(qbm.RBM(2 + 3, 4, random_state=0), [[1, 0]], 3, random_state=0).shape
    (1, 3)
    """
    x = check_label_features(model, X, n_classes)
    num_sweeps = check_count(num_sweeps, "num_sweeps")
    burn_in = check_count(burn_in, "burn_in", minimum=0)
    rng = check_random_state(random_state)
    n_features = model.n_visible - n_classes
    # the label units and the hidden layer are an RBM whose hidden biases hold each row's clamped features
    labels_and_hidden = RBMParameters(model.weights[n_features:], model.visible_bias[n_features:],
                                      x @ model.weights[:n_features] + model.hidden_bias)
    labels = rng.integers(0, 2, (len(x), n_classes)).astype(np.float64)
    totals = np.zeros_like(labels)
    for sweep in range(burn_in + num_sweeps):
        labels, hidden = gibbs_sweep(labels_and_hidden, labels, rng)
        if sweep >= burn_in:
            totals += sigmoid(hidden @ labels_and_hidden.weights.T + labels_and_hidden.visible_bias)
    return totals / num_sweeps
