"""Quantum Boltzmann machines: a graph of units plus transverse fields, evaluated exactly.

A :class:`~qbm.quantum.model.QuantumBoltzmannMachine` is not a classical model: every classical function
refuses it with a ``TypeError`` naming the function here that answers for it (``qbm.log_likelihood`` →
:func:`~qbm.quantum.exact.log_likelihood`, ``qbm.generate`` → :func:`~qbm.quantum.sampling.generate`,
``ExactPhase`` → :class:`~qbm.quantum.phases.ExactQuantumPhase`…).
Its phases are registered in the one registry as ``quantum-exact``, ``quantum-bound``,
``quantum-trotter`` and ``quantum-path-integral`` (``qbm.phases.PHASE_NAMES``).

>>> from qbm.quantum import QuantumBoltzmannMachine, log_partition
>>> round(log_partition(QuantumBoltzmannMachine(2, transverse_field=0.0, weights=[0.0])), 4)  # log 4
1.3863
"""
from .exact import (MAX_QUANTUM_UNITS, expectations, hamiltonian, kl_divergence, log_likelihood, log_partition,
                    log_probabilities, probabilities)
from .sampling import generate
from .model import QuantumBoltzmannMachine
from .path_integral import PathIntegralPhase
from .phases import BoundPhase, ExactQuantumPhase, bound_log_likelihood
from .trotter import QUANTUM_PHASE_NAMES, TrotterPhase, make_quantum_phase, trotter_bqm

__all__ = ["QuantumBoltzmannMachine", "ExactQuantumPhase", "BoundPhase", "bound_log_likelihood", "TrotterPhase",
           "PathIntegralPhase", "trotter_bqm", "QUANTUM_PHASE_NAMES", "make_quantum_phase", "MAX_QUANTUM_UNITS", "hamiltonian",
           "log_partition", "probabilities", "log_likelihood", "log_probabilities", "kl_divergence", "expectations", "generate"]
