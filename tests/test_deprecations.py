"""Moved paths keep working for one release: importing them is silent, using a name from them warns, naming
where it lives now, and gives the very object of the new path; ``import qbm`` and the command never warn."""
from __future__ import annotations

import importlib
import subprocess
import sys
import warnings

import pytest

MOVED_MODULES = {
    "qbm.ais": ("qbm.metrics.ais", "ais_log_partition"),
    "qbm.elimination": ("qbm.exact.elimination", "elimination_order"),
    "qbm.layer_sums": ("qbm.exact.layer_sums", "layer_log_partition"),
    "qbm.boundary": ("qbm.sampling.boundary", "boltzmann_samples"),
    "qbm.chains": ("qbm.sampling.chains", "gibbs_sweep"),
    "qbm.temperature": ("qbm.sampling.temperature", "effective_beta"),
    "qbm.centering": ("qbm.training.centering", "unit_offsets"),
    "qbm.divergence": ("qbm.phases.divergence", "DivergenceGuard"),
    "qbm.samplers.tiling": ("qbm.samplers.qpu.packing", "pack_copies"),
}
MOVED_NAMES = {
    ("qbm.samplers", "effective_beta"): "qbm.sampling",
    ("qbm.samplers.qpu", "effective_beta"): "qbm.sampling",
    ("qbm.samplers.qpu", "beta_information"): "qbm.sampling",
    ("qbm.phases", "states_from_sampleset"): "qbm.sampling",
    ("qbm.phases", "boltzmann_samples"): "qbm.sampling",
    ("qbm.classification", "LabelPhase"): "qbm.phases",
}


@pytest.mark.parametrize("old", sorted(MOVED_MODULES))
def test_a_moved_module_imports_silently_and_warns_when_a_name_is_used(old):
    new, name = MOVED_MODULES[old]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        module = importlib.import_module(old)
    with pytest.warns(DeprecationWarning, match=f"import {name} from {new}"):
        value = getattr(module, name)
    assert value is getattr(importlib.import_module(new), name)
    with pytest.raises(AttributeError, match="moved to"):
        getattr(module, "no_such_name")


@pytest.mark.parametrize("module, name", sorted(MOVED_NAMES))
def test_a_moved_name_warns_and_is_the_new_object(module, name):
    new = MOVED_NAMES[module, name]
    with pytest.warns(DeprecationWarning, match=f"import it from {new}"):
        value = getattr(importlib.import_module(module), name)
    assert value is getattr(importlib.import_module(new), name)


def test_import_qbm_and_the_command_say_nothing_of_deprecations():
    code = "import warnings; warnings.simplefilter('error'); import qbm, qbm.cli, qbm.testing"
    subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", code], check=True)
    help_text = subprocess.run([sys.executable, "-W", "always::DeprecationWarning", "-m", "qbm.cli", "--help"],
                               capture_output=True, text=True, check=True)
    assert "Deprecat" not in help_text.stderr
