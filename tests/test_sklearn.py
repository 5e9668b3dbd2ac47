import pickle
import re
import warnings

import neal
import numpy as np
import pytest
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import BernoulliRBM
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import check_estimator

import qbm
from conftest import all_bit_states
from qbm.phases import LabelPhase
from qbm.classification import class_log_probabilities, gibbs_class_frequencies, with_labels
from qbm.sklearn import RBMClassifier, RBMTransformer

DOMAIN_ERROR = "must hold values in [0, 1]"


@pytest.fixture(scope="module")
def digits_split():
    X, y = qbm.datasets.load_digits()
    return train_test_split(X, y, test_size=0.2, random_state=0)


@pytest.mark.parametrize("estimator", [RBMTransformer(n_components=4, n_iter=2, random_state=0),
                                       RBMClassifier(n_components=6, n_iter=2, random_state=0)])
def test_check_estimator_fails_only_where_it_feeds_values_outside_the_unit_interval(estimator):
    """scikit-learn has no tag for inputs in [0, 1]; the checks that feed Gaussian data meet
    the documented ValueError, and every other check passes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(estimator, on_fail=None)
    failed = [r for r in results if r["status"] == "failed"]
    assert sum(r["status"] == "passed" for r in results) >= 24
    assert all(DOMAIN_ERROR in str(r["exception"]) for r in failed), \
        [(r["check_name"], str(r["exception"])[:200]) for r in failed if DOMAIN_ERROR not in str(r["exception"])]


def test_transformer_matches_bernoulli_rbm_features(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    scores = {}
    for name, rbm in (("sklearn", BernoulliRBM(n_components=32, n_iter=10, random_state=0)),
                      ("qbm", RBMTransformer(n_components=32, n_iter=10, random_state=0))):
        pipe = make_pipeline(rbm, LogisticRegression(max_iter=1000)).fit(X_train, y_train)
        scores[name] = pipe.score(X_test, y_test)
    assert scores["qbm"] > scores["sklearn"] - 0.03


def test_transformer_attributes_and_transform(digits_split):
    X = digits_split[0][:200]
    rbm = RBMTransformer(n_components=5, n_iter=1, random_state=0).fit(X)
    assert rbm.components_.shape == (5, 64) and rbm.intercept_hidden_.shape == (5,)
    assert rbm.intercept_visible_.shape == (64,) and rbm.n_features_in_ == 64
    expected = 1 / (1 + np.exp(-(X @ rbm.components_.T + rbm.intercept_hidden_)))
    assert np.allclose(rbm.transform(X), expected)
    assert list(rbm.get_feature_names_out()) == [f"rbmtransformer{i}" for i in range(5)]
    assert rbm.gibbs(X[:3]).dtype == bool and rbm.gibbs(X[:3]).shape == (3, 64)
    assert np.allclose(rbm.score_samples(X[:7]), qbm.metrics.pseudo_log_likelihoods(rbm.model_, X[:7]))


def test_score_samples_is_the_exact_pseudo_likelihood():
    X = qbm.datasets.bars_and_stripes(2)
    rbm = RBMTransformer(n_components=3, n_iter=5, random_state=0).fit(X)
    log_p = qbm.exact.log_probabilities(rbm.model_, all_bit_states(4))  # every visible state
    table = {tuple(row): value for row, value in zip(all_bit_states(4).astype(int), log_p)}
    expected = []
    for row in X.astype(int):
        total = 0.0
        for i in range(4):
            flipped = row.copy()
            flipped[i] = 1 - flipped[i]
            total += table[tuple(row)] - np.logaddexp(table[tuple(row)], table[tuple(flipped)])
        expected.append(total)
    assert np.allclose(rbm.score_samples(X), expected)


def test_same_seed_same_model_and_pickle_round_trip(digits_split):
    X = digits_split[0][:300]
    a = RBMTransformer(n_components=6, n_iter=2, random_state=3).fit(X)
    b = RBMTransformer(n_components=6, n_iter=2, random_state=3).fit(X)
    assert np.array_equal(a.components_, b.components_)
    clone = pickle.loads(pickle.dumps(a))
    assert np.array_equal(clone.transform(X), a.transform(X))


def test_partial_fit_updates_and_checks_width(digits_split):
    X = digits_split[0][:100]
    rbm = RBMTransformer(n_components=4, random_state=0).partial_fit(X[:50])
    before = rbm.components_.copy()
    rbm.partial_fit(X[50:])
    assert not np.array_equal(before, rbm.components_)
    with pytest.raises(ValueError, match="features"):
        rbm.partial_fit(X[:, :10])


@pytest.mark.parametrize("options", [{"phase": "cd"}, {"phase": "exact-gradient"},
                                     {"sampler": neal.SimulatedAnnealingSampler(), "num_reads": 20},
                                     {"phase": qbm.PCD(7)}, {"optimizer": "adam", "learning_rate": 0.01}])
def test_every_phase_trains(options):
    X = qbm.datasets.bars_and_stripes(3)
    rbm = RBMTransformer(n_components=3, n_iter=2, batch_size=7, random_state=0, **options).fit(X)
    assert rbm.transform(X).shape == (len(X), 3)
    if isinstance(options.get("phase"), qbm.PCD):
        assert options["phase"].chains is None  # the user's phase object is left alone


@pytest.mark.parametrize("make, message", [
    (lambda: RBMTransformer().fit(np.full((3, 4), 2.0)), re.escape(DOMAIN_ERROR)),
    (lambda: RBMTransformer().fit(-np.ones((3, 4))), "Negative values"),
    (lambda: RBMTransformer(phase="annealing").fit(np.ones((3, 4))), "phase"),
    (lambda: RBMTransformer(n_components=0).fit(np.ones((3, 4))), "n_components"),
    (lambda: RBMClassifier().fit(np.ones((3, 4)), [1, 1, 1]), "at least 2 classes"),
    (lambda: RBMClassifier().fit(np.ones((3, 4)), [0.5, 1.5, 2.5]), "Unknown label type"),
])
def test_bad_input_is_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_class_probabilities_are_exact_conditionals():
    rng = np.random.default_rng(0)
    rbm = qbm.RBM(4 + 3, 5, weights=rng.normal(0, 1, (7, 5)), visible_bias=rng.normal(0, 1, 7),
                  hidden_bias=rng.normal(0, 1, 5))
    x = all_bit_states(4)
    joint = np.stack([qbm.exact.log_probabilities(rbm, with_labels(x, np.full(16, c), 3)) for c in range(3)], axis=1)
    expected = joint - logsumexp(joint, axis=1, keepdims=True)
    assert np.allclose(class_log_probabilities(rbm, x, 3), expected)


def test_discriminative_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    rbm = qbm.RBM(4 + 3, 3, weights=rng.normal(0, 1, (7, 3)), visible_bias=rng.normal(0, 1, 7),
                  hidden_bias=rng.normal(0, 1, 3))
    x, labels = rng.integers(0, 2, (5, 4)).astype(float), np.array([0, 2, 1, 1, 0])
    batch = with_labels(x, labels, 3)
    grad = qbm.gradient(LabelPhase(qbm.CD(), 3, generative_weight=0.0), rbm, batch, random_state=0)

    def objective(model):
        return np.mean(class_log_probabilities(model, x, 3)[np.arange(5), labels])

    for name, value in rbm.parameters().items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            step = np.zeros_like(value)
            step[index] = 1e-6
            value += step
            up = objective(rbm)
            value -= 2 * step
            down = objective(rbm)
            value += step
            numeric[index] = (up - down) / 2e-6
        assert np.allclose(grad[name], numeric, atol=1e-6), name


@pytest.mark.slow
def test_classifier_reaches_90_percent_on_digits(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    clf = RBMClassifier(n_components=200, random_state=0).fit(X_train, y_train)
    assert clf.score(X_test, y_test) >= 0.90
    assert np.mean(clf.predict(X_test, method="gibbs") == y_test) >= 0.90
    probabilities = clf.predict_proba(X_test)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert np.array_equal(clf.predict(X_test), clf.classes_[probabilities.argmax(axis=1)])


def test_classifier_keeps_label_names():
    X = qbm.datasets.bars_and_stripes(3)
    y = np.where(X[:, 0] == 1, "on", "off")
    clf = RBMClassifier(n_components=4, n_iter=20, random_state=0).fit(X, y)
    assert set(clf.predict(X)) <= {"on", "off"} and list(clf.classes_) == ["off", "on"]


def test_gibbs_label_frequencies_follow_the_exact_conditional():
    rng = np.random.default_rng(2)
    rbm = qbm.RBM(4 + 3, 5, weights=rng.normal(0, 1.5, (7, 5)), visible_bias=rng.normal(0, 1, 7),
                  hidden_bias=rng.normal(0, 1, 5))
    x = np.repeat(all_bit_states(4), 2000, axis=0)
    frequencies = gibbs_class_frequencies(rbm, x, 3, num_sweeps=20, random_state=0).reshape(16, 2000, 3).mean(1)
    # label units are independent binary units: compare with their exact clamped marginals
    states = all_bit_states(3)
    joint = np.stack([qbm.exact.log_probabilities(
        rbm, np.concatenate([np.tile(row, (8, 1)), states], axis=1)) for row in all_bit_states(4)])
    conditional = np.exp(joint - logsumexp(joint, axis=1, keepdims=True))
    assert np.allclose(frequencies, conditional @ states, atol=0.03)
