"""Annealed importance sampling from both sides against exact log Z and exact log-likelihoods."""
import warnings

import numpy as np
import pytest

import qbm
from qbm.metrics import ais


def sharp_rbm():
    """Weights N(0, 3): a short anneal is visibly biased on it, so the bounds' sides can be told apart."""
    rng = np.random.default_rng(1)
    return qbm.RBM(12, 8, weights=rng.normal(0, 3.0, (12, 8)), visible_bias=rng.normal(0, 2, 12),
                   hidden_bias=rng.normal(0, 2, 8))


def exact_samples(rbm, num_reads, seed):
    return qbm.ExactSampler().sample(rbm.to_bqm(), num_reads=num_reads, seed=seed).record.sample[:, :rbm.n_visible]


def test_forward_and_reverse_ais_bracket_the_exact_log_partition():
    """Five temperatures, 40 runs of 50 chains each side: the forward mean below log Z, the reverse mean above it
    (each by more than three standard errors of the mean: 5.0 and 8.3 here), and log Z inside
    [forward − 2 s.e., reverse + 2 s.e.] in at least 90 % of the runs."""
    rbm = sharp_rbm()
    exact = qbm.log_partition(rbm)
    forward = np.array([ais.ais_log_partition(rbm, num_reads=50, betas=5, random_state=seed) for seed in range(40)])
    reverse = np.array([ais.reverse_ais_log_partition(rbm, exact_samples(rbm, 50, 100 + seed), betas=5,
                                                      random_state=seed) for seed in range(40)])
    for runs, sign in ((forward, -1), (reverse, 1)):
        gap = sign * (runs[:, 0].mean() - exact)
        assert gap > 3 * runs[:, 0].std() / np.sqrt(len(runs))
    covered = (forward[:, 0] - 2 * forward[:, 1] <= exact) & (reverse[:, 0] + 2 * reverse[:, 1] >= exact)
    assert covered.mean() >= 0.9


@pytest.mark.filterwarnings("ignore:log_likelihood_bounds:RuntimeWarning")   # short anneals on purpose
def test_raise_is_conservative_and_forward_ais_optimistic_about_the_log_likelihood():
    """A uniform base and five to thirty temperatures: RAISE below the exact log-likelihood in every run,
    the forward estimate above it on average, and the interval narrowing as the anneal lengthens."""
    rbm = sharp_rbm()
    data = exact_samples(rbm, 20, 5)
    exact = qbm.log_likelihood(rbm, data)
    widths = []
    for betas in (5, 30):
        runs = [ais.log_likelihood_bounds(rbm, data, num_reads=50, betas=betas, raise_reads=5, random_state=seed,
                                          base_visible_bias=np.zeros(12)) for seed in range(20)]
        lower, upper = np.array([r["lower"] for r in runs]), np.array([r["upper"] for r in runs])
        assert np.all(lower <= exact)
        assert upper.mean() > exact
        widths.append(np.mean([r["width"] for r in runs]))
    assert widths[1] < widths[0] / 3


