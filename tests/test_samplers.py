import dimod
import neal
import numpy as np
import pytest
from dimod.testing.asserts import assert_sampler_api

import qbm
from qbm.graphs import colour_classes
from qbm.samplers import GibbsSampler, beta_schedule
from conftest import assert_energies, total_variation

NUM_SAMPLES = 20_000


def ten_unit_model():
    """A fully connected 10-unit BM with couplings strong enough to make the distribution rugged."""
    rng = np.random.default_rng(2024)
    return qbm.BoltzmannMachine(10, weights=rng.normal(0, 1.0, 45), biases=rng.normal(0, 1.0, 10))


@pytest.fixture(scope="module")
def model_and_exact():
    model = ten_unit_model()
    return model, qbm.distribution(model)[2]


@pytest.mark.parametrize("name, phase", [
    ("exact", qbm.SamplerPhase(qbm.ExactSampler(), num_reads=NUM_SAMPLES)),
    ("gibbs at beta=1", qbm.SamplerPhase(GibbsSampler(), num_reads=NUM_SAMPLES, num_sweeps=200)),
    ("neal, qbm's Boltzmann schedule", qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=NUM_SAMPLES)),
])
@pytest.mark.slow
def test_boltzmann_samples_are_close_to_exact(model_and_exact, name, phase):
    model, probabilities = model_and_exact
    states, weights = phase.sample_states(model, random_state=0)
    assert weights.sum() == NUM_SAMPLES
    assert total_variation(states, weights, probabilities) <= 0.06, name


@pytest.mark.slow
def test_neal_default_schedule_is_not_a_boltzmann_sampler(model_and_exact):
    """neal's own default anneals to near-ground states: fine for optimisation, wrong for
    a negative phase.  This is why SamplerPhase passes a schedule ending at beta = 1."""
    model, probabilities = model_and_exact
    sampleset = neal.SimulatedAnnealingSampler().sample(model.to_bqm(), num_reads=NUM_SAMPLES, seed=0)
    states, weights = qbm.states_from_sampleset(sampleset, model.n_units)
    assert total_variation(states, weights, probabilities) > 0.3


def test_gibbs_sampler_api():
    assert_sampler_api(GibbsSampler())


@pytest.mark.parametrize("kind", ["rbm", "sparse_rbm", "general", "spin_strings"])
def test_gibbs_marginals_match_exact(kind):
    rng = np.random.default_rng(7)
    if kind == "rbm":
        bqm = qbm.RBM(5, 4, weights=rng.normal(0, 1, (5, 4)), visible_bias=rng.normal(0, 1, 5)).to_bqm()
    elif kind == "sparse_rbm":
        weights = rng.normal(0, 1, (8, 6)) * (rng.random((8, 6)) < 0.03)
        weights[0, 0] = 1.0
        bqm = qbm.RBM(8, 6, weights=weights, hidden_bias=rng.normal(0, 1, 6)).to_bqm()
    elif kind == "general":
        bqm = ten_unit_model().to_bqm()
    else:
        bqm = dimod.BinaryQuadraticModel({"x": 0.3, "y": -0.2, "z": 0.1},
                                         {("x", "y"): 0.5, ("y", "z"): -0.4, ("x", "z"): 0.3}, 1.0, "SPIN")
    states, _, probabilities = qbm.distribution(bqm)
    exact_means = probabilities @ states
    sampleset = GibbsSampler().sample(bqm, num_reads=20000, num_sweeps=100, seed=3)
    order = [sampleset.variables.index(v) for v in bqm.variables]
    means = sampleset.record.sample[:, order].mean(axis=0)
    assert np.allclose(means, exact_means, atol=0.03 * (2 if bqm.vartype is dimod.SPIN else 1))
    assert_energies(sampleset, bqm)


@pytest.mark.parametrize("kind", ["dense_rbm", "sparse_rbm", "dense_general", "spin_offset"])
def test_gibbs_energies_are_the_bqms_to_float64_precision(kind):
    rng = np.random.default_rng(11)
    if kind == "dense_rbm":
        bqm = qbm.RBM(300, 40, weights=rng.normal(0, 1, (300, 40)), visible_bias=rng.normal(0, 1, 300)).to_bqm()
    elif kind == "sparse_rbm":
        bqm = qbm.RBM(60, 30, weights=rng.normal(0, 1, (60, 30)) * (rng.random((60, 30)) < 0.02)).to_bqm()
    elif kind == "dense_general":
        bqm = qbm.BoltzmannMachine(40, weights=rng.normal(0, 1, 780), biases=rng.normal(0, 1, 40)).to_bqm()
    else:
        bqm = dimod.BinaryQuadraticModel({v: rng.normal() for v in "abcdef"},
                                         {(u, v): rng.normal() for u, v in zip("abcde", "bcdef")}, 2.5, "SPIN")
    sampleset = GibbsSampler().sample(bqm, num_reads=50, num_sweeps=3, seed=0)
    assert np.allclose(sampleset.record.energy, bqm.energies(sampleset), rtol=1e-12, atol=1e-9)


