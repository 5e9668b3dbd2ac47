"""Contrastive divergence: the RBM fast paths on arrays, CD-k from the data and PCD's persistent chains.

>>> import qbm
>>> sorted(CD().gradient(qbm.RBM(4, 2, random_state=0), [[1, 0, 1, 0]], random_state=0))
['hidden_bias', 'visible_bias', 'weights']
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..backend import Backend, bernoulli, get_backend, namespace
from ..sampling.chains import (RBMParameters, hidden_probabilities, rbm_gradient, rbm_statistics, run_chains,
    visible_draw)
from ..models import RBM, Model
from ..typing import RandomLike
from .._validation import check_count, check_non_negative, check_unit_fraction
from .base import Phase, device_inputs

__all__ = ["CD", "PCD"]


class CD(Phase):
    """Contrastive divergence CD-k for an RBM: ``k`` Gibbs steps started at the data.

    Parameters
    ----------
    k : int
        Gibbs steps from the data.
    backend : str or qbm.backend.Backend, optional
        Where the chains compute (:mod:`qbm.backend`): NumPy by default, e.g. ``"torch:cuda"``
        for a GPU; on a device the statistics come back as the backend's arrays.

    Examples
    --------
    >>> import qbm
    >>> CD(k=1).statistics(qbm.RBM(4, 2, random_state=0), [[1, 0, 1, 0]], random_state=0)["weights"].shape
    (4, 2)
    """

    def __init__(self, k: int = 1, backend: str | Backend | None = None) -> None:
        super().__init__()
        self.k = check_count(k, "k")
        self.backend = get_backend(backend)

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Expectations over the data rows after ``k`` Gibbs steps, the hidden layer summed out."""
        rbm, v, rng = device_inputs(self, model, batch, random_state, True)
        return rbm_statistics(rbm, run_chains(rbm, v, self.k, rng))

    def gradient(self, model: Model, batch, random_state: RandomLike = None, *,
                 check_input: bool = True) -> dict[str, np.ndarray]:
        """The data's ``p(h | v)`` serves the data side and the chains' first step, as in :meth:`statistics`."""
        rbm, v, rng = device_inputs(self, model, batch, random_state, check_input)
        h = hidden_probabilities(rbm, v)
        chains = visible_draw(rbm, bernoulli(h, rng), rng)
        if self.k > 1:
            chains = run_chains(rbm, chains, self.k - 1, rng)
        return rbm_gradient(v, h, chains, hidden_probabilities(rbm, chains))

    def __repr__(self) -> str:
        return f"CD(k={self.k}{_backend_repr(self.backend)})"


