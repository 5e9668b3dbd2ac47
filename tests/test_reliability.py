"""Reliability: one table of bad inputs across the API and the command line, faults during
training, numerical extremes, and properties that must hold for any input."""
import hashlib
import re
import warnings
from pathlib import Path

import dimod
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qbm
from qbm.cli import main
from qbm.phases import states_from_sampleset
from qbm.samplers import GibbsSampler, QPUSampler
from qbm.sklearn import RBMClassifier, RBMTransformer

RBM = qbm.RBM(4, 2, random_state=0)
BM = qbm.BoltzmannMachine(3, 1, random_state=0)


class Garbage(dimod.Sampler):
    """A broken sampler: returns what ``make(bqm, num_reads)`` builds instead of real samples."""

    parameters = {"num_reads": []}
    properties: dict = {}

    def __init__(self, make):
        self.make = make

    def sample(self, bqm, num_reads=10, **kwargs):
        return self.make(bqm, num_reads)


def samples_of(bqm, rows, labels=None, energy=None):
    labels = list(bqm.variables) if labels is None else labels
    rows = np.asarray(rows)
    energy = np.zeros(len(rows)) if energy is None else energy
    return dimod.SampleSet.from_samples((rows, labels), bqm.vartype, energy=energy)


def phase_with(make):
    return lambda: qbm.SamplerPhase(Garbage(make), num_reads=3).statistics(RBM, None, random_state=0)


