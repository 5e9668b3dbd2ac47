"""Exact expectations by enumeration: the gradient of small models without noise.

>>> import qbm
>>> ExactPhase(beta=2.0)
ExactPhase(beta=2.0)
"""
from __future__ import annotations

import numpy as np

from ..exact import clamped_expectations, expectations
from ..models import Model, check_model
from ..typing import RandomLike
from .._validation import check_beta
from .base import QUANTUM_PHASES, Phase

__all__ = ["ExactPhase"]


class ExactPhase(Phase):
    """Exact expectations by enumeration (small models): the gradient without noise.

    Parameters
    ----------
    beta : float
        Inverse temperature of both sides.

    Examples
    --------
    >>> import qbm
    >>> sorted(ExactPhase().statistics(qbm.RBM(3, 2, random_state=0), None))
    ['hidden_bias', 'visible_bias', 'weights']
    """

    samples_model = True

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = check_beta(beta)

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Exact model expectations at ``beta``, by enumeration."""
        return expectations(check_model(model, quantum=QUANTUM_PHASES), self.beta)

    def clamped_statistics(self, model, v, random_state):
        return clamped_expectations(model, v, self.beta)

    def __repr__(self) -> str:
        return f"ExactPhase(beta={self.beta})"
