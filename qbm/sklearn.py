"""scikit-learn estimators: an RBM feature extractor and a label-unit RBM classifier.

:class:`RBMTransformer` is a drop-in for ``sklearn.neural_network.BernoulliRBM``
whose negative phase can be any of qbm's (PCD, CD, neal, Gibbs, exact, a QPU);
:class:`RBMClassifier` is the joint RBM over ``[x, one-hot(y)]``.

>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.linear_model import LogisticRegression
>>> import qbm
>>> X, y = qbm.datasets.load_digits()
>>> pipe = make_pipeline(RBMTransformer(n_components=16, n_iter=10, random_state=0),
...                      LogisticRegression(max_iter=500))
>>> pipe.fit(X[:1000], y[:1000]).score(X[1000:], y[1000:]) > 0.7
True
"""
from __future__ import annotations

import numbers

import dimod
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, _fit_context
from sklearn.utils import check_random_state as sklearn_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_non_negative, column_or_1d, validate_data

from .sampling.chains import gibbs_sweep
from .classification import class_log_probabilities, gibbs_class_frequencies, with_labels
from .phases import LabelPhase
from .metrics import pseudo_log_likelihoods
from .models import RBM
from .phases import Phase, SamplerPhase, make_phase, phase_names
from .training import Trainer

__all__ = ["RBMTransformer", "RBMClassifier"]

_COMMON_PARAMETERS = {
    "n_components": [Interval(numbers.Integral, 1, None, closed="left")],
    "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
    "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
    "n_iter": [Interval(numbers.Integral, 0, None, closed="left")],
    "verbose": ["verbose"],
    "random_state": ["random_state"],
    "phase": [StrOptions(set(phase_names("classical"))), Phase],
    "sampler": [None, dimod.Sampler],
    "num_reads": [None, Interval(numbers.Integral, 1, None, closed="left")],
    "optimizer": [StrOptions({"sgd", "adam"})],
    "learning_rate_schedule": [StrOptions({"constant", "linear"})],
}


def _seed(random_state) -> int:
    """An integer seed from scikit-learn's ``random_state`` (None, int or RandomState): the same
    int gives the same seed every time, as scikit-learn's estimators expect."""
    return int(sklearn_random_state(random_state).randint(2 ** 31 - 1))


def _check_unit_interval(X: np.ndarray) -> np.ndarray:
    check_non_negative(X, "RBM input X")
    if X.size and X.max() > 1:
        raise ValueError("X must hold values in [0, 1] (binary data, or probabilities of a unit being on); "
                         "rescale it, e.g. with MinMaxScaler")
    return X


class _RBMEstimator(BaseEstimator):
    """What both estimators share: parameters, phase choice, validation of [0, 1] data, the training loop."""

    def __init__(self, n_components, *, learning_rate, batch_size, n_iter, verbose, random_state, phase, sampler,
                 num_reads, optimizer, learning_rate_schedule) -> None:
        self.n_components = n_components
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.n_iter = n_iter
        self.verbose = verbose
        self.random_state = random_state
        self.phase = phase
        self.sampler = sampler
        self.num_reads = num_reads
        self.optimizer = optimizer
        self.learning_rate_schedule = learning_rate_schedule

    def _phase(self) -> Phase:
        reads = self.num_reads or self.batch_size
        if self.sampler is not None:
            return SamplerPhase(self.sampler, num_reads=reads)
        if isinstance(self.phase, Phase):
            from copy import deepcopy

            return deepcopy(self.phase)  # fit must not change the phase object the user passed
        return make_phase(self.phase, num_reads=reads)

    def _check_X(self, X, reset: bool) -> np.ndarray:
        return _check_unit_interval(validate_data(self, X, reset=reset, dtype=np.float64))

    def _trainer(self, model: RBM, phase: Phase) -> Trainer:
        return Trainer(model, phase, batch_size=self.batch_size, learning_rate=self.learning_rate,
                       optimizer=self.optimizer, schedule=self.learning_rate_schedule, random_state=_seed(self.random_state),
                       progress=bool(self.verbose))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags


