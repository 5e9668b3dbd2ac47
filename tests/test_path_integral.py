"""PathIntegralPhase (dwave-samplers' worldline sampler) against the exact quantum layer."""
import numpy as np
import pytest

import qbm
from qbm.quantum import BoundPhase, ExactQuantumPhase, PathIntegralPhase, QuantumBoltzmannMachine, make_quantum_phase


def random_qbm(n: int, field: float, seed: int) -> QuantumBoltzmannMachine:
    rng = np.random.default_rng(seed)
    model = QuantumBoltzmannMachine(n, transverse_field=field, random_state=seed)
    model.weights[:] = rng.normal(0, 0.7, len(model.weights))
    model.biases[:] = rng.normal(0, 0.7, n)
    return model


def z_scores(model: QuantumBoltzmannMachine, phase: PathIntegralPhase, seed: int) -> np.ndarray:
    """(estimate − exact) / standard error of every statistic, the errors those of independent reads."""
    exact = ExactQuantumPhase(phase.beta).statistics(model, None)
    estimate = phase.statistics(model, None, random_state=seed)
    reads = phase.num_reads
    p = estimate["biases"]
    pair = estimate["weights"]
    errors = [np.sqrt(np.maximum(p * (1 - p), 1e-4) / reads), np.sqrt(np.maximum(pair * (1 - pair), 1e-4) / reads)]
    sigma_x = np.abs(estimate["transverse_field"])
    field = abs(model.transverse_field[0])
    # flips are about Poisson: var(k) ≈ ⟨k⟩, so var(⟨σˣ⟩) ≈ ⟨σˣ⟩ / (βΓ) per read, plus the spread of ⟨k⟩ itself
    errors.append(np.sqrt((sigma_x / (phase.beta * field) + sigma_x ** 2) / reads))
    differences = [estimate[name] - exact[name] for name in ("biases", "weights", "transverse_field")]
    return np.concatenate(differences) / np.concatenate(errors)


@pytest.mark.parametrize("field", [0.2, 2.0])
def test_statistics_match_the_exact_layer(field):
    model = random_qbm(8, field, seed=1)
    assert np.max(np.abs(z_scores(model, PathIntegralPhase(num_reads=1500, num_sweeps=100), seed=2))) < 4.5


@pytest.mark.slow
@pytest.mark.parametrize("n, field", [(10, 0.2), (10, 0.7), (10, 2.0), (9, 1.3)])
def test_statistics_match_the_exact_layer_at_ten_units(n, field):
    model = random_qbm(n, field, seed=n)
    assert np.max(np.abs(z_scores(model, PathIntegralPhase(num_reads=3000, num_sweeps=200), seed=4))) < 4.5


def test_beta_scales_both_fields():
    """β = 0.5 at (J, Γ) is β = 1 at (J/2, Γ/2): the same distribution, so the same diagonal statistics."""
    model = random_qbm(6, 1.0, seed=3)
    half = model.copy()
    half.weights *= 0.5
    half.biases *= 0.5
    half.transverse_field = half.transverse_field * 0.5
    exact_half = ExactQuantumPhase().statistics(half, None)
    estimate = PathIntegralPhase(num_reads=3000, num_sweeps=100, beta=0.5).statistics(model, None, random_state=0)
    np.testing.assert_allclose(estimate["biases"], exact_half["biases"], atol=0.04)
    np.testing.assert_allclose(estimate["weights"], exact_half["weights"], atol=0.04)


def test_a_negative_field_flips_only_sigma_x():
    model = QuantumBoltzmannMachine(3, transverse_field=-1.0, weights=[0.0, 0.0, 0.0])
    stats = PathIntegralPhase(num_reads=3000, num_sweeps=50).statistics(model, None, random_state=1)
    np.testing.assert_allclose(stats["transverse_field"], -np.tanh(1.0), atol=0.05)
    np.testing.assert_allclose(stats["biases"], 0.5, atol=0.04)


def test_bound_gradient_through_the_path_integral_matches_the_exact_negative_phase():
    model = random_qbm(6, 1.0, seed=5)
    data = (np.random.default_rng(0).random((40, 6)) < 0.5).astype(np.int8)
    sampled = qbm.gradient(BoundPhase(negative=PathIntegralPhase(num_reads=4000, num_sweeps=100)), model, data,
                           random_state=3)
    exact = qbm.gradient(BoundPhase(), model, data)
    for name in ("weights", "biases"):
        np.testing.assert_allclose(sampled[name], exact[name], atol=0.04)
    np.testing.assert_array_equal(sampled["transverse_field"], 0.0)


def test_same_seed_same_statistics():
    model = random_qbm(5, 0.8, seed=6)
    phase = PathIntegralPhase(num_reads=50, num_sweeps=10)
    first, second = (phase.statistics(model, None, random_state=9) for _ in range(2))
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])


def test_per_unit_fields_are_refused_with_the_alternative():
    semi_restricted = QuantumBoltzmannMachine.semi_restricted(4, 2, transverse_field=1.0)
    with pytest.raises(ValueError, match=r"one transverse-field magnitude .*\[0, 1\].*TrotterPhase"):
        PathIntegralPhase().statistics(semi_restricted, None)
    mixed = QuantumBoltzmannMachine(3, transverse_field=[1.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="TrotterPhase"):
        PathIntegralPhase().statistics(mixed, None)
    with pytest.raises(TypeError, match="QuantumBoltzmannMachine"):
        PathIntegralPhase().statistics(qbm.BoltzmannMachine(3), None)
    with pytest.raises(TypeError, match="model side only"):
        PathIntegralPhase().data_statistics(mixed, [[0, 1, 0]])
    with pytest.raises(ValueError, match="num_sweeps"):
        PathIntegralPhase(num_sweeps=0)


def test_registered_as_a_quantum_phase():
    phase = make_quantum_phase("quantum-path-integral", num_reads=30, num_sweeps=7)
    assert isinstance(phase, BoundPhase) and isinstance(phase.negative, PathIntegralPhase)
    assert (phase.negative.num_reads, phase.negative.num_sweeps) == (30, 7)
