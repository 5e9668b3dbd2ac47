import dimod
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

import qbm
from conftest import all_bit_states, bm_couplings, brute_energy, rbm_biases, rbm_couplings


def random_rbm(rng, n_visible=4, n_hidden=3, scale=1.0):
    return qbm.RBM(n_visible, n_hidden, weights=rng.normal(0, scale, (n_visible, n_hidden)),
                   visible_bias=rng.normal(0, scale, n_visible), hidden_bias=rng.normal(0, scale, n_hidden))


def random_bm(rng, n_visible=3, n_hidden=2, density=0.7):
    n = n_visible + n_hidden
    pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < density])
    return qbm.BoltzmannMachine(n_visible, n_hidden, pairs, weights=rng.normal(0, 1, len(pairs)),
                                biases=rng.normal(0, 1, n))


def test_rbm_energy_matches_brute_force_in_every_form(rng):
    rbm = random_rbm(rng)
    s = all_bit_states(rbm.n_units)
    expected = np.array([brute_energy(rbm_biases(rbm), rbm_couplings(rbm), state) for state in s])
    assert np.allclose(rbm.energy(s), expected)
    assert np.allclose(rbm.energy(s[:, :4], s[:, 4:]), expected)
    assert np.allclose(qbm.energies(rbm.to_bqm(), s), expected)
    Q, offset = rbm.to_qubo()
    assert np.allclose(qbm.energies(Q, s) + offset, expected)
    assert np.allclose(qbm.energies(rbm.to_ising(), 2 * s - 1), expected)


def test_bm_energy_matches_brute_force_in_every_form(rng):
    bm = random_bm(rng)
    s = all_bit_states(bm.n_units)
    expected = np.array([brute_energy(bm.biases, bm_couplings(bm), state) for state in s])
    assert np.allclose(bm.energy(s), expected)
    assert np.allclose(qbm.energies(bm.to_bqm(), s), expected)
    assert np.allclose(qbm.energies(bm.to_qubo()[0], s), expected)
    assert np.allclose(qbm.energies(bm.to_ising(), 2 * s - 1), expected)


def test_beta_scales_every_form(rng):
    bm = random_bm(rng)
    s = all_bit_states(bm.n_units)
    for beta in (0.5, 3.0):
        assert np.allclose(qbm.energies(bm.to_bqm(beta), s), beta * bm.energy(s))
        assert np.allclose(qbm.energies(bm.to_ising(beta), 2 * s - 1), beta * bm.energy(s))


def test_rbm_conditionals_are_brute_force_marginals(rng):
    rbm = random_rbm(rng)
    s = all_bit_states(rbm.n_units)
    weights = np.exp(-rbm.energy(s))
    for v in all_bit_states(rbm.n_visible):
        rows = np.all(s[:, :4] == v, axis=1)
        p_h = (weights[rows, None] * s[rows, 4:]).sum(0) / weights[rows].sum()
        assert np.allclose(rbm.hidden_probabilities(v), p_h)
    for h in all_bit_states(rbm.n_hidden):
        rows = np.all(s[:, 4:] == h, axis=1)
        p_v = (weights[rows, None] * s[rows, :4]).sum(0) / weights[rows].sum()
        assert np.allclose(rbm.visible_probabilities(h), p_v)


def test_free_energy_is_log_sum_over_hidden(rng):
    rbm = random_rbm(rng)
    hidden = all_bit_states(rbm.n_hidden)
    for v in all_bit_states(rbm.n_visible):
        energies = rbm.energy(np.tile(v, (len(hidden), 1)), hidden)
        assert np.isclose(rbm.free_energy(v), -logsumexp(-energies))


def test_bm_local_fields_give_brute_force_conditionals(rng):
    bm = random_bm(rng)
    s = all_bit_states(bm.n_units)
    for state in s[::5]:
        for i in range(bm.n_units):
            on, off = state.copy(), state.copy()
            on[i], off[i] = 1, 0
            p_on = 1 / (1 + np.exp(bm.energy(on) - bm.energy(off)))
            assert np.isclose(1 / (1 + np.exp(-bm.local_fields(state)[i])), p_on)


