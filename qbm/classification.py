"""Classification with label units: an RBM over ``[x, one-hot(y)]``.

The class of ``x`` is read off the joint model in two ways: exactly, by comparing
the free energies ``F([x, e_c])`` of the ``C`` completions (``p(c | x) ∝ exp(-F)``),
or as in the lecture, by clamping ``x`` and Gibbs-sampling the label units.
:class:`LabelPhase` adds the discriminative gradient of ``log p(y | x)`` to any
generative phase (the hybrid objective of Larochelle & Bengio, 2008).

>>> import qbm
>>> rbm = qbm.RBM(4 + 3, 5, random_state=0)
>>> class_log_probabilities(rbm, [[1, 0, 1, 0]], 3).shape
(1, 3)
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import log_softmax

from .models import RBM, Model
from .phases import Phase
from ._utils import (RandomLike, bernoulli, check_count, check_random_state, check_unit_interval, sigmoid,
                    softplus)

__all__ = ["one_hot", "with_labels", "class_log_probabilities", "gibbs_class_frequencies", "LabelPhase"]


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


def class_log_probabilities(model: RBM, X, n_classes: int) -> np.ndarray:
    """``log p(c | x)`` for every row of ``X`` and class ``c``, from exact free energies.

    ``-F([x, e_c]) = b_y[c] + Σ_j softplus(c_j + (x W_x)_j + W_y[c, j])`` up to terms
    shared by all classes, so one ``(rows, classes, hidden)`` tensor gives them all.

    Parameters
    ----------
    model : RBM
        A label-unit RBM: its last ``n_classes`` visible units are the labels.
    X : array-like of shape (n_rows, n_features)
        Feature rows.
    n_classes : int
        Number of classes.

    Returns
    -------
    ndarray of shape (n_rows, n_classes)

    Examples
    --------
    >>> import qbm
    >>> class_log_probabilities(qbm.RBM(2 + 3, 4, random_state=0), [[1, 0]], 3).shape
    (1, 3)
    """
    x = _check_features(model, X, n_classes)
    n_features = model.n_visible - n_classes
    shared = x @ model.weights[:n_features] + model.hidden_bias                       # (rows, hidden)
    label_weights = model.weights[n_features:]                                         # (classes, hidden)
    logits = softplus(shared[:, None, :] + label_weights[None, :, :]).sum(axis=2)
    logits += model.visible_bias[n_features:]
    return log_softmax(logits, axis=1)


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
    x = _check_features(model, X, n_classes)
    num_sweeps = check_count(num_sweeps, "num_sweeps")
    burn_in = check_count(burn_in, "burn_in", minimum=0)
    rng = check_random_state(random_state)
    n_features = model.n_visible - n_classes
    clamped_field = x @ model.weights[:n_features] + model.hidden_bias
    label_weights, label_bias = model.weights[n_features:], model.visible_bias[n_features:]
    labels = rng.integers(0, 2, (len(x), n_classes)).astype(np.float64)
    totals = np.zeros_like(labels)
    for sweep in range(burn_in + num_sweeps):
        hidden = bernoulli(sigmoid(clamped_field + labels @ label_weights), rng)
        label_p = sigmoid(hidden @ label_weights.T + label_bias)
        labels = bernoulli(label_p, rng)
        if sweep >= burn_in:
            totals += label_p
    return totals / num_sweeps


class LabelPhase(Phase):
    """Hybrid generative–discriminative learning for a label-unit RBM.

    The gradient is ``∇ log p(y | x) + generative_weight · ∇ log p(x, y)``: the first
    term exactly (a ``p(c | x)``-weighted sum over the ``C`` label completions), the
    second from ``generative`` (any phase: PCD, a sampler, exact).  Batches are the
    joint rows ``[x, one-hot(y)]``.

    Parameters
    ----------
    generative : Phase
        Where the generative term's model side comes from.
    n_classes : int
        Number of label units (the last visible units).
    generative_weight : float
        The weight α of ``log p(x, y)``.

    Examples
    --------
    >>> import qbm
    >>> phase = LabelPhase(qbm.PCD(10), n_classes=2, generative_weight=0.1)
    >>> rbm = qbm.RBM(3 + 2, 4, random_state=0)
    >>> sorted(qbm.gradient(phase, rbm, [[1, 0, 1, 0, 1]], random_state=0))
    ['hidden_bias', 'visible_bias', 'weights']
    """

    def __init__(self, generative: Phase, n_classes: int, generative_weight: float = 0.01) -> None:
        super().__init__()
        if not isinstance(generative, Phase):
            raise TypeError(f"generative must be a qbm Phase, got {type(generative).__name__}")
        self.generative = generative
        self.n_classes = check_count(n_classes, "n_classes", minimum=2)
        if not np.isfinite(generative_weight) or generative_weight < 0:
            raise ValueError(f"generative_weight must be a finite number >= 0, got {generative_weight!r}")
        self.generative_weight = float(generative_weight)

    def data_statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """The data side of the hybrid objective (see the class docstring)."""
        data_side = self.generative.data_statistics(model, batch, random_state)
        return {name: (1.0 + self.generative_weight) * value for name, value in data_side.items()}

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """The model side of the hybrid objective (see the class docstring)."""
        rbm = _require_label_rbm(model)
        rows = np.asarray(batch, dtype=np.float64)
        x = rows[:, :rbm.n_visible - self.n_classes]
        posterior = np.exp(class_log_probabilities(rbm, x, self.n_classes))          # (rows, classes)
        completions = np.concatenate([np.repeat(x, self.n_classes, axis=0),
                                      np.tile(np.eye(self.n_classes), (len(x), 1))], axis=1)
        hidden = rbm.hidden_probabilities(completions, check_input=False)
        discriminative = rbm.sufficient_statistics(np.concatenate([completions, hidden], axis=1),
                                                   posterior.ravel(), check_input=False)
        if self.generative_weight == 0:
            return discriminative
        generative = self.generative.statistics(model, batch, random_state)
        self.sampler_calls = self.generative.sampler_calls
        return {name: discriminative[name] + self.generative_weight * generative[name] for name in discriminative}

    def step_info(self) -> dict[str, float]:
        """The generative phase's numbers for the last step."""
        return self.generative.step_info()

    def state_dict(self) -> dict[str, Any]:
        """The generative phase's checkpoint state."""
        return {"generative": self.generative.state_dict()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        self.generative.load_state_dict(state["generative"])
        self.sampler_calls = self.generative.sampler_calls

    def __repr__(self) -> str:
        return f"LabelPhase({self.generative!r}, n_classes={self.n_classes}, generative_weight={self.generative_weight})"


def _require_label_rbm(model: Model) -> RBM:
    if not isinstance(model, RBM):
        raise TypeError(f"label units need an RBM, got {type(model).__name__}")
    return model


def _check_features(model: RBM, X, n_classes: int) -> np.ndarray:
    rbm = _require_label_rbm(model)
    n_classes = check_count(n_classes, "n_classes", minimum=2)
    if rbm.n_visible <= n_classes:
        raise ValueError(f"the model has {rbm.n_visible} visible units, too few for {n_classes} label units")
    return check_unit_interval(X, "X", ndim=2, width=rbm.n_visible - n_classes)
