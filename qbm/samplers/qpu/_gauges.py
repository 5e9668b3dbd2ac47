"""Spin-reversal gauges against the hardware's per-qubit biases: a call's reads split over random logical
gauges (each variable's chain flips as one), and the reads of several calls merged into one answer.

>>> import dimod
>>> bqm = dimod.BinaryQuadraticModel({"a": 1.0, "b": 0.0}, {}, 0.0, "BINARY")
>>> flipped({"a": 1, "b": 0}, bqm, np.array([True, False]))
{'a': 0, 'b': 0}
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dimod
import numpy as np

from ...sampling.temperature import effective_beta

__all__ = ["sample_gauges", "flipped", "merged", "EmbeddedCall"]


def sample_gauges(bqm: dimod.BinaryQuadraticModel, num_reads: int, transforms: int, child_options: dict,
                  rng: np.random.Generator, call: Callable, parameters: dict) -> dimod.SampleSet:
    """The reads split over ``transforms`` random logical gauges, each one ``call`` through Ocean's composite.

    Parameters
    ----------
    bqm : dimod.BinaryQuadraticModel
        The logical problem.
    num_reads : int
        Reads in all.
    transforms : int
        Gauges (at most ``num_reads``).
    child_options : dict
        Keyword arguments of each call (a logical ``initial_state`` is flipped with the gauge).
    rng : numpy.random.Generator
        Draws the gauges.
    call : callable ``(logical bqm, reads, options) -> SampleSet``
        One embedded child call.
    parameters : dict
        The parameters the composite sees (the QPU sampler's).

    Returns
    -------
    dimod.SampleSet
    """
    from dwave.preprocessing.composites import SpinReversalTransformComposite

    transforms = min(transforms, num_reads)
    gauges = rng.random((transforms, bqm.num_variables)) < 0.5
    composite = SpinReversalTransformComposite(EmbeddedCall(parameters, call))
    parts = []
    for gauge, reads in zip(gauges, np.diff(np.linspace(0, num_reads, transforms + 1).round().astype(int))):
        options = dict(child_options)
        if options.get("initial_state") is not None:  # the composite flips the problem, not the start
            options["initial_state"] = flipped(options["initial_state"], bqm, gauge)
        parts.append(composite.sample(bqm, srts=gauge[None, :], num_reads=int(reads), **options))
    sampleset = merged(bqm, parts)
    sampleset.info.update(spin_reversal_transforms=transforms)
    return sampleset


class EmbeddedCall(dimod.Sampler):
    """One embedded child call, as a logical sampler for Ocean's composites.

    Parameters
    ----------
    parameters : dict
        What the sampler reports as its parameters.
    call : callable ``(bqm, num_reads, options) -> SampleSet``
        The call.
    """

    properties = None

    def __init__(self, parameters: dict, call: Callable) -> None:
        self._parameters, self.call = parameters, call
        self.properties = {}

    @property
    def parameters(self) -> dict[str, list]:
        """The parameters given."""
        return self._parameters

    def sample(self, bqm: dimod.BinaryQuadraticModel, num_reads: int = 1, **child_options: Any) -> dimod.SampleSet:
        """One call of ``num_reads`` reads."""
        return self.call(bqm, num_reads, child_options)


def flipped(state, bqm: dimod.BinaryQuadraticModel, gauge: np.ndarray) -> dict:
    """A logical state with the variables a gauge flips flipped (in ``bqm``'s vartype)."""
    state = dict(state)
    for v in np.asarray(list(bqm.variables), dtype=object)[gauge]:
        state[v] = 1 - state[v] if bqm.vartype is dimod.BINARY else -state[v]
    return state


def merged(bqm: dimod.BinaryQuadraticModel, parts: list[dimod.SampleSet]) -> dimod.SampleSet:
    """The reads of several calls as one sample set: β_eff over all of them, chain breaks averaged by reads,
    QPU access time summed."""
    sampleset = dimod.concatenate(parts)
    reads = [float(np.sum(part.record.num_occurrences)) for part in parts]
    sampleset.info.update(parts[0].info)
    sampleset.info.update(
        beta_eff=effective_beta(bqm, sampleset),
        chain_break_fraction=float(np.average([part.info["chain_break_fraction"] for part in parts], weights=reads)),
        qpu_access_time=float(sum(part.info["qpu_access_time"] for part in parts)))
    return sampleset
