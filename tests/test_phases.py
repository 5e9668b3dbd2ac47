import dimod
import neal
import numpy as np
import pytest

import qbm
from qbm.exact import clamped_expectations, expectations
from qbm.samplers import GibbsSampler
from conftest import all_bit_states
from test_models import random_bm, random_rbm

TOLERANCE = 0.035  # ~5 standard errors of a mean of 0/1 products over 5,000+ samples


def brute_expectations(model, beta=1.0):
    s = all_bit_states(model.n_units)
    p = np.exp(-beta * model.energy(s))
    return model.sufficient_statistics(s, p / p.sum())


def brute_clamped(model, data):
    s = all_bit_states(model.n_units)
    log_w = -model.energy(s)
    rows, weights = [], []
    for v in data:
        match = np.all(s[:, :model.n_visible] == v, axis=1)
        w = np.exp(log_w[match] - log_w[match].max())
        rows.append(s[match])
        weights.append(w / w.sum() / len(data))
    return model.sufficient_statistics(np.concatenate(rows), np.concatenate(weights))


def assert_close(got, expected, atol):
    assert set(got) == set(expected)
    for name in expected:
        assert np.allclose(got[name], expected[name], atol=atol), (name, np.abs(got[name] - expected[name]).max())


@pytest.fixture
def small_rbm():
    return random_rbm(np.random.default_rng(5), 5, 3)


@pytest.fixture
def small_bm():
    return random_bm(np.random.default_rng(6), 4, 3, density=0.8)


def test_exact_expectations_match_brute_force(small_rbm, small_bm):
    for model in (small_rbm, random_rbm(np.random.default_rng(1), 3, 6), small_bm):
        for beta in (1.0, 0.6):
            assert_close(expectations(model, beta), brute_expectations(model, beta), 1e-10)


def test_exact_clamped_expectations_match_brute_force(small_bm):
    data = all_bit_states(4)[[1, 5, 6, 14]]
    assert_close(clamped_expectations(small_bm, data), brute_clamped(small_bm, data), 1e-10)


@pytest.mark.parametrize("phase", [
    qbm.SamplerPhase(qbm.ExactSampler(), num_reads=20000),
    qbm.SamplerPhase(GibbsSampler(), num_reads=10000, num_sweeps=100),
    qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=10000, num_sweeps=200),
    qbm.PCD(num_chains=10000, k=100),
    qbm.CD(k=100),
], ids=["exact-sampler", "gibbs", "neal", "pcd", "cd"])
def test_rbm_gradient_agrees_with_exact(small_rbm, phase):
    data = np.tile(all_bit_states(5)[[3, 9, 17, 30]], (2500, 1))
    exact = qbm.gradient(qbm.ExactPhase(), small_rbm, data)
    assert_close(qbm.gradient(phase, small_rbm, data, random_state=0), exact, TOLERANCE)


@pytest.mark.parametrize("phase", [
    qbm.SamplerPhase(qbm.ExactSampler(), num_reads=20000, clamped_reads=5000),
    qbm.SamplerPhase(GibbsSampler(), num_reads=10000, clamped_reads=5000, num_sweeps=100),
    qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=10000, clamped_reads=5000, num_sweeps=200),
], ids=["exact-sampler", "gibbs", "neal"])
def test_general_bm_gradient_agrees_with_exact_both_sides(small_bm, phase):
    data = all_bit_states(4)[[0, 6, 9, 15]]
    assert_close(phase.data_statistics(small_bm, data, random_state=1), brute_clamped(small_bm, data), TOLERANCE)
    assert_close(phase.statistics(small_bm, data, random_state=2), brute_expectations(small_bm), TOLERANCE)


def test_fully_visible_bm_data_side_is_the_data():
    bm = qbm.BoltzmannMachine(3, random_state=0)
    data = np.array([[1, 1, 0], [1, 0, 1]])
    stats = qbm.ExactPhase().data_statistics(bm, data)
    assert np.allclose(stats["biases"], [1.0, 0.5, 0.5])
    assert np.allclose(stats["weights"], [0.5, 0.5, 0.0])  # edges (0,1), (0,2), (1,2)


class Recording(dimod.Sampler):
    """ExactSampler that keeps the BQMs it was handed."""

    parameters = {"num_reads": [], "seed": []}
    properties: dict = {}

    def __init__(self):
        self.seen = []

    def sample(self, bqm, **kwargs):
        self.seen.append(bqm)
        return qbm.ExactSampler().sample(bqm, **kwargs)