def test_gibbs_same_seed_same_samples_and_initial_states():
    bqm = qbm.RBM(6, 4, random_state=0).to_bqm()
    a = GibbsSampler().sample(bqm, num_reads=20, num_sweeps=5, seed=9).record.sample
    b = GibbsSampler().sample(bqm, num_reads=20, num_sweeps=5, seed=9).record.sample
    assert np.array_equal(a, b)
    start = np.ones((3, 10), dtype=np.int8)
    frozen = qbm.RBM(6, 4, weights=np.full((6, 4), 50.0), visible_bias=np.full(6, -75.0), hidden_bias=np.full(4, -75.0))
    out = GibbsSampler().sample(frozen.to_bqm(), initial_states=(start, range(10)), num_sweeps=3, seed=0)
    assert np.array_equal(out.record.sample, start)


def test_gibbs_annealing_reaches_ground_state_at_low_temperature():
    bqm = dimod.generators.ran_r(1, 12, seed=3)
    ground = dimod.ExactSolver().sample(bqm).first.energy
    sampleset = GibbsSampler().sample(bqm, num_reads=20, num_sweeps=300, beta_range=(0.1, 10.0), seed=0)
    assert sampleset.first.energy == ground


def test_beta_schedule_has_neal_meanings():
    assert np.allclose(beta_schedule(4, beta=2.0), 2.0)
    assert np.allclose(beta_schedule(3, beta_range=(0.1, 10.0)), [0.1, 1.0, 10.0])
    assert np.allclose(beta_schedule(3, beta_range=(1.0, 3.0), beta_schedule_type="linear"), [1.0, 2.0, 3.0])


@pytest.mark.parametrize("graph", ["path", "odd_cycle", "complete", "random"])
def test_colouring_is_proper(graph):
    n = 40
    rng = np.random.default_rng(1)
    edges = {"path": [(i, i + 1) for i in range(n - 1)],
             "odd_cycle": [(i, (i + 1) % 41) for i in range(41)],
             "complete": [(i, j) for i in range(12) for j in range(i + 1, 12)],
             "random": [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.2]}[graph]
    rows, cols = np.array(edges).T
    colours = colour_classes(int(max(rows.max(), cols.max())) + 1, rows, cols)
    assert np.all(colours[rows] != colours[cols])
    expected = {"path": 2, "odd_cycle": 3, "complete": 12}
    if graph in expected:
        assert colours.max() + 1 == expected[graph]


def test_colourings_are_kept_by_structure_and_cannot_be_changed():
    """A structure coloured again is the kept array, which no caller can alter; another edge list of the same
    size is coloured for itself (a triangle needs three colours where a path of three edges needs two)."""
    triangle = np.array([0, 1, 0]), np.array([1, 2, 2])
    path = np.array([0, 1, 2]), np.array([1, 2, 3])
    first = colour_classes(4, *triangle)
    assert colour_classes(4, *(ends.copy() for ends in triangle)) is first
    with pytest.raises(ValueError, match="read-only"):
        first[0] = 5
    assert first.max() == 2 and colour_classes(4, *path).max() == 1


