"""Deprecated: centring moved to :mod:`qbm.training.centering`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__ = moved_module("qbm.centering", "qbm.training.centering", "0.3")
__moved_to__ = "qbm.training.centering"
