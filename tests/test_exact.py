import dimod
import numpy as np
import pytest
from dimod.testing.asserts import assert_sampler_api
from scipy.special import logsumexp

import qbm
from qbm import exact
from qbm.exact import draws, enumeration, layer_sums
from conftest import all_bit_states, assert_energies, sampleset_total_variation
from test_models import random_bm, random_rbm


def brute_log_z(model, beta=1.0):
    return logsumexp(-beta * model.energy(all_bit_states(model.n_units)))


def test_dwave_two_variable_table():
    states, energies, probabilities = qbm.distribution(np.array([[-1.0, 2.0], [0.0, -1.0]]))
    assert states.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert energies.tolist() == [0.0, -1.0, -1.0, 0.0]
    assert np.allclose(probabilities, [0.13, 0.37, 0.37, 0.13], atol=0.005)
    assert np.isclose(np.exp(qbm.log_partition([[-1.0, 2.0], [0.0, -1.0]])), 2 + 2 * np.e)
    assert round(float(np.exp(qbm.log_partition([[-1.0, 2.0], [0.0, -1.0]]))), 2) == 7.44


@pytest.mark.parametrize("beta", [0.3, 1.0, 2.5])
def test_log_partition_matches_brute_force_in_every_form(rng, beta):
    bm = random_bm(rng, 4, 3)
    expected = brute_log_z(bm, beta)
    Q, _ = bm.to_qubo()
    spin_bqm = bm.to_bqm().change_vartype("SPIN", inplace=False)
    for form in (bm, bm.to_bqm(), Q, bm.to_ising(), spin_bqm):
        assert np.isclose(qbm.log_partition(form, beta), expected)


def test_log_partition_keeps_offsets():
    bqm = dimod.BinaryQuadraticModel({0: 1.0}, {}, 3.0, "SPIN")
    assert np.isclose(qbm.log_partition(bqm), np.log(np.exp(-4.0) + np.exp(-2.0)))


@pytest.mark.parametrize("n_visible, n_hidden", [(6, 2), (2, 6), (4, 4)])
def test_rbm_log_partition_enumerates_smaller_layer_correctly(rng, n_visible, n_hidden):
    rbm = random_rbm(rng, n_visible, n_hidden)
    for beta in (1.0, 0.7):
        assert np.isclose(qbm.log_partition(rbm, beta), brute_log_z(rbm, beta))


def test_blocked_enumeration_equals_single_block(rng, monkeypatch):
    bm = random_bm(rng, 6, 3)
    single = qbm.log_partition(bm)
    _, energies_single, _ = qbm.distribution(bm)
    monkeypatch.setattr(enumeration, "BLOCK_ENTRIES", 16)
    monkeypatch.setattr(enumeration, "_LOW_BITS", 3)
    assert enumeration.QuboEnumeration(bm.to_qubo()[0], 0.0).num_blocks == 32
    assert np.isclose(qbm.log_partition(bm), single)
    _, energies_blocked, _ = qbm.distribution(bm)
    assert np.allclose(energies_blocked, energies_single)
    assert np.allclose(energies_blocked, bm.energy(all_bit_states(9)))
    assert np.isclose(qbm.log_likelihood(bm, all_bit_states(6)[::7]),
                      np.mean(_brute_marginals(bm, all_bit_states(6)[::7])))


def conflicted_bm(rng):
    """Units 7–11 each cost 500 when on, unless unit 0 is on: the factorised sum of each half underflows."""
    bm = qbm.BoltzmannMachine(12, weights=rng.normal(0, 1, 66), biases=rng.normal(0, 1, 12))
    bm.biases[7:] = -500.0
    bm.weights[(bm.edges[:, 0] == 0) & (bm.edges[:, 1] >= 7)] = 500.0
    return bm


