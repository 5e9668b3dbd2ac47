"""Samplers: each is a :class:`dimod.Sampler`, usable anywhere Ocean samplers are."""
from ..exact import ExactSampler
from .gibbs import GibbsSampler, beta_schedule

__all__ = ["ExactSampler", "GibbsSampler", "beta_schedule"]