API_CASES = [
    # models
    ("rbm zero hidden", lambda: qbm.RBM(3, 0), ValueError, "n_hidden must be at least 1"),
    ("rbm weights shape", lambda: qbm.RBM(3, 2, weights=np.ones((2, 3))), ValueError, "weights must have shape"),
    ("rbm nan weights", lambda: qbm.RBM(2, 1, weights=[[np.nan], [0.0]]), ValueError, "finite"),
    ("rbm string size", lambda: qbm.RBM("3", 2), TypeError, "n_visible must be an integer"),
    ("bm self loop", lambda: qbm.BoltzmannMachine(3, edges=[(1, 1)]), ValueError, "self-loop"),
    ("bm duplicate edge", lambda: qbm.BoltzmannMachine(3, edges=[(0, 1), (1, 0)]), ValueError, "must not repeat a pair"),
    ("bm edge out of range", lambda: qbm.BoltzmannMachine(3, edges=[(0, 5)]), ValueError, "edges"),
    ("energy wrong width", lambda: RBM.energy(np.zeros((2, 5))), ValueError, "must have 6 columns"),
    ("energy non-binary", lambda: RBM.energy(np.full((1, 6), 0.5)), ValueError, "only 0 and 1"),
    ("free energy inf", lambda: RBM.free_energy([[np.inf, 0, 0, 0]]), ValueError, "finite"),
    ("hidden probs 3-D", lambda: RBM.hidden_probabilities(np.zeros((1, 1, 4))), ValueError, "2-D"),
    ("load missing file", lambda: qbm.load("no/such/model.npz"), FileNotFoundError, "no model file"),
    # conversions
    ("qubo not square", lambda: qbm.qubo_to_ising(np.ones((2, 3))), ValueError, "square"),
    ("qubo nan", lambda: qbm.qubo_to_ising(np.array([[np.nan]])), ValueError, "finite"),
    ("ising J shape", lambda: qbm.ising_to_qubo(np.zeros(2), np.zeros((3, 3))), ValueError, "shape"),
    ("bits to spins 2", lambda: qbm.bits_to_spins([0, 2]), ValueError, "only 0 and 1"),
    ("spins to bits 0", lambda: qbm.spins_to_bits([0, 1]), ValueError, r"-1 and \+1"),
    ("as_bqm unknown", lambda: qbm.as_bqm("not a model"), TypeError, "expected a BinaryQuadraticModel"),
    ("energies width", lambda: qbm.energies(np.eye(3), [[0, 1]]), ValueError, "3 columns"),
    # exact
    ("log partition too big", lambda: qbm.log_partition(qbm.BoltzmannMachine(40)), ValueError, "exact enumeration is limited to 34"),
    ("beta negative", lambda: qbm.log_partition(RBM, beta=-1.0), ValueError, "beta must be"),
    ("log likelihood width", lambda: qbm.log_likelihood(RBM, np.zeros((2, 3))), ValueError, "4 columns"),
    # samplers
    ("gibbs beta and range", lambda: GibbsSampler().sample(RBM.to_bqm(), beta=1, beta_range=(0.1, 1)),
     ValueError, "not both"),
    ("gibbs zero sweeps", lambda: GibbsSampler().sample(RBM.to_bqm(), num_sweeps=0), ValueError, "num_sweeps"),
    ("exact sampler zero reads", lambda: qbm.ExactSampler().sample(RBM.to_bqm(), num_reads=0), ValueError,
     "num_reads"),
    ("qpu child unstructured", lambda: QPUSampler(qbm.ExactSampler()), TypeError, "structured sampler"),
    # broken samplers in a phase
    ("sampler returns no samples", phase_with(lambda bqm, n: samples_of(bqm, np.zeros((0, 6), dtype=int))),
     ValueError, "no samples"),
    ("sampler returns too few variables",
     phase_with(lambda bqm, n: samples_of(bqm, np.zeros((n, 5), dtype=int), labels=list(range(5)))),
     ValueError, r"missing \[5\]"),
    ("sampler returns extra variables",
     phase_with(lambda bqm, n: samples_of(bqm, np.zeros((n, 7), dtype=int), labels=list(range(7)))),
     ValueError, r"not in the model \[6\]"),
    ("sampler returns NaN energies",
     phase_with(lambda bqm, n: samples_of(bqm, np.zeros((n, 6), dtype=int), energy=np.full(n, np.nan))),
     ValueError, "non-finite energies"),
    ("sampler returns a list", phase_with(lambda bqm, n: [[0] * 6]), TypeError, "dimod.SampleSet"),
    ("sampler relabels units",
     phase_with(lambda bqm, n: samples_of(bqm, np.zeros((n, 6), dtype=int), labels=list("abcdef"))),
     ValueError, "wrong variables"),
    ("sampler wrong vartype values",
     phase_with(lambda bqm, n: dimod.SampleSet.from_samples((np.zeros((n, 6), dtype=int), list(range(6))), "SPIN",
                                                            energy=np.zeros(n))),
     ValueError, r"sampleset values \(SPIN\)"),
    # phases and training
    ("unknown phase name", lambda: qbm.make_phase("annealer"), ValueError, "unknown phase 'annealer'"),
    ("cd on a general BM", lambda: qbm.CD().statistics(BM, None), TypeError, "RBM fast path"),
    ("sampler phase needs a sampler", lambda: qbm.SamplerPhase("neal"), TypeError, "dimod.Sampler"),
    ("train empty data", lambda: qbm.train(RBM, np.zeros((0, 4)), qbm.CD(), progress=False), ValueError,
     "at least one row"),
    ("train wrong width", lambda: qbm.train(RBM, np.zeros((3, 5)), qbm.CD(), progress=False), ValueError,
     "4 columns"),
    ("train nan data", lambda: qbm.train(RBM, np.full((3, 4), np.nan), qbm.CD(), progress=False), ValueError,
     "finite"),
    ("train probabilities for a BM", lambda: qbm.train(qbm.BoltzmannMachine(3), np.full((2, 3), 0.5),
                                                         qbm.ExactPhase(), progress=False), ValueError, "only 0 and 1"),
    ("train unknown optimizer", lambda: qbm.train(RBM, np.zeros((2, 4)), qbm.CD(), optimizer="rmsprop"),
     ValueError, "optimizer must be"),
    ("train string phase", lambda: qbm.train(RBM, np.zeros((2, 4)), "pcd"), TypeError, "phase must be"),
    ("ais on a BM", lambda: qbm.metrics.log_likelihood(BM, np.zeros((1, 3)), method="ais"), TypeError,
     "implemented for an RBM"),
    # generation and the scikit-learn face
    ("clamp out of range", lambda: qbm.generate(RBM, clamp={9: 1}), ValueError, "visible unit indices"),
    ("clamp value 2", lambda: qbm.generate(RBM, clamp={0: 2}), ValueError, "0 or 1"),
    ("transformer data above 1", lambda: RBMTransformer().fit(np.full((3, 4), 2.0)), ValueError,
     re.escape("[0, 1]")),
    ("transformer empty", lambda: RBMTransformer().fit(np.zeros((0, 4))), ValueError, "0 sample"),
    ("classifier one class", lambda: RBMClassifier().fit(np.ones((3, 4)), [1, 1, 1]), ValueError,
     "at least 2 classes"),
    ("classifier continuous y", lambda: RBMClassifier().fit(np.ones((3, 4)), [0.5, 1.5, 2.5]), ValueError,
     "Unknown label type"),
    ("datasets mnist source", lambda: qbm.datasets.load_mnist(source="ftp"), ValueError, "source must be"),
]

