"""Deprecated: the RBM chain kernels moved to :mod:`qbm.sampling.chains`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__ = moved_module("qbm.chains", "qbm.sampling.chains", "0.3")
__moved_to__ = "qbm.sampling.chains"
