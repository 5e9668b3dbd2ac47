"""A D-Wave quantum annealer as a Boltzmann sampler, through Ocean.

:class:`QPUSampler` wraps any dimod *structured* sampler — ``DWaveSampler`` on Leap,
or ``dwave.system.testing.MockDWaveSampler`` offline — and adds what Boltzmann
sampling needs on top of Ocean's own pieces, one private module per concern:

- ``_embedding`` — the minor embedding (minorminer) found once per
  logical graph and reused;
- ``_scaling`` — the embedded problem (``dwave.embedding.embed_bqm``)
  scaled by a factor ``qbm`` chooses and knows, submitted with ``auto_scale=False``, and with
  ``calibrate=True`` adjusted every ``calibrate_every`` calls so the samples come out at the
  BQM's own β = 1 (the effective β of every call is measured by maximum pseudo-likelihood);
- ``_copies`` and :mod:`~qbm.samplers.qpu.packing` — several copies of
  a small model programmed side by side in one call;
- ``_gauges`` — spin-reversal gauges against per-qubit biases;
- ``_state`` — embedding files and checkpoint state;
- :mod:`~qbm.samplers.qpu.sampler` — :class:`QPUSampler`, the pipeline over them.

Samples are unembedded with an Ocean chain-break method, and the chain-break fraction is
reported (with a warning past a threshold).

>>> import qbm
>>> from dwave.system.testing import MockDWaveSampler
>>> qpu = QPUSampler(MockDWaveSampler(topology_type="pegasus", topology_shape=[3], parameter_warnings=False))
>>> sampleset = qpu.sample(qbm.RBM(4, 2, random_state=0).to_bqm(), num_reads=10, seed=0)
>>> sorted(sampleset.variables), qpu.embedding_searches
([0, 1, 2, 3, 4, 5], 1)
"""
from ..._deprecation import moved_names
from ._embedding import native_embedding
from .packing import pack_copies
from .sampler import QPUConfigurationError, QPUSampler
from ._state import load_embedding, save_embedding

__all__ = ["QPUSampler", "QPUConfigurationError", "native_embedding", "save_embedding", "load_embedding",
           "pack_copies"]

__getattr__ = moved_names(__name__, dict.fromkeys(("beta_information", "effective_beta", "effective_betas",
                                                  "local_excitations"), "qbm.sampling"), "0.3")