def test_both_sides_converge_on_the_exact_values_with_a_long_anneal():
    rbm = sharp_rbm()
    data = exact_samples(rbm, 20, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # neither crossing nor an error of nats
        bounds = ais.log_likelihood_bounds(rbm, data, num_reads=200, betas=2000, raise_reads=10, random_state=0)
    exact = qbm.log_likelihood(rbm, data)
    assert bounds["lower"] == pytest.approx(exact, abs=4 * bounds["lower_se"] + 0.02)
    assert bounds["upper"] == pytest.approx(exact, abs=4 * bounds["upper_se"] + 0.02)
    estimate, error = ais.reverse_ais_log_partition(rbm, exact_samples(rbm, 200, 8), betas=2000, random_state=1)
    assert estimate == pytest.approx(qbm.log_partition(rbm), abs=4 * error + 0.02)


def test_an_error_of_nats_is_flagged_as_an_anneal_too_short():
    """Five temperatures from the uniform base: the forward runs disagree by nats (standard error 6 to 8) where the
    sides do not cross beyond it; the bounds warn."""
    rbm = sharp_rbm()
    data = exact_samples(rbm, 20, 5)
    with pytest.warns(RuntimeWarning, match="the anneal is too short"):
        short = ais.log_likelihood_bounds(rbm, data, num_reads=50, betas=5, raise_reads=5, random_state=0,
                                          base_visible_bias=np.zeros(12))
    assert short["upper_se"] > ais.UNCERTAIN_NATS


def test_sides_that_cross_beyond_their_errors_are_flagged():
    """A mode away from the data (one hidden unit turning every pixel on) that a 20-temperature anneal down from
    the rows does not reach: RAISE lies above the exact log-likelihood by nats, not below, and the bounds warn;
    a long anneal closes the gap without a warning."""
    rbm = qbm.RBM(16, 1, weights=np.full((16, 1), 2.0), visible_bias=np.full(16, -1.0), hidden_bias=[-10.0])
    data = (np.random.default_rng(0).random((40, 16)) < 0.2).astype(float)
    exact = qbm.log_likelihood(rbm, data)
    with pytest.warns(RuntimeWarning, match="neither side bounds the log-likelihood"):
        short = ais.log_likelihood_bounds(rbm, data, num_reads=100, betas=20, raise_reads=5, random_state=0)
    assert short["lower"] > exact + 1 and short["lower"] > short["upper"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        long = ais.log_likelihood_bounds(rbm, data, num_reads=100, betas=3000, raise_reads=5, random_state=0)
    assert long["lower"] == pytest.approx(exact, abs=4 * long["lower_se"] + 0.02)


def test_a_model_equal_to_its_base_is_estimated_exactly_by_every_side():
    """No couplings and the base's own biases: every annealing weight is one, on any schedule."""
    base = np.array([0.5, -1.0, 2.0, 0.0])
    rbm = qbm.RBM(4, 3, weights=np.zeros((4, 3)), visible_bias=base)
    rows = np.array([[1, 0, 1, 0], [0, 0, 1, 1]])
    exact_z, exact_ll = qbm.log_partition(rbm), qbm.log_likelihood(rbm, rows)
    assert ais.ais_log_partition(rbm, num_reads=5, betas=7, base_visible_bias=base, random_state=0)[0] == \
        pytest.approx(exact_z, abs=1e-9)
    assert ais.reverse_ais_log_partition(rbm, rows, betas=7, base_visible_bias=base, random_state=0)[0] == \
        pytest.approx(exact_z, abs=1e-9)
    assert ais.raise_log_likelihood(rbm, rows, num_reads=3, betas=7, base_visible_bias=base, random_state=0)[0] == \
        pytest.approx(exact_ll, abs=1e-9)
    more_rows = np.array([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0]])
    assert ais.log_likelihood_bounds(rbm, more_rows, num_reads=5, betas=7, raise_reads=3, raise_rows=2,
                                     base_visible_bias=base, random_state=0)["lower"] == \
        pytest.approx(qbm.log_likelihood(rbm, more_rows), abs=1e-9)


def test_raise_from_some_rows_bounds_every_row_through_its_log_partition():
    """RAISE from 15 of 60 rows: its log Z holds for all 60, so the lower side matches the exact log-likelihood of
    every row (the rows drawn alone differ from it by more than the tolerance), and its error counts the spread
    between rows."""
    rbm = sharp_rbm()
    data = exact_samples(rbm, 60, 9)
    exact = qbm.log_likelihood(rbm, data)
    bounds = ais.log_likelihood_bounds(rbm, data, num_reads=200, betas=2000, raise_rows=15, random_state=0)
    every_row = ais.log_likelihood_bounds(rbm, data, num_reads=200, betas=2000, random_state=0)
    assert bounds["lower"] == pytest.approx(exact, abs=4 * bounds["lower_se"] + 0.02)
    assert bounds["upper"] == every_row["upper"]
    assert bounds["lower_se"] > every_row["lower_se"]
    drawn = data[np.random.default_rng(0).choice(60, 15, replace=False)]
    assert abs(qbm.log_likelihood(rbm, drawn) - exact) > 4 * bounds["lower_se"] + 0.02


def test_same_seed_same_bounds():
    rbm, rows = sharp_rbm(), exact_samples(sharp_rbm(), 5, 1)
    first, again = (ais.log_likelihood_bounds(rbm, rows, num_reads=10, betas=20, raise_reads=2, random_state=3)
                    for _ in range(2))
    assert first == again
    forward, spread = qbm.metrics.ais_log_likelihood(rbm, rows, num_reads=10, betas=20, random_state=3)
    assert (first["upper"], first["upper_se"]) == pytest.approx((forward, spread))   # the forward side draws first


def test_the_log_weight_increment_by_its_series_equals_the_difference_of_softplus_sums():
    """Steps up to the series' limit, both ways, on rows whose fields reach the model's bound: the float32
    series against float64 softplus differences of the same fields, to 1.5e-7 of the terms' size (float32's
    rounding of the fields gives 6e-8; leaving out the series' last term, 2.3e-7)."""
    rng = np.random.default_rng(0)
    rbm = qbm.RBM(30, 40, weights=rng.normal(0, 2.0, (30, 40)), hidden_bias=rng.normal(0, 3, 40))
    annealing = ais._Annealing(rbm, np.linspace(0, 1, 3), None, 0, None)
    v = np.vstack([rbm.weights.T > 0, rbm.weights.T < 0, rng.random((40, 30)) < 0.5]).astype(np.float32)
    field = annealing._hidden_field(v)
    wide = field.astype(np.float64)
    for beta in (0.0, 0.3, 1.0):
        for step in (0.99 * ais.SERIES_STEP, -0.99 * ais.SERIES_STEP, 1e-4, -1e-6):
            previous = beta - step / annealing.field_bound
            rise = annealing._softplus_rise(field, qbm.backend.sigmoid(beta * field), beta, previous)
            terms = np.logaddexp(0, beta * wide) - np.logaddexp(0, previous * wide)
            assert np.all(np.abs(rise - terms.sum(axis=1)) <= 1.5e-7 * np.abs(terms).sum(axis=1))


def test_the_series_and_the_float64_sums_give_one_estimate(monkeypatch):
    """The same seed draws the same chains either way: the estimates differ by the increments' rounding only."""
    rng = np.random.default_rng(2)
    rbm = qbm.RBM(60, 30, weights=rng.normal(0, 0.5, (60, 30)), visible_bias=rng.normal(0, 1, 60))
    rows = (rng.random((20, 60)) < 0.5).astype(float)
    series = ais.log_likelihood_bounds(rbm, rows, num_reads=30, betas=3000, raise_reads=3, random_state=4)
    monkeypatch.setattr(ais, "SERIES_STEP", 0.0)
    float64 = ais.log_likelihood_bounds(rbm, rows, num_reads=30, betas=3000, raise_reads=3, random_state=4)
    assert series["upper"] == pytest.approx(float64["upper"], abs=1e-5)
    assert series["lower"] == pytest.approx(float64["lower"], abs=1e-5)


@pytest.mark.parametrize("call, error, message", [
    (lambda: ais.reverse_ais_log_partition(qbm.RBM(3, 2), [[1, 0]]), ValueError, "samples"),
    (lambda: ais.reverse_ais_log_partition(qbm.BoltzmannMachine(3), [[1, 0, 1]]), TypeError, "implemented for an RBM"),
    (lambda: ais.raise_log_likelihood(qbm.RBM(3, 2), [[1, 0, 2]]), ValueError, "data"),
    (lambda: ais.raise_log_likelihood(qbm.RBM(3, 2), [[1, 0, 1]], num_reads=0), ValueError, "num_reads"),
    (lambda: ais.log_likelihood_bounds(qbm.RBM(3, 2), [[1, 0, 1]], betas=[0.0, 0.5]), ValueError, "from 0 to 1"),
    (lambda: ais.log_likelihood_bounds(qbm.RBM(3, 2), [[1, 0, 1]], raise_rows=0), ValueError, "raise_rows"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
