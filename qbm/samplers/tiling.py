"""Deprecated: packing copies of a model on a chip moved to :mod:`qbm.samplers.qpu.packing`; this path
re-exports it until qbm 0.3."""
from .._deprecation import moved_module

__getattr__ = moved_module("qbm.samplers.tiling", "qbm.samplers.qpu.packing", "0.3")
__moved_to__ = "qbm.samplers.qpu.packing"
