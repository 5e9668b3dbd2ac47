"""The backend kit: an array backend computes the same mathematics as NumPy, from one seed."""
from __future__ import annotations

import numpy as np

from ..backend import Backend, bernoulli, get_backend, sigmoid, softplus
from ..exact import expectations, log_partition
from ..models import RBM
from ..phases import CD, PCD
from ._phases import check_phase
from ._report import fail, host_arrays

__all__ = ["check_backend"]

_FLOAT32 = 2e-5   # relative agreement of float32 device arithmetic with NumPy's float64


def check_backend(name: str | Backend) -> None:
    """Check that an array backend computes what NumPy computes, reproducibly.

    - ``asarray`` / ``to_numpy`` round trip, in the backend's float dtype;
    - the logistic and softplus agree with NumPy's (float32 accuracy), without overflow at ±1000;
    - the device stream is reproducible from one host seed, and its Bernoulli draws have the right mean;
    - exact RBM sums on the backend (``qbm.log_partition`` and ``qbm.exact.expectations`` with ``backend=``)
      agree with NumPy's;
    - CD and PCD on the backend give statistics of the right shapes, reproducibly, and PCD's agree with the
      exact expectations (:func:`check_phase` on a non-square RBM).

    Parameters
    ----------
    name : str or Backend
        A backend name (``qbm.backend.BACKEND_NAMES``, with a device after a colon) or a Backend.

    Raises
    ------
    AssertionError
        Naming the backend and the rule.

    Examples
    --------
    >>> check_backend("array_api_strict")
    """
    backend = get_backend(name)
    where = repr(backend)
    values = np.array([[-1000.0, -2.5, 0.0], [0.5, 3.0, 1000.0]])
    device = backend.asarray(values)
    back = backend.to_numpy(device)
    if back.shape != values.shape or not np.allclose(back, values, rtol=_FLOAT32):
        fail(f"{where}: asarray / to_numpy does not round-trip {values.tolist()}")
    for what, ours, reference in (("sigmoid", sigmoid, 1 / (1 + np.exp(-np.clip(values, -700, 700)))),
                                  ("softplus", softplus, np.logaddexp(0.0, values))):
        got = backend.to_numpy(ours(device))
        if not np.all(np.isfinite(got)) or not np.allclose(got, reference, rtol=_FLOAT32, atol=1e-6):
            fail(f"{where}: {what} gives {got.tolist()}, NumPy {reference.tolist()}")
    _check_stream(backend, where)
    rbm = RBM(5, 3, random_state=3)
    rbm.weights *= 40
    if abs(log_partition(rbm, backend=backend) - log_partition(rbm)) > 1e-6 * max(1.0, abs(log_partition(rbm))):
        fail(f"{where}: log_partition on the backend differs from NumPy's")
    ours, reference = expectations(rbm, backend=backend), expectations(rbm)
    for key, value in reference.items():
        if not np.allclose(host_arrays(ours, where)[key], value, rtol=1e-6, atol=1e-9):
            fail(f"{where}: exact expectations of {key} on the backend differ from NumPy's")
    model = RBM(3, 2, weights=[[1.0, -1.0], [0.5, 0.8], [-1.2, 0.3]], random_state=0)
    check_phase(CD(backend=backend), model)
    check_phase(PCD(num_chains=200, backend=backend), model)


def _check_stream(backend: Backend, where: str) -> None:
    first, second = backend.random(np.random.default_rng(5)), backend.random(np.random.default_rng(5))
    a, b = backend.to_numpy(first.random((1000,))), backend.to_numpy(second.random((1000,)))
    if not np.array_equal(a, b):
        fail(f"{where}: two device streams from the same host seed differ")
    if not (np.all((a >= 0) & (a < 1)) and abs(a.mean() - 0.5) < 0.05):
        fail(f"{where}: the device stream's uniforms are not uniform on [0, 1) (mean {a.mean():.3f})")
    p = backend.asarray(np.full(20000, 0.3))
    draws = backend.to_numpy(bernoulli(p, backend.random(np.random.default_rng(6))))
    if not (set(np.unique(draws)) <= {0.0, 1.0} and abs(draws.mean() - 0.3) < 0.02):
        fail(f"{where}: Bernoulli(0.3) draws average {draws.mean():.3f}")
