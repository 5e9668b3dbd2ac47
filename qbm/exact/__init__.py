"""Exact inference: enumeration in bounded memory, variable elimination on sparse graphs, and the planner
that chooses between them.

- :mod:`~qbm.exact.inference` — log Z, distributions, likelihoods, expectations (the public functions);
- :mod:`~qbm.exact.enumeration` — blocks of states of a QUBO;
- :mod:`~qbm.exact.layer_sums` — an RBM's smaller layer enumerated, the other summed out, on any backend;
- :mod:`~qbm.exact.elimination` — variable elimination for low treewidth;
- :mod:`~qbm.exact.planner` — which of them a model takes;
- :mod:`~qbm.exact.draws` — exact samples, the engine of :class:`~qbm.samplers.ExactSampler`;
- :mod:`~qbm.exact.empirical` — a data set as a distribution over visible states.

State ``k`` has unit 0 as its most significant bit, which is also the tensor-product order of a
Hamiltonian's diagonal.

>>> from qbm.quantum import probabilities
>>> import numpy as np
>>> states, energies, probabilities = distribution([[-1.0, 2.0], [0.0, -1.0]])
>>> energies, probabilities.round(2), round(float(np.exp(log_partition([[-1.0, 2.0], [0.0, -1.0]]))), 2)
(array([ 0., -1., -1.,  0.]), array([0.13, 0.37, 0.37, 0.13]), 7.44)
"""
from .draws import exact_draws
from .empirical import empirical_distribution
from .inference import (clamped_expectations, distribution, expectations, hamiltonian_diagonal, log_likelihood,
                        log_partition, log_probabilities)
from .planner import MAX_ENUMERATED_UNITS, enumerated_units, exactly_computable

__all__ = ["log_partition", "distribution", "log_likelihood", "log_probabilities", "hamiltonian_diagonal",
           "expectations", "clamped_expectations", "exact_draws", "MAX_ENUMERATED_UNITS", "enumerated_units",
           "exactly_computable", "empirical_distribution"]
