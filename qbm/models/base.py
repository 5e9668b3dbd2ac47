"""What every model shares: units, parameters, sufficient statistics, the QUBO / Ising / BQM forms, the file.

>>> import qbm
>>> qbm.RBM(3, 2).to_bqm().num_variables
5
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dimod
import numpy as np

from ..convert import qubo_to_ising
from .._files import atomic_savez
from .._validation import check_array, check_beta, check_binary, check_unit_interval
from ._arrays import scaled_biases
from .codec import model_arrays, register_model_type

__all__ = ["EnergyModel"]


class EnergyModel:
    """What every model shares: units, parameters, sufficient statistics, the QUBO / Ising / BQM forms, the file.

    A subclass names its ``parameter_names`` and gives ``energy``, ``state_arrays`` and its couplings;
    defining it registers it with the file codec (``stored=False`` in the class statement opts out).

    Examples
    --------
    >>> import qbm
    >>> isinstance(qbm.RBM(2, 1), EnergyModel), qbm.RBM.parameter_names
    (True, ('weights', 'visible_bias', 'hidden_bias'))
    """

    parameter_names: tuple[str, ...] = ()
    kind: str | None = None
    """What the layers treat the model as (:mod:`qbm.models.kinds`): ``"rbm"``, ``"bm"`` or ``"quantum"``."""
    stores_edges: bool = False
    """Whether the file codec stores an edge list for this type (a graph model)."""
    n_visible: int
    n_hidden: int

    def __init_subclass__(cls, stored: bool = True, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if stored:
            register_model_type(cls)  # every model type can be read back by load

    @property
    def n_units(self) -> int:
        """Number of units, visible then hidden.

        Examples
        --------
        >>> from qbm import RBM
        >>> RBM(4, 3).n_units
        7
        """
        return self.n_visible + self.n_hidden

    def parameters(self) -> dict[str, np.ndarray]:
        """The parameter arrays by name (the model's own arrays, not copies)."""
        return {name: getattr(self, name) for name in self.parameter_names}

    def sufficient_statistics(self, states, weights=None, *, check_input: bool = True) -> dict[str, np.ndarray]:
        """``⟨∂(-E)/∂θ⟩`` over rows of full states (values in [0, 1]), by parameter name.

        ``weights`` (e.g. ``num_occurrences``) weight the rows; they need not sum to one.
        Probabilities may stand in for hidden states (a Rao-Blackwellised estimate).
        ``check_input=False`` skips validation, for callers that already did it.

        Parameters
        ----------
        states : array-like of shape (n_rows, n_units)
            Full states, visible then hidden.
        weights : array-like of shape (n_rows,), optional
            Row weights; equal by default.
        check_input : bool
            Validate ``states``.

        Returns
        -------
        dict of str -> ndarray
            One array per parameter name.

        Examples
        --------
        >>> from qbm import RBM
        >>> RBM(2, 1, weights=[[0.0], [0.0]]).sufficient_statistics([[1, 1, 1], [1, 0, 0]])["weights"]
        array([[0.5],
               [0.5]])
        """
        s = check_unit_interval(states, "states", ndim=2, width=self.n_units) if check_input else states
        if len(s) == 0:
            raise ValueError("states must contain at least one row")
        if weights is None:
            w = np.full(len(s), 1.0 / len(s))
        else:
            w = check_array(weights, "weights", shape=(len(s),))
            if np.any(w < 0) or w.sum() <= 0:
                raise ValueError("weights must be non-negative with a positive sum")
            w = w / w.sum()
        return self._weighted_statistics(s, w)

    def copy(self):
        """An independent copy with the same parameters.

        Returns
        -------
        RBM or BoltzmannMachine

        Examples
        --------
        >>> from qbm import RBM
        >>> rbm = RBM(2, 1, random_state=0)
        >>> clone = rbm.copy(); clone.weights += 1
        >>> bool((clone.weights != rbm.weights).all())
        True
        """
        clone = object.__new__(type(self))
        clone.__dict__.update({k: (v.copy() if isinstance(v, np.ndarray) else v)
                               for k, v in self.__dict__.items()})
        return clone

    def to_ising(self, beta: float = 1.0) -> tuple[np.ndarray, np.ndarray, float]:
        """Dense Ising form ``(h, J, offset)`` of ``β E`` (``J`` strictly upper-triangular).

        Parameters
        ----------
        beta : float
            Inverse temperature folded into the biases.

        Returns
        -------
        h : ndarray of shape (n_units,)
        J : ndarray of shape (n_units, n_units)
        offset : float

        Examples
        --------
        >>> from qbm import RBM
        >>> h, J, offset = RBM(1, 1, weights=[[2.0]]).to_ising()
        >>> h.tolist(), J.tolist(), offset
        ([-0.5, -0.5], [[0.0, -0.5], [0.0, 0.0]], -0.5)
        """
        Q, offset = self.to_qubo(beta)
        return qubo_to_ising(Q, offset)

    def to_qubo(self, beta: float = 1.0) -> tuple[np.ndarray, float]:
        """Dense upper-triangular QUBO ``(Q, offset)`` of ``β E``: ``Q_ii = -β b_i``, ``Q_ij = -β w_ij``.

        Parameters
        ----------
        beta : float
            Inverse temperature folded into the biases.

        Returns
        -------
        Q : ndarray of shape (n_units, n_units)
        offset : float

        Examples
        --------
        >>> from qbm import RBM
        >>> RBM(1, 1, weights=[[2.0]], visible_bias=[1.0]).to_qubo()[0]
        array([[-1., -2.],
               [ 0., -0.]])
        """
        beta = check_beta(beta)
        Q = np.zeros((self.n_units, self.n_units))
        rows, cols, couplings = self._coupling_triplets()
        Q[rows, cols] = scaled_biases(beta, couplings)
        Q[np.diag_indices_from(Q)] = scaled_biases(beta, self._unit_biases())
        return Q, 0.0

    def to_bqm(self, beta: float = 1.0) -> dimod.BinaryQuadraticModel:
        """The BINARY :class:`dimod.BinaryQuadraticModel` of ``β E``, labels ``0..n_units-1``.

        A sampler drawing from ``exp(-E_bqm)`` then draws from the model at inverse
        temperature ``beta``.

        Parameters
        ----------
        beta : float
            Inverse temperature folded into the biases.

        Returns
        -------
        dimod.BinaryQuadraticModel

        Examples
        --------
        >>> from qbm import RBM
        >>> bqm = RBM(2, 1, weights=[[1.0], [1.0]]).to_bqm(beta=2.0)
        >>> float(bqm.quadratic[0, 2]), len(bqm)
        (-2.0, 3)
        """
        beta = check_beta(beta)
        rows, cols, couplings = self._coupling_triplets()
        linear, quadratic = scaled_biases(beta, self._unit_biases()), scaled_biases(beta, couplings)
        return dimod.BinaryQuadraticModel.from_numpy_vectors(linear, (rows, cols, quadratic), 0.0, dimod.BINARY)

    def save(self, path: str | os.PathLike) -> None:
        """Write the model to ``path`` as ``.npz``, atomically (temporary file, then rename).

        Parameters
        ----------
        path : str or path
            The file to write.

        Examples
        --------
        >>> from qbm import RBM, load
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "rbm.npz")
        >>> RBM(2, 1, random_state=0).save(path); load(path).n_units
        3
        """
        atomic_savez(Path(path), model_arrays(self))

    def state_arrays(self) -> dict[str, Any]:
        """Sizes and parameters (and a BM's edges) as :meth:`save` writes them."""
        state = {"n_visible": self.n_visible, "n_hidden": self.n_hidden}
        state.update(self.parameters())
        return state

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_visible={self.n_visible}, n_hidden={self.n_hidden})"

    def _check_states(self, states, name: str = "states") -> np.ndarray:
        return check_binary(states, name, ndim=(1, 2), width=self.n_units)
