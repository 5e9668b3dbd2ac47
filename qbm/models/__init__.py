"""Boltzmann machine models: parameters, energies, conditionals and conversions.

Units are bits ``s_i ∈ {0, 1}``, visible units first, and

    E(s) = -( Σ_i b_i s_i + Σ_{i<j} w_ij s_i s_j ),     p(s) ∝ exp(-β E(s)).

- :mod:`~qbm.models.base` — what every model shares (:class:`~qbm.models.base.EnergyModel`);
- :mod:`~qbm.models.rbm` — :class:`RBM`, a dense weight matrix between the two layers;
- :mod:`~qbm.models.graph` — :class:`BoltzmannMachine`, one weight per edge of any graph, so it
  scales to sparse graphs of thousands of units;
- :mod:`~qbm.models.codec` — the one file format (:func:`load`, ``model.save``);
- :mod:`~qbm.models.kinds` — the kinds of model, told apart in one place;
- :mod:`~qbm.models.checks` — which model was given, and rows for it.

No sampling policy lives here: models know their energy and their exact conditionals,
samplers and phases do the rest.

>>> rbm = RBM(3, 2, random_state=0)
>>> bqm = rbm.to_bqm()
>>> bqm.num_variables, bqm.num_interactions
(5, 6)
"""
from .base import EnergyModel
from .checks import Model, check_model, check_visible_rows, refuse_quantum
from .codec import load, model_arrays, model_from_arrays, register_model_type, registered_model_types
from .graph import BoltzmannMachine, GraphModel
from .kinds import MODEL_KINDS, is_classical, is_graph_bm, is_quantum, is_rbm, model_kind
from .rbm import RBM

__all__ = ["RBM", "BoltzmannMachine", "GraphModel", "EnergyModel", "Model", "check_model", "check_visible_rows",
           "load", "model_arrays", "model_from_arrays", "refuse_quantum", "register_model_type", "registered_model_types", "MODEL_KINDS", "model_kind", "is_rbm",
           "is_graph_bm", "is_quantum", "is_classical"]
