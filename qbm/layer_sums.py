"""Deprecated: the exact RBM layer sums moved to :mod:`qbm.exact.layer_sums`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__ = moved_module("qbm.layer_sums", "qbm.exact.layer_sums", "0.3")
__moved_to__ = "qbm.exact.layer_sums"
