"""Samplers: each is a :class:`dimod.Sampler`, usable anywhere Ocean samplers are."""
from ..exact import ExactSampler

__all__ = ["ExactSampler"]
