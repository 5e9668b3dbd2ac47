"""Deprecated: variable elimination moved to :mod:`qbm.exact.elimination`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__ = moved_module("qbm.elimination", "qbm.exact.elimination", "0.3")
__moved_to__ = "qbm.exact.elimination"
