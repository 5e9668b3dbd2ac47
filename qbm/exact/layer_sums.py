"""Exact RBM sums, one implementation for NumPy and every array backend: the smaller layer enumerated, the
larger one summed out.

``log Z = log Σ_a exp(biasᵀa + Σ_j softplus(f_j(a)))`` with ``f(a) = other_bias + aᵀW`` over the ``2**n``
states ``a`` of the smaller layer.  A block is one state of the leading units with every state of the
trailing units, so the fields are the leading state's row plus the trailing units' table, and ``e^{f}`` is
the product of the two rows' exponentials: each entry costs one multiply, one add and its share of a
product, with one ``log`` per product of as many factors ``1 + e^{f}`` as stay finite (fields too large
for that, ``|f| > 350``, take one ``exp`` per entry instead).  Everything is float64, on the backend's device;
the expectations add the other layer's exact conditional means.

>>> import qbm
>>> from qbm.backend import get_backend
>>> rbm = qbm.RBM(8, 5, random_state=0)
>>> abs(layer_log_partition(rbm, 1.0, get_backend("array_api_strict")) - qbm.log_partition(rbm)) < 1e-9
True
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.special import logsumexp

from ..backend import Backend, get_backend, sigmoid, to_host
from ..models import RBM
from ._bits import bit_table
from .planner import check_enumerable

__all__ = ["LayerEnumeration", "smaller_layer", "scaled_rbm", "layer_log_partition", "layer_expectations"]

BLOCK_ENTRIES = 2 ** 20           # fields per block: 8 MiB of float64
_LARGEST_LOG = 700.0              # products of factors stay below e**700 < the largest float64
_PRODUCT_FIELDS = 350.0           # |fields| up to which softplus sums are products of 1 + e^f


class LayerEnumeration:
    """Log-weights of all states ``a`` of one layer of a bipartite model, the other summed out, block by block:
    ``log w(a) = biasᵀa + Σ_j softplus(f_j(a))``, ``f(a) = other_bias + aᵀW``.

    Parameters
    ----------
    bias : ndarray of shape (n,)
        The enumerated layer's biases.
    weights : ndarray of shape (n, m)
        The couplings to the other layer.
    other_bias : ndarray of shape (m,)
        The other layer's biases.
    backend : str or qbm.backend.Backend, optional
        Where the sums compute (NumPy by default).

    Examples
    --------
    >>> layer = LayerEnumeration(np.zeros(2), np.zeros((2, 1)), np.zeros(1))
    >>> layer.num_blocks, np.exp(layer.block(0)[1]).round(3).tolist()   # 2 states of the other unit each
    (1, [2.0, 2.0, 2.0, 2.0])
    """

    def __init__(self, bias: np.ndarray, weights: np.ndarray, other_bias: np.ndarray,
                 backend: str | Backend | None = None) -> None:
        self.n = len(bias)
        check_enumerable(self.n, "smaller layer of the bipartite model")
        self.backend = backend = get_backend(backend)
        self.xp = xp = np if backend.is_numpy else backend.xp
        self.bias, self.weights, self.other_bias = (
            x if backend.is_numpy else backend.asarray(x, dtype=xp.float64) for x in (bias, weights, other_bias))
        entries_per_state = max(1, len(other_bias))
        low = min(self.n, max(0, int(np.log2(max(1, BLOCK_ENTRIES // entries_per_state)))))
        self.high = self.n - low
        low_states = self.bits(0, 2 ** low, low)
        fields = (low_states @ self.weights[self.high:, :]).T                        # other units × low states
        self.low_fields = np.ascontiguousarray(fields) if xp is np else fields
        self.low_field_bound = xp.max(xp.abs(self.low_fields), axis=1)
        self.low_exp = xp.exp(self.low_fields) if _largest(self.low_field_bound) <= _PRODUCT_FIELDS else None
        self.low_log_weights = low_states @ self.bias[self.high:]
        self.num_blocks = 2 ** self.high

    def bits(self, start: int, stop: int, n: int):
        """The bits of the states ``start..stop-1`` of ``n`` units (unit 0 most significant), float64.

        Parameters
        ----------
        start, stop : int
            The states.
        n : int
            Units.

        Returns
        -------
        array of shape (stop - start, n)

        Examples
        --------
        >>> LayerEnumeration(np.zeros(2), np.zeros((2, 1)), np.zeros(1)).bits(1, 3, 2).tolist()
        [[0.0, 1.0], [1.0, 0.0]]
        """
        xp = self.xp
        if xp is np:
            return bit_table(start, stop, n)
        codes = xp.arange(start, stop, dtype=xp.int64)[:, None]
        shifts = xp.arange(n - 1, -1, -1, dtype=xp.int64)
        return xp.astype(xp.bitwise_and(xp.bitwise_right_shift(codes, shifts), 1), xp.float64)

    def block(self, index: int) -> tuple[int, object]:
        """``(first_state, log_weights)`` of block ``index``.

        Parameters
        ----------
        index : int
            The block, ``0 <= index < num_blocks``.

        Returns
        -------
        (int, array)
            The first state of the block and the log-weight of each of its states.

        Examples
        --------
        >>> LayerEnumeration(np.zeros(1), np.zeros((1, 1)), np.zeros(1)).block(0)[1].round(4).tolist()
        [0.6931, 0.6931]
        """
        xp = self.xp
        leading = self.bits(index, index + 1, self.high)[0, :]
        leading_fields = leading @ self.weights[:self.high, :] + self.other_bias
        bound = _largest(xp.abs(leading_fields) + self.low_field_bound)
        if self.low_exp is not None and bound <= _PRODUCT_FIELDS:
            factors = self.low_exp * xp.exp(leading_fields)[:, None]
            factors += 1.0
            softplus_sums = _log_products(factors, int(_LARGEST_LOG / (bound + np.log(2.0))), xp)
        else:
            softplus_sums = _softplus_column_sums(self.low_fields + leading_fields[:, None], xp)
        return index * softplus_sums.shape[0], self.low_log_weights + leading @ self.bias[:self.high] + softplus_sums

    def log_partition(self):
        """``log Σ_a w(a)`` over every block.

        Returns
        -------
        float or device scalar
            A NumPy float on NumPy, the backend's scalar elsewhere.

        Examples
        --------
        >>> round(float(LayerEnumeration(np.zeros(1), np.zeros((1, 1)), np.zeros(1)).log_partition()), 4)  # log 4
        1.3863
        """
        return _streamed_log_sum_exp((self.block(index)[1] for index in range(self.num_blocks)), self.xp)


def smaller_layer(rbm: RBM, backend: str | Backend | None = None) -> LayerEnumeration:
    """The enumeration of ``rbm``'s smaller layer (the visible one on a tie).

    Parameters
    ----------
    rbm : RBM
        The model.
    backend : str or qbm.backend.Backend, optional
        Where the sums compute.

    Returns
    -------
    LayerEnumeration

    Examples
    --------
    >>> import qbm
    >>> smaller_layer(qbm.RBM(5, 2)).n
    2
    """
    if rbm.n_visible <= rbm.n_hidden:
        return LayerEnumeration(rbm.visible_bias, rbm.weights, rbm.hidden_bias, backend)
    return LayerEnumeration(rbm.hidden_bias, rbm.weights.T, rbm.visible_bias, backend)


def layer_log_partition(rbm: RBM, beta: float, backend: str | Backend | None = None) -> float:
    """Exact ``log Z(β)`` of an RBM by enumerating its smaller layer, on ``backend``.

    Parameters
    ----------
    rbm : RBM
        The model.
    beta : float
        Inverse temperature.
    backend : str or qbm.backend.Backend, optional
        Where the sums compute; NumPy by default.

    Returns
    -------
    float

    Examples
    --------
    See the module's example.
    """
    return float(to_host(smaller_layer(scaled_rbm(rbm, beta), backend).log_partition()))


def layer_expectations(rbm: RBM, beta: float, backend: str | Backend | None = None) -> dict[str, np.ndarray]:
    """Exact ``⟨∂(-E)/∂θ⟩`` of an RBM at ``beta`` on ``backend``, as host arrays by parameter name.

    Parameters
    ----------
    rbm : RBM
        The model.
    beta : float
        Inverse temperature.
    backend : str or qbm.backend.Backend, optional
        Where the sums compute; NumPy by default.

    Returns
    -------
    dict of str -> ndarray

    Examples
    --------
    >>> import qbm
    >>> from qbm.backend import get_backend
    >>> means = layer_expectations(qbm.RBM(3, 2, weights=np.zeros((3, 2))), 1.0, get_backend("array_api_strict"))
    >>> means["visible_bias"].round(2).tolist()
    [0.5, 0.5, 0.5]
    """
    scaled = scaled_rbm(rbm, beta)
    layer = smaller_layer(scaled, backend)
    xp, log_z = layer.xp, layer.log_partition()
    products, small_means, large_means = 0.0, 0.0, 0.0
    for index in range(layer.num_blocks):
        start, log_weights = layer.block(index)
        small = layer.bits(start, start + log_weights.shape[0], layer.n)
        large = sigmoid(small @ layer.weights + layer.other_bias)
        p = xp.exp(log_weights - log_z)
        products = products + (small * p[:, None]).T @ large
        small_means, large_means = small_means + p @ small, large_means + p @ large
    products, small_means, large_means = (to_host(x) for x in (products, small_means, large_means))
    if scaled.n_visible <= scaled.n_hidden:
        return {"weights": products, "visible_bias": small_means, "hidden_bias": large_means}
    return {"weights": products.T, "visible_bias": large_means, "hidden_bias": small_means}


def scaled_rbm(rbm: RBM, beta: float) -> RBM:
    """``rbm`` at inverse temperature ``beta``: every parameter times ``beta`` (``rbm`` itself at 1).

    Parameters
    ----------
    rbm : RBM
        The model.
    beta : float
        Inverse temperature.

    Returns
    -------
    RBM

    Examples
    --------
    >>> import qbm
    >>> scaled_rbm(qbm.RBM(1, 1, weights=[[2.0]]), 0.5).weights.tolist()
    [[1.0]]
    """
    if beta == 1.0:
        return rbm
    return RBM(rbm.n_visible, rbm.n_hidden, weights=beta * rbm.weights,
               visible_bias=beta * rbm.visible_bias, hidden_bias=beta * rbm.hidden_bias)


def _largest(values) -> float:
    """The largest entry as a host float, 0 for none."""
    return float(to_host(values).max(initial=0.0))


def _log_products(factors, rows_per_product: int, xp):
    """``Σ_j log factors[j, s]`` for each column ``s``, as logs of products of ``rows_per_product`` rows."""
    sums = xp.zeros(factors.shape[1], dtype=factors.dtype)
    rows = factors.shape[0]
    for first in range(0, rows, rows_per_product):
        sums += xp.log(xp.prod(factors[first:min(first + rows_per_product, rows), :], axis=0))
    return sums


def _softplus_column_sums(fields, xp):
    """``Σ_j softplus(fields[j, s])`` for each column ``s``.

    ``softplus(f) = max(f, 0) + log(1 + e^{-|f|})`` and each ``1 + e^{-|f|}`` lies in
    (1, 2], so a product of a thousand of them is finite.
    """
    sums = xp.sum(xp.maximum(fields, xp.zeros_like(fields)), axis=0)
    factors = xp.exp(-xp.abs(fields))
    factors += 1.0
    return sums + _log_products(factors, 1000, xp)


def _streamed_log_sum_exp(blocks: Iterable, xp):
    """The log-sum-exp of every block's values, one block at a time (SciPy's on NumPy)."""
    total = None
    for values in blocks:
        if xp is np:
            block = logsumexp(values)
        else:
            top = xp.max(values)
            block = top + xp.log(xp.sum(xp.exp(values - top)))
        total = block if total is None else xp.logaddexp(total, block)
    return total
