"""How good is a model: exact and AIS likelihoods, pseudo-likelihood, reconstruction, KL.

- :mod:`~qbm.metrics.likelihood` — log-likelihoods, exact or by AIS, and the two-sided report;
- :mod:`~qbm.metrics.ais` — annealed importance sampling from both sides (forward, reverse, RAISE);
- :mod:`~qbm.metrics.pseudo` — pseudo-log-likelihood and reconstruction error;
- :mod:`~qbm.metrics.kl` — exact KL from a data set to the model.

>>> import qbm
>>> data = qbm.datasets.bars_and_stripes(3)
>>> rbm = qbm.RBM(9, 4, random_state=0)
>>> round(kl_divergence(rbm, data), 3)  # near-uniform model: about log(512/14)
3.599
"""
from ..exact import empirical_distribution
from ..exact import log_likelihood as exact_log_likelihood
from .ais import (ais_log_likelihood, ais_log_partition, log_likelihood_bounds, raise_log_likelihood,
                  reverse_ais_log_partition)
from .kl import kl_divergence
from .likelihood import REPORT_RAISE_ROWS, likelihood_report, log_likelihood
from .pseudo import pseudo_log_likelihood, pseudo_log_likelihoods, reconstruction_error

__all__ = ["exact_log_likelihood", "ais_log_partition", "log_likelihood", "ais_log_likelihood", "log_likelihood_bounds",
           "reverse_ais_log_partition", "raise_log_likelihood", "likelihood_report", "pseudo_log_likelihood",
           "pseudo_log_likelihoods", "reconstruction_error", "kl_divergence", "empirical_distribution",
           "REPORT_RAISE_ROWS"]
