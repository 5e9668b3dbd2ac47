"""Samplers: each is a :class:`dimod.Sampler`, usable anywhere Ocean samplers are."""
from .exact import ExactSampler
from .gibbs import GibbsSampler, beta_schedule
from .qpu import (
    QPUConfigurationError,
    QPUSampler,
    effective_beta,
    load_embedding,
    native_embedding,
    save_embedding,
)

__all__ = [
    "ExactSampler",
    "GibbsSampler",
    "QPUConfigurationError",
    "QPUSampler",
    "beta_schedule",
    "effective_beta",
    "load_embedding",
    "native_embedding",
    "save_embedding",
]
