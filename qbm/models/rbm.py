"""The restricted Boltzmann machine: a dense weight matrix between a visible and a hidden layer.

>>> RBM(3, 2, random_state=0).weights.shape
(3, 2)
"""
from __future__ import annotations

import dimod
import numpy as np

from .._numerics import bernoulli, sigmoid, softplus
from .._random import check_random_state
from .._memory import check_allocation
from .._validation import check_array, check_binary, check_count, check_unit_interval
from ..typing import RandomLike
from ._arrays import INIT_SCALE, bias_or_zeros, bqm_vectors, index_dtype
from .base import EnergyModel

__all__ = ["RBM"]


class RBM(EnergyModel):
    """Restricted Boltzmann machine, ``E(v, h) = -(aᵀv + bᵀh + vᵀWh)``.

    Parameters
    ----------
    n_visible, n_hidden : int
        Layer sizes.
    weights : array of shape (n_visible, n_hidden), optional
        ``W``; drawn from ``N(0, 0.01²)`` when omitted.
    visible_bias, hidden_bias : arrays, optional
        ``a`` and ``b``; zeros when omitted.
    random_state : int, Generator or None
        Seeds the initial weights.

    Examples
    --------
    >>> rbm = RBM(4, 3, random_state=0)
    >>> rbm.hidden_probabilities([[1, 0, 1, 0]]).shape
    (1, 3)
    """

    parameter_names = ("weights", "visible_bias", "hidden_bias")

    kind = "rbm"

    def __init__(self, n_visible: int, n_hidden: int, *, weights=None, visible_bias=None,
                 hidden_bias=None, random_state: RandomLike = None) -> None:
        self.n_visible = check_count(n_visible, "n_visible")
        self.n_hidden = check_count(n_hidden, "n_hidden")
        check_allocation(3 * 8.0 * self.n_visible * self.n_hidden, f"an RBM {self.n_visible}×{self.n_hidden}")
        if weights is None:
            rng = check_random_state(random_state)
            weights = rng.normal(0.0, INIT_SCALE, (self.n_visible, self.n_hidden))
        self.weights = check_array(weights, "weights", shape=(self.n_visible, self.n_hidden)).copy()
        self.visible_bias = bias_or_zeros(visible_bias, "visible_bias", self.n_visible)
        self.hidden_bias = bias_or_zeros(hidden_bias, "hidden_bias", self.n_hidden)

    def energy(self, v, h=None) -> np.ndarray:
        """``E(v, h)`` for batches of visible and hidden states, or of full states ``[v, h]``.

        Parameters
        ----------
        v : array-like of shape (n_rows, n_visible) or (n_rows, n_units)
            Visible states, or full states when ``h`` is omitted.
        h : array-like of shape (n_rows, n_hidden), optional
            Hidden states.

        Returns
        -------
        ndarray of shape (n_rows,)

        Examples
        --------
        >>> RBM(1, 1, weights=[[2.0]]).energy([[1]], [[1]])
        array([-2.])
        """
        if h is None:
            states = self._check_states(v)
            v, h = states[..., : self.n_visible], states[..., self.n_visible:]
        else:
            v = check_binary(v, "v", ndim=(1, 2), width=self.n_visible)
            h = check_binary(h, "h", ndim=(1, 2), width=self.n_hidden)
        return -(v @ self.visible_bias + h @ self.hidden_bias + np.sum((v @ self.weights) * h, axis=-1))

    def free_energy(self, v) -> np.ndarray:
        """``F(v) = -aᵀv - Σ_j softplus(b_j + vᵀW_:j)``, so ``p(v) ∝ exp(-F(v))``.

        Parameters
        ----------
        v : array-like of shape (n_rows, n_visible)
            Visible states.

        Returns
        -------
        ndarray of shape (n_rows,)

        Examples
        --------
        >>> RBM(1, 1, weights=[[0.0]]).free_energy([[0]]).round(4)  # -log 2
        array([-0.6931])
        """
        v = check_unit_interval(v, "v", ndim=(1, 2), width=self.n_visible)
        return -(v @ self.visible_bias) - softplus(v @ self.weights + self.hidden_bias).sum(axis=-1)

    def hidden_probabilities(self, v, *, check_input: bool = True) -> np.ndarray:
        """``p(h_j = 1 | v) = σ(b_j + vᵀW_:j)``; ``check_input=False`` skips validation.

        Parameters
        ----------
        v : array-like of shape (n_rows, n_visible)
            Visible states (or probabilities).
        check_input : bool
            Validate ``v``.

        Returns
        -------
        ndarray of shape (n_rows, n_hidden)

        Examples
        --------
        >>> RBM(1, 1, weights=[[0.0]]).hidden_probabilities([[1]])
        array([[0.5]])
        """
        if check_input:
            v = check_unit_interval(v, "v", ndim=(1, 2), width=self.n_visible)
        return sigmoid(v @ self.weights + self.hidden_bias)

    def visible_probabilities(self, h, *, check_input: bool = True) -> np.ndarray:
        """``p(v_i = 1 | h) = σ(a_i + W_i:h)``; ``check_input=False`` skips validation.

        Parameters
        ----------
        h : array-like of shape (n_rows, n_hidden)
            Hidden states (or probabilities).
        check_input : bool
            Validate ``h``.

        Returns
        -------
        ndarray of shape (n_rows, n_visible)

        Examples
        --------
        >>> RBM(2, 1, weights=[[0.0], [0.0]]).visible_probabilities([[1]])
        array([[0.5, 0.5]])
        """
        if check_input:
            h = check_unit_interval(h, "h", ndim=(1, 2), width=self.n_hidden)
        return sigmoid(h @ self.weights.T + self.visible_bias)

    def sample_hidden(self, v, random_state: RandomLike = None, *, check_input: bool = True) -> np.ndarray:
        """Draw ``h ~ p(h | v)`` (one sample per row of ``v``).

        Parameters
        ----------
        v : array-like of shape (n_rows, n_visible)
            Visible states.
        random_state : int, numpy.random.Generator or None
            The random stream.
        check_input : bool
            Validate ``v``.

        Returns
        -------
        ndarray of shape (n_rows, n_hidden)
            0/1 as floats.

        Examples
        --------
        >>> RBM(2, 3, random_state=0).sample_hidden([[1, 0]], random_state=0).shape
        (1, 3)
        """
        return bernoulli(self.hidden_probabilities(v, check_input=check_input), random_state)

    def sample_visible(self, h, random_state: RandomLike = None, *, check_input: bool = True) -> np.ndarray:
        """Draw ``v ~ p(v | h)`` (one sample per row of ``h``).

        Parameters
        ----------
        h : array-like of shape (n_rows, n_hidden)
            Hidden states.
        random_state : int, numpy.random.Generator or None
            The random stream.
        check_input : bool
            Validate ``h``.

        Returns
        -------
        ndarray of shape (n_rows, n_visible)
            0/1 as floats.

        Examples
        --------
        >>> RBM(2, 3, random_state=0).sample_visible([[1, 0, 1]], random_state=0).shape
        (1, 2)
        """
        return bernoulli(self.visible_probabilities(h, check_input=check_input), random_state)

    @classmethod
    def from_bqm(cls, bqm: dimod.BinaryQuadraticModel, n_visible: int) -> "RBM":
        """The RBM whose energy is ``bqm``'s (offset dropped); labels must be ``0..n-1``.

        Variables ``0..n_visible-1`` are visible; a coupling inside a layer is an error.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            A BINARY or SPIN BQM labelled ``0..n-1``, couplings only between the two layers.
        n_visible : int
            The first ``n_visible`` labels are the visible layer.

        Returns
        -------
        RBM

        Examples
        --------
        >>> rbm = RBM(3, 2, random_state=0)
        >>> bool(np.allclose(RBM.from_bqm(rbm.to_bqm(), 3).weights, rbm.weights))
        True
        """
        linear, rows, cols, values = bqm_vectors(bqm)
        n_visible = check_count(n_visible, "n_visible")
        n_units = len(linear)
        if not n_visible < n_units:
            raise ValueError(f"n_visible must be less than the number of variables ({n_units}), got {n_visible}")
        low, high = np.minimum(rows, cols), np.maximum(rows, cols)
        inside = (high < n_visible) | (low >= n_visible)
        if np.any(inside):
            raise ValueError(
                f"bqm is not bipartite between units 0..{n_visible - 1} and the rest: "
                f"coupling ({low[inside][0]}, {high[inside][0]}) lies inside a layer"
            )
        weights = np.zeros((n_visible, n_units - n_visible))
        weights[low, high - n_visible] = -values
        return cls(n_visible, n_units - n_visible, weights=weights,
                   visible_bias=-linear[:n_visible], hidden_bias=-linear[n_visible:])

    def _weighted_statistics(self, s: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
        v, h = s[:, : self.n_visible], s[:, self.n_visible:]
        return {"weights": (v * w[:, None]).T @ h, "visible_bias": w @ v, "hidden_bias": w @ h}

    def _unit_biases(self) -> np.ndarray:
        return np.concatenate([self.visible_bias, self.hidden_bias])

    def _coupling_triplets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = index_dtype(self.n_units)
        rows = np.repeat(np.arange(self.n_visible, dtype=index), self.n_hidden)
        cols = np.tile(np.arange(self.n_visible, self.n_units, dtype=index), self.n_visible)
        return rows, cols, self.weights.ravel()