def test_sampling_conditionals_matches_probabilities(rng):
    rbm = random_rbm(rng)
    v = np.tile([1.0, 0.0, 1.0, 1.0], (20000, 1))
    draws = rbm.sample_hidden(v, random_state=0)
    assert set(np.unique(draws)) <= {0.0, 1.0}
    assert np.allclose(draws.mean(0), rbm.hidden_probabilities(v[0]), atol=0.015)
    assert np.array_equal(draws, rbm.sample_hidden(v, random_state=0))
    h = np.tile([0.0, 1.0, 1.0], (20000, 1))
    assert np.allclose(rbm.sample_visible(h, random_state=1).mean(0), rbm.visible_probabilities(h[0]), atol=0.015)


def test_complete_graph_and_fully_visible_bm():
    bm = qbm.BoltzmannMachine(5, random_state=0)
    assert bm.n_hidden == 0 and len(bm.edges) == 10
    assert np.all(bm.edges[:, 0] < bm.edges[:, 1])


def test_edges_are_stored_upper_with_weights_aligned():
    bm = qbm.BoltzmannMachine(3, edges=[(2, 0), (0, 1)], weights=[5.0, 7.0])
    assert bm.edges.tolist() == [[0, 2], [0, 1]]
    assert bm.to_bqm().quadratic[(0, 2)] == -5.0


@pytest.mark.parametrize("model_type", ["rbm", "bm"])
def test_from_bqm_round_trip(rng, model_type):
    model = random_rbm(rng) if model_type == "rbm" else random_bm(rng)
    back = type(model).from_bqm(model.to_bqm(), model.n_visible)
    for name, value in model.parameters().items():
        assert np.allclose(back.parameters()[name], value), name
    spin_bqm = model.to_bqm().change_vartype("SPIN", inplace=False)
    s = all_bit_states(model.n_units)
    assert np.allclose(type(model).from_bqm(spin_bqm, model.n_visible).energy(s), model.energy(s))


def test_rbm_from_bqm_rejects_intra_layer_coupling():
    bqm = dimod.BinaryQuadraticModel({0: 0, 1: 0, 2: 0}, {(0, 1): 1.0}, 0, "BINARY")
    with pytest.raises(ValueError, match="not bipartite"):
        qbm.RBM.from_bqm(bqm, n_visible=2)


def test_from_bqm_rejects_unknown_labels():
    bqm = dimod.BinaryQuadraticModel({"a": 0, "b": 0}, {}, 0, "BINARY")
    with pytest.raises(ValueError, match="unit indices"):
        qbm.BoltzmannMachine.from_bqm(bqm, 1)


def test_rbm_bqm_matches_from_numpy_vectors():
    rbm = qbm.RBM(30, 20, random_state=0)
    rows, cols = np.nonzero(np.ones((30, 20)))
    reference = dimod.BinaryQuadraticModel.from_numpy_vectors(
        -np.concatenate([rbm.visible_bias, rbm.hidden_bias]), (rows, cols + 30, -rbm.weights[rows, cols]), 0.0, "BINARY")
    assert rbm.to_bqm() == reference


@pytest.mark.parametrize("model_type", ["rbm", "bm", "visible_bm"])
def test_save_load_is_lossless(tmp_path, rng, model_type):
    model = {"rbm": lambda: random_rbm(rng, 7, 5), "bm": lambda: random_bm(rng),
             "visible_bm": lambda: qbm.BoltzmannMachine(4, random_state=3)}[model_type]()
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = qbm.load(path)
    assert type(loaded) is type(model)
    assert (loaded.n_visible, loaded.n_hidden) == (model.n_visible, model.n_hidden)
    for name, value in model.parameters().items():
        assert loaded.parameters()[name].tobytes() == value.tobytes()
    if model_type != "rbm":
        assert np.array_equal(loaded.edges, model.edges)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_save_replaces_atomically_and_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    qbm.RBM(3, 2, random_state=0).save(path)
    before = path.read_bytes()

    def broken_savez(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        qbm.RBM(3, 2, random_state=1).save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_load_rejects_corrupt_and_foreign_files(tmp_path):
    model_path = tmp_path / "model.npz"
    qbm.RBM(3, 2, random_state=0).save(model_path)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(model_path.read_bytes()[:100])
    with pytest.raises(ValueError, match="not a readable qbm model file"):
        qbm.load(truncated)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, x=np.zeros(3))
    with pytest.raises(ValueError, match="no known model_type"):
        qbm.load(foreign)
    with pytest.raises(FileNotFoundError, match="no model file"):
        qbm.load(tmp_path / "missing.npz")


