"""Deprecated: the exact RBM layer sums moved to :mod:`qbm.exact.layer_sums`; this path re-exports it until qbm 0.3."""
from ._deprecation import moved_module

__getattr__, __dir__ = moved_module("qbm.layer_sums", "qbm.exact.layer_sums", "0.3")
