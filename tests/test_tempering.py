"""Parallel tempering against exact expectations, and the per-chain temperatures it rests on."""
import numpy as np
import pytest

import qbm
from qbm import ParallelTempering

from conftest import all_bit_states


def two_mode_bm():
    """Ten units that want to be all off or all on (e¹ : 1), separated by a barrier of about 30 nats."""
    return qbm.BoltzmannMachine(10, weights=np.full(45, 3.0), biases=np.full(10, -13.4))


def long_run_means(phase, model, steps=300, burn_in=50, seed=1):
    rng = np.random.default_rng(seed)
    runs = [phase.statistics(model, None, random_state=rng) for _ in range(steps)][burn_in:]
    return {name: np.mean([run[name] for run in runs], axis=0) for name in runs[0]}


def test_tempering_crosses_a_barrier_that_holds_cold_chains():
    bm = two_mode_bm()
    exact = qbm.exact.expectations(bm)["biases"]
    tempered = long_run_means(ParallelTempering(num_chains=100, betas=10, lowest_beta=0.05), bm)["biases"]
    barely = long_run_means(ParallelTempering(num_chains=100, betas=[0.95, 1.0]), bm)["biases"]
    assert np.abs(tempered - exact).max() < 0.02
    assert np.abs(barely - exact).max() > 0.05      # the same chains without hot replicas stay where they began


def test_rbm_statistics_match_exact_and_swaps_are_reported():
    rng = np.random.default_rng(0)
    rbm = qbm.RBM(8, 4, weights=rng.normal(0, 2.5, (8, 4)), visible_bias=rng.normal(0, 1, 8),
                  hidden_bias=rng.normal(0, 1, 4))
    phase = ParallelTempering(num_chains=200, betas=8)
    means = long_run_means(phase, rbm, steps=400)
    exact = qbm.exact.expectations(rbm)
    for name in exact:
        assert np.abs(means[name] - exact[name]).max() < 0.02
    acceptance = phase.step_info()["swap_acceptance"]
    assert 0 < acceptance <= 1
    assert phase.replicas.shape == (8 * 200, 12)


def test_training_a_bm_with_hidden_units_through_tempering():
    data = qbm.datasets.bars_and_stripes(2)
    bm = qbm.BoltzmannMachine(4, 2, random_state=0)
    before = qbm.log_likelihood(bm, data)
    qbm.train(bm, data, ParallelTempering(num_chains=50, betas=4), epochs=60, batch_size=len(data),
              learning_rate=0.1, optimizer="adam", random_state=0, progress=False)
    assert qbm.log_likelihood(bm, data) > before + 0.3


def test_gibbs_sampler_runs_each_chain_at_its_own_beta():
    rng = np.random.default_rng(3)
    rbm = qbm.RBM(5, 3, weights=rng.normal(0, 1, (5, 3)), visible_bias=rng.normal(0, 1, 5))
    betas = np.repeat([0.4, 1.0], 20000)
    sampleset = qbm.GibbsSampler().sample(rbm.to_bqm(), beta=betas, num_sweeps=50, seed=0)
    samples = sampleset.record.sample[:, [sampleset.variables.index(u) for u in range(8)]]
    for index, beta in enumerate((0.4, 1.0)):
        states, _, p = qbm.distribution(rbm.to_bqm(beta))
        assert np.allclose(samples[20000 * index:20000 * (index + 1)].mean(axis=0), p @ states, atol=0.02)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"betas": [0.5, 0.9]}, ValueError, "ending at 1.0"),
    ({"betas": [1.0, 0.5, 1.0]}, ValueError, "increasing"),
    ({"betas": 1}, ValueError, "betas must be at least 2"),
    ({"num_chains": 0}, ValueError, "num_chains must be at least 1"),
    ({"lowest_beta": -1.0}, ValueError, "lowest_beta must be a finite positive"),
    ({"adapt_rate": -0.1}, ValueError, "adapt_rate must be a finite non-negative number"),
])
def test_bad_settings_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        ParallelTempering(**kwargs)


def test_a_beta_per_chain_must_match_the_chains():
    bqm = qbm.RBM(3, 2, random_state=0).to_bqm()
    with pytest.raises(ValueError, match="beta has 3 entries but num_reads is 4"):
        qbm.GibbsSampler().sample(bqm, beta=[0.5, 1.0, 1.0], num_reads=4)
    with pytest.raises(ValueError, match=r"beta must be a finite positive number, got -0\.5"):
        qbm.GibbsSampler().sample(bqm, beta=[1.0, -0.5])
    with pytest.raises(TypeError, match="beta must be a positive number per chain"):
        qbm.GibbsSampler().sample(bqm, beta=["hot", "cold"])
    with pytest.raises(ValueError, match="not a beta per chain"):
        qbm.GibbsSampler().sample(bqm, beta=[0.5, 1.0], importance_weights=True)


def test_rbm_replicas_swap_under_the_tempered_marginals():
    """The swap weight of an RBM's replica is log Σ_h exp(−β E(v, h)), summed here by brute force."""
    from qbm.phases.tempering import _rbm_sweeps
    rng = np.random.default_rng(5)
    rbm = qbm.RBM(5, 3, weights=rng.normal(0, 1.5, (5, 3)), visible_bias=rng.normal(0, 1, 5),
                  hidden_bias=rng.normal(0, 1, 3))
    replicas = rng.integers(0, 2, (6, 8), dtype=np.int8)
    states, log_weight = _rbm_sweeps(rbm, replicas, np.full((6, 1), 1.0), 1, 1, rng)   # six temperatures, one chain
    hidden = all_bit_states(3)
    for beta in (0.3, 1.0):
        joint = np.array([rbm.energy(np.repeat(v[None], 8, axis=0), hidden) for v in states[:, :5]])
        expected = np.log(np.exp(-beta * joint).sum(axis=1))
        assert np.allclose(log_weight(np.arange(6), np.full((1, 6, 1), beta))[0, :, 0], expected)


def test_the_ladder_adapts_towards_equal_swap_acceptance_and_keeps_its_ends():
    rng = np.random.default_rng(0)
    rbm = qbm.RBM(16, 8, weights=rng.normal(0, 1.0, (16, 8)), visible_bias=rng.normal(0, 1, 16))
    spreads = {}
    for rate in (0.0, 0.05):
        phase = ParallelTempering(num_chains=100, betas=6, lowest_beta=0.05, adapt_rate=rate)
        for _ in range(600):
            phase.statistics(rbm, None, random_state=rng)
        late = [phase.statistics(rbm, None, random_state=rng) and phase.swap_acceptance.copy() for _ in range(100)]
        spreads[rate] = np.ptp(np.mean(late, axis=0))
        assert phase.ladder[0] == pytest.approx(0.05) and phase.ladder[-1] == 1.0
        assert np.all(np.diff(phase.ladder) > 0)
    assert np.array_equal(ParallelTempering(betas=6, lowest_beta=0.05, adapt_rate=0).betas, np.geomspace(0.05, 1, 6))
    assert spreads[0.05] < spreads[0.0] / 2
