import numpy as np
import pytest
from scipy.special import logsumexp

import qbm
from qbm import metrics
from conftest import all_bit_states
from test_models import random_rbm


def digits_rbm(n_hidden):
    X, _ = qbm.datasets.load_digits()
    rbm = qbm.RBM(64, n_hidden, random_state=0)
    qbm.train(rbm, X[:600], qbm.PCD(100), epochs=5, batch_size=20, learning_rate=0.01, optimizer="adam",
              random_state=0, progress=False)
    return rbm


@pytest.mark.parametrize("n_hidden", [16, 20])
def test_ais_agrees_with_exact_log_partition_on_digits(n_hidden):
    rbm = digits_rbm(n_hidden)
    estimate, spread = metrics.ais_log_partition(rbm, num_reads=100, betas=3000, random_state=0)
    assert abs(estimate - qbm.log_partition(rbm)) < 0.2
    assert 0 <= spread < 0.2


def test_ais_log_likelihood_matches_exact():
    rbm = random_rbm(np.random.default_rng(0), 10, 5, scale=0.5)
    data = all_bit_states(10)[::37]
    assert abs(metrics.log_likelihood(rbm, data, "ais", num_reads=200, betas=1000, random_state=0)
               - metrics.log_likelihood(rbm, data)) < 0.05


def test_ais_log_likelihood_starts_from_the_data_marginals():
    rbm, data = digits_rbm(16), qbm.datasets.load_digits()[0]
    exact = metrics.log_likelihood(rbm, data)
    short = {"num_reads": 50, "betas": 100}   # a run short enough for the base to matter
    uniform, default = (np.median([abs(metrics.log_likelihood(rbm, data, "ais", random_state=seed, **base, **short)
                                       - exact) for seed in range(5)])
                        for base in ({"base_visible_bias": np.zeros(64)}, {}))
    assert default < 0.05 and default < uniform / 3


def test_pseudo_log_likelihood_matches_brute_force():
    rbm = random_rbm(np.random.default_rng(2), 5, 3)
    bm = qbm.BoltzmannMachine(5, weights=np.random.default_rng(3).normal(size=10), biases=np.ones(5))
    data = all_bit_states(5)[[1, 7, 19, 30]]
    for model in (rbm, bm):
        expected = []
        for v in data:
            total = 0.0
            for i in range(5):
                flipped = v.copy()
                flipped[i] = 1 - v[i]
                log_p = qbm.exact.log_probabilities(model, np.stack([v, flipped]))
                total += log_p[0] - logsumexp(log_p)
            expected.append(total)
        assert metrics.pseudo_log_likelihood(model, data) == pytest.approx(np.mean(expected))


def test_kl_divergence_matches_definition():
    rbm = random_rbm(np.random.default_rng(4), 4, 2)
    data = all_bit_states(4)[[0, 3, 3, 5, 9]]
    p = {0: 0.2, 3: 0.4, 5: 0.2, 9: 0.2}
    expected = sum(pk * (np.log(pk) - qbm.exact.log_probabilities(rbm, all_bit_states(4)[[k]])[0])
                   for k, pk in p.items())
    assert metrics.kl_divergence(rbm, data) == pytest.approx(expected)
    states = all_bit_states(4)[list(p)]
    assert metrics.kl_divergence(rbm, states, list(p.values())) == pytest.approx(expected)


def test_reconstruction_error_is_mean_squared_mean_field_error():
    rbm = random_rbm(np.random.default_rng(5), 4, 3)
    v = all_bit_states(4)
    expected = np.mean((v - rbm.visible_probabilities(rbm.hidden_probabilities(v))) ** 2)
    assert metrics.reconstruction_error(rbm, v) == pytest.approx(expected)


def test_bars_and_stripes_are_all_distinct_patterns():
    data = qbm.datasets.bars_and_stripes(4)
    assert data.shape == (30, 16) and len(np.unique(data, axis=0)) == 30
    images = data.reshape(-1, 4, 4)
    rows_constant = np.all(images == images[:, :, :1], axis=2).all(axis=1)
    cols_constant = np.all(images == images[:, :1, :], axis=1).all(axis=1)
    assert np.all(rows_constant | cols_constant)


def test_digits_are_binary_and_complete():
    X, y = qbm.datasets.load_digits()
    assert X.shape == (1797, 64) and set(np.unique(X)) == {0.0, 1.0} and set(y) == set(range(10))
    grey, _ = qbm.datasets.load_digits(binarize=None)
    assert np.array_equal(X, (grey > 0.5).astype(float))


@pytest.mark.parametrize("call, error, message", [
    (lambda: metrics.ais_log_partition(qbm.BoltzmannMachine(3)), TypeError, "implemented for an RBM"),
    (lambda: metrics.ais_log_partition(qbm.RBM(3, 2), betas=[0.0, 0.5]), ValueError, "from 0 to 1"),
    (lambda: metrics.log_likelihood(qbm.RBM(3, 2), [[0, 1, 1]], method="mc"), ValueError, "method must be"),
    (lambda: metrics.pseudo_log_likelihood(qbm.BoltzmannMachine(2, 1), [[0, 1]]), TypeError, "fully visible"),
    (lambda: metrics.kl_divergence(qbm.RBM(2, 1), [[0, 1]], [0.5]), ValueError, "probabilities must sum to 1"),
    (lambda: metrics.reconstruction_error(qbm.BoltzmannMachine(2), [[0, 1]]), TypeError, "needs an RBM"),
    (lambda: qbm.datasets.load_digits(binarize=1.5), ValueError, "binarize must be"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("scale, betas, reads", [(0.8, 30, 50), (1.5, 15, 40)])
def test_ais_standard_error_covers_the_exact_log_partition_at_its_nominal_rate(scale, betas, reads):
    """Over 200 independent AIS runs, |estimate − exact| ≤ 1 SE about 68 % of the time and ≤ 2 SE about 95 %."""
    rng = np.random.default_rng(1)
    rbm = qbm.RBM(20, 10, weights=rng.normal(0, scale, (20, 10)), visible_bias=rng.normal(0, 1, 20),
                  hidden_bias=rng.normal(0, 1, 10))
    truth = qbm.log_partition(rbm)
    runs = np.array([metrics.ais_log_partition(rbm, num_reads=reads, betas=betas, random_state=seed)
                     for seed in range(200)])
    z = np.abs(runs[:, 0] - truth) / runs[:, 1]
    assert 0.58 <= np.mean(z <= 1) <= 0.82
    assert np.mean(z <= 2) >= 0.91


@pytest.mark.parametrize("spread, reads", [(20.0, 10), (40.0, 10), (40.0, 100)])
def test_ais_standard_error_stays_on_the_scale_of_the_error_when_the_log_weights_spread_widely(spread, reads):
    """Log-normal weights of log-variance σ² ≫ 1: the error of log mean(w) is some σ²/2 nats, and so is the SE."""
    from qbm.metrics.ais import _log_mean_standard_error
    log_weights = np.random.default_rng(2).normal(0, np.sqrt(spread), (400, reads))
    errors = logsumexp(log_weights, axis=1) - np.log(reads) - spread / 2   # log E[w] = σ²/2
    reported = np.array([_log_mean_standard_error(run) for run in log_weights])
    assert np.mean(np.abs(errors) <= 2 * reported) >= 0.9
    assert np.median(reported) <= 4 * np.sqrt(np.mean(errors ** 2))
