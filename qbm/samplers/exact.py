"""Exact Boltzmann samples as a :class:`dimod.Sampler`, drawn by bounded-memory enumeration."""
from __future__ import annotations

import dimod

from ..convert import qubo_matrix
from ..exact import exact_draws
from ..typing import RandomLike
from .._memory import check_allocation
from .._validation import check_beta, check_count
from .._random import check_random_state

__all__ = ["ExactSampler"]


class ExactSampler(dimod.Sampler):
    """Independent samples from the exact Boltzmann distribution ``∝ exp(-β E_bqm)``.

    Enumerates the states in bounded memory (two passes: block masses, then states
    within the chosen blocks), so it works up to ~30 variables per connected part; each
    read is an independent draw, unlike :class:`dimod.ExactSolver`, which lists every
    state.

    Examples
    --------
    >>> import dimod
    >>> bqm = dimod.BinaryQuadraticModel({0: -1.0, 1: -1.0}, {(0, 1): 2.0}, 0.0, "BINARY")
    >>> ExactSampler().sample(bqm, num_reads=5, seed=0).record.sample.shape
    (5, 2)
    """

    parameters = None  # per instance, as dimod's reference samplers
    properties = None

    def __init__(self) -> None:
        self.parameters = {"num_reads": [], "beta": [], "seed": []}
        self.properties = {}

    def sample(self, bqm: dimod.BinaryQuadraticModel, num_reads: int = 10, beta: float = 1.0,
               seed: RandomLike = None, **kwargs) -> dimod.SampleSet:
        """Draw ``num_reads`` states of ``bqm`` at inverse temperature ``beta``.

        Disconnected parts of ``bqm`` are independent and are enumerated separately,
        so a union of many small problems costs the sum, not the product, of their sizes.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The problem; samples are drawn from ``exp(-beta E_bqm)``.
        num_reads : int
            Independent draws.
        beta : float
            Inverse temperature.
        seed : int, numpy.random.Generator or None
            The random stream.
        **kwargs
            Unknown names are warned about and ignored.

        Returns
        -------
        dimod.SampleSet

        Examples
        --------
        >>> import dimod
        >>> bqm = dimod.BinaryQuadraticModel({"a": -10.0}, {}, 0.0, "SPIN")   # "a" = +1 is e^20 times likelier
        >>> ExactSampler().sample(bqm, num_reads=3, seed=0).record.sample.ravel().tolist()
        [1, 1, 1]
        """
        self.remove_unknown_kwargs(**kwargs)  # warns about each, as dimod's reference samplers do
        num_reads = check_count(num_reads, "num_reads")
        beta = check_beta(beta)
        rng = check_random_state(seed, "seed")
        Q, _, labels = qubo_matrix(bqm)
        check_allocation(3.0 * num_reads * max(1, len(labels)), f"num_reads {num_reads} of {len(labels)} variables")
        states = exact_draws(Q, beta, num_reads, rng)
        if bqm.vartype is dimod.SPIN:
            states = 2 * states - 1
        return dimod.SampleSet.from_samples_bqm((states, labels), bqm, info={"beta": beta})
