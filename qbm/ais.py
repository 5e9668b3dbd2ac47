"""Deprecated: annealed importance sampling moved to :mod:`qbm.metrics.ais`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__ = moved_module("qbm.ais", "qbm.metrics.ais", "0.3")
__moved_to__ = "qbm.metrics.ais"
