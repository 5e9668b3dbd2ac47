"""Label units: the hybrid generative–discriminative phase and the exact class posterior it needs.

>>> import qbm
>>> rbm = qbm.RBM(4 + 3, 5, random_state=0)
>>> class_log_probabilities(rbm, [[1, 0, 1, 0]], 3).shape
(1, 3)
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import log_softmax

from ..sampling.chains import rbm_statistics
from ..models.kinds import is_rbm
from ..models import RBM, Model, check_model, check_visible_rows
from ..typing import RandomLike
from .._validation import check_count, check_unit_interval
from .._numerics import softplus
from .._state import prefixed, unprefixed
from .base import QUANTUM_PHASES, Phase

__all__ = ["LabelPhase", "class_log_probabilities", "check_label_features"]


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
    x = check_label_features(model, X, n_classes)
    n_features = model.n_visible - n_classes
    shared = x @ model.weights[:n_features] + model.hidden_bias                       # (rows, hidden)
    label_weights = model.weights[n_features:]                                         # (classes, hidden)
    logits = softplus(shared[:, None, :] + label_weights[None, :, :]).sum(axis=2)
    logits += model.visible_bias[n_features:]
    return log_softmax(logits, axis=1)




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

    def gradient(self, model: Model, batch, random_state: RandomLike = None, *,
                 check_input: bool = True) -> dict[str, np.ndarray]:
        """``∇ log p(y | x) + generative_weight ·`` the generative phase's own :meth:`~qbm.phases.Phase.gradient`
        (so what that phase learns from its gradient, such as PCD's fast weights, it still learns here)."""
        rbm = _require_label_rbm(model)
        v = check_visible_rows(rbm, batch, "batch") if check_input else batch
        data_side, completions = rbm_statistics(rbm, v), self._completion_statistics(rbm, v)
        if self.generative_weight == 0:
            return {name: data_side[name] - completions[name] for name in rbm.parameter_names}
        generative = self.generative.gradient(rbm, v, random_state, check_input=False)
        self.sampler_calls = self.generative.sampler_calls
        return {name: data_side[name] - completions[name] + self.generative_weight * generative[name]
                for name in rbm.parameter_names}

    def data_statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """The data side of the hybrid objective (see the class docstring)."""
        data_side = self.generative.data_statistics(model, batch, random_state)
        return {name: (1.0 + self.generative_weight) * value for name, value in data_side.items()}

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """The model side of the hybrid objective (see the class docstring)."""
        rbm = _require_label_rbm(model)
        discriminative = self._completion_statistics(rbm, check_visible_rows(rbm, batch, "batch"))
        if self.generative_weight == 0:
            return discriminative
        generative = self.generative.statistics(model, batch, random_state)
        self.sampler_calls = self.generative.sampler_calls
        return {name: discriminative[name] + self.generative_weight * generative[name] for name in discriminative}

    def _completion_statistics(self, rbm: RBM, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Statistics of the ``C`` label completions ``[x, e_c]`` of every row, weighted by ``p(c | x)``."""
        x = rows[:, :rbm.n_visible - self.n_classes]
        posterior = np.exp(class_log_probabilities(rbm, x, self.n_classes))          # (rows, classes)
        completions = np.concatenate([np.repeat(x, self.n_classes, axis=0),
                                      np.tile(np.eye(self.n_classes), (len(x), 1))], axis=1)
        hidden = rbm.hidden_probabilities(completions, check_input=False)
        return rbm.sufficient_statistics(np.concatenate([completions, hidden], axis=1), posterior.ravel(),
                                         check_input=False)

    def step_info(self) -> dict[str, float]:
        """The generative phase's numbers for the last step."""
        return self.generative.step_info()

    def state_dict(self) -> dict[str, Any]:
        """The generative phase's checkpoint state, under ``generative.``."""
        return {**super().state_dict(), **prefixed(self.generative.state_dict(), "generative")}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        self.generative.load_state_dict(unprefixed(state, "generative"))

    def __repr__(self) -> str:
        return f"LabelPhase({self.generative!r}, n_classes={self.n_classes}, generative_weight={self.generative_weight})"


def _require_label_rbm(model: Model) -> RBM:
    if not is_rbm(check_model(model, quantum=QUANTUM_PHASES)):
        raise TypeError(f"label units need an RBM, got {type(model).__name__}")
    return model


def check_label_features(model: RBM, X, n_classes: int) -> np.ndarray:
    """The feature rows ``X`` for a label-unit RBM of ``n_classes`` label units (its last visible units), checked.

    Parameters
    ----------
    model : RBM
        A label-unit RBM.
    X : array-like of shape (n_rows, n_features)
        Feature rows.
    n_classes : int
        Number of label units.

    Returns
    -------
    ndarray of shape (n_rows, n_features)

    Examples
    --------
    >>> import qbm
    >>> check_label_features(qbm.RBM(2 + 3, 4), [[1, 0]], 3).shape
    (1, 2)
    """
    rbm = _require_label_rbm(model)
    n_classes = check_count(n_classes, "n_classes", minimum=2)
    if rbm.n_visible <= n_classes:
        raise ValueError(f"the model has {rbm.n_visible} visible units, too few for {n_classes} label units")
    return check_unit_interval(X, "X", ndim=2, width=rbm.n_visible - n_classes)