CLI_CASES = [
    ("cli missing data file", ["train", "--data", "{tmp}/none.csv", "--output", "{out}"], "no data file"),
    ("cli non-binary data", ["train", "--data", "{grey}", "--output", "{out}"], "0/1 values"),
    ("cli unknown phase", ["train", "--phase", "annealer", "--output", "{out}"], "invalid choice"),
    ("cli negative rate", ["train", "--learning-rate", "-1", "--epochs", "1", "--output", "{out}"],
     "learning_rate must be"),
    ("cli qpu without credentials", ["train", "--phase", "qpu", "--epochs", "1", "--output", "{out}"],
     "dwave config create"),
    ("cli truncated model", ["sample", "{truncated}"], "not a readable qbm model file"),
    ("cli foreign model file", ["sample", "{foreign}"], "not a qbm model file"),
    ("cli wrong-width data", ["evaluate", "{model}", "{wide}"], "data must have 4 columns"),
    ("cli bad clamp", ["sample", "{model}", "--clamp", "x=1"], "UNIT=VALUE"),
    ("cli unknown sampler", ["sample", "{model}", "--sampler", "magic"], "invalid choice"),
    ("cli convert bad json", ["convert", "{grey}", "--to", "ising"], "must end in .json"),
]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.delenv("DWAVE_API_TOKEN", raising=False)
    (tmp_path / "dwave.conf").write_text("[defaults]\n")
    monkeypatch.setenv("DWAVE_CONFIG_FILE", str(tmp_path / "dwave.conf"))
    np.savetxt(tmp_path / "grey.csv", np.full((3, 4), 0.5), delimiter=",")
    np.save(tmp_path / "wide.npy", np.zeros((3, 7)))
    RBM.save(tmp_path / "model.npz")
    (tmp_path / "truncated.npz").write_bytes((tmp_path / "model.npz").read_bytes()[:100])
    np.savez(tmp_path / "foreign.npz", x=np.ones(3))
    out = tmp_path / "out"
    out.mkdir()
    (out / "model.npz").write_bytes(b"an earlier model")
    names = {"tmp": tmp_path, "out": out, **{p.stem: p for p in tmp_path.iterdir() if p.is_file()}}
    return tmp_path, names


def snapshot(folder: Path) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_table_has_at_least_forty_distinct_cases():
    names = [case[0] for case in API_CASES + CLI_CASES]
    assert len(names) >= 40 and len(set(names)) == len(names)


@pytest.mark.parametrize("name, call, error, message", API_CASES, ids=[case[0] for case in API_CASES])
def test_bad_input_to_the_api(workspace, name, call, error, message):
    folder, _ = workspace
    before = snapshot(folder)
    with pytest.raises(error, match=message):
        call()
    assert snapshot(folder) == before


@pytest.mark.parametrize("name, argv, message", CLI_CASES, ids=[case[0] for case in CLI_CASES])
def test_bad_input_to_the_command(workspace, capsys, name, argv, message):
    folder, names = workspace
    before = snapshot(folder)
    status = main([arg.format(**names) for arg in argv])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("qbm: error:") and len(err.strip().splitlines()) == 1
    assert re.search(message, err), err
    assert snapshot(folder) == before
