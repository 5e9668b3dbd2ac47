"""The dimod boundary: a sampler's answer as unit states, and a sampler call set up to draw Boltzmann samples.

Everything that crosses from a :class:`dimod.SampleSet` back into arrays goes through here:
columns matched by label (:func:`unit_columns`), SPIN answers turned into bits, importance
weights folded into the occurrence counts (:func:`states_from_sampleset`), and every answer
checked before it is trusted (:func:`boltzmann_samples`).

>>> import dimod
>>> answer = dimod.SampleSet.from_samples(([[0, 1], [1, 1]], [1, 0]), "BINARY", energy=[0.0, 0.0])
>>> states_from_sampleset(answer, 2)[0].tolist()
[[1.0, 0.0], [1.0, 1.0]]
"""
from __future__ import annotations

from typing import Any

import dimod
import numpy as np

from ..typing import RandomLike
from .._memory import check_allocation
from .._validation import check_binary, check_count
from .._sampler_args import with_seed
from ..models.kinds import is_quantum, model_kind

__all__ = ["BOLTZMANN_BETA_RANGE", "states_from_sampleset", "boltzmann_samples", "checked_answer", "unit_columns",
           "check_bqm"]

BOLTZMANN_BETA_RANGE = (0.05, 1.0)
"""The annealing schedule for samplers that take ``beta_range`` (e.g. neal): it ends at the BQM's own
temperature, so the final states are Boltzmann samples (such a sampler's default anneals to near-ground states)."""