def test_the_clamped_phase_samples_one_copy_of_the_hidden_units_per_row(small_bm):
    data = all_bit_states(4)[[2, 11]]
    recording = Recording()
    qbm.SamplerPhase(recording, clamped_reads=5).data_statistics(small_bm, data, random_state=0)
    (union,) = recording.seen
    hidden = all_bit_states(3)
    for d, v in enumerate(data):
        states = np.zeros((len(hidden), union.num_variables))
        states[:, 3 * d:3 * d + 3] = hidden
        full = np.concatenate([np.tile(v, (len(hidden), 1)), hidden], axis=1)
        energy_differences = union.energies((states, range(union.num_variables))) - small_bm.energy(full)
        assert np.allclose(energy_differences, energy_differences[0])  # equal up to the clamped constant


class Relabelling(dimod.Sampler):
    """Wraps a sampler and returns its samples with shuffled columns, extra or missing variables."""

    parameters = {"num_reads": [], "seed": []}
    properties: dict = {}

    def __init__(self, inner, mode):
        self.inner, self.mode = inner, mode

    def sample(self, bqm, **kwargs):
        sampleset = self.inner.sample(bqm, **kwargs)
        samples, labels = sampleset.record.sample, list(sampleset.variables)
        order = np.random.default_rng(0).permutation(len(labels))
        samples, labels = samples[:, order], [labels[k] for k in order]
        if self.mode == "extra":
            samples = np.concatenate([samples, np.ones((len(samples), 1), dtype=samples.dtype)], axis=1)
            labels = labels + ["ancilla"]
        if self.mode == "missing":
            keep = [k for k, label in enumerate(labels) if label != 2]
            samples, labels = samples[:, keep], [labels[k] for k in keep]
        if self.mode == "spin":
            return dimod.SampleSet.from_samples((2 * samples - 1, labels), "SPIN", energy=sampleset.record.energy)
        return dimod.SampleSet.from_samples((samples, labels), "BINARY", energy=sampleset.record.energy)


@pytest.mark.parametrize("mode", ["shuffled", "spin"])
def test_statistics_survive_relabelled_samplesets(small_rbm, mode):
    plain = qbm.SamplerPhase(qbm.ExactSampler(), num_reads=300).statistics(small_rbm, None, random_state=4)
    wrapped = qbm.SamplerPhase(Relabelling(qbm.ExactSampler(), mode), num_reads=300)
    assert_close(wrapped.statistics(small_rbm, None, random_state=4), plain, 0.0)


@pytest.mark.parametrize("mode, message", [("missing", r"missing \[2\], not in the model \[\]"),
                                           ("extra", r"missing \[\], not in the model \['ancilla'\]")])
def test_wrong_variables_are_a_clear_error(small_rbm, mode, message):
    phase = qbm.SamplerPhase(Relabelling(qbm.ExactSampler(), mode), num_reads=10)
    with pytest.raises(ValueError, match=message):
        phase.statistics(small_rbm, None, random_state=0)


def test_num_occurrences_weight_the_samples():
    sampleset = dimod.SampleSet.from_samples(([[1, 0], [0, 1]], [0, 1]), "BINARY", energy=[0, 0], num_occurrences=[3, 1])
    states, weights = qbm.states_from_sampleset(sampleset, 2)
    bm = qbm.BoltzmannMachine(2)
    assert np.allclose(bm.sufficient_statistics(states, weights)["biases"], [0.75, 0.25])


def test_neal_gets_a_boltzmann_schedule_unless_told_otherwise():
    calls = []

    class Recorder(dimod.Sampler):
        parameters = {"num_reads": [], "beta_range": [], "seed": []}
        properties: dict = {}

        def sample(self, bqm, **kwargs):
            calls.append(kwargs)
            return qbm.ExactSampler().sample(bqm, num_reads=kwargs["num_reads"])

    rbm = qbm.RBM(3, 2, random_state=0)
    qbm.SamplerPhase(Recorder(), num_reads=7).statistics(rbm, None, random_state=0)
    qbm.SamplerPhase(Recorder(), num_reads=7, beta_range=(1, 5)).statistics(rbm, None, random_state=0)
    assert calls[0]["beta_range"] == (0.05, 1.0) and calls[0]["num_reads"] == 7
    assert calls[1]["beta_range"] == (1, 5)