@pytest.mark.parametrize("scale", [50.0, 100.0, 200.0])
def test_sharp_model_log_partition_matches_a_plain_enumeration(scale, monkeypatch):
    """Couplings N(0, scale²) on 22 units: most leading states' factorised sums underflow; the few that matter
    are summed again and the rest are provably negligible."""
    Q = np.triu(np.random.default_rng(int(scale)).normal(0, scale, (22, 22)))
    plain = logsumexp(-enumeration.all_energies(Q, 0.0))
    resummed = []
    original = enumeration.resum_underflowed
    monkeypatch.setattr(enumeration, "resum_underflowed",
                        lambda rows, *args: resummed.append(len(rows)) or original(rows, *args))
    assert exact.log_partition(Q) == pytest.approx(plain, rel=1e-14)
    assert resummed[0] > 0                           # the case this test is about: rows did underflow


@pytest.mark.parametrize("kind, beta", [("random", 1.0), ("random", 3.0), ("conflicted", 1.0)])
def test_factorised_log_partition_over_many_blocks_matches_brute_force(rng, monkeypatch, kind, beta):
    bm = conflicted_bm(rng) if kind == "conflicted" else \
        qbm.BoltzmannMachine(12, weights=rng.normal(0, 30, 66), biases=rng.normal(0, 30, 12))
    expected = brute_log_z(bm, beta)
    assert np.isclose(qbm.log_partition(bm, beta), expected, rtol=1e-12)
    monkeypatch.setattr(enumeration, "_SUMMED_BITS", 5)          # 7 leading units in blocks of 4: 32 blocks
    monkeypatch.setattr(enumeration, "_LEADING_BITS", 2)
    monkeypatch.setattr(enumeration, "_LEADING_STATES_PER_BLOCK", 4)
    assert np.isclose(qbm.log_partition(bm, beta), expected, rtol=1e-12)


@pytest.mark.parametrize("scale", [0.5, 40.0, 400.0])      # products of 1 + e^f; few factors per log; exp per entry
def test_rbm_log_partition_in_every_regime_matches_brute_force(rng, monkeypatch, scale):
    rbm = qbm.RBM(9, 5, weights=rng.normal(0, scale, (9, 5)), visible_bias=rng.normal(0, scale, 9),
                  hidden_bias=rng.normal(0, scale, 5))
    expected = brute_log_z(rbm)
    assert np.isclose(qbm.log_partition(rbm), expected, rtol=1e-12)
    monkeypatch.setattr(layer_sums, "BLOCK_ENTRIES", 20)          # 20 entries of 9 fields: 1 trailing unit, 16 blocks
    assert layer_sums.smaller_layer(rbm).num_blocks == 16
    assert np.isclose(qbm.log_partition(rbm), expected, rtol=1e-12)
    assert np.allclose(qbm.log_likelihood(rbm, all_bit_states(9)[::13]),
                       np.mean(-rbm.free_energy(all_bit_states(9)[::13])) - expected, rtol=1e-12)


def test_distribution_rows_are_states_in_counting_order(rng):
    bm = random_bm(rng, 3, 2)
    states, energies, probabilities = qbm.distribution(bm, beta=2.0)
    assert np.array_equal(states, all_bit_states(5))
    assert np.allclose(energies, bm.energy(states))
    assert np.allclose(probabilities, np.exp(-2 * energies - brute_log_z(bm, 2.0)))
    spin_states, _, _ = qbm.distribution(bm.to_ising())
    assert np.array_equal(spin_states, 2 * all_bit_states(5) - 1)


def _brute_marginals(model, data):
    s = all_bit_states(model.n_units)
    log_weights = -model.energy(s)
    log_z = logsumexp(log_weights)
    return np.array([logsumexp(log_weights[np.all(s[:, :model.n_visible] == v, axis=1)]) - log_z for v in data])