def states_from_sampleset(sampleset: dimod.SampleSet, n_units: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a SampleSet as bits in unit order ``0..n_units-1``, with their occurrence counts.

    Columns are matched by *label*, so a sampler may return variables in any order;
    labels other than units are ignored here (:class:`~qbm.phases.SamplerPhase` itself insists on
    exactly the BQM's variables); a missing unit is an error.  A ``log_weight`` field
    (annealed importance sampling, e.g. ``GibbsSampler(importance_weights=True)``)
    multiplies the weights by ``exp(log_weight)``.

    Parameters
    ----------
    sampleset : dimod.SampleSet
        The answer of a sampler.
    n_units : int
        The model's number of units.

    Returns
    -------
    states : ndarray of shape (n_samples, n_units)
    weights : ndarray of shape (n_samples,)

    Examples
    --------
    >>> import dimod
    >>> ss = dimod.SampleSet.from_samples(([[1, -1]], [1, 0]), "SPIN", energy=[0.0])
    >>> states_from_sampleset(ss, 2)
    (array([[0., 1.]]), array([1.]))
    """
    _check_sampleset(sampleset)
    columns = unit_columns(list(sampleset.variables), check_count(n_units, "n_units"))
    record = sampleset.record
    samples = np.asarray(record.sample)[:, columns]
    if sampleset.vartype is dimod.SPIN:
        check_binary((samples + 1) / 2, "sampleset values (SPIN)")
        samples = (samples + 1) // 2
    else:
        check_binary(samples, "sampleset values (BINARY)")
    weights = np.asarray(record.num_occurrences, dtype=np.float64)
    if "log_weight" in record.dtype.names:
        log_weight = np.asarray(record.log_weight, dtype=np.float64)
        if not np.all(np.isfinite(log_weight)):
            raise ValueError("the sampleset's log_weight field must be finite")
        weights = weights * np.exp(log_weight - log_weight.max())
    return samples.astype(np.float64), weights


def boltzmann_samples(sampler: dimod.Sampler, bqm: dimod.BinaryQuadraticModel, num_reads: int,
                      random_state: RandomLike = None, **sample_kwargs: Any) -> dimod.SampleSet:
    """``sampler.sample(bqm, ...)`` set up to draw ``exp(-E_bqm)``, its answer checked.

    ``num_reads`` and a ``seed`` drawn from ``random_state`` are passed where the sampler
    accepts them; a sampler that takes ``beta_range`` but no ``beta`` gets
    ``beta_range=(0.05, 1.0)`` unless ``sample_kwargs`` hold a schedule.  The answer
    must be a non-empty SampleSet over exactly ``bqm``'s variables with finite energies.

    Parameters
    ----------
    sampler : dimod.Sampler
        Any sampler.
    bqm : dimod.BinaryQuadraticModel
        The problem; its own temperature is the target.
    num_reads : int
        Samples to ask for.
    random_state : int, numpy.random.Generator or None
        Seeds the sampler's ``seed``.
    **sample_kwargs
        Passed to ``sampler.sample``.

    Returns
    -------
    dimod.SampleSet

    Examples
    --------
    >>> import neal, qbm
    >>> bqm = qbm.RBM(3, 2, random_state=0).to_bqm()
    >>> len(boltzmann_samples(neal.SimulatedAnnealingSampler(), bqm, 5, random_state=0, num_sweeps=20))
    5
    """
    check_allocation(16.0 * num_reads * max(bqm.num_variables, 1), f"num_reads {num_reads} of {bqm.num_variables} "
                     "variables")
    accepted = sampler.parameters
    kwargs = with_seed(sampler, sample_kwargs, random_state)
    if "num_reads" in accepted:
        kwargs.setdefault("num_reads", num_reads)
    gives_schedule = {"beta", "beta_range", "beta_schedule"} & set(kwargs)
    if "beta_range" in accepted and "beta" not in accepted and not gives_schedule:
        kwargs["beta_range"] = BOLTZMANN_BETA_RANGE
    return checked_answer(sampler.sample(bqm, **kwargs), bqm)


def _check_sampleset(sampleset) -> None:
    if not isinstance(sampleset, dimod.SampleSet):
        raise TypeError(f"the sampler must return a dimod.SampleSet, got {type(sampleset).__name__}")
    if len(sampleset) == 0:
        raise ValueError("the sampler returned no samples")


def checked_answer(sampleset, bqm: dimod.BinaryQuadraticModel) -> dimod.SampleSet:
    """A sampler's answer for ``bqm``, checked where it enters: a clear error naming what is wrong otherwise.

    It must be a non-empty SampleSet over exactly ``bqm``'s variables, with values of its own vartype,
    finite energies, positive integer occurrence counts and, if it has them, finite ``log_weight`` s.
    Every answer of a child — to :func:`boltzmann_samples`, to a composite — passes through here.

    Parameters
    ----------
    sampleset : object
        What the sampler returned.
    bqm : dimod.BinaryQuadraticModel
        What it was asked to sample.

    Returns
    -------
    dimod.SampleSet
        ``sampleset`` itself.

    Examples
    --------
    >>> bqm = dimod.BinaryQuadraticModel({0: 1.0}, {}, 0.0, "BINARY")
    >>> checked_answer(dimod.SampleSet.from_samples(([[1]], [0]), "BINARY", energy=[1.0]), bqm).record.sample.tolist()
    [[1]]
    """
    _check_sampleset(sampleset)
    returned, expected = set(sampleset.variables), set(bqm.variables)
    if returned != expected:
        missing, extra = sorted(expected - returned, key=str)[:10], sorted(returned - expected, key=str)[:10]
        raise ValueError(f"the sampler returned the wrong variables (missing {missing}, not in the model {extra})")
    record = sampleset.record
    if not np.all(np.isfinite(record.energy)):
        raise ValueError("the sampler returned non-finite energies (NaN or inf): its samples cannot be trusted")
    allowed = (0, 1) if sampleset.vartype is dimod.BINARY else (-1, 1)
    if not np.all(np.isin(record.sample, allowed)):
        raise ValueError(f"the sampler returned values other than {allowed} for a {sampleset.vartype.name} answer")
    occurrences = np.asarray(record.num_occurrences)
    if occurrences.dtype.kind not in "iu" or np.any(occurrences < 1):
        raise ValueError("the sampler returned occurrence counts that are not positive integers")
    if "log_weight" in record.dtype.names and not np.all(np.isfinite(record.log_weight)):
        raise ValueError("the sampler returned non-finite log_weight values (NaN or inf)")
    return sampleset


def unit_columns(labels: list, n_units: int) -> np.ndarray:
    """Column of each unit ``0..n_units-1`` among ``labels`` (other labels ignored; a missing unit is an error).

    Parameters
    ----------
    labels : list
        A SampleSet's variables, in column order.
    n_units : int
        The model's number of units.

    Returns
    -------
    ndarray of int64, shape (n_units,)

    Examples
    --------
    >>> unit_columns([2, "a", 0, 1], 3).tolist()
    [2, 3, 0]
    """
    array = np.asarray(labels)
    column = np.full(n_units, -1, dtype=np.int64)
    if array.dtype.kind in "iu":
        inside = (array >= 0) & (array < n_units)
        column[array[inside]] = np.flatnonzero(inside)
    else:  # mixed or non-integer labels: only the integer ones can be units
        for position, label in enumerate(labels):
            if isinstance(label, (int, np.integer)) and not isinstance(label, bool) and 0 <= label < n_units:
                column[label] = position
    missing = np.flatnonzero(column < 0)
    if len(missing):
        raise ValueError(f"the sampleset is missing unit(s) {missing[:10].tolist()}: every label "
                         f"0..{n_units - 1} must be present")
    return column


def check_bqm(bqm, name: str = "bqm") -> dimod.BinaryQuadraticModel:
    """``bqm`` if it is a :class:`dimod.BinaryQuadraticModel`; a ``TypeError`` saying what to pass otherwise.

    Parameters
    ----------
    bqm : object
        What a sampler was given.
    name : str
        The argument's name.

    Returns
    -------
    dimod.BinaryQuadraticModel

    Examples
    --------
    >>> import qbm
    >>> check_bqm(qbm.RBM(2, 1))
    Traceback (most recent call last):
    ...
    TypeError: bqm must be a dimod.BinaryQuadraticModel, got RBM: pass model.to_bqm()
    """
    if isinstance(bqm, dimod.BinaryQuadraticModel):
        return bqm
    if is_quantum(bqm):
        raise TypeError(f"{name} must be a dimod.BinaryQuadraticModel, got a {type(bqm).__name__}, which has no "
                        "classical BQM: sample it with qbm.quantum.generate, or its Trotter BQM "
                        "(qbm.quantum.trotter_bqm)")
    hint = ": pass model.to_bqm()" if model_kind(bqm) else ""
    raise TypeError(f"{name} must be a dimod.BinaryQuadraticModel, got {type(bqm).__name__}{hint}")
