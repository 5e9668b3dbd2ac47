"""Sphinx configuration: the API reference from the docstrings, the README as the narrative page."""
project = "qbm"
author = "qbm developers"
extensions = ["sphinx.ext.autodoc", "numpydoc", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "alabaster"

autodoc_default_options = {"members": True,  # scikit-learn's metadata-routing methods are its own business
                           "exclude-members": "set_fit_request, set_partial_fit_request, set_predict_request, "
                                              "set_score_request, set_transform_request, set_output"}
autodoc_typehints = "none"  # the numpydoc sections say the types
numpydoc_show_class_members = False
# every public object has a docstring with its Parameters, Returns and Examples sections;
# left out: dimod's composite protocol (children, parameters, properties), the checkpoint
# protocol, overrides of a protocol method documented on its base class (Phase, Optimizer, the model), plain
# exceptions and constants
numpydoc_validation_checks = {"GL08", "PR01", "RT01", "EX01"}
numpydoc_validation_exclude = {
    r"\.(children|parameters|properties|state_dict|load_state_dict|state_arrays|step_info)$",
    r"\.(CD|PCD|ExactPhase|SamplerPhase|LabelPhase|ParallelTempering)\.(statistics|data_statistics|gradient)$",
    r"\.(SGD|Adam)\.direction$",
    r"\.QuantumBoltzmannMachine\.(energy|to_bqm|to_ising|to_qubo)$",   # refusals of the base's documented forms
    r"(Error|Warning)$",
    r"\.(MAX_ENUMERATED_UNITS|MAX_QUANTUM_UNITS|Model|BOLTZMANN_BETA_RANGE|SAMPLER_NAMES|PHASE_NAMES"
    r"|QUANTUM_PHASE_NAMES|CHECKPOINT_VERSION|beta)$",
    r"\.RBMParameters\.(weights|visible_bias|hidden_bias)$",
    r"\.History\.(to_json|to_csv|wall_time)$",
}
myst_heading_anchors = 3
# the README is written for GitHub: its links to repository files and its heading depths stay as they are
suppress_warnings = ["myst.xref_missing", "myst.header"]

# Every reference to qbm's own names must resolve; names from the libraries qbm builds
# on (no network here for intersphinx) and plain-language types are let through.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|scipy|dimod|dwave|neal|sklearn|networkx|minorminer|matplotlib|typing|collections)(\..*)?"),
    (r"py:class", r"(array-like|array_like|ndarray|callable|optional|default.*|int|float|bool|str|dict|list|tuple"
                  r"|mapping|sequence|iterable|None|path-like|os\.PathLike|Path|RandomState instance|Generator"
                  r"|object|function|any|{.*}|\".*\"|'.*'|of|shape|or|and|\(.*\)|.*\bof\b.*)"),
]
