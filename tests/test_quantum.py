"""The exact quantum layer against independent references: the classical layer at Γ = 0, the
analytic one-qubit results, and ``scipy.linalg.expm`` of a Hamiltonian built from Pauli matrices."""
from functools import reduce

import neal
import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

import qbm
from qbm.quantum import (BoundPhase, ExactQuantumPhase, QuantumBoltzmannMachine, TrotterPhase, bound_log_likelihood,
                         expectations, log_likelihood, log_partition, probabilities, trotter_bqm)
from conftest import all_bit_states

PAULI_X = np.array([[0.0, 1.0], [1.0, 0.0]])
PAULI_Z = np.diag([-1.0, 1.0])   # bit 0 ↦ σᶻ = −1


def on_qubit(operator, qubit, n):
    """``operator`` acting on ``qubit`` of ``n`` (qubit 0 the leftmost factor)."""
    return reduce(np.kron, [operator if k == qubit else np.eye(2) for k in range(n)])


def reference_hamiltonian(model):
    """``Σ h_a Z_a + Σ J_ab Z_a Z_b + offset − Σ Γ_a X_a`` from Kronecker products of Pauli matrices."""
    h, J, offset = model.classical_part().to_ising()
    n = model.n_units
    H = offset * np.eye(2 ** n)
    for a in range(n):
        H += h[a] * on_qubit(PAULI_Z, a, n) - model.transverse_field[a] * on_qubit(PAULI_X, a, n)
        for b in range(a + 1, n):
            H += J[a, b] * on_qubit(PAULI_Z, a, n) @ on_qubit(PAULI_Z, b, n)
    return H