class PCD(Phase):
    """Persistent contrastive divergence for an RBM: chains carried over between calls.

    The chains start uniform at random on the first call and are kept in ``chains``
    (restored with the rest of a training checkpoint).  ``num_chains`` is the one count
    in the package not called ``num_reads``: these chains persist from call to call.
    The chains sample from the model plus *fast weights* (FPCD, Tieleman & Hinton 2009):
    a copy of every parameter that takes each gradient at ``fast_rate`` and shrinks by
    ``fast_decay`` per step, so the chains are pushed away from where they have just been
    and mix faster.  The model-side statistics are the model's own, at the chains' states;
    ``fast_rate=0`` is plain PCD.  The defaults (100 chains, ``k = 1``, fast weights at 0.05)
    were chosen by measurement over ten seeds on digits and three on MNIST-5k, where they
    beat plain PCD and CD-1 on the same budget (``benchmarks/bench_defaults.py digits`` and
    ``benchmarks/bench_training.py mnist``; the figures are in the training guide).

    Parameters
    ----------
    num_chains : int
        Persistent chains.
    k : int
        Gibbs steps per call.
    fast_rate : float
        Learning rate of the fast weights; 0 is plain PCD.
    fast_decay : float
        Factor in [0, 1) the fast weights are multiplied by at each step.
    backend : str or qbm.backend.Backend, optional
        Where the chains compute and live between calls (:mod:`qbm.backend`): NumPy by default,
        e.g. ``"torch:cuda"``; ``state_dict`` copies them to the host.

    Examples
    --------
    >>> import qbm
    >>> phase = PCD(num_chains=10)
    >>> _ = phase.statistics(qbm.RBM(4, 2, random_state=0), None, random_state=0)
    >>> phase.chains.shape
    (10, 4)
    >>> PCD()
    PCD(num_chains=100, k=1, fast_rate=0.05, fast_decay=0.95)
    >>> PCD(fast_rate=0)
    PCD(num_chains=100, k=1)
    """

    samples_model = True   # persistent chains of the model (fast weights move them, not the statistics)

    def __init__(self, num_chains: int = 100, k: int = 1, fast_rate: float = 0.05, fast_decay: float = 0.95,
                 backend: str | Backend | None = None) -> None:
        super().__init__()
        self.backend = get_backend(backend)
        self.num_chains = check_count(num_chains, "num_chains")
        self.k = check_count(k, "k")
        self.fast_rate = check_non_negative(fast_rate, "fast_rate")
        self.fast_decay = check_unit_fraction(fast_decay, "fast_decay")
        self.chains: np.ndarray | None = None
        self.fast: dict[str, np.ndarray] | None = None   # the fast weights, when fast_rate > 0

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Advance the persistent chains ``k`` steps; expectations over them, the hidden layer summed out."""
        rbm, _, rng = device_inputs(self, model, None, random_state, False)
        self._advance(rbm, rng)
        return rbm_statistics(rbm, self.chains)

    def _advance(self, rbm: RBM | RBMParameters, rng) -> None:
        n_visible = rbm.weights.shape[0]
        if self.chains is None or tuple(self.chains.shape) != (self.num_chains, n_visible):
            self.chains = rng.integers(0, 2, (self.num_chains, n_visible)).astype(np.float64) if \
                self.backend.is_numpy else rng.integers01((self.num_chains, n_visible))
        elif isinstance(self.chains, np.ndarray) and not self.backend.is_numpy:   # restored from a checkpoint
            self.chains = self.backend.asarray(self.chains)
        sampled = rbm
        if self.fast_rate:
            if self.fast is None or tuple(self.fast["weights"].shape) != tuple(rbm.weights.shape):
                self.fast = {name: namespace(rbm.weights).zeros_like(getattr(rbm, name))
                             for name in RBMParameters._fields}
            elif isinstance(self.fast["weights"], np.ndarray) and not self.backend.is_numpy:
                self.fast = {name: self.backend.asarray(value) for name, value in self.fast.items()}
            sampled = RBMParameters(*(getattr(rbm, name) + self.fast[name] for name in RBMParameters._fields))
        self.chains = run_chains(sampled, self.chains, self.k, rng)

    def gradient(self, model: Model, batch, random_state: RandomLike = None, *,
                 check_input: bool = True) -> dict[str, np.ndarray]:
        """Advance the chains, then data side minus model side; the fast weights take this gradient."""
        rbm, v, rng = device_inputs(self, model, batch, random_state, check_input)
        data_hidden = hidden_probabilities(rbm, v)
        self._advance(rbm, rng)
        grads = rbm_gradient(v, data_hidden, self.chains, hidden_probabilities(rbm, self.chains))
        if self.fast_rate:
            for name, fast in self.fast.items():
                fast *= self.fast_decay
                fast += self.fast_rate * grads[name]
        return grads

    def state_dict(self) -> dict[str, Any]:
        """The call count, the persistent chains and the fast weights."""
        state = super().state_dict()
        if self.chains is not None:
            state["chains"] = self.backend.to_numpy(self.chains).copy()
        if self.fast is not None:
            state.update({f"fast_{name}": self.backend.to_numpy(value).copy() for name, value in self.fast.items()})
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        self.chains = np.array(state["chains"], dtype=np.float64) if "chains" in state else None
        fast = {name[len("fast_"):]: np.array(value, dtype=np.float64) for name, value in state.items()
                if name.startswith("fast_")}
        self.fast = fast or None

    def __repr__(self) -> str:
        fast = f", fast_rate={self.fast_rate:g}, fast_decay={self.fast_decay:g}" if self.fast_rate else ""
        return f"PCD(num_chains={self.num_chains}, k={self.k}{fast}{_backend_repr(self.backend)})"


def _backend_repr(backend: Backend) -> str:
    return "" if backend.is_numpy else f", backend={backend!r}"
