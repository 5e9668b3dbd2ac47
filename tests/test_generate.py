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