def test_sampler_phase_scales_the_bqm_by_beta(small_rbm):
    hot = qbm.SamplerPhase(qbm.ExactSampler(), num_reads=40000, beta=0.5)
    assert_close(hot.statistics(small_rbm, None, random_state=0), brute_expectations(small_rbm, 0.5), TOLERANCE)


def test_same_seed_same_statistics(small_rbm):
    for phase_factory in (lambda: qbm.CD(2), lambda: qbm.PCD(50, 2), lambda: qbm.SamplerPhase(GibbsSampler(), num_reads=20, num_sweeps=5)):
        a = phase_factory().statistics(small_rbm, all_bit_states(5)[:8], random_state=3)
        b = phase_factory().statistics(small_rbm, all_bit_states(5)[:8], random_state=3)
        assert_close(a, b, 0.0)


@pytest.mark.parametrize("call, error, message", [
    (lambda: qbm.CD(k=0), ValueError, "k must be at least 1"),
    (lambda: qbm.PCD(num_chains=0), ValueError, "num_chains must be at least 1"),
    (lambda: qbm.PCD(fast_rate=-0.1), ValueError, "fast_rate must be a finite non-negative number"),
    (lambda: qbm.PCD(fast_rate=0.1, fast_decay=1.0), ValueError, r"fast_decay must be in \[0, 1\)"),
    (lambda: qbm.SamplerPhase("neal"), TypeError, "sampler must be a dimod.Sampler"),
    (lambda: qbm.CD().statistics(qbm.BoltzmannMachine(3), [[0, 1, 1]]), TypeError, "RBM fast path"),
    (lambda: qbm.CD().statistics(qbm.RBM(3, 2), [[0, 1]]), ValueError, "batch must have 3 columns"),
    (lambda: qbm.CD().data_statistics(qbm.BoltzmannMachine(2, 1), [[0, 1]]), TypeError, "cannot sample the hidden"),
    (lambda: qbm.CD().data_statistics(qbm.RBM(2, 2), [[1.5, 1]]), ValueError, r"values in \[0, 1\]"),
    (lambda: qbm.states_from_sampleset("samples", 2), TypeError, "must return a dimod.SampleSet"),
    (lambda: qbm.states_from_sampleset(dimod.SampleSet.from_samples(([[0, 2]], [0, 1]), "BINARY", energy=[0]), 2),
     ValueError, "only 0 and 1"),
    (lambda: qbm.states_from_sampleset(dimod.SampleSet.from_samples((np.empty((0, 2)), [0, 1]), "BINARY", energy=[]), 2),
     ValueError, "no samples"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_fast_weights_follow_the_gradients_and_drive_the_chains(small_rbm):
    """FPCD: fast = Σ decayᵗ · fast_rate · gradient of each step; the chains sample model + fast."""
    rows, rng = all_bit_states(5)[:8], np.random.default_rng(0)
    phase = qbm.PCD(20, fast_rate=0.3, fast_decay=0.5)
    first = qbm.phases.gradient(phase, small_rbm, rows, random_state=rng)
    second = qbm.phases.gradient(phase, small_rbm, rows, random_state=rng)
    for name in small_rbm.parameter_names:
        assert np.allclose(phase.fast[name], 0.5 * 0.3 * first[name] + 0.3 * second[name])
    phase.fast["visible_bias"][:] = 60.0   # fast biases that pin every visible unit on
    qbm.phases.gradient(phase, small_rbm, rows, random_state=rng)
    assert phase.chains.min() == 1.0
    plain = qbm.PCD(20, fast_rate=0)
    qbm.phases.gradient(plain, small_rbm, rows, random_state=0)
    assert plain.fast is None


def test_fast_weights_resume_from_the_state_dict(small_rbm):
    rows = all_bit_states(5)[:8]
    whole, rng = qbm.PCD(20, fast_rate=0.2), np.random.default_rng(4)
    for _ in range(3):
        expected = qbm.phases.gradient(whole, small_rbm, rows, random_state=rng)
    first, rng = qbm.PCD(20, fast_rate=0.2), np.random.default_rng(4)
    for _ in range(2):
        qbm.phases.gradient(first, small_rbm, rows, random_state=rng)
    resumed = qbm.PCD(20, fast_rate=0.2)
    resumed.load_state_dict(first.state_dict())
    assert_close(qbm.phases.gradient(resumed, small_rbm, rows, random_state=rng), expected, 0.0)
    assert all(np.array_equal(resumed.fast[name], whole.fast[name]) for name in whole.fast)
