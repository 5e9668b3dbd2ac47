"""Sphinx configuration: guides, an executed gallery, the notebooks with their outputs, benchmark
tables rendered from their results files and an API page per object."""
import shutil
import socket
import sys
from pathlib import Path

import qbm

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
import api_pages  # noqa: E402

api_pages.write_pages(DOCS / "api")   # a page per module; autosummary writes one per object

project = "qbm"
author = "qbm developers"
release = version = qbm.__version__
extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "sphinx.ext.intersphinx", "numpydoc", "myst_nb",
              "sphinx_gallery.gen_gallery", "benchmark_tables", "api_pages", "phase_registry"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "examples/README.rst", "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.json", "auto_examples/*.md5", "**.codeobj.json"]
html_theme = "pydata_sphinx_theme"
html_title = f"qbm {release}"
html_theme_options = {"navigation_depth": 2, "show_toc_level": 2, "secondary_sidebar_items": ["page-toc"]}
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["wide-code.css"]

# The notebooks live in ../notebooks, committed with their outputs; the build renders them as stored.
# The quick start and the guides are MyST notebooks: their code cells run in every build, and a cell
# that fails fails the build.
shutil.copytree(DOCS.parent / "notebooks", DOCS / "notebooks", dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
nb_execution_mode = "force"
nb_execution_in_temp = True   # files a cell writes (rbm.npz, checkpoints) stay out of the source tree
nb_execution_excludepatterns = ["notebooks/*"]
nb_execution_raise_on_error = True
nb_execution_timeout = 600
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

# The gallery is executed by every build: its figures and printed numbers are the build's own.
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "reference_url": {"qbm": None},
}

autosummary_generate = True
autosummary_imported_members = False
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
    r"\.(CD|PCD|ExactPhase|SamplerPhase|LabelPhase|ParallelTempering)\.(statistics|data_statistics|gradient"
    r"|clamped_statistics)$",
    r"\.(SGD|Adam)\.direction$",
    r"\.QuantumBoltzmannMachine\.(energy|to_bqm|to_ising|to_qubo)$",   # refusals of the base's documented forms
    r"(Error|Warning)$",
    r"\.(MAX_ENUMERATED_UNITS|MAX_QUANTUM_UNITS|MAX_TREEWIDTH|Model|BOLTZMANN_BETA_RANGE|SAMPLER_NAMES|PHASE_NAMES"
    r"|QUANTUM_PHASE_NAMES|CHECKPOINT_VERSION|SCHEDULE_NAMES|OPTIMIZER_NAMES|Schedule|beta|BACKEND_NAMES|PRECISIONS"
    r"|REPORT_RAISE_ROWS|stores_edges|kind|MODEL_KINDS)$",
    r"^qbm\.typing\.\w+$",   # type aliases: the module's page says what each means
    r"\.QPUSampler\.(embedding|embedding_searches|copies|copy_embeddings|memory|qpu_beta|target_beta)$",   # read-only state
    r"\.Phase\.backend$",
    r"\.(samples_model|fixed_parameters)$",   # a phase's declarations, described on Phase
    r"\.RBMParameters\.(weights|visible_bias|hidden_bias)$",
    r"\.History\.(to_json|to_csv|wall_time)$",
}

# Links into the libraries qbm builds on, where the build can reach their sites (an offline
# build, as in CI, leaves those names as plain text instead of failing on the fetch).
def _online(host: str = "numpy.org") -> bool:
    try:
        socket.create_connection((host, 443), timeout=3).close()
    except OSError:
        return False
    return True


intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", None), "numpy": ("https://numpy.org/doc/stable/", None),
    "scipy": ("https://docs.scipy.org/doc/scipy/", None), "dimod": ("https://docs.dwavequantum.com/en/latest/", None),
    "sklearn": ("https://scikit-learn.org/stable/", None),
} if _online() else {}

# Every reference to qbm's own names must resolve; names from the libraries qbm builds
# on that their inventories do not hold, and plain-language types, are let through.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|scipy|dimod|dwave|neal|sklearn|networkx|minorminer|matplotlib|typing|collections)(\..*)?"),
    (r"py:class", r"(array-like|array_like|ndarray|callable|optional|default.*|int|float|bool|str|dict|list|tuple"
                  r"|mapping|sequence|iterable|None|path-like|os\.PathLike|Path|RandomState instance|Generator"
                  r"|object|function|any|{.*}|\".*\"|'.*'|of|shape|or|and|\(.*\)|.*\bof\b.*)"),
]
