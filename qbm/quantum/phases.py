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
from scipy.special import exprel

from ..typing import RandomLike
from .._validation import check_beta
from ..models import Model, check_visible_rows
from .._state import prefixed, unprefixed
from ..phases.base import Phase
from ._basis import basis, check_quantum_model, sigma_x, state_index
from .exact import hamiltonian

__all__ = ["ExactQuantumPhase", "BoundPhase", "ModelSidePhase", "bound_log_likelihood"]


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

    samples_model = True

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = check_beta(beta)
        self._eigen_cache: tuple = (None, None)   # (parameters' bytes, (values, vectors)): one step's two sides

    def _eigen(self, model) -> tuple[np.ndarray, np.ndarray]:
        """``eigh(H)``, computed once for both sides of a step."""
        key = b"".join(np.ascontiguousarray(getattr(model, name)).tobytes() for name in model.parameter_names)
        if self._eigen_cache[0] != key:
            self._eigen_cache = (key, np.linalg.eigh(hamiltonian(model)))
        return self._eigen_cache[1]

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
        check_quantum_model(model)
        values, vectors = self._eigen(model)
        weights = np.exp(-self.beta * (values - values.min()))
        return _statistics(model, (vectors * weights) @ vectors.T)

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
        n = check_quantum_model(model)
        v = check_visible_rows(model, batch, "batch")
        values, vectors = self._eigen(model)
        shifted = np.exp(-self.beta * (values - values.min()))           # e^{−βλ}, scaled to avoid overflow
        # each basis state k weighs (rows with k's visible bits) / (number of rows · Tr[Λ_v e^{−βH}])
        visible_index = np.arange(2 ** n) >> model.n_hidden
        row_index = state_index(v)
        counts = np.bincount(row_index, minlength=2 ** model.n_visible)
        marginal = (np.square(vectors) @ shifted).reshape(2 ** model.n_visible, -1).sum(axis=1)
        if np.any((counts > 0) & (marginal <= np.finfo(float).tiny)):
            raise ValueError(f"beta={self.beta:g} is too cold for the exact data side of this model: a row of the "
                             "batch has a probability below the float range relative to the most likely state "
                             "(its log-likelihood is still exact: qbm.quantum.log_likelihood); lower beta")
        q = (counts / (len(v) * np.where(counts > 0, marginal, 1.0)))[visible_index]
        projected = (vectors.T * q) @ vectors                               # Σ_v w_v UᵀΛ_vU
        duhamel = vectors @ (projected * _divided_differences(values, shifted, self.beta)) @ vectors.T
        return _statistics(model, duhamel)

    def __repr__(self) -> str:
        return f"ExactQuantumPhase(beta={self.beta})"


