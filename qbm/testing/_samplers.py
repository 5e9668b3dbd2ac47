"""The sampler kit: dimod's sampler contract, and with ``boltzmann=True`` the distribution itself."""
from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping

import dimod
import numpy as np
from scipy.stats import power_divergence

from ..sampling.boundary import boltzmann_samples
from ._report import fail

__all__ = ["check_sampler"]

_READS = 10
_BOLTZMANN_READS = 5000
_SIGNIFICANCE = 1e-6   # a right sampler fails the distribution test on one seed in a million


def check_sampler(sampler: dimod.Sampler, *, boltzmann: bool = False, strict_keywords: bool = True,
                  **sample_kwargs) -> None:
    """Check ``sampler`` against dimod's sampler contract, and with ``boltzmann=True`` its distribution.

    On small BQMs of both vartypes (empty, one variable, a few variables with mixed labels and an offset):

    - ``sample`` returns a :class:`dimod.SampleSet` over exactly the BQM's variables, in its vartype, with
      values of that vartype and the BQM's energies;
    - where ``num_reads`` is a parameter, the reads counted by ``num_occurrences`` equal it;
    - where ``seed`` is a parameter, the same seed gives the same samples from the same state (a copy);
    - ``parameters`` and ``properties`` are mappings, and an unknown keyword argument is warned about
      (``dimod.exceptions.SamplerUnknownArgWarning``) or refused, never silently ignored
      (``strict_keywords=False`` skips this for a third-party sampler known to ignore them);
    - with ``boltzmann=True``, 5,000 samples of two 4-variable BQMs drawn as qbm draws Boltzmann samples
      (:func:`qbm.sampling.boltzmann_samples`: a schedule ending at β = 1 where the sampler takes one)
      follow ``exp(-E)`` exactly (a G-test at significance 1e-6): a sampler at another temperature fails.

    Parameters
    ----------
    sampler : dimod.Sampler
        The sampler.
    boltzmann : bool
        Also test the distribution against the exact Boltzmann one at β = 1.
    strict_keywords : bool
        Require unknown keyword arguments to be warned about or refused.
    **sample_kwargs
        Passed to every ``sample`` call (e.g. ``num_sweeps``).

    Raises
    ------
    AssertionError
        Naming the sampler, the BQM and the rule.

    Examples
    --------
    >>> import qbm
    >>> check_sampler(qbm.ExactSampler(), boltzmann=True)
    >>> from qbm.samplers.testing import HiddenTemperatureSampler
    >>> check_sampler(HiddenTemperatureSampler(beta=2.0), boltzmann=True, strict_keywords=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: HiddenTemperatureSampler: its samples of ... do not follow exp(-E) ...
    """
    name = type(sampler).__name__
    if not callable(getattr(sampler, "sample", None)):
        fail(f"{name} has no sample method")
    for attribute in ("parameters", "properties"):
        if not isinstance(getattr(sampler, attribute, None), Mapping):
            fail(f"{name}.{attribute} is not a mapping")
    for label, bqm in _small_bqms().items():
        _check_answer(sampler, name, label, bqm, sample_kwargs)
    if strict_keywords:
        _check_unknown_keyword(sampler, name, sample_kwargs)
    if boltzmann:
        for label, bqm in _boltzmann_bqms().items():
            _check_distribution(sampler, name, label, bqm, sample_kwargs)


def _small_bqms() -> dict[str, dimod.BinaryQuadraticModel]:
    bqms = {}
    for vartype in (dimod.BINARY, dimod.SPIN):
        bqms[f"an empty {vartype.name} BQM"] = dimod.BinaryQuadraticModel(vartype)
        bqms[f"a one-variable {vartype.name} BQM"] = dimod.BinaryQuadraticModel({"a": -0.5}, {}, 1.5, vartype)
        bqms[f"a {vartype.name} BQM with mixed labels"] = dimod.BinaryQuadraticModel(
            {0: 0.3, "b": -0.7, (1, 2): 0.1}, {(0, "b"): 0.8, ("b", (1, 2)): -0.4}, -2.0, vartype)
    return bqms


def _boltzmann_bqms() -> dict[str, dimod.BinaryQuadraticModel]:
    return {"a 4-variable BINARY BQM": dimod.BinaryQuadraticModel(
                {0: 0.5, 1: -1.0, 2: 0.8, 3: -0.3}, {(0, 1): -1.2, (1, 2): 1.5, (2, 3): -0.9, (0, 3): 0.7}, 0.0,
                dimod.BINARY),
            "a 4-variable SPIN BQM": dimod.BinaryQuadraticModel(
                {"a": 0.4, "b": -0.3, "c": 0.2, "d": 0.0}, {("a", "b"): -0.6, ("b", "c"): 0.5, ("c", "d"): -0.4},
                0.0, dimod.SPIN)}


