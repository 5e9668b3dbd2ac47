"""Exact results for small quantum Boltzmann machines, from the eigendecomposition of ``H``.

``H = diag(E) − Σ_a Γ_a σˣ_a`` is built densely (``2^n × 2^n``) in the basis of
:func:`qbm.exact.hamiltonian_diagonal`: basis state ``k`` holds the bits of ``k`` with unit 0
most significant, bit 0 ↦ σᶻ = −1.  Everything follows from ``H = U diag(λ) Uᵀ``:
``Z = Σ_i e^{−βλ_i}``, the diagonal of ``ρ = e^{−βH}/Z`` (so the visible marginal
``P(v) = Tr[Λ_v ρ]``) and ``⟨σˣ_a⟩ = Tr[ρ σˣ_a]``.  Dense eigendecomposition limits
this to about 12 units (a 4096 × 4096 matrix).

Examples
--------
>>> import numpy as np
>>> from qbm.quantum import QuantumBoltzmannMachine
>>> model = QuantumBoltzmannMachine(1, transverse_field=0.0, biases=[1.0])
>>> bool(np.isclose(log_partition(model), np.log(1 + np.e)))   # Γ = 0: the classical Z
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from .._validation import check_beta, check_rows
from ..exact import hamiltonian_diagonal
from ..exact import empirical_distribution
from ._basis import MAX_QUANTUM_UNITS, basis, check_quantum_model, sigma_x, state_index
from .model import QuantumBoltzmannMachine

__all__ = ["MAX_QUANTUM_UNITS", "hamiltonian", "log_partition", "probabilities", "log_likelihood", "log_probabilities",
           "kl_divergence", "expectations"]

def hamiltonian(model: QuantumBoltzmannMachine) -> np.ndarray:
    """The dense Hamiltonian ``diag(E) − Σ_a Γ_a σˣ_a`` of ``model``.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        At most :data:`MAX_QUANTUM_UNITS` units.

    Returns
    -------
    ndarray of shape (2**n_units, 2**n_units)

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> hamiltonian(QuantumBoltzmannMachine(1, transverse_field=0.5, biases=[1.0]))
    array([[ 0. , -0.5],
           [-0.5, -1. ]])
    """
    n = check_quantum_model(model)
    matrix = np.diag(hamiltonian_diagonal(*model.classical_part().to_ising()))
    _, flips = basis(n)
    matrix[np.arange(2 ** n)[:, None], flips] -= model.transverse_field   # ⟨k| σˣ_a |k ⊕ a⟩ = 1
    return matrix


@dataclass(frozen=True)
class _Spectrum:
    """``H = U diag(λ) Uᵀ`` at inverse temperature ``β``, with the Gibbs weights ``e^{−βλ}/Z``."""

    vectors: np.ndarray
    log_weights: np.ndarray   # −βλ_i − log Z
    log_z: float

    @classmethod
    def of(cls, model: QuantumBoltzmannMachine, beta: float) -> "_Spectrum":
        values, vectors = np.linalg.eigh(hamiltonian(model))
        log_z = float(logsumexp(-beta * values))
        return cls(vectors, -beta * values - log_z, log_z)

    @property
    def weights(self) -> np.ndarray:
        """``e^{−βλ_i} / Z``."""
        return np.exp(self.log_weights)

    def diagonal(self) -> np.ndarray:
        """``ρ_kk``: the probability of each basis state when measured in σᶻ."""
        return np.square(self.vectors) @ self.weights

    def log_visible_marginal(self, n_visible: int) -> np.ndarray:
        """``log P(v)`` of every visible state, in log space: exact where ``P(v)`` itself underflows."""
        overlap = np.square(self.vectors).reshape(2 ** n_visible, -1, len(self.weights)).sum(axis=1)
        with np.errstate(divide="ignore"):
            return logsumexp(np.log(overlap) + self.log_weights, axis=1)


def log_partition(model: QuantumBoltzmannMachine, beta: float = 1.0) -> float:
    """``log Tr e^{−βH}``.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        The model.
    beta : float
        Inverse temperature.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> model = QuantumBoltzmannMachine(1, transverse_field=0.6, biases=[1.6])  # Ising h = -0.8
    >>> bool(np.isclose(log_partition(model), 0.8 + np.log(2 * np.cosh(1.0))))  # offset -0.8, 2 cosh(√(h² + Γ²))
    True
    """
    return _Spectrum.of(model, check_beta(beta)).log_z


def probabilities(model: QuantumBoltzmannMachine, beta: float = 1.0) -> np.ndarray:
    """The visible marginal ``P(v) = Tr[Λ_v e^{−βH}] / Z`` of every visible state.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        The model.
    beta : float
        Inverse temperature.

    Returns
    -------
    ndarray of shape (2**n_visible,)
        Entry ``k`` is the visible state with the bits of ``k``, unit 0 most significant.

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> round(float(probabilities(QuantumBoltzmannMachine(2, 1, random_state=0)).sum()), 12)
    1.0
    """
    diagonal = _Spectrum.of(model, check_beta(beta)).diagonal()
    return diagonal.reshape(2 ** model.n_visible, 2 ** model.n_hidden).sum(axis=1)


def log_likelihood(model: QuantumBoltzmannMachine, data, beta: float = 1.0) -> float:
    """Mean ``log P(v)`` over the rows of ``data``.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    beta : float
        Inverse temperature.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> model = QuantumBoltzmannMachine(2, transverse_field=0.0, weights=[0.0])
    >>> bool(np.isclose(log_likelihood(model, [[0, 1]]), np.log(0.25)))
    True
    """
    return float(np.mean(log_probabilities(model, data, beta)))


def log_probabilities(model: QuantumBoltzmannMachine, data, beta: float = 1.0) -> np.ndarray:
    """``log P(v)`` of every row of ``data``.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    beta : float
        Inverse temperature.

    Returns
    -------
    ndarray of shape (n_rows,)

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> log_probabilities(QuantumBoltzmannMachine(1, transverse_field=0.0, biases=[0.0]), [[0], [1]]).round(4)
    array([-0.6931, -0.6931])
    """
    rows = check_rows(data, "data", model.n_visible)
    check_quantum_model(model)
    return _Spectrum.of(model, check_beta(beta)).log_visible_marginal(model.n_visible)[state_index(rows)]


def kl_divergence(model: QuantumBoltzmannMachine, target, probabilities=None, beta: float = 1.0) -> float:
    """Exact ``KL(target ‖ P)`` in nats, ``P`` the model's visible marginal.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        The model.
    target : array-like of shape (n_rows, n_visible)
        Data rows (repeated rows counted), or distinct states with ``probabilities``.
    probabilities : array-like of shape (n_rows,), optional
        The probability of each state of ``target``.
    beta : float
        Inverse temperature.

    Returns
    -------
    float

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> round(kl_divergence(QuantumBoltzmannMachine(2, transverse_field=0.0, weights=[0.0]), [[0, 1]]), 4)  # log 4
    1.3863
    """
    states, p = empirical_distribution(target, model.n_visible, probabilities)
    return float(np.sum(p * (np.log(p) - log_probabilities(model, states, beta))))


def expectations(model: QuantumBoltzmannMachine, beta: float = 1.0) -> dict[str, np.ndarray]:
    """Thermal expectations: ``⟨σᶻ_a⟩``, ``⟨σᶻ_a σᶻ_b⟩`` on every edge and ``⟨σˣ_a⟩``.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        The model.
    beta : float
        Inverse temperature.

    Returns
    -------
    dict
        ``"sigma_z"`` (n_units,), ``"sigma_zz"`` (n_edges,), ``"sigma_x"`` (n_units,).

    Examples
    --------
    >>> import numpy as np
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> stats = expectations(QuantumBoltzmannMachine(1, transverse_field=1.0, biases=[0.0]))
    >>> bool(np.isclose(stats["sigma_x"][0], np.tanh(1.0))), bool(np.isclose(stats["sigma_z"][0], 0.0))
    (True, True)
    """
    n = check_quantum_model(model)
    spectrum = _Spectrum.of(model, check_beta(beta))
    diagonal = spectrum.diagonal()
    bits, flips = basis(n)
    spins = 2.0 * bits - 1.0                                             # (states, units)
    sigma_z = diagonal @ spins
    i, j = model.edges[:, 0], model.edges[:, 1]
    sigma_zz = diagonal @ (spins[:, i] * spins[:, j])
    rho = (spectrum.vectors * spectrum.weights) @ spectrum.vectors.T    # ρ = U diag(w) Uᵀ
    return {"sigma_z": sigma_z, "sigma_zz": sigma_zz, "sigma_x": sigma_x(rho, flips)}