@pytest.mark.parametrize("call, error, message", [
    (lambda: GibbsSampler().sample(qbm.RBM(2, 1).to_bqm(), beta=1.0, beta_range=(0.1, 1.0)), ValueError, "not both"),
    (lambda: GibbsSampler().sample(qbm.RBM(2, 1).to_bqm(), beta=-1.0), ValueError, "beta must be"),
    (lambda: GibbsSampler().sample(qbm.RBM(2, 1).to_bqm(), num_sweeps=0), ValueError, "num_sweeps must be at least 1"),
    (lambda: GibbsSampler().sample(qbm.RBM(2, 1).to_bqm(), beta_range=(0.1, 1.0), beta_schedule_type="cubic"),
     ValueError, "beta_schedule_type"),
    (lambda: GibbsSampler().sample(qbm.RBM(2, 1).to_bqm(), initial_states=[[0, 1, 2]]), ValueError, "only 0 and 1"),
    (lambda: GibbsSampler().sample(qbm.RBM(2, 1).to_bqm(), initial_states=[[0, 1]]), ValueError, "one column per BQM variable"),
    (lambda: GibbsSampler().sample(qbm.RBM(2, 1).to_bqm(), num_reads=2, initial_states=[[0, 1, 1]]), ValueError, "num_reads is 2"),
    (lambda: GibbsSampler().sample(qbm.RBM(2, 1).to_bqm(), importance_weights=True), ValueError, "needs an anneal"),
])
def test_gibbs_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("model", [
    qbm.RBM(6, 4, weights=np.random.default_rng(0).normal(0, 2.0, (6, 4))),
    ten_unit_model(),
])
def test_importance_weights_estimate_the_partition_function(model):
    """AIS from uniform states (Z_0 = 2^n): mean exp(log_weight) · 2^n estimates Z of the BQM without offset."""
    bqm = model.to_bqm()
    bqm.offset = 0.0
    sampleset = GibbsSampler().sample(bqm, num_reads=4000, num_sweeps=200, beta_range=(0.01, 1.0),
                                      importance_weights=True, seed=0)
    log_weight = sampleset.record.log_weight
    estimate = np.logaddexp.reduce(log_weight) - np.log(len(log_weight)) + bqm.num_variables * np.log(2)
    assert estimate == pytest.approx(qbm.log_partition(bqm), abs=0.05)


def test_importance_weights_correct_an_anneal_that_freezes():
    """Two modes of unequal weight behind a barrier: a short anneal freezes their ratio, the weights fix it."""
    n = 8
    model = qbm.BoltzmannMachine(n, weights=np.full(n * (n - 1) // 2, 2.0), biases=np.full(n, -7.2))
    probabilities = qbm.distribution(model)[2]
    phase = qbm.SamplerPhase(GibbsSampler(), num_reads=NUM_SAMPLES, num_sweeps=20, beta_range=(0.05, 1.0))
    weighted = qbm.SamplerPhase(GibbsSampler(), num_reads=NUM_SAMPLES, num_sweeps=20, beta_range=(0.05, 1.0),
                                importance_weights=True)
    plain = total_variation(*phase.sample_states(model, random_state=0), probabilities)
    corrected = total_variation(*weighted.sample_states(model, random_state=0), probabilities)
    assert plain > 0.15 and corrected < 0.03


def test_importance_weights_from_given_states_taken_at_the_first_beta():
    """Exact samples at β = 0.3 annealed to β = 1: the weights turn them into samples at β = 1."""
    n = 8
    model = qbm.BoltzmannMachine(n, weights=np.full(n * (n - 1) // 2, 2.0), biases=np.full(n, -7.2))
    bqm = model.to_bqm()
    hot = qbm.ExactSampler().sample(bqm, num_reads=NUM_SAMPLES, beta=0.3, seed=0)
    rows = np.repeat(hot.record.sample, hot.record.num_occurrences, axis=0)
    annealed = GibbsSampler().sample(bqm, initial_states=(rows, list(hot.variables)), num_sweeps=20,
                                     beta_range=(0.3, 1.0), importance_weights=True, seed=1)
    states = annealed.record.sample[:, np.argsort(list(annealed.variables))]
    weights = np.exp(annealed.record.log_weight - annealed.record.log_weight.max())
    probabilities = qbm.distribution(model)[2]
    assert total_variation(states, np.ones(len(states)), probabilities) > 0.15
    assert total_variation(states, weights, probabilities) < 0.03


@pytest.mark.parametrize("sampler", [GibbsSampler(), qbm.ExactSampler()])
def test_unknown_keyword_arguments_are_warned_about(sampler):
    with pytest.warns(dimod.exceptions.SamplerUnknownArgWarning, match="num_swepes"):
        sampler.sample(qbm.RBM(3, 2, random_state=0).to_bqm(), num_reads=2, num_swepes=5)


def test_a_zero_temperature_request_gives_ground_states_not_a_refusal():
    """β = 1e30 times biases of a few units leaves float32: the chains run at the coldest they hold, greedy there."""
    bqm = dimod.BinaryQuadraticModel({0: -3.0, 1: 2.0, 2: -1.0}, {(0, 1): -1.5, (1, 2): 2.5}, 0.0, "BINARY")
    answer = GibbsSampler().sample(bqm, num_reads=50, num_sweeps=20, beta=1e30, seed=0)
    ground = dimod.ExactSolver().sample(bqm).first
    assert np.all(answer.record.energy == ground.energy)
    per_chain = GibbsSampler().sample(bqm, beta=[1e30, 2e30], num_sweeps=20, seed=0)
    assert np.all(per_chain.record.energy == ground.energy)