def _sample(sampler, bqm, kwargs: dict, num_reads: int, seed: int | None = None) -> dimod.SampleSet:
    options = dict(kwargs)
    if "num_reads" in sampler.parameters:
        options.setdefault("num_reads", num_reads)
    if seed is not None and "seed" in sampler.parameters:
        options["seed"] = seed
    return sampler.sample(bqm, **options)


def _check_answer(sampler, name: str, label: str, bqm, kwargs: dict) -> None:
    where = f"{name} on {label}"
    twin = _twin(sampler)   # the same state (a stand-in for hardware carries its own stream)
    answer = _sample(sampler, bqm, kwargs, _READS, seed=1)
    if not isinstance(answer, dimod.SampleSet):
        fail(f"{where} returned a {type(answer).__name__}, not a dimod.SampleSet")
    if set(answer.variables) != set(bqm.variables):
        fail(f"{where}: the answer's variables {sorted(map(str, answer.variables))} are not the BQM's "
             f"{sorted(map(str, bqm.variables))}")
    if answer.vartype is not bqm.vartype:
        fail(f"{where}: the answer is {answer.vartype.name}, the BQM {bqm.vartype.name}")
    if answer.record.sample.size and not np.all(np.isin(answer.record.sample, list(bqm.vartype.value))):
        fail(f"{where}: sample values outside {sorted(bqm.vartype.value)}")
    if "num_reads" in sampler.parameters and int(answer.record.num_occurrences.sum()) != _READS:
        fail(f"{where}: num_occurrences count {int(answer.record.num_occurrences.sum())} reads for num_reads={_READS}")
    if len(answer):
        energies = bqm.energies((answer.record.sample, answer.variables))
        if not np.allclose(answer.record.energy, energies, rtol=1e-6, atol=1e-6):
            fail(f"{where}: the reported energies are not the BQM's energies of the samples")
    if "seed" in sampler.parameters:
        again = _sample(twin, bqm, kwargs, _READS, seed=1)
        if not (np.array_equal(_ordered(answer, bqm), _ordered(again, bqm))
                and np.array_equal(answer.record.num_occurrences, again.record.num_occurrences)):
            fail(f"{where}: the same seed gave different samples")


def _twin(sampler):
    """A copy of ``sampler`` in its present state, or the sampler itself where it cannot be copied."""
    try:
        return copy.deepcopy(sampler)
    except Exception:  # noqa: BLE001 - a client or a lock: the second call goes to the sampler itself
        return sampler


def _ordered(answer: dimod.SampleSet, bqm) -> np.ndarray:
    columns = [answer.variables.index(v) for v in bqm.variables]
    return answer.record.sample[:, columns]


def _check_unknown_keyword(sampler, name: str, kwargs: dict) -> None:
    bqm = dimod.BinaryQuadraticModel({0: 1.0}, {}, 0.0, dimod.BINARY)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _sample(sampler, bqm, {**kwargs, "not_a_parameter_of_any_sampler": 1}, _READS)
        except (TypeError, ValueError) as exc:
            if "not_a_parameter_of_any_sampler" not in str(exc):
                fail(f"{name} refused an unknown keyword without naming it: {exc}")
            return
    if not any("not_a_parameter_of_any_sampler" in str(warning.message)
               or issubclass(warning.category, dimod.exceptions.SamplerUnknownArgWarning) for warning in caught):
        fail(f"{name} silently ignored the unknown keyword argument not_a_parameter_of_any_sampler "
             "(warn, as dimod.Sampler.remove_unknown_kwargs does, or refuse it)")


def _check_distribution(sampler, name: str, label: str, bqm, kwargs: dict) -> None:
    answer = boltzmann_samples(sampler, bqm, _BOLTZMANN_READS, random_state=2, **kwargs)
    variables = list(bqm.variables)
    samples = _ordered(answer, bqm)
    bits = (samples > 0).astype(np.int64)
    index = bits @ (1 << np.arange(len(variables) - 1, -1, -1))
    observed = np.bincount(index, weights=answer.record.num_occurrences, minlength=2 ** len(variables))
    states = (np.arange(2 ** len(variables))[:, None] >> np.arange(len(variables) - 1, -1, -1)) & 1
    values = states if bqm.vartype is dimod.BINARY else 2 * states - 1
    energies = bqm.energies((values, variables))
    p = np.exp(-(energies - energies.min()))
    expected = observed.sum() * p / p.sum()
    p_value = power_divergence(observed, expected, lambda_="log-likelihood").pvalue
    if p_value < _SIGNIFICANCE:
        tv = 0.5 * np.abs(observed / observed.sum() - p / p.sum()).sum()
        fail(f"{name}: its samples of {label} do not follow exp(-E) at beta = 1 (G-test p = {p_value:.2g}, "
             f"total variation {tv:.3f} over {int(observed.sum())} samples)")