def test_copy_is_independent(rng):
    rbm = random_rbm(rng)
    clone = rbm.copy()
    clone.weights += 1
    assert not np.allclose(clone.weights, rbm.weights)


def test_same_seed_same_initial_weights():
    assert np.array_equal(qbm.RBM(5, 4, random_state=7).weights, qbm.RBM(5, 4, random_state=7).weights)
    bm_a, bm_b = qbm.BoltzmannMachine(4, 2, random_state=7), qbm.BoltzmannMachine(4, 2, random_state=7)
    assert np.array_equal(bm_a.weights, bm_b.weights)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_rbm_and_equivalent_bm_agree(n_visible, n_hidden, seed):
    rbm = random_rbm(np.random.default_rng(seed), n_visible, n_hidden)
    bm = qbm.BoltzmannMachine.from_bqm(rbm.to_bqm(), n_visible)
    s = all_bit_states(rbm.n_units)
    assert np.allclose(bm.energy(s), rbm.energy(s))
    assert np.isclose(qbm.log_partition(bm), qbm.log_partition(rbm))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: qbm.RBM(0, 2), ValueError, "n_visible must be at least 1"),
        (lambda: qbm.RBM(2.5, 2), TypeError, "n_visible must be an integer"),
        (lambda: qbm.RBM(3, 2, weights=np.zeros((2, 3))), ValueError, "weights must have shape"),
        (lambda: qbm.RBM(2, 2, weights=[[np.nan, 0], [0, 0]]), ValueError, "weights must contain only finite"),
        (lambda: qbm.RBM(2, 2, hidden_bias=[np.inf, 0]), ValueError, "hidden_bias must contain only finite"),
        (lambda: qbm.RBM(2, 2, visible_bias=[0, 0, 0]), ValueError, "visible_bias must have shape"),
        (lambda: qbm.RBM(2, 2, random_state="seed"), TypeError, "random_state must be"),
        (lambda: qbm.RBM(2, 2).energy([[0, 1, 1]]), ValueError, "states must have 4 columns"),
        (lambda: qbm.RBM(2, 2).energy([[0, 1, 0.5, 1]]), ValueError, "states must contain only 0 and 1"),
        (lambda: qbm.RBM(2, 2).hidden_probabilities([[0, 1.5]]), ValueError, r"v must contain values in \[0, 1\]"),
        (lambda: qbm.RBM(2, 2).free_energy(np.zeros((1, 1, 2))), ValueError, "v must be 1-D or 2-D"),
        (lambda: qbm.RBM(2, 2).to_bqm(beta=0), ValueError, "beta must be a finite positive"),
        (lambda: qbm.RBM(2, 2).to_bqm(beta=np.nan), ValueError, "beta must be a finite positive"),
        (lambda: qbm.BoltzmannMachine(3, edges=[(0, 0)]), ValueError, "self-loops"),
        (lambda: qbm.BoltzmannMachine(3, edges=[(0, 1), (1, 0)]), ValueError, "repeat a pair"),
        (lambda: qbm.BoltzmannMachine(3, edges=[(0, 3)]), ValueError, r"unit indices in 0..2"),
        (lambda: qbm.BoltzmannMachine(3, edges=[(0, 1, 2)]), ValueError, r"shape \(m, 2\)"),
        (lambda: qbm.BoltzmannMachine(3, edges="ring"), ValueError, "edges must be 'complete'"),
        (lambda: qbm.BoltzmannMachine(3, edges=[(0.5, 1)]), TypeError, "integer unit indices"),
        (lambda: qbm.BoltzmannMachine(3, weights=[1.0]), ValueError, "weights must have shape"),
        (lambda: qbm.BoltzmannMachine(3, biases=[0, 0]), ValueError, "biases must have shape"),
        (lambda: qbm.BoltzmannMachine(2, n_hidden=-1), ValueError, "n_hidden must be at least 0"),
        (lambda: qbm.RBM.from_bqm({"a": 1}, 1), TypeError, "bqm must be a dimod.BinaryQuadraticModel"),
        (lambda: qbm.RBM.from_bqm(qbm.RBM(2, 2).to_bqm(), 4), ValueError, "n_visible must be less"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
