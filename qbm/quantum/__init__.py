"""Quantum Boltzmann machines: a Boltzmann machine plus transverse fields, evaluated exactly.

>>> from qbm.quantum import QuantumBoltzmannMachine, log_partition
>>> round(log_partition(QuantumBoltzmannMachine(2, transverse_field=0.0, weights=[0.0])), 4)  # log 4
1.3863
"""
from .exact import MAX_QUANTUM_UNITS, expectations, hamiltonian, log_likelihood, log_partition, probabilities
from .model import QuantumBoltzmannMachine
from .phases import BoundPhase, ExactQuantumPhase, bound_log_likelihood
from .trotter import TrotterPhase, trotter_bqm

__all__ = ["QuantumBoltzmannMachine", "ExactQuantumPhase", "BoundPhase", "bound_log_likelihood", "TrotterPhase", "trotter_bqm", "MAX_QUANTUM_UNITS", "hamiltonian", "log_partition", "probabilities",
           "log_likelihood", "expectations"]