def random_model(n_visible, n_hidden, seed):
    rng = np.random.default_rng(seed)
    n = n_visible + n_hidden
    return QuantumBoltzmannMachine(n_visible, n_hidden, transverse_field=rng.uniform(0.2, 2.0, n),
                                   weights=rng.normal(0, 1.0, n * (n - 1) // 2), biases=rng.normal(0, 1.0, n))


@pytest.mark.parametrize("n_visible, n_hidden, beta", [(3, 0, 1.0), (4, 2, 0.7), (5, 3, 1.5)])
def test_exact_layer_matches_the_matrix_exponential(n_visible, n_hidden, beta):
    model = random_model(n_visible, n_hidden, seed=n_visible)
    n = model.n_units
    rho = scipy.linalg.expm(-beta * reference_hamiltonian(model))
    z = np.trace(rho)
    rho /= z
    assert log_partition(model, beta) == pytest.approx(np.log(z), abs=1e-10)
    marginal = np.diag(rho).reshape(2 ** n_visible, 2 ** n_hidden).sum(axis=1)
    assert np.allclose(probabilities(model, beta), marginal, atol=1e-10)
    stats = expectations(model, beta)
    for a in range(n):
        assert stats["sigma_z"][a] == pytest.approx(np.trace(rho @ on_qubit(PAULI_Z, a, n)), abs=1e-10)
        assert stats["sigma_x"][a] == pytest.approx(np.trace(rho @ on_qubit(PAULI_X, a, n)), abs=1e-10)
    for k, (a, b) in enumerate(model.edges):
        zz = on_qubit(PAULI_Z, a, n) @ on_qubit(PAULI_Z, b, n)
        assert stats["sigma_zz"][k] == pytest.approx(np.trace(rho @ zz), abs=1e-10)


def test_zero_transverse_field_is_the_classical_model():
    model = random_model(4, 3, seed=9)
    model.transverse_field[:] = 0.0
    classical = qbm.BoltzmannMachine(4, 3, weights=model.weights, biases=model.biases)
    visible = all_bit_states(4)
    assert log_partition(model) == pytest.approx(qbm.log_partition(classical), abs=1e-10)
    assert np.allclose(np.log(probabilities(model)), qbm.exact.log_probabilities(classical, visible), atol=1e-10)
    data = visible[[1, 5, 5, 12]]
    assert log_likelihood(model, data) == pytest.approx(qbm.log_likelihood(classical, data), abs=1e-10)
    classical_stats = qbm.exact.expectations(classical)
    stats = expectations(model)
    assert np.allclose((stats["sigma_z"] + 1) / 2, classical_stats["biases"], atol=1e-10)
    assert np.allclose(stats["sigma_x"], 0.0, atol=1e-12)


@pytest.mark.parametrize("h, gamma, beta", [(0.3, 0.8, 1.0), (-1.2, 0.5, 2.0), (0.0, 1.5, 0.5)])
def test_one_qubit_against_the_analytic_formulas(h, gamma, beta):
    # a single unit of bias b has Ising field h = −b/2 and offset −b/2
    model = QuantumBoltzmannMachine(1, transverse_field=gamma, biases=[-2 * h])
    offset = h
    d = np.hypot(h, gamma)
    assert log_partition(model, beta) == pytest.approx(-beta * offset + np.log(2 * np.cosh(beta * d)), abs=1e-12)
    stats = expectations(model, beta)
    assert stats["sigma_z"][0] == pytest.approx(-h / d * np.tanh(beta * d), abs=1e-12)
    assert stats["sigma_x"][0] == pytest.approx(gamma / d * np.tanh(beta * d), abs=1e-12)


def test_save_and_load_round_trip(tmp_path):
    model = random_model(3, 2, seed=4)
    model.save(tmp_path / "qbm.npz")
    again = qbm.load(tmp_path / "qbm.npz")
    assert type(again) is QuantumBoltzmannMachine
    for name in model.parameter_names:
        assert np.array_equal(getattr(again, name), getattr(model, name))
    assert log_partition(again) == log_partition(model)


@pytest.mark.parametrize("call, error, message", [
    (lambda: QuantumBoltzmannMachine(3, transverse_field=[1.0, 2.0]), ValueError, "one value per unit"),
    (lambda: QuantumBoltzmannMachine(3, transverse_field=np.nan), ValueError, "finite"),
    (lambda: log_partition(QuantumBoltzmannMachine(13)), ValueError, "at most 12 units"),
    (lambda: log_partition(qbm.BoltzmannMachine(3)), TypeError, "QuantumBoltzmannMachine"),
    (lambda: log_likelihood(QuantumBoltzmannMachine(2), [[0, 2]]), ValueError, "only 0 and 1"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def finite_difference_gradient(model, data, beta, step=1e-5):
    gradient = {}
    for name in model.parameter_names:
        values = getattr(model, name)
        grad = np.zeros_like(values)
        for k in range(len(values)):
            original = values[k]
            values[k] = original + step
            up = log_likelihood(model, data, beta)
            values[k] = original - step
            down = log_likelihood(model, data, beta)
            values[k] = original
            grad[k] = (up - down) / (2 * step)
        gradient[name] = grad
    return gradient


@pytest.mark.parametrize("n_visible, n_hidden, beta", [(3, 0, 1.0), (3, 2, 0.8), (4, 1, 1.3)])
def test_exact_gradient_matches_finite_differences(n_visible, n_hidden, beta):
    model = random_model(n_visible, n_hidden, seed=20 + n_visible + n_hidden)
    data = all_bit_states(n_visible)[[0, 3, 3, 5, 6]]
    phase = ExactQuantumPhase(beta)
    gradient = qbm.gradient(phase, model, data)
    expected = finite_difference_gradient(model, data, beta)
    for name in model.parameter_names:
        assert np.allclose(beta * gradient[name], expected[name], atol=1e-6), name


def test_exact_phase_at_zero_field_is_the_classical_exact_phase():
    model = random_model(3, 2, seed=5)
    model.transverse_field[:] = 0.0
    classical = qbm.BoltzmannMachine(3, 2, weights=model.weights, biases=model.biases)
    data = all_bit_states(3)[[1, 2, 7]]
    quantum = qbm.gradient(ExactQuantumPhase(), model, data)
    exact = qbm.gradient(qbm.ExactPhase(), classical, data)
    for name in ("weights", "biases"):
        assert np.allclose(quantum[name], exact[name], atol=1e-10)


def semi_restricted(n_visible, n_hidden, seed, field=1.0):
    """Visible–visible and visible–hidden couplings, no hidden–hidden ones; Γ on the hidden units."""
    rng = np.random.default_rng(seed)
    n = n_visible + n_hidden
    edges = [(i, j) for i in range(n_visible) for j in range(i + 1, n)]
    transverse = np.concatenate([np.zeros(n_visible), rng.uniform(0.3, 2.0, n_hidden) * field])
    return QuantumBoltzmannMachine(n_visible, n_hidden, edges, transverse_field=transverse,
                                   weights=rng.normal(0, 1.0, len(edges)), biases=rng.normal(0, 1.0, n))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), field=st.floats(0.1, 3.0), rows=st.lists(st.integers(0, 7), min_size=1, max_size=6))
def test_the_bound_is_below_the_exact_log_likelihood_and_tight_without_a_field(seed, field, rows):
    model = semi_restricted(3, 3, seed, field)
    data = all_bit_states(3)[rows]
    assert bound_log_likelihood(model, data) <= log_likelihood(model, data) + 1e-12
    model.transverse_field[:] = 0.0
    assert bound_log_likelihood(model, data) == pytest.approx(log_likelihood(model, data), abs=1e-10)


def test_the_bound_gradient_matches_finite_differences_of_the_bound():
    model = semi_restricted(3, 2, seed=7)
    data = all_bit_states(3)[[1, 4, 4, 6]]
    gradient = qbm.gradient(BoundPhase(), model, data)
    step = 1e-5
    for name in ("weights", "biases"):
        values = getattr(model, name)
        for k in range(len(values)):
            original = values[k]
            values[k] = original + step
            up = bound_log_likelihood(model, data)
            values[k] = original - step
            down = bound_log_likelihood(model, data)
            values[k] = original
            assert gradient[name][k] == pytest.approx((up - down) / (2 * step), abs=1e-6), (name, k)
    assert not gradient["transverse_field"].any()   # held fixed


def test_the_bound_needs_a_model_without_hidden_pairs():
    with pytest.raises(ValueError, match="hidden–hidden"):
        bound_log_likelihood(QuantumBoltzmannMachine(2, 2, random_state=0), [[0, 1]])


def transfer_matrix_marginal(model, slices, beta=1.0):
    """σᶻ distribution of one slice of the Trotterized model, from ``(A B)^M`` with
    ``A = diag(e^{−εE})`` and ``B = ⊗ [[cosh εΓ, sinh εΓ], [sinh εΓ, cosh εΓ]]`` (independent of the BQM)."""
    epsilon = beta / slices
    energies = qbm.hamiltonian_diagonal(*model.classical_part().to_ising())
    B = reduce(np.kron, [np.array([[np.cosh(epsilon * g), np.sinh(epsilon * g)],
                                   [np.sinh(epsilon * g), np.cosh(epsilon * g)]]) for g in model.transverse_field])
    product = np.linalg.matrix_power(np.diag(np.exp(-epsilon * energies)) @ B, slices)
    return np.diag(product) / np.trace(product)


@pytest.mark.parametrize("slices, fields", [(1, [1.0, 0.7, 1.3]), (2, [1.0, 0.7, 1.3]), (3, [0.9, 0.0, 1.2]),
                                            (4, [0.4, 1.1, 0.0])])
def test_the_trotter_bqm_is_the_transfer_matrix_model(slices, fields):
    rng = np.random.default_rng(slices)
    model = QuantumBoltzmannMachine(3, transverse_field=fields, weights=rng.normal(0, 1, 3), biases=rng.normal(0, 1, 3))
    bqm = trotter_bqm(model, slices, beta=1.2)
    states, _, probs = qbm.distribution(bqm)
    labels = qbm.convert.qubo_matrix(bqm)[2]
    slice0 = states[:, [labels.index((unit, 0)) for unit in range(3)]]
    index = ((slice0 + 1) // 2) @ np.array([4, 2, 1])
    marginal = np.bincount(index, weights=probs, minlength=8)
    assert np.allclose(marginal, transfer_matrix_marginal(model, slices, beta=1.2), atol=1e-10)


def test_trotter_error_falls_like_one_over_m_squared():
    model = random_model(6, 0, seed=11)
    exact = np.diag(scipy.linalg.expm(-reference_hamiltonian(model)))
    exact = exact / exact.sum()
    sizes = np.array([4, 8, 16, 32])
    errors = [np.abs(transfer_matrix_marginal(model, m) - exact).sum() for m in sizes]
    slope = np.polyfit(np.log(sizes), np.log(errors), 1)[0]
    assert slope == pytest.approx(-2.0, abs=0.15)


def test_trotter_phase_statistics_approach_the_exact_ones():
    model = random_model(4, 0, seed=3)
    exact = ExactQuantumPhase().statistics(model, None)
    phase = TrotterPhase(qbm.GibbsSampler(), slices=12, num_reads=3000, num_sweeps=2000, beta=1.0)  # stiff slices mix slowly
    sampled = phase.statistics(model, None, random_state=0)
    assert np.allclose(sampled["biases"], exact["biases"], atol=0.04)
    assert np.allclose(sampled["weights"], exact["weights"], atol=0.04)
    assert np.allclose(sampled["transverse_field"], exact["transverse_field"], atol=0.06)
    with pytest.raises(TypeError, match="BoundPhase"):
        phase.data_statistics(model, [[0, 1, 0, 1]])


@pytest.mark.filterwarnings("ignore:.*samples come out at")
def test_trotter_phase_runs_through_neal_and_the_qpu_path():
    from qbm.samplers import QPUSampler
    from qbm.samplers.testing import mock_qpu

    model = random_model(3, 0, seed=1)
    for sampler, options in ((neal.SimulatedAnnealingSampler(), {"num_sweeps": 100}), (QPUSampler(mock_qpu(3)), {})):
        stats = TrotterPhase(sampler, slices=4, num_reads=50, **options).statistics(model, None, random_state=0)
        assert stats["weights"].shape == (3,) and np.all((stats["biases"] >= 0) & (stats["biases"] <= 1))
        assert np.all(stats["transverse_field"] > 0)


def test_trotter_phase_rejects_a_misspelt_sampler_option():
    with pytest.raises(TypeError, match="GibbsSampler takes no keyword argument.* num_swepes"):
        TrotterPhase(qbm.GibbsSampler(), num_swepes=20)
