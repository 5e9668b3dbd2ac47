"""Exact RBM sums on an array backend: the smaller layer enumerated, the larger one summed out.

``log Z = log Σ_a exp(biasᵀa + Σ_j softplus(f_j(a)))`` with ``f(a) = other_bias + aᵀW`` over the
``2**n`` states ``a`` of the smaller layer, in blocks of states built on the device from their
indices, in float64, with a running log-sum-exp that never leaves the device; the expectations
add the other layer's exact conditional means.  :func:`qbm.exact.log_partition` and
:func:`qbm.exact.expectations` call these when given ``backend=`` (NumPy keeps its own tuned path).

>>> import qbm
>>> from qbm.backend import get_backend
>>> rbm = qbm.RBM(8, 5, random_state=0)
>>> abs(layer_log_partition(rbm, 1.0, get_backend("array_api_strict")) - qbm.log_partition(rbm)) < 1e-9
True
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..backend import Backend, sigmoid, softplus, to_host
from ..models import RBM

__all__ = ["layer_log_partition", "layer_expectations"]

_BLOCK_ENTRIES = 2 ** 22   # fields per block: 32 MiB of float64


class _Layer:
    """The smaller layer's arrays on the device, and blocks of its states with their log-weights."""

    def __init__(self, rbm: RBM, beta: float, backend: Backend, max_units: int) -> None:
        small_first = rbm.n_visible <= rbm.n_hidden
        bias, weights, other = (rbm.visible_bias, rbm.weights, rbm.hidden_bias) if small_first else \
            (rbm.hidden_bias, rbm.weights.T, rbm.visible_bias)
        self.n, self.small_first = len(bias), small_first
        if self.n > max_units:
            raise ValueError(f"the smaller layer of the RBM has {self.n} units; exact enumeration is limited to "
                             f"{max_units} (2**n states); use a sampling estimate such as AIS instead")
        xp, f64 = backend.xp, backend.xp.float64
        self.xp = xp
        self.bias, self.weights, self.other = (backend.asarray(beta * x, dtype=f64) for x in (bias, weights, other))
        self.low = min(self.n, int(np.log2(max(1, _BLOCK_ENTRIES // max(1, len(other))))))
        self.high = self.n - self.low
        codes = backend.asarray(np.arange(2 ** self.low)[:, None], dtype=xp.int64)
        self.low_bits = self._bits(codes, backend.asarray(np.arange(self.low - 1, -1, -1)[None, :], dtype=xp.int64))
        self.low_fields = self.low_bits @ self.weights[self.high:, :]
        self.low_terms = self.low_bits @ self.bias[self.high:]
        self.shifts = backend.asarray(np.arange(self.high - 1, -1, -1), dtype=xp.int64)

    def _bits(self, codes, shifts):
        """The bits of integer ``codes`` at ``shifts`` (most significant first), as float64."""
        xp = self.xp
        return xp.astype(xp.bitwise_and(xp.bitwise_right_shift(codes, shifts), 1), xp.float64)

    def blocks(self) -> Iterator[tuple]:
        """``(states, larger-layer fields, log-weights)`` of each block: one leading state, every trailing one."""
        xp = self.xp
        for index in range(2 ** self.high):
            leading = self._bits(index, self.shifts)
            fields = self.low_fields + (leading @ self.weights[:self.high, :] + self.other)[None, :]
            log_weights = self.low_terms + leading @ self.bias[:self.high] + xp.sum(softplus(fields), axis=1)
            states = xp.concat([xp.broadcast_to(leading[None, :], (self.low_bits.shape[0], self.high)),
                                self.low_bits], axis=1)
            yield states, fields, log_weights


def _log_z(layer: _Layer):
    """The running log-sum-exp over every block, a device scalar."""
    xp, total = layer.xp, None
    for _, _, log_weights in layer.blocks():
        top = xp.max(log_weights)
        block = top + xp.log(xp.sum(xp.exp(log_weights - top)))
        total = block if total is None else xp.logaddexp(total, block)
    return total


def layer_log_partition(rbm: RBM, beta: float, backend: Backend, max_units: int = 32) -> float:
    """Exact ``log Z(β)`` of an RBM on ``backend``.

    Parameters
    ----------
    rbm : RBM
        The model.
    beta : float
        Inverse temperature.
    backend : qbm.backend.Backend
        Where the sums compute.
    max_units : int
        The largest smaller layer enumerated.

    Returns
    -------
    float

    Examples
    --------
    See the module's example.
    """
    return float(to_host(_log_z(_Layer(rbm, beta, backend, max_units))))


def layer_expectations(rbm: RBM, beta: float, backend: Backend, max_units: int = 32) -> dict[str, np.ndarray]:
    """Exact ``⟨∂(-E)/∂θ⟩`` of an RBM at ``beta`` on ``backend``, as host arrays by parameter name.

    Parameters
    ----------
    rbm : RBM
        The model.
    beta : float
        Inverse temperature.
    backend : qbm.backend.Backend
        Where the sums compute.
    max_units : int
        The largest smaller layer enumerated.

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
    layer = _Layer(rbm, beta, backend, max_units)
    xp, log_z = layer.xp, _log_z(layer)
    products = small_means = large_means = None
    for states, fields, log_weights in layer.blocks():
        p = xp.exp(log_weights - log_z)
        large = sigmoid(fields)
        terms = ((states * p[:, None]).T @ large, p @ states, p @ large)
        if products is None:
            products, small_means, large_means = terms
        else:
            products, small_means, large_means = products + terms[0], small_means + terms[1], large_means + terms[2]
    products, small_means, large_means = (to_host(x) for x in (products, small_means, large_means))
    if layer.small_first:
        return {"weights": products, "visible_bias": small_means, "hidden_bias": large_means}
    return {"weights": products.T, "visible_bias": large_means, "hidden_bias": small_means}