class RBMTransformer(ClassNamePrefixFeaturesOutMixin, TransformerMixin, _RBMEstimator):
    """Bernoulli RBM features (``p(h | x)``), trained with any qbm negative phase.

    A drop-in for :class:`sklearn.neural_network.BernoulliRBM`: the same parameters and
    attributes, plain SGD with PCD chains by default, plus the choice of negative phase.

    Parameters
    ----------
    n_components : int
        Number of hidden units.
    learning_rate : float
        Step size of the optimiser.
    batch_size : int
        Rows per mini-batch.
    n_iter : int
        Epochs over the training data.
    verbose : int
        Show a progress bar when positive.
    random_state : int, RandomState instance or None
        Seeds the initial weights, the mini-batch order, the negative phase and
        :meth:`gibbs`.
    phase : str or Phase
        Where the model-side statistics come from: a classical name of the registry
        (``qbm.phases.phase_names("classical")``, built by :func:`qbm.phases.make_phase`) or a phase.
    sampler : dimod.Sampler, optional
        Any dimod sampler for the negative phase (overrides ``phase``).
    num_reads : int, optional
        Samples per step (the persistent chains of ``"pcd"``); ``batch_size`` by default, as
        ``BernoulliRBM``.
    optimizer : {"sgd", "adam"}
        Plain SGD (as ``BernoulliRBM``) or Adam.
    learning_rate_schedule : {"constant", "linear"}
        ``"linear"`` decays the rate to zero over the ``n_iter`` epochs; ``"constant"`` (the
        default, as ``BernoulliRBM``) keeps it (``benchmarks/bench_features.py`` measures the
        features of both).

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        Weights, one row per hidden unit.
    intercept_hidden_ : ndarray of shape (n_components,)
        Hidden biases.
    intercept_visible_ : ndarray of shape (n_features,)
        Visible biases.
    model_ : qbm.RBM
        The trained model itself.
    history_ : qbm.History
        Per-epoch (and per-step) training records.
    n_features_in_ : int
        Number of features seen during fit.

    Examples
    --------
    >>> import qbm
    >>> X, _ = qbm.datasets.load_digits()
    >>> RBMTransformer(n_components=8, n_iter=1, random_state=0).fit_transform(X).shape
    (1797, 8)
    """

    _parameter_constraints = dict(_COMMON_PARAMETERS)

    def __init__(self, n_components: int = 256, *, learning_rate: float = 0.1, batch_size: int = 10,
                 n_iter: int = 10, verbose: int = 0, random_state=None, phase="pcd", sampler=None,
                 num_reads: int | None = None, optimizer: str = "sgd",
                 learning_rate_schedule: str = "constant") -> None:
        super().__init__(n_components, learning_rate=learning_rate, batch_size=batch_size, n_iter=n_iter,
                         verbose=verbose, random_state=random_state, phase=phase, sampler=sampler,
                         num_reads=num_reads, optimizer=optimizer, learning_rate_schedule=learning_rate_schedule)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train for ``n_iter`` epochs on the rows of ``X`` (values in [0, 1]).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows of values in [0, 1]: binary data, or probabilities of a unit being on.
        y : ignored

        Returns
        -------
        self : RBMTransformer

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> RBMTransformer(n_components=4, n_iter=1, random_state=0).fit(X).components_.shape
        (4, 64)
        """
        X = self._check_X(X, reset=True)
        self._start(X.shape[1])
        self.history_ = self.trainer_.fit(X, self.n_iter)
        return self._publish()

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """One update on ``X`` as a single mini-batch (as ``BernoulliRBM.partial_fit``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows of values in [0, 1].
        y : ignored

        Returns
        -------
        self : RBMTransformer

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> RBMTransformer(n_components=4, random_state=0).partial_fit(X[:10]).history_.epochs
        []
        """
        first = not hasattr(self, "model_")
        X = self._check_X(X, reset=first)
        if first:
            self._start(X.shape[1])
        self.trainer_.step(X)
        self.history_ = self.trainer_.history
        return self._publish()

    def transform(self, X) -> np.ndarray:
        """Hidden-unit probabilities ``p(h_j = 1 | x)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows of values in [0, 1].

        Returns
        -------
        ndarray of shape (n_samples, n_components)

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> RBMTransformer(n_components=4, n_iter=1, random_state=0).fit(X).transform(X[:2]).shape
        (2, 4)
        """
        check_is_fitted(self)
        return self.model_.hidden_probabilities(self._check_X(X, reset=False), check_input=False)

    def score_samples(self, X) -> np.ndarray:
        """Exact pseudo-log-likelihood of each row (every unit, not one random one); X must be binary.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            0/1 rows.

        Returns
        -------
        ndarray of shape (n_samples,)

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> bool((RBMTransformer(n_components=4, n_iter=1, random_state=0).fit(X).score_samples(X[:2]) < 0).all())
        True
        """
        check_is_fitted(self)
        return pseudo_log_likelihoods(self.model_, self._check_X(X, reset=False))

    def gibbs(self, v) -> np.ndarray:
        """One Gibbs step ``v → h → v'`` from the rows of ``v``; returns ``v'`` as booleans.

        Parameters
        ----------
        v : array-like of shape (n_samples, n_features)
            Visible rows.

        Returns
        -------
        ndarray of bool, shape (n_samples, n_features)

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> RBMTransformer(n_components=4, n_iter=1, random_state=0).fit(X).gibbs(X[:2]).dtype
        dtype('bool')
        """
        check_is_fitted(self)
        v = self._check_X(v, reset=False)
        return gibbs_sweep(self.model_, v, self.gibbs_rng_)[0].astype(bool)

    def _start(self, n_features: int) -> None:
        seed = _seed(self.random_state)
        self.model_ = RBM(n_features, self.n_components, random_state=seed)
        self.trainer_ = self._trainer(self.model_, self._phase())
        self.gibbs_rng_ = np.random.default_rng(seed + 1)

    def _publish(self):
        self.components_ = self.model_.weights.T
        self.intercept_hidden_ = self.model_.hidden_bias
        self.intercept_visible_ = self.model_.visible_bias
        self._n_features_out = self.n_components
        return self


class RBMClassifier(ClassifierMixin, _RBMEstimator):
    """A joint RBM over ``[x, one-hot(y)]``: labels as visible units.

    ``predict_proba`` compares the exact free energies of the ``C`` completions of
    ``x``; ``predict(X, method="gibbs")`` clamps ``x`` and samples the label units.
    Training is generative (``log p(x, y)``) by default; ``generative_weight=α``
    trains the hybrid ``log p(y | x) + α log p(x, y)`` (Larochelle & Bengio, 2008).
    The defaults are Adam, 100 PCD chains and a linearly decaying rate (their accuracy on 8×8
    digits: ``benchmarks/bench_features.py``).

    Parameters
    ----------
    n_components : int
        Number of hidden units.
    learning_rate : float
        Step size of the optimiser.
    batch_size : int
        Rows per mini-batch.
    n_iter : int
        Epochs over the training data.
    verbose : int
        Show a progress bar when positive.
    random_state : int, RandomState instance or None
        Seeds the initial weights, the mini-batch order, the negative phase and
        ``predict(method="gibbs")``.
    phase : str or Phase
        Where the model-side statistics come from: a classical name of the registry
        (``qbm.phases.phase_names("classical")``, built by :func:`qbm.phases.make_phase`) or a phase.
    sampler : dimod.Sampler, optional
        Any dimod sampler for the negative phase (overrides ``phase``).
    num_reads : int, optional
        Samples per step (the persistent chains of ``"pcd"``).
    optimizer : {"sgd", "adam"}
        Plain SGD or Adam.
    learning_rate_schedule : {"constant", "linear"}
        ``"linear"`` decays the rate to zero over the ``n_iter`` epochs.
    generative_weight : float, optional
        ``None`` trains ``log p(x, y)``; a number α trains ``log p(y | x) + α log p(x, y)``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, in the order of the label units.
    model_ : qbm.RBM
        The joint RBM; its last ``n_classes`` visible units are the labels.
    history_ : qbm.History
        Per-epoch (and per-step) training records.
    n_features_in_ : int
        Number of features seen during fit.

    Examples
    --------
    >>> import qbm
    >>> X, y = qbm.datasets.load_digits()
    >>> clf = RBMClassifier(n_components=32, n_iter=3, random_state=0).fit(X[:500], y[:500])
    >>> clf.predict_proba(X[500:502]).shape
    (2, 10)
    """

    _parameter_constraints = {**_COMMON_PARAMETERS,
                              "generative_weight": [None, Interval(numbers.Real, 0, None, closed="left")]}

    def __init__(self, n_components: int = 200, *, learning_rate: float = 0.01, batch_size: int = 10,
                 n_iter: int = 30, verbose: int = 0, random_state=None, phase="pcd", sampler=None,
                 num_reads: int | None = 100, optimizer: str = "adam", learning_rate_schedule: str = "linear",
                 generative_weight: float | None = None) -> None:
        super().__init__(n_components, learning_rate=learning_rate, batch_size=batch_size, n_iter=n_iter,
                         verbose=verbose, random_state=random_state, phase=phase, sampler=sampler,
                         num_reads=num_reads, optimizer=optimizer, learning_rate_schedule=learning_rate_schedule)
        self.generative_weight = generative_weight

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train on ``[x, one-hot(y)]`` for ``n_iter`` epochs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows of values in [0, 1].
        y : array-like of shape (n_samples,)
            Class labels (at least two classes).

        Returns
        -------
        self : RBMClassifier

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> RBMClassifier(n_components=8, n_iter=1, random_state=0).fit(X[:100], y[:100]).classes_.tolist()
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        X = _check_unit_interval(X)
        self.classes_, indices = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"RBMClassifier needs at least 2 classes in y, got {len(self.classes_)} class")
        n_classes = len(self.classes_)
        seed = _seed(self.random_state)
        self.model_ = RBM(X.shape[1] + n_classes, self.n_components, random_state=seed)
        self.gibbs_rng_ = np.random.default_rng(seed + 1)
        phase = self._phase()
        if self.generative_weight is not None:
            phase = LabelPhase(phase, n_classes, self.generative_weight)
        self.history_ = self._trainer(self.model_, phase).fit(with_labels(X, indices, n_classes), self.n_iter)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """``p(c | x)`` from exact free energies.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows of values in [0, 1].

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> clf = RBMClassifier(n_components=8, n_iter=1, random_state=0).fit(X[:100], y[:100])
        >>> clf.predict_proba(X[:2]).sum(axis=1).round(6).tolist()
        [1.0, 1.0]
        """
        return np.exp(self.predict_log_proba(X))

    def predict_log_proba(self, X) -> np.ndarray:
        """``log p(c | x)`` from exact free energies, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows of values in [0, 1].

        Returns
        -------
        ndarray of shape (n_samples, n_classes)

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> clf = RBMClassifier(n_components=8, n_iter=1, random_state=0).fit(X[:100], y[:100])
        >>> bool((clf.predict_log_proba(X[:2]) <= 0).all())
        True
        """
        check_is_fitted(self)
        return class_log_probabilities(self.model_, self._check_X(X, reset=False), len(self.classes_))

    def predict(self, X, method: str = "free-energy") -> np.ndarray:
        """The most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows of values in [0, 1].
        method : {"free-energy", "gibbs"}
            ``"free-energy"``: the class of largest exact ``p(c | x)``; ``"gibbs"``: the
            label unit most often on when ``x`` is clamped and the rest Gibbs-sampled
            (randomness from ``random_state``, drawn at fit, as ``BernoulliRBM.gibbs``).

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.

        Examples
        --------
        >>> import qbm
        >>> X, y = qbm.datasets.load_digits()
        >>> clf = RBMClassifier(n_components=16, n_iter=2, random_state=0).fit(X[:300], y[:300])
        >>> clf.predict(X[300:303]).shape, clf.predict(X[300:303], method="gibbs").shape
        ((3,), (3,))
        """
        check_is_fitted(self)
        if method == "free-energy":
            return self.classes_[np.argmax(self.predict_log_proba(X), axis=1)]
        if method == "gibbs":
            X = self._check_X(X, reset=False)
            frequencies = gibbs_class_frequencies(self.model_, X, len(self.classes_), random_state=self.gibbs_rng_)
            return self.classes_[np.argmax(frequencies, axis=1)]
        raise ValueError(f"method must be 'free-energy' or 'gibbs', got {method!r}")