class ModelSidePhase(Phase):
    """Base of the QBM phases that supply the model side only: the negative phase of a :class:`BoundPhase`.

    A subclass writes ``statistics``; the data side is refused, naming the composition that gives it.

    Examples
    --------
    >>> from qbm.quantum import PathIntegralPhase, TrotterPhase
    >>> issubclass(PathIntegralPhase, ModelSidePhase), issubclass(TrotterPhase, ModelSidePhase)
    (True, True)
    """

    def data_statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Not provided: this phase is a model side; use it as ``BoundPhase(negative=...)``.

        Parameters
        ----------
        model : QuantumBoltzmannMachine
            The model.
        batch : array-like
            The rows.
        random_state : ignored

        Returns
        -------
        dict
            Never: raises ``TypeError``.

        Examples
        --------
        >>> from qbm.quantum import PathIntegralPhase
        >>> PathIntegralPhase().data_statistics(None, None)
        Traceback (most recent call last):
        ...
        TypeError: PathIntegralPhase supplies the model side only; use BoundPhase(negative=PathIntegralPhase(...))
        """
        name = type(self).__name__
        raise TypeError(f"{name} supplies the model side only; use BoundPhase(negative={name}(...))")


def _divided_differences(values: np.ndarray, weights: np.ndarray, beta: float) -> np.ndarray:
    """``K_ij = ∫₀¹ w_i^t w_j^{1−t} dt`` for ``w = e^{−βλ}`` (shifted): ``w_i · exprel(β(λ_i − λ_j))``, taken from
    the larger of the two weights so that it neither cancels (β → 0) nor overflows (β large)."""
    gap = beta * (values[:, None] - values[None, :])       # x_ij; K = w_i exprel(x) = w_j exprel(−x)
    return np.where(gap <= 0, weights[:, None] * exprel(np.minimum(gap, 0.0)),
                    weights[None, :] * exprel(-np.maximum(gap, 0.0)))


def _statistics(model, operator: np.ndarray) -> dict[str, Any]:
    """``Tr[operator · O]`` for every ``O = ∂(−H)/∂θ``, ``operator`` normalised to unit trace."""
    operator = operator / np.trace(operator)
    diagonal = np.diag(operator)
    bits, flips = basis(model.n_units)
    i, j = model.edges[:, 0], model.edges[:, 1]
    return {"weights": diagonal @ (bits[:, i] * bits[:, j]), "biases": diagonal @ bits,
            "transverse_field": sigma_x(operator, flips)}


class BoundPhase(Phase):
    """The Golden–Thompson bound (bQBM): ``log P(v) ≥ log Tr e^{−βH_v} − log Z``.

    ``H_v = ⟨v|H|v⟩`` is the Hamiltonian of the hidden units with the visible ones
    clamped; a visible unit's transverse field drops out of it.  Without hidden–hidden
    couplings the hidden units of ``H_v`` are independent, each a spin in the field
    ``b_a^eff = b_a + Σ_i w_ia v_i`` and the transverse field ``Γ_a``, so the data side
    is closed form: ``⟨σᶻ_a⟩ = (b_a^eff / 2 D_a) tanh(β D_a)`` with
    ``D_a = √(Γ_a² + (b_a^eff / 2)²)`` (the Ising field of a bit's bias ``b`` is ``−b/2``).

    The transverse fields are held fixed (their statistics are zero on both sides): the
    bound cannot train them — for a visible unit ``∂ log Tr e^{−βH_v}/∂Γ = 0`` while
    ``∂ log Z/∂Γ > 0``, so maximising the bound drives every ``Γ`` to zero, the
    classical model (Amin et al. 2018).

    Parameters
    ----------
    negative : Phase, optional
        The model side; :class:`ExactQuantumPhase` at ``beta`` by default.
    beta : float
        Inverse temperature.

    Examples
    --------
    >>> import qbm
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> no_hidden_pairs = [(i, j) for i in range(3) for j in range(i + 1, 5)]
    >>> model = QuantumBoltzmannMachine(3, 2, no_hidden_pairs, transverse_field=[0, 0, 0, 1.0, 1.0], random_state=0)
    >>> qbm.gradient(BoundPhase(), model, [[1, 0, 1]])["transverse_field"]
    array([0., 0., 0., 0., 0.])
    """

    fixed_parameters = ("transverse_field",)

    @property
    def samples_model(self) -> bool:
        """Whether the negative phase samples the model (the fixed transverse fields aside)."""
        return self.negative.samples_model

    def __init__(self, negative: Phase | None = None, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = check_beta(beta)
        if negative is not None and not isinstance(negative, Phase):
            raise TypeError(f"negative must be a qbm Phase, got {type(negative).__name__}")
        self.negative = ExactQuantumPhase(self.beta) if negative is None else negative

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """The negative phase's statistics, the transverse fields' set to zero (held fixed).

        Parameters
        ----------
        model : QuantumBoltzmannMachine
            The model.
        batch : array-like or None
            Passed to the negative phase.
        random_state : int, numpy.random.Generator or None
            Passed to the negative phase.

        Returns
        -------
        dict of str -> ndarray

        Examples
        --------
        >>> from qbm.quantum import QuantumBoltzmannMachine
        >>> BoundPhase().statistics(QuantumBoltzmannMachine(2, random_state=0), None)["transverse_field"]
        array([0., 0.])
        """
        stats = dict(self.negative.statistics(model, batch, random_state))
        stats["transverse_field"] = np.zeros(model.n_units)
        self.sampler_calls = self.negative.sampler_calls
        return stats

    def data_statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """``⟨∂(−H_v)/∂θ⟩`` in the clamped thermal state of every row, averaged (closed form).

        Parameters
        ----------
        model : QuantumBoltzmannMachine
            A model without hidden–hidden couplings.
        batch : array-like of shape (n_rows, n_visible)
            0/1 visible rows.
        random_state : ignored

        Returns
        -------
        dict of str -> ndarray

        Examples
        --------
        >>> from qbm.quantum import QuantumBoltzmannMachine
        >>> model = QuantumBoltzmannMachine(2, 1, transverse_field=[0, 0, 5.0], weights=[0, 0, 0])
        >>> BoundPhase().data_statistics(model, [[1, 0]])["biases"]   # a strong Γ: the hidden unit at 1/2
        array([1. , 0. , 0.5])
        """
        v = check_visible_rows(model, batch, "batch")
        states = np.concatenate([v, _clamped_hidden_bits(model, v, self.beta)], axis=1)
        stats = model.sufficient_statistics(states, check_input=False)
        stats["transverse_field"] = np.zeros(model.n_units)
        return stats

    def state_dict(self) -> dict[str, Any]:
        """The call count and the negative phase's state, under ``negative.``."""
        return {**super().state_dict(), **prefixed(self.negative.state_dict(), "negative")}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        self.negative.load_state_dict(unprefixed(state, "negative"))

    def __repr__(self) -> str:
        return f"BoundPhase(negative={self.negative!r}, beta={self.beta})"


def bound_log_likelihood(model, data, beta: float = 1.0) -> float:
    """The Golden–Thompson lower bound ``mean_v log Tr e^{−βH_v} − log Z`` on the log-likelihood.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        A model without hidden–hidden couplings.
    data : array-like of shape (n_rows, n_visible)
        0/1 visible rows.
    beta : float
        Inverse temperature.

    Returns
    -------
    float

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine, log_likelihood
    >>> model = QuantumBoltzmannMachine(2, 2, [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)], random_state=0)
    >>> bound_log_likelihood(model, [[1, 0]]) <= log_likelihood(model, [[1, 0]])
    True
    """
    from .exact import log_partition

    beta = check_beta(beta)
    v = check_visible_rows(model, data, "data")
    effective, field = _clamped_fields(model, v)
    gap = np.hypot(field[None, :], effective / 2)
    visible_edges = model.edges[:, 1] < model.n_visible
    i, j = model.edges[visible_edges, 0], model.edges[visible_edges, 1]
    visible_energy = -(v @ model.biases[:model.n_visible] + (v[:, i] * v[:, j]) @ model.weights[visible_edges])
    hidden = np.sum(beta * effective / 2 + np.logaddexp(beta * gap, -beta * gap), axis=1)
    return float(np.mean(-beta * visible_energy + hidden) - log_partition(model, beta))


def _clamped_fields(model, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each hidden unit's classical field ``b_a + Σ_i w_ia v_i`` per row, and its transverse field."""
    check_quantum_model(model)
    i, j = model.edges[:, 0], model.edges[:, 1]
    if np.any(i >= model.n_visible):
        raise ValueError("the bound's closed form needs a model without hidden–hidden couplings")
    to_hidden = j >= model.n_visible
    coupling = np.zeros((model.n_visible, model.n_hidden))
    coupling[i[to_hidden], j[to_hidden] - model.n_visible] = model.weights[to_hidden]
    return v @ coupling + model.biases[model.n_visible:], model.transverse_field[model.n_visible:]


def _clamped_hidden_bits(model, v: np.ndarray, beta: float) -> np.ndarray:
    """``⟨s_a⟩ = (1 + ⟨σᶻ_a⟩) / 2`` of every hidden unit in the clamped thermal state of every row."""
    effective, field = _clamped_fields(model, v)
    gap = np.hypot(field[None, :], effective / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma_z = np.where(gap > 0, effective / 2 / gap * np.tanh(beta * gap), 0.0)
    return (1.0 + sigma_z) / 2
