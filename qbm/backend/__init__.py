"""Array backends: where the sampling and training hot paths compute.

Every object with a ``backend=`` keyword (:class:`~qbm.samplers.GibbsSampler`,
:class:`~qbm.phases.CD`, :class:`~qbm.phases.PCD`, :class:`~qbm.phases.ParallelTempering`,
:func:`~qbm.metrics.ais_log_partition`, the exact RBM layer sums) resolves it here.
``"numpy"`` (the default) is the package's own CPU code, unchanged; any other backend runs the
same algorithms through the `array API standard <https://data-apis.org/array-api/>`_
(``array-api-compat``), so PyTorch tensors and CuPy arrays work alike:

========================  ==========================================================
``"numpy"``               the CPU code paths (float64 parameters, tuned kernels)
``"torch"``               PyTorch on CUDA when a GPU is present, else on the CPU
``"torch:cuda"``, …       PyTorch on that device (``"torch:cuda:1"``, ``"torch:cpu"``)
``"cupy"``                CuPy on the current GPU
``"array_api_strict"``    the standard's reference library: a CPU check of portability
========================  ==========================================================

On a device the arrays are float32 (with PyTorch, ``precision="tf32"`` or ``"bfloat16"`` make
the matrix products cheaper; ``benchmarks/bench_gpu.py`` measures what that does to the statistics).
Random numbers are drawn on the device by the library's own generator, seeded from the
caller's ``numpy.random.Generator``: the same seed gives the same result on the same device
and library version, and the same distribution everywhere (not the same numbers as NumPy).

>>> backend = get_backend("numpy")
>>> backend.is_numpy, backend
(True, Backend('numpy'))
>>> strict = get_backend("array_api_strict")
>>> strict.to_numpy(strict.asarray([[1.0, 2.0]])).tolist()
[[1.0, 2.0]]
"""
from .arrays import like, namespace, reshape, sigmoid, softplus, take, to_host, total
from .core import BACKEND_NAMES, PRECISIONS, Backend, get_backend
from .random import DeviceRandom, bernoulli

__all__ = ["Backend", "BACKEND_NAMES", "PRECISIONS", "get_backend", "namespace", "to_host", "like", "total", "take",
           "reshape", "sigmoid", "softplus", "bernoulli", "DeviceRandom"]
