"""Deprecated: the temperature estimate moved to :mod:`qbm.sampling.temperature`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__ = moved_module("qbm.temperature", "qbm.sampling.temperature", "0.3")
__moved_to__ = "qbm.sampling.temperature"
