"""The quantum Boltzmann machine: a Boltzmann machine's graph plus a transverse field per unit.

``H = diag(E_ising) − Σ_a Γ_a σˣ_a`` in the σᶻ = diag(−1, +1) basis, qubit (unit) 0 most
significant, where ``diag(E_ising)`` is the classical part's energy of every state
(:func:`qbm.exact.hamiltonian_diagonal` of ``model.classical_part().to_ising()``); Amin, Andriyash,
Rolfe, Kulchytskyy & Melko, "Quantum Boltzmann Machine", Phys. Rev. X 8, 021050 (2018).

A quantum Boltzmann machine is *not* a :class:`~qbm.models.BoltzmannMachine`: classical
functions refuse it (naming the function of :mod:`qbm.quantum` to use) instead of answering for
Γ = 0, and its classical forms (``to_bqm``, ``to_qubo``, ``to_ising``, ``energy``) are reached
only on purpose, through :meth:`QuantumBoltzmannMachine.classical_part`.

>>> import qbm
>>> model = QuantumBoltzmannMachine(2, transverse_field=0.5, random_state=0)
>>> isinstance(model, qbm.BoltzmannMachine), type(model.classical_part()).__name__
(False, 'BoltzmannMachine')
"""
from __future__ import annotations

from typing import Any, NoReturn

import numpy as np

from ..typing import RandomLike
from .._validation import check_array
from ..models import BoltzmannMachine, GraphModel

__all__ = ["QuantumBoltzmannMachine"]


class QuantumBoltzmannMachine(GraphModel):
    """A graph of units with couplings, biases and a transverse field ``Γ_a`` on every unit.

    Parameters
    ----------
    n_visible : int
        Visible units.
    n_hidden : int
        Hidden units.
    edges : "complete" or array-like of shape (n_edges, 2)
        The couplings' graph, as for :class:`~qbm.models.BoltzmannMachine`.
    transverse_field : float or array-like of shape (n_units,)
        ``Γ`` of every unit (a scalar for all); zero on the visible units and non-zero on
        the hidden ones gives the semi-restricted QRBM.
    weights : array-like of shape (n_edges,), optional
        One weight per edge; small random ones by default.
    biases : array-like of shape (n_units,), optional
        Zeros by default.
    random_state : int, numpy.random.Generator or None
        Seeds the initial weights.

    Examples
    --------
    >>> qbm_model = QuantumBoltzmannMachine(3, transverse_field=0.5, random_state=0)
    >>> qbm_model.transverse_field, qbm_model.parameter_names
    (array([0.5, 0.5, 0.5]), ('weights', 'biases', 'transverse_field'))
    """

    kind = "quantum"

    parameter_names = ("weights", "biases", "transverse_field")

    def __init__(self, n_visible: int, n_hidden: int = 0, edges="complete", *, transverse_field=1.0,
                 weights=None, biases=None, random_state: RandomLike = None) -> None:
        super().__init__(n_visible, n_hidden, edges, weights=weights, biases=biases, random_state=random_state)
        field = check_array(transverse_field, "transverse_field", ndim=(0, 1))
        if field.ndim == 1 and field.shape != (self.n_units,):
            raise ValueError(f"transverse_field must be a number or have one value per unit ({self.n_units}), "
                             f"got shape {field.shape}")
        self.transverse_field = np.broadcast_to(field, (self.n_units,)).astype(np.float64)

    @classmethod
    def semi_restricted(cls, n_visible: int, n_hidden: int = 0, *, transverse_field: float = 1.0,
                        random_state: RandomLike = None) -> "QuantumBoltzmannMachine":
        """Visible–visible and visible–hidden couplings, none between hidden units.

        With hidden units, the transverse field is on the hidden units only (the
        semi-restricted QRBM, for which the bound's clamped phase is closed form);
        without, on every unit (the fully visible QBM).

        Parameters
        ----------
        n_visible : int
            Visible units.
        n_hidden : int
            Hidden units.
        transverse_field : float
            ``Γ`` of the units that carry one.
        random_state : int, numpy.random.Generator or None
            Seeds the initial weights.

        Returns
        -------
        QuantumBoltzmannMachine

        Examples
        --------
        >>> model = QuantumBoltzmannMachine.semi_restricted(2, 1, transverse_field=0.5)
        >>> model.edges.tolist(), model.transverse_field.tolist()
        ([[0, 1], [0, 2], [1, 2]], [0.0, 0.0, 0.5])
        """
        n = n_visible + n_hidden
        edges = [(i, j) for i in range(n_visible) for j in range(i + 1, n)]
        field = np.full(n, float(transverse_field))
        if n_hidden:
            field[:n_visible] = 0.0
        return cls(n_visible, n_hidden, np.array(edges, dtype=np.int64).reshape(-1, 2), transverse_field=field,
                   random_state=random_state)

    def classical_part(self) -> BoltzmannMachine:
        """The Boltzmann machine of the same couplings and biases, without the transverse fields (a copy).

        Its energy is the diagonal of ``H``; it is the model at Γ = 0, not this one.

        Returns
        -------
        BoltzmannMachine

        Examples
        --------
        >>> QuantumBoltzmannMachine(2, weights=[1.5]).classical_part().weights
        array([1.5])
        """
        return BoltzmannMachine(self.n_visible, self.n_hidden, self.edges, weights=self.weights, biases=self.biases)

    def to_bqm(self, beta: float = 1.0) -> NoReturn:
        """Refused: a BQM is classical.  Use :func:`qbm.quantum.trotter.trotter_bqm` (the quantum model as a
        classical BQM on Trotter slices) or ``classical_part().to_bqm()`` (the model at Γ = 0)."""
        raise TypeError(_NOT_CLASSICAL.format(form="a BQM"))

    def to_qubo(self, beta: float = 1.0) -> NoReturn:
        """Refused, as :meth:`to_bqm`."""
        raise TypeError(_NOT_CLASSICAL.format(form="a QUBO"))

    def to_ising(self, beta: float = 1.0) -> NoReturn:
        """Refused, as :meth:`to_bqm`."""
        raise TypeError(_NOT_CLASSICAL.format(form="an Ising model"))

    def energy(self, states) -> NoReturn:
        """Refused: a state has no energy of its own under ``H``; ``classical_part().energy`` is ``⟨s|H|s⟩``."""
        raise TypeError(_NOT_CLASSICAL.format(form="a classical energy"))

    def _weighted_statistics(self, s: np.ndarray, w: np.ndarray) -> dict[str, Any]:
        """Classical states say nothing about ``σˣ``: its statistic is zero (a phase that
        estimates it, such as the exact one, supplies its own)."""
        return {**super()._weighted_statistics(s, w), "transverse_field": np.zeros(self.n_units)}

    def __repr__(self) -> str:
        return f"QuantumBoltzmannMachine(n_visible={self.n_visible}, n_hidden={self.n_hidden})"


_NOT_CLASSICAL = ("a QuantumBoltzmannMachine is not {form}: use qbm.quantum.trotter_bqm(model, slices) for the quantum "
                  "model as a classical BQM on Trotter slices, or model.classical_part() for the model at Γ = 0")
