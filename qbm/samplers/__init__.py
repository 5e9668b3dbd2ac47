"""Samplers: each is a :class:`dimod.Sampler`, usable anywhere Ocean samplers are."""
import dimod

from .exact import ExactSampler
from .gibbs import GibbsSampler, beta_schedule
from .._deprecation import moved_names
from .qpu import QPUConfigurationError, QPUSampler, load_embedding, native_embedding, save_embedding

__all__ = [
    "SAMPLER_NAMES",
    "make_sampler",
    "ExactSampler",
    "GibbsSampler",
    "QPUConfigurationError",
    "QPUSampler",
    "beta_schedule",
    "load_embedding",
    "native_embedding",
    "save_embedding",
]

__getattr__ = moved_names(__name__, {"effective_beta": "qbm.sampling"}, "0.3")


def _neal() -> dimod.Sampler:
    import neal

    return neal.SimulatedAnnealingSampler()


_SAMPLERS = {"gibbs": GibbsSampler, "exact": ExactSampler, "neal": _neal}

SAMPLER_NAMES = tuple(_SAMPLERS)
"""The names :func:`make_sampler` knows: the one registry of samplers."""


def make_sampler(name: str) -> dimod.Sampler:
    """A Boltzmann sampler by the name the ``qbm`` command and :func:`qbm.phases.make_phase` use.

    ``gibbs``: :class:`GibbsSampler`; ``exact``: :class:`ExactSampler`; ``neal``:
    ``neal.SimulatedAnnealingSampler`` (give it a schedule that ends at the model's β,
    as :func:`qbm.sampling.boltzmann_samples` does).

    Parameters
    ----------
    name : str
        One of ``SAMPLER_NAMES``.

    Returns
    -------
    dimod.Sampler

    Examples
    --------
    >>> type(make_sampler("gibbs")).__name__
    'GibbsSampler'
    """
    if name not in _SAMPLERS:
        raise ValueError(f"unknown sampler {name!r}; choose one of {', '.join(SAMPLER_NAMES)}")
    return _SAMPLERS[name]()
