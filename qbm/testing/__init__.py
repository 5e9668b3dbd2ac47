"""Conformance kits: what the project checks its own phases, samplers, backends and models with, public so that
a new one is checked the same way (in the spirit of :mod:`dimod.testing` and scikit-learn's ``check_estimator``).

- :func:`check_phase` — the phase contract of :mod:`qbm.phases.base` on small models of each kind;
- :func:`check_sampler` — dimod's sampler contract, and optionally the exact Boltzmann distribution at β = 1;
- :func:`check_backend` — an array backend computes NumPy's mathematics, reproducibly;
- :func:`check_model` — a model's file codec and every energy form agree;
- :func:`small_models` — the models the kits run on.

Each raises an ``AssertionError`` naming the object and the rule it broke.  The project's own suite runs every
kit over everything the registries hold (``qbm.phases.PHASE_NAMES``, ``qbm.samplers.SAMPLER_NAMES``,
``qbm.backend.BACKEND_NAMES`` and the model kinds), so a new registration is checked without a new test.

>>> import qbm
>>> from qbm.testing import check_phase, check_sampler
>>> check_phase(qbm.make_phase("exact-gradient"))
>>> check_sampler(qbm.GibbsSampler())
"""
from ._backends import check_backend
from ._models import check_model, small_batch, small_models
from ._phases import check_phase
from ._samplers import check_sampler

__all__ = ["check_phase", "check_sampler", "check_backend", "check_model", "small_models", "small_batch"]
