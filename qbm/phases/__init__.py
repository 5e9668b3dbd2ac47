"""Where a Boltzmann machine's statistics come from: the phase contract, the phases, and their registry.

- :mod:`~qbm.phases.base` — the contract every caller uses (:class:`Phase`, :func:`gradient`);
- :mod:`~qbm.phases.contrastive` — :class:`CD` and :class:`PCD`, the RBM fast paths;
- :mod:`~qbm.phases.exact` — :class:`ExactPhase`, enumeration;
- :mod:`~qbm.phases.sampler` — :class:`SamplerPhase`, any dimod sampler;
- :mod:`~qbm.phases.tempering` — :class:`ParallelTempering`;
- :mod:`~qbm.phases.labels` — :class:`LabelPhase`, label units;
- :mod:`~qbm.phases.qpu` — :func:`qpu_phase`, the QPU recipe;
- :mod:`~qbm.phases.registry` — :func:`make_phase` and ``PHASE_NAMES``.

>>> import qbm
>>> rbm = qbm.RBM(6, 3, random_state=0)
>>> grad = gradient(SamplerPhase(qbm.ExactSampler(), num_reads=500), rbm, [[1, 0, 1, 0, 1, 0]], random_state=0)
>>> sorted(grad), grad["weights"].shape
(['hidden_bias', 'visible_bias', 'weights'], (6, 3))
"""
from .._deprecation import moved_names
from .base import Phase, gradient
from .contrastive import CD, PCD
from .exact import ExactPhase
from .labels import LabelPhase
from .qpu import qpu_phase
from .registry import PHASE_NAMES, make_phase, phase_entry, phase_names, register_phase
from .sampler import SamplerPhase
from .tempering import ParallelTempering

__all__ = ["Phase", "gradient", "CD", "PCD", "ExactPhase", "SamplerPhase", "ParallelTempering", "LabelPhase",
           "qpu_phase", "PHASE_NAMES", "make_phase", "phase_entry", "phase_names", "register_phase"]

__getattr__ = moved_names(__name__, dict.fromkeys(("states_from_sampleset", "boltzmann_samples"), "qbm.sampling"), "0.3")
