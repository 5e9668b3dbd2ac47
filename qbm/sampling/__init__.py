"""Between models and samplers: the dimod boundary, the RBM chain kernels and the temperature estimate.

- :mod:`~qbm.sampling.boundary` — a dimod answer as states, label mapping, answer checks, Boltzmann schedules;
- :mod:`~qbm.sampling.chains` — the one block-Gibbs step every RBM path shares;
- :mod:`~qbm.sampling.temperature` — the effective β of a sample set.

>>> import qbm
>>> round(effective_beta(qbm.RBM(3, 2, random_state=0).to_bqm(), qbm.ExactSampler().sample(
...     qbm.RBM(3, 2, random_state=0).to_bqm(), num_reads=1000, seed=0)), 0) > 0
True
"""
from .boundary import BOLTZMANN_BETA_RANGE, boltzmann_samples, checked_answer, states_from_sampleset, unit_columns
from .chains import RBMParameters, gibbs_sweep, hidden_probabilities, rbm_gradient, rbm_statistics, run_chains, visible_draw
from .temperature import beta_information, effective_beta, effective_betas, local_excitations

__all__ = ["BOLTZMANN_BETA_RANGE", "boltzmann_samples", "checked_answer", "states_from_sampleset", "unit_columns",
           "RBMParameters", "gibbs_sweep", "hidden_probabilities", "rbm_gradient", "rbm_statistics", "run_chains",
           "visible_draw", "beta_information", "effective_beta", "effective_betas", "local_excitations"]
