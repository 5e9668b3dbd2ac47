"""Deprecated: the divergence guard moved to :mod:`qbm.phases.divergence`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__ = moved_module("qbm.divergence", "qbm.phases.divergence", "0.3")
__moved_to__ = "qbm.phases.divergence"
