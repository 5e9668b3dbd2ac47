"""Deprecated: the dimod boundary moved to :mod:`qbm.sampling.boundary`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__ = moved_module("qbm.boundary", "qbm.sampling.boundary", "0.3")
__moved_to__ = "qbm.sampling.boundary"