@pytest.mark.parametrize("kind", ["rbm_small_hidden", "rbm_small_visible", "bm_hidden", "bm_visible"])
def test_log_likelihood_matches_brute_force(rng, kind):
    model = {"rbm_small_hidden": lambda: random_rbm(rng, 6, 2),
             "rbm_small_visible": lambda: random_rbm(rng, 2, 6),
             "bm_hidden": lambda: random_bm(rng, 4, 3),
             "bm_visible": lambda: random_bm(rng, 5, 0)}[kind]()
    data = all_bit_states(model.n_visible)[rng.permutation(2 ** model.n_visible)[:5]]
    assert np.isclose(qbm.log_likelihood(model, data), _brute_marginals(model, data).mean())


def test_log_likelihood_sums_to_one_over_visible_states(rng):
    model = random_bm(rng, 4, 2)
    v = all_bit_states(4)
    per_state = [qbm.log_likelihood(model, row[None, :]) for row in v]
    assert np.isclose(logsumexp(per_state), 0.0)


def test_log_likelihood_of_wide_rbm_is_fast_path():
    rbm = qbm.RBM(64, 16, random_state=0)
    value = qbm.log_likelihood(rbm, np.random.default_rng(0).integers(0, 2, (50, 64)))
    assert np.isfinite(value) and value < 0


def test_hamiltonian_diagonal_matches_pauli_kronecker_products(rng):
    n = 4
    h = rng.normal(size=n)
    J = np.triu(rng.normal(size=(n, n)), 1)
    z, one = np.diag([-1.0, 1.0]), np.eye(2)

    def z_on(*qubits):
        matrix = np.ones((1, 1))
        for q in range(n):
            matrix = np.kron(matrix, z if q in qubits else one)
        return matrix

    H = 0.7 * np.eye(2 ** n)
    for a in range(n):
        H += h[a] * z_on(a)
        for b in range(a + 1, n):
            H += J[a, b] * z_on(a, b)
    assert np.allclose(qbm.hamiltonian_diagonal(h, J, 0.7), np.diag(H))


def test_exact_sampler_api_and_distribution(rng):
    sampler = qbm.ExactSampler()
    assert_sampler_api(sampler)
    bm = random_bm(rng, 4, 2)
    _, _, probabilities = qbm.distribution(bm, beta=0.8)
    sampleset = sampler.sample(bm.to_bqm(), num_reads=40000, beta=0.8, seed=1)
    assert_energies(sampleset, bm.to_bqm())
    assert sampleset_total_variation(sampleset, probabilities) < 0.02


def test_exact_sampler_sums_out_an_independent_set_exactly(rng, monkeypatch):
    """A sparse non-bipartite model (odd cycles, as an embedded problem's chains make) enumerates only a vertex
    cover, the uncoupled rest summed out; its draws follow the exact distribution, also over several blocks."""
    edges = [(i, (i + 1) % 10) for i in range(10)] + [(0, 4)]      # a 10-cycle with a chord: a 5-cycle in it
    bm = qbm.BoltzmannMachine(10, edges=edges, weights=rng.normal(0, 1.5, len(edges)),
                              biases=rng.normal(0, 1, 10))
    Q, _, _ = qbm.qubo_matrix(bm.to_bqm())
    assert 4 <= len(draws.independent_units(Q)) < 10
    _, _, probabilities = qbm.distribution(bm)
    monkeypatch.setattr(enumeration, "BLOCK_ENTRIES", 8)
    monkeypatch.setattr(enumeration, "_LOW_BITS", 2)
    sampleset = qbm.ExactSampler().sample(bm.to_bqm(), num_reads=200000, seed=2)
    assert_energies(sampleset, bm.to_bqm())
    assert sampleset_total_variation(sampleset, probabilities) < 0.03


