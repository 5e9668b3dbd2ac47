"""Where a quantum Boltzmann machine's statistics come from: exactly, in the eigenbasis of ``H``.

The learning rule keeps the classical form ``Δθ ∝ ⟨∂(−H)/∂θ⟩_data − ⟨∂(−H)/∂θ⟩_model`` with
``∂(−H)/∂b_i = s_i``, ``∂(−H)/∂w_ij = s_i s_j`` and ``∂(−H)/∂Γ_a = σˣ_a``.  The model side
is a thermal expectation; the data side of ``log Tr[Λ_v e^{−βH}]`` is Duhamel's formula
``⟨⟨O⟩⟩_v = ∫₀¹ Tr[Λ_v e^{−tβH} O e^{−(1−t)βH}] dt / Tr[Λ_v e^{−βH}]``, which in the
eigenbasis ``H = U diag(λ) Uᵀ`` is ``Σ_ij (UᵀΛ_vU)_ji (UᵀOU)_ij K_ij`` with the divided
differences ``K_ij = (e^{−βλ_j} − e^{−βλ_i}) / (β(λ_i − λ_j))`` (``e^{−βλ_i}`` when equal).
Averaged over a batch it is linear in ``Λ_v``, so one step costs three dense products.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import RandomLike, check_beta
from ..models import Model, check_visible_rows
from ..phases import Phase
from .exact import _check_model, _Spectrum, hamiltonian

__all__ = ["ExactQuantumPhase"]


class ExactQuantumPhase(Phase):
    """The exact log-likelihood gradient of a quantum Boltzmann machine, Γ included.

    Parameters
    ----------
    beta : float
        Inverse temperature.

    Examples
    --------
    >>> import qbm
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> model = QuantumBoltzmannMachine(3, transverse_field=0.5, random_state=0)
    >>> sorted(qbm.gradient(ExactQuantumPhase(), model, [[1, 0, 1]]))
    ['biases', 'transverse_field', 'weights']
    """

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = check_beta(beta)

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Thermal expectations of ``s_i``, ``s_i s_j`` on every edge and ``σˣ_a``.

        Parameters
        ----------
        model : QuantumBoltzmannMachine
            The model.
        batch : ignored
        random_state : ignored

        Returns
        -------
        dict of str -> ndarray

        Examples
        --------
        >>> from qbm.quantum import QuantumBoltzmannMachine
        >>> ExactQuantumPhase().statistics(QuantumBoltzmannMachine(2, transverse_field=0.0, weights=[0.0]),
        ...                                None)["biases"]
        array([0.5, 0.5])
        """
        spectrum = _Spectrum.of(model, self.beta)
        return _statistics(model, (spectrum.vectors * spectrum.weights) @ spectrum.vectors.T)

    def data_statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Duhamel's data side, averaged over the rows of ``batch``.

        Parameters
        ----------
        model : QuantumBoltzmannMachine
            The model.
        batch : array-like of shape (n_rows, n_visible)
            0/1 visible rows.
        random_state : ignored

        Returns
        -------
        dict of str -> ndarray

        Examples
        --------
        >>> from qbm.quantum import QuantumBoltzmannMachine
        >>> model = QuantumBoltzmannMachine(2, transverse_field=0.0, random_state=0)
        >>> ExactQuantumPhase().data_statistics(model, [[1, 0]])["biases"].round(6)   # Γ = 0: the data
        array([1., 0.])
        """
        n = _check_model(model)
        v = check_visible_rows(model, batch, "batch")
        values, vectors = np.linalg.eigh(hamiltonian(model))
        shifted = np.exp(-self.beta * (values - values.min()))           # e^{−βλ}, scaled to avoid overflow
        # each basis state k weighs (rows with k's visible bits) / (number of rows · Tr[Λ_v e^{−βH}])
        visible_index = np.arange(2 ** n) >> model.n_hidden
        row_index = v.astype(np.int64) @ (1 << np.arange(model.n_visible - 1, -1, -1))
        counts = np.bincount(row_index, minlength=2 ** model.n_visible)
        marginal = (np.square(vectors) @ shifted).reshape(2 ** model.n_visible, -1).sum(axis=1)
        q = (counts / (len(v) * np.where(counts > 0, marginal, 1.0)))[visible_index]
        projected = (vectors.T * q) @ vectors                               # Σ_v w_v UᵀΛ_vU
        duhamel = vectors @ (projected * _divided_differences(values, shifted, self.beta)) @ vectors.T
        return _statistics(model, duhamel)

    def __repr__(self) -> str:
        return f"ExactQuantumPhase(beta={self.beta})"


def _divided_differences(values: np.ndarray, weights: np.ndarray, beta: float) -> np.ndarray:
    """``K_ij = ∫₀¹ w_i^t w_j^{1−t} dt`` for ``w = e^{−βλ}``: ``(w_j − w_i) / (β(λ_i − λ_j))``, ``w_i`` when equal."""
    gap = values[:, None] - values[None, :]
    close = np.abs(gap) < 1e-9 * max(1.0, float(np.abs(values).max()))
    with np.errstate(divide="ignore", invalid="ignore"):
        kernel = (weights[None, :] - weights[:, None]) / (beta * gap)
    return np.where(close, 0.5 * (weights[:, None] + weights[None, :]), kernel)


def _statistics(model, operator: np.ndarray) -> dict[str, Any]:
    """``Tr[operator · O]`` for every ``O = ∂(−H)/∂θ``, ``operator`` normalised to unit trace."""
    n = model.n_units
    operator = operator / np.trace(operator)
    diagonal = np.diag(operator)
    bits = ((np.arange(2 ** n)[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.float64)
    i, j = model.edges[:, 0], model.edges[:, 1]
    states = np.arange(2 ** n)[:, None]
    sigma_x = operator[states, states ^ (1 << np.arange(n - 1, -1, -1))].sum(axis=0)
    return {"weights": diagonal @ (bits[:, i] * bits[:, j]), "biases": diagonal @ bits, "transverse_field": sigma_x}
