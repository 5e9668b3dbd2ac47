"""The kinds of model the command trains, samples and evaluates: the one place it tells them apart.

A registry entry's ``model`` (``"classical"`` or ``"quantum"``, :mod:`qbm.phases.registry`) and a
loaded file's type both lead here; every ``qbm`` command asks its :class:`ModelKind` instead of
branching on types.

>>> kind_of_model(RBM(2, 1)).name, KINDS["quantum"].name
('classical', 'quantum')
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import metrics, quantum
from ..exact import enumerated_units
from ..generation import generate
from ..models import RBM
from ..phases import phase_names
from ..quantum import QuantumBoltzmannMachine
from ..models.kinds import is_classical, is_quantum, is_rbm

__all__ = ["ModelKind", "KINDS", "kind_of_model"]

PER_EPOCH_ENUMERATION = 20   # exact log-likelihood every epoch while the smaller layer is this small
DISTINCT_ROWS_FOR_KL = 256   # KL(data ‖ model) for a data set that is a small distribution (log-likelihood past it)


@dataclass(frozen=True)
class ModelKind:
    """What the command does with one kind of model."""

    name: str
    build: Callable[[int, int, float | None, int], object]   # (n_visible, hidden, transverse_field, seed) -> model
    describe: Callable[[object], str]
    per_epoch_measures: Callable[[object, np.ndarray], dict]
    likelihood: Callable[[object, np.ndarray, int], dict]      # (model, data, seed) -> the run's summary measures
    evaluation: Callable[[object, np.ndarray, int], dict]      # (model, data, seed) -> every measure of qbm evaluate
    sample: Callable[..., np.ndarray]           # (model, clamp, num_reads, sampler, num_sweeps, seed, start)
    draws_chains: bool                          # sample runs the sampler's chains, which start rows can begin


def _classical_measures(model, data: np.ndarray) -> dict:
    """The cheapest honest learning curve: exact KL or log-likelihood when enumeration is cheap."""
    small_side = enumerated_units(model)
    if small_side <= PER_EPOCH_ENUMERATION and len(np.unique(data, axis=0)) <= DISTINCT_ROWS_FOR_KL:
        return {"kl": lambda m: metrics.kl_divergence(m, data)}
    if small_side <= PER_EPOCH_ENUMERATION:
        return {"log_likelihood": lambda m: metrics.log_likelihood(m, data)}
    return {"reconstruction_error": lambda m: metrics.reconstruction_error(m, data)}


def _classical_evaluation(model, data: np.ndarray, seed: int) -> dict:
    report = metrics.likelihood_report(model, data, random_state=seed)
    if "log_likelihood" in report:  # the model is enumerable: KL is exact too
        report["kl_data_to_model"] = metrics.kl_divergence(model, data)
    if is_rbm(model) or model.n_hidden == 0:
        report["pseudo_log_likelihood"] = metrics.pseudo_log_likelihood(model, data)
    if is_rbm(model):
        report["reconstruction_error"] = metrics.reconstruction_error(model, data)
    return report


def _build_quantum(n_visible: int, hidden: int, transverse_field: float | None, seed: int) -> QuantumBoltzmannMachine:
    if transverse_field is None:
        raise ValueError("a quantum phase trains a quantum Boltzmann machine: give --transverse-field")
    model = QuantumBoltzmannMachine.semi_restricted(n_visible, hidden, transverse_field=transverse_field,
                                                   random_state=seed)
    if model.n_units > quantum.MAX_QUANTUM_UNITS:
        raise ValueError(f"a quantum Boltzmann machine is evaluated exactly, so it has at most "
                         f"{quantum.MAX_QUANTUM_UNITS} units; {n_visible} visible + --hidden {hidden} is "
                         f"{model.n_units} (for example: qbm train --data bars-and-stripes --size 3 --hidden 1 "
                         f"--transverse-field {transverse_field:g} --phase quantum-bound)")
    return model


def _build_classical(n_visible: int, hidden: int, transverse_field: float | None, seed: int) -> RBM:
    if transverse_field is not None:
        names = ", ".join(phase_names("quantum"))
        raise ValueError(f"with --transverse-field, --phase is one of {names} (a quantum Boltzmann machine)")
    if hidden < 1:
        raise ValueError(f"--hidden is {hidden}; an RBM needs at least one hidden unit")
    return RBM(n_visible, hidden, random_state=seed)


def _classical_description(model) -> str:
    if is_rbm(model):
        return f"RBM {model.n_visible}×{model.n_hidden}"
    return f"BM {model.n_visible}+{model.n_hidden} units"


def _sample_quantum(model, clamp, num_reads, sampler, num_sweeps, seed, start) -> np.ndarray:
    if start is not None:
        raise ValueError("--start: a quantum Boltzmann machine is drawn exactly from its visible marginal, with no "
                         "chains to start")
    return quantum.generate(model, clamp=clamp, num_reads=num_reads, random_state=seed)


KINDS = {
    "classical": ModelKind(
        "classical", _build_classical, _classical_description, _classical_measures,
        lambda model, data, seed: metrics.likelihood_report(model, data, random_state=seed), _classical_evaluation,
        lambda model, clamp, num_reads, sampler, num_sweeps, seed, start: generate(
            model, clamp=clamp, num_reads=num_reads, start=start, sampler=sampler, num_sweeps=num_sweeps,
            random_state=seed), draws_chains=True),
    "quantum": ModelKind(
        "quantum", _build_quantum,
        lambda model: f"quantum BM {model.n_visible}+{model.n_hidden} units, Γ = {model.transverse_field.max():g}",
        lambda model, data: {"kl": lambda m: quantum.kl_divergence(m, data)},
        lambda model, data, seed: {"log_likelihood": quantum.log_likelihood(model, data)},
        lambda model, data, seed: {"log_likelihood": quantum.log_likelihood(model, data),
                                   "kl_data_to_model": quantum.kl_divergence(model, data)},
        _sample_quantum, draws_chains=False),
}


def kind_of_model(model) -> ModelKind:
    """The kind of a model the command was given (a loaded file, a trained model)."""
    if is_quantum(model):
        return KINDS["quantum"]
    if is_classical(model):
        return KINDS["classical"]
    raise TypeError(f"not a qbm model: {type(model).__name__}")