def test_exact_sampler_spin_bqm_and_string_labels(rng):
    bqm = dimod.BinaryQuadraticModel({"a": -2.0, "b": 0.5}, {("a", "b"): 0.25}, 0.0, "SPIN")
    sampleset = qbm.ExactSampler().sample(bqm, num_reads=2000, seed=3)
    assert sampleset.vartype is dimod.SPIN
    assert set(sampleset.variables) == {"a", "b"}
    assert set(np.unique(sampleset.record.sample)) <= {-1, 1}
    p_a_up = np.mean(sampleset.record.sample[:, sampleset.variables.index("a")] == 1)
    exact_states, _, probs = qbm.distribution(bqm)
    expected = probs[exact_states[:, list(bqm.variables).index("a")] == 1].sum()
    assert abs(p_a_up - expected) < 0.03


def test_exact_sampler_multi_block_is_exact(rng, monkeypatch):
    monkeypatch.setattr(enumeration, "BLOCK_ENTRIES", 8)
    monkeypatch.setattr(enumeration, "_LOW_BITS", 2)
    bm = random_bm(rng, 5, 0, density=1.0)
    _, _, probabilities = qbm.distribution(bm)
    sampleset = qbm.ExactSampler().sample(bm.to_bqm(), num_reads=30000, seed=5)
    assert sampleset_total_variation(sampleset, probabilities) < 0.02


def test_exact_sampler_same_seed_same_samples():
    bqm = qbm.RBM(5, 3, random_state=0).to_bqm()
    first = qbm.ExactSampler().sample(bqm, num_reads=50, seed=11).record.sample
    assert np.array_equal(first, qbm.ExactSampler().sample(bqm, num_reads=50, seed=11).record.sample)
    assert not np.array_equal(first, qbm.ExactSampler().sample(bqm, num_reads=50, seed=12).record.sample)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: qbm.log_partition(qbm.BoltzmannMachine(40)), ValueError, "40 units enumerated .* treewidth at least 39"),
        (lambda: qbm.log_partition(qbm.RBM(40, 40)), ValueError, "treewidth at least 40"),
        (lambda: qbm.distribution(qbm.BoltzmannMachine(25, edges=[])), ValueError, "at most 24"),
        (lambda: qbm.log_partition([[1.0]], beta=-1), ValueError, "beta must be a finite positive"),
        (lambda: qbm.log_likelihood(qbm.RBM(3, 2), [[0, 1]]), ValueError, "data must have 3 columns"),
        (lambda: qbm.log_likelihood(qbm.RBM(3, 2), [0, 1, 1]), ValueError, "data must be 2-D"),
        (lambda: qbm.log_likelihood(qbm.RBM(3, 2), np.zeros((0, 3))), ValueError, "at least one row"),
        (lambda: qbm.log_likelihood(qbm.RBM(3, 2), [[0, 1, 3]]), ValueError, "only 0 and 1"),
        (lambda: qbm.log_likelihood(np.eye(3), [[0, 1, 1]]), TypeError, "model must be an RBM"),
        (lambda: qbm.hamiltonian_diagonal([0.0, 1.0], [[1.0, 0.0], [0.0, 0.0]]), ValueError, "zero diagonal"),
        (lambda: qbm.ExactSampler().sample(qbm.RBM(2, 1).to_bqm(), num_reads=0), ValueError, "num_reads must be at least 1"),
        (lambda: qbm.ExactSampler().sample(qbm.RBM(2, 1).to_bqm(), seed=-3), ValueError, "seed must be a non-negative"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_exact_sampler_bipartite_path_is_exact(rng):
    rbm = random_rbm(rng, 6, 4)
    _, _, probabilities = qbm.distribution(rbm)
    sampleset = qbm.ExactSampler().sample(rbm.to_bqm(), num_reads=50000, seed=2)
    assert sampleset_total_variation(sampleset, probabilities) < 0.03


def test_exact_sampler_handles_a_wide_rbm_quickly():
    rbm = qbm.RBM(200, 3, random_state=0)   # 2**203 states; only the 3-unit side is enumerated
    sampleset = qbm.ExactSampler().sample(rbm.to_bqm(), num_reads=20, seed=0)
    assert sampleset.record.sample.shape == (20, 203)
