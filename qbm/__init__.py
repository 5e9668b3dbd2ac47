"""qbm — Boltzmann machines trained with samples from annealers.

>>> import qbm
>>> rbm = qbm.RBM(6, 3, random_state=0)
>>> round(qbm.log_partition(rbm), 4) == round(qbm.log_partition(rbm.to_bqm()), 4)
True
"""
from . import datasets, metrics, quantum, testing
from .convert import (
    as_bqm,
    bits_to_spins,
    energies,
    ising_to_qubo,
    qubo_matrix,
    qubo_to_ising,
    spins_to_bits,
)
from .generation import generate
from .exact import distribution, hamiltonian_diagonal, log_likelihood, log_partition
from .models import RBM, BoltzmannMachine, load
from .phases import (CD, PCD, PHASE_NAMES, ExactPhase, ParallelTempering, Phase, SamplerPhase, gradient, make_phase,
                     qpu_phase)
from .samplers import ExactSampler, GibbsSampler, QPUSampler
from .sampling import states_from_sampleset
from .training import History, Trainer, train

__version__ = "0.1.0"

__all__ = [
    "RBM",
    "BoltzmannMachine",
    "CD",
    "ExactPhase",
    "ExactSampler",
    "GibbsSampler",
    "History",
    "PCD",
    "PHASE_NAMES",
    "ParallelTempering",
    "Phase",
    "QPUSampler",
    "SamplerPhase",
    "Trainer",
    "datasets",
    "as_bqm",
    "bits_to_spins",
    "distribution",
    "energies",
    "generate",
    "gradient",
    "hamiltonian_diagonal",
    "ising_to_qubo",
    "load",
    "make_phase",
    "metrics",
    "quantum",
    "testing",
    "log_likelihood",
    "log_partition",
    "qubo_matrix",
    "qpu_phase",
    "qubo_to_ising",
    "spins_to_bits",
    "states_from_sampleset",
    "train",
]
