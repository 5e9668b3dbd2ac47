import numpy as np
import pytest

import qbm
from conftest import all_bit_states, total_variation


def exact_conditional(model, fixed):
    """p(v | clamped units) over all visible states, by enumeration."""
    states = all_bit_states(model.n_visible)
    log_p = qbm.exact.log_probabilities(model, states)
    agrees = np.all([states[:, unit] == value for unit, value in fixed.items()], axis=0)
    p = np.where(agrees, np.exp(log_p), 0.0)
    return p / p.sum()


@pytest.mark.parametrize("make_model", [
    lambda: qbm.RBM(6, 3, weights=np.random.default_rng(0).normal(0, 1.5, (6, 3))),
    lambda: qbm.BoltzmannMachine(6, 2, random_state=0, weights=np.random.default_rng(1).normal(0, 1.0, 28)),
])
@pytest.mark.parametrize("sampler", [None, qbm.ExactSampler()])
def test_generated_rows_follow_the_exact_conditional(make_model, sampler):
    model = make_model()
    fixed = {0: 1, 3: 0}
    samples = qbm.generate(model, clamp=fixed, num_reads=20_000, sampler=sampler, num_sweeps=100,
                           random_state=0)
    assert np.all(samples[:, 0] == 1) and np.all(samples[:, 3] == 0)
    assert total_variation(samples, np.ones(len(samples)), exact_conditional(model, fixed)) < 0.03


def test_nan_array_clamp_equals_mapping_and_same_seed_same_samples():
    rbm = qbm.RBM(5, 2, random_state=0)
    a = qbm.generate(rbm, clamp=[1, np.nan, np.nan, 0, np.nan], num_reads=50, random_state=4)
    b = qbm.generate(rbm, clamp={0: 1, 3: 0}, num_reads=50, random_state=4)
    assert np.array_equal(a, b)


def test_everything_clamped_returns_the_clamp():
    rbm = qbm.RBM(3, 0 + 2, random_state=0)
    samples = qbm.generate(rbm, clamp=[1, 0, 1], num_reads=4, random_state=0)
    assert samples.tolist() == [[1, 0, 1]] * 4


@pytest.mark.parametrize("clamp, message", [
    ({7: 1}, "visible unit indices 0..4"),
    ({0: 2}, "0 or 1"),
    ({"a": 1}, "visible unit indices"),
    ([1, 0], "length n_visible=5"),
])
def test_bad_clamp_is_named(clamp, message):
    with pytest.raises(ValueError, match=message):
        qbm.generate(qbm.RBM(5, 2), clamp=clamp)


def bistable_rbm(n: int) -> qbm.RBM:
    """Each visible unit tied to its own hidden unit so strongly that no chain flips it: 2**n basins."""
    return qbm.RBM(n, n, weights=20.0 * np.eye(n), visible_bias=np.full(n, -10.0), hidden_bias=np.full(n, -10.0))


def test_chains_started_from_rows_begin_there_each_row_once_clamps_overriding():
    rows = all_bit_states(4)[[3, 5, 6, 9, 12]].astype(int)
    samples = qbm.generate(bistable_rbm(4), num_reads=5, start=rows, num_sweeps=5, random_state=0)
    assert sorted(map(tuple, samples)) == sorted(map(tuple, rows))   # a permutation: no row drawn twice
    clamped = qbm.generate(bistable_rbm(4), clamp={0: 1}, num_reads=40, start=rows, num_sweeps=5, random_state=0)
    assert np.all(clamped[:, 0] == 1) and {tuple(r[1:]) for r in clamped} == {tuple(r[1:]) for r in rows}
    bm = qbm.BoltzmannMachine(4, weights=[20.0, 0, 0, 0, 0, 20.0], biases=np.full(4, -10.0))   # pairs 0-1 and 2-3
    pairs = qbm.generate(bm, num_reads=30, start=[[1, 1, 0, 0]], num_sweeps=5, random_state=0)
    assert pairs.tolist() == [[1, 1, 0, 0]] * 30


def test_chains_started_from_the_data_reach_a_bimodal_models_proportions_where_random_starts_do_not():
    """Two basins (mostly off, mostly on) that no chain leaves in 200 sweeps, the model's mass split between
    them about 1 : 3 by the hidden bias: chains from rows in those proportions keep them; chains from random
    states land where they start, not where the model's mass is."""
    n = 6
    rbm = qbm.RBM(n, 1, weights=np.full((n, 1), 12.0), visible_bias=np.full(n, -6.0), hidden_bias=[-35.0])
    states = all_bit_states(n)
    p_on = np.exp(qbm.exact.log_probabilities(rbm, states))[states.sum(axis=1) >= n / 2].sum()
    data = np.repeat([[0] * n, [1] * n], [round(1000 * (1 - p_on)), round(1000 * p_on)], axis=0)
    started = qbm.generate(rbm, num_reads=2000, start=data, num_sweeps=200, random_state=0)
    assert abs((started.sum(axis=1) >= n / 2).mean() - p_on) < 0.03
    random = qbm.generate(rbm, num_reads=2000, num_sweeps=200, random_state=0)
    assert abs((random.sum(axis=1) >= n / 2).mean() - p_on) > 0.1


@pytest.mark.parametrize("start, sampler, message", [
    ([[0, 1]], None, "start must have 5 columns"),
    ([[0, 2, 0, 0, 1]], None, "start must contain only 0 and 1"),
    (np.zeros((0, 5)), None, "at least one row"),
    ([[0, 1, 0, 0, 1]], qbm.ExactSampler(), "initial_states"),
])
def test_a_bad_start_is_named(start, sampler, message):
    with pytest.raises(ValueError, match=message):
        qbm.generate(qbm.RBM(5, 2), start=start, sampler=sampler)
