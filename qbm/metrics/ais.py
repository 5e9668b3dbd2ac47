"""Annealed importance sampling for RBMs, from both sides: log Z and log-likelihoods with two-sided bounds.

Every estimator anneals between a base RBM without couplings (visible biases ``base``, hidden
biases zero: ``log f_0`` known exactly) and the model through the tempered marginals
``log f_β(v) = β vᵀa + (1 - β) vᵀbase + Σ_j softplus(β (b_j + vᵀW_:j))`` (the hidden layer summed
out), one block-Gibbs sweep per temperature:

- :func:`ais_log_partition` (Neal 2001; Salakhutdinov & Murray 2008) runs from the base up: an
  unbiased estimate of Z, so its log is a *stochastic lower bound* on log Z and the log-likelihood
  it gives errs on the optimistic side;
- :func:`reverse_ais_log_partition` runs from exact samples of the model down (the reverse half of
  bidirectional Monte Carlo, Grosse, Ghahramani & Adams 2015): a stochastic *upper* bound on log Z;
- :func:`raise_log_likelihood` (RAISE, Burda, Grosse & Salakhutdinov 2015) runs down from each data
  row: a stochastic *lower* bound on the row's log-likelihood under the annealing process's own
  model, which needs no exact sample; conservative for the RBM as long as that process reaches all
  of the RBM's mass, and optimistic where the RBM holds a mode away from the data that the anneal
  does not reach;
- :func:`log_likelihood_bounds` puts the forward and the RAISE estimate together: the interval
  ``[lower, upper]`` whose width says how far to trust either, and a warning where the two sides
  cross by more than their errors allow (then neither is a bound).

>>> import qbm
>>> rbm = qbm.RBM(10, 6, random_state=0)
>>> rows = qbm.datasets.bars_and_stripes(2)[:, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1]]
>>> bounds = log_likelihood_bounds(rbm, rows, num_reads=100, betas=300, random_state=0)
>>> bounds["lower"] <= qbm.log_likelihood(rbm, rows) + 0.05 and bounds["upper"] >= qbm.log_likelihood(rbm, rows) - 0.05
True
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.special import logsumexp

from ..backend import Backend, bernoulli, get_backend, like, namespace, sigmoid, softplus, to_host, total
from ..models import RBM
from ..typing import RandomLike
from .._memory import check_allocation
from .._numerics import FLOAT32_FIELDS
from .._validation import check_array, check_count, check_rows
from .._random import check_random_state
from ..models.kinds import is_rbm
from ..sampling.chains import RBMParameters, visible_draw

UNCERTAIN_NATS = 1.0   # a side's standard error past this: the bounds warn that the anneal is too short
SERIES_STEP = 0.05     # a step in β·(hidden field) up to this: the log-weight increment by its series (to 1e-7)

__all__ = ["ais_log_partition", "ais_log_likelihood", "reverse_ais_log_partition", "raise_log_likelihood",
           "log_likelihood_bounds"]


def ais_log_partition(model: RBM, num_reads: int = 100, betas: int | np.ndarray = 10_000,
                      random_state: RandomLike = None, base_visible_bias=None,
                      backend: str | Backend | None = None) -> tuple[float, float]:
    """Annealed importance sampling estimate of ``log Z`` for an RBM: ``(estimate, standard error)``.

    Anneals from a base RBM with no couplings (visible biases ``base_visible_bias``,
    zeros by default, hidden biases zero) to ``model``, with the hidden units summed
    out analytically and one block-Gibbs step per intermediate distribution
    (Salakhutdinov & Murray, 2008).  ``betas`` is a count of linearly spaced
    temperatures or the increasing sequence itself, from 0 to 1; ``num_reads`` independent
    annealing runs each give one importance-weighted sample.

    Parameters
    ----------
    model : RBM
        The model.
    num_reads : int
        Independent annealing runs.
    betas : int or array-like
        Number of linearly spaced inverse temperatures, or the sequence from 0 to 1.
    random_state : int, numpy.random.Generator or None
        Seeds the runs.
    base_visible_bias : array-like of shape (n_visible,), optional
        Visible biases of the base RBM (e.g. from the data's marginals); zeros by default.
    backend : str or qbm.backend.Backend, optional
        Where the runs compute (:mod:`qbm.backend`, e.g. ``"torch:cuda"``): the chains and the
        weights' products in float32, the log-weights' increments in float64, as on the CPU.

    Returns
    -------
    estimate : float
        The estimate of ``log Z``.
    standard_error : float
        Its standard error, calibrated for heavy-tailed importance weights (the
        geometric mean of the weights' and the log-normal delta-method errors; it
        covers the exact ``log Z`` at close to the nominal rates in simulation).

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(12, 6, random_state=0)
    >>> estimate, spread = ais_log_partition(rbm, num_reads=50, betas=200, random_state=0)
    >>> abs(estimate - qbm.log_partition(rbm)) < 0.05
    True
    """
    _check_rbm(model, "ais_log_partition")
    num_reads = _checked_chains(check_count(num_reads, "num_reads"), model)
    annealing = _Annealing(model, _schedule(betas), base_visible_bias, random_state, backend)
    log_weights, _ = annealing.run(annealing.from_base(num_reads), annealing.schedule)
    estimate = annealing.log_z_base + logsumexp(log_weights) - np.log(num_reads)
    return float(estimate), _log_mean_standard_error(log_weights)


def ais_log_likelihood(model: RBM, data, **ais_options) -> tuple[float, float]:
    """Mean ``log p(v)`` over ``data`` with ``log Z`` from :func:`ais_log_partition`, and the
    standard error of that ``log Z`` (the estimate's only source of error).

    Parameters
    ----------
    model : RBM
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    **ais_options
        Passed to :func:`ais_log_partition`.  Without ``base_visible_bias`` the base RBM
        takes the log-odds of ``data``'s pixel marginals (add-one smoothed), as Salakhutdinov
        & Murray (2008) do: a base close to the model keeps the importance weights tame where
        the uniform base fails on image data (the error of ``log Z`` reaches e^50).

    Returns
    -------
    estimate : float
        Mean ``log p(v)``.
    standard_error : float
        The standard error of the ``log Z`` estimate.

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(6, 3, random_state=0)
    >>> estimate, spread = ais_log_likelihood(rbm, [[1, 0, 1, 0, 1, 0]], random_state=0, betas=300)
    >>> abs(estimate - qbm.log_likelihood(rbm, [[1, 0, 1, 0, 1, 0]])) < 0.05
    True
    """
    if not is_rbm(model):
        raise TypeError(f"method='ais' is implemented for an RBM, got {type(model).__name__}")
    v = check_rows(data, "data", model.n_visible)
    if ais_options.get("base_visible_bias") is None:
        ais_options["base_visible_bias"] = _data_base(v)
    log_z, spread = ais_log_partition(model, **ais_options)
    return float(np.mean(-model.free_energy(v)) - log_z), spread




def reverse_ais_log_partition(model: RBM, samples, betas: int | np.ndarray = 10_000, random_state: RandomLike = None,
                              base_visible_bias=None, backend: str | Backend | None = None) -> tuple[float, float]:
    """Reverse AIS from exact samples of the model down to the base: a stochastic upper bound on ``log Z``.

    Each row of ``samples`` starts a run at the model (β = 1) that anneals to the base; its weight
    ``Π_k f_{k-1}(v) / f_k(v)`` has mean ``Z_0 / Z``, so ``log Z_0 - log mean(w)`` overestimates
    ``log Z`` as the forward estimate underestimates it (bidirectional Monte Carlo, Grosse,
    Ghahramani & Adams 2015).  The bound holds for *exact* samples: draws from
    :class:`qbm.ExactSampler`, or data simulated from the model; chains that have not mixed
    give no bound.

    Parameters
    ----------
    model : RBM
        The model.
    samples : array-like of shape (num_reads, n_visible)
        Exact samples of the model's visible layer, one run each.
    betas : int or array-like
        Number of linearly spaced inverse temperatures, or the sequence from 0 to 1 (walked down).
    random_state : int, numpy.random.Generator or None
        Seeds the runs.
    base_visible_bias : array-like of shape (n_visible,), optional
        Visible biases of the base RBM; zeros by default.
    backend : str or qbm.backend.Backend, optional
        Where the runs compute (:mod:`qbm.backend`).

    Returns
    -------
    estimate : float
        The upper estimate of ``log Z``.
    standard_error : float
        Its standard error (as :func:`ais_log_partition`'s).

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(12, 6, random_state=0)
    >>> samples = qbm.ExactSampler().sample(rbm.to_bqm(), num_reads=50, seed=0).record.sample[:, :12]
    >>> estimate, spread = reverse_ais_log_partition(rbm, samples, betas=200, random_state=0)
    >>> abs(estimate - qbm.log_partition(rbm)) < 0.05
    True
    """
    _check_rbm(model, "reverse_ais_log_partition")
    v = check_rows(samples, "samples", model.n_visible)
    annealing = _Annealing(model, _schedule(betas), base_visible_bias, random_state, backend)
    log_weights, _ = annealing.run(annealing.rows(v), annealing.schedule[::-1])
    estimate = annealing.log_z_base - (logsumexp(log_weights) - np.log(len(v)))
    return float(estimate), _log_mean_standard_error(log_weights)


def raise_log_likelihood(model: RBM, data, num_reads: int = 10, betas: int | np.ndarray = 10_000,
                         random_state: RandomLike = None, base_visible_bias=None,
                         backend: str | Backend | None = None) -> tuple[float, float]:
    """RAISE: mean ``log p(v)`` over ``data`` from runs annealed down from each row, a stochastic lower bound.

    Burda, Grosse & Salakhutdinov (2015), "Accurate and conservative estimates of MRF log-likelihood
    using reverse annealing".  Each row starts ``num_reads`` runs at the model that sweep down to
    the base; ``p_0(v_0) Π_k f_k(v_k) / f_k(v_{k-1})`` is an unbiased estimate of the row's
    probability under the annealing process (the model that anneals from the base), so its log
    errs low for *that* model: the conservative side of :func:`ais_log_likelihood` where the anneal
    reaches all of the RBM's mass, with no exact sample needed.  Where the RBM holds a mode away from
    the data that the anneal does not reach, the annealing model gives the data more probability
    than the RBM does and the estimate is optimistic; a longer schedule (``betas``) closes the gap,
    more runs per row do not.  The cost is ``len(data) · num_reads`` chains.

    Parameters
    ----------
    model : RBM
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    num_reads : int
        Runs per row.
    betas : int or array-like
        Number of linearly spaced inverse temperatures, or the sequence from 0 to 1 (walked down).
    random_state : int, numpy.random.Generator or None
        Seeds the runs.
    base_visible_bias : array-like of shape (n_visible,), optional
        Visible biases of the base RBM; the log-odds of ``data``'s pixel marginals (add-one
        smoothed) by default, as :func:`ais_log_likelihood`'s.
    backend : str or qbm.backend.Backend, optional
        Where the runs compute (:mod:`qbm.backend`).

    Returns
    -------
    estimate : float
        The mean over rows of ``log p̂(v)``.
    standard_error : float
        Its standard error from the runs' spread (not the rows': the rows are the data).

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(8, 4, random_state=0)
    >>> rows = [[1, 0, 1, 0, 1, 0, 1, 0], [1, 1, 1, 1, 0, 0, 0, 0]]
    >>> estimate, spread = raise_log_likelihood(rbm, rows, num_reads=50, betas=300, random_state=0)
    >>> abs(estimate - qbm.log_likelihood(rbm, rows)) < 0.05
    True
    """
    _check_rbm(model, "raise_log_likelihood")
    v = check_rows(data, "data", model.n_visible)
    base = _data_base(v) if base_visible_bias is None else base_visible_bias
    return _mean_over_rows(*_raise_per_row(model, v, num_reads, betas, random_state, base, backend))


def _raise_per_row(model: RBM, v: np.ndarray, num_reads: int, betas, random_state: RandomLike, base,
                   backend) -> tuple[np.ndarray, np.ndarray]:
    """RAISE's estimate of each row's ``log p(v)`` and its standard error from the row's runs."""
    num_reads = check_count(num_reads, "num_reads")
    _checked_chains(num_reads * len(v), model)
    annealing = _Annealing(model, _schedule(betas), base, random_state, backend)
    top = annealing.rows(np.repeat(v, num_reads, axis=0))
    levels = annealing.schedule[::-1][:-1]          # 1, …, β_1: a sweep at each, the first from the rows
    log_weights, bottom = annealing.run(annealing.sweep(top, 1.0), levels)
    log_weights += to_host(annealing.log_f(top, 1.0) - annealing.log_f(bottom, float(levels[-1]))
                           + annealing.log_base(bottom))
    per_run = log_weights.reshape(len(v), num_reads)
    per_row = logsumexp(per_run, axis=1) - np.log(num_reads)
    return per_row, np.array([_log_mean_standard_error(runs) for runs in per_run])


def _mean_over_rows(per_row: np.ndarray, errors: np.ndarray) -> tuple[float, float]:
    """The mean of the rows' estimates and its standard error from each row's runs (the rows are the data)."""
    return float(per_row.mean()), float(np.sqrt(np.sum(errors ** 2)) / len(per_row))


def log_likelihood_bounds(model: RBM, data, num_reads: int = 100, betas: int | np.ndarray = 10_000,
                          raise_reads: int = 10, raise_rows: int | None = None, random_state: RandomLike = None,
                          base_visible_bias=None, backend: str | Backend | None = None) -> dict[str, float]:
    """Mean ``log p(v)`` over ``data`` as an interval: RAISE below, forward AIS above, each with its error.

    Both sides anneal over the same temperatures from the same base; the forward side's
    ``log Z`` comes from ``num_reads`` runs, the lower side from ``raise_reads`` runs per row.
    The ``width`` says how far to trust either estimate: where it is below their standard
    errors, the annealing is long enough for this model.  Where RAISE lies above the forward
    estimate by more than twice their combined standard error, the forward runs found mass
    that the anneal from the data rows does not reach (a mode of the model away from the
    data): neither side bounds the log-likelihood, the forward side is the likelier of the two,
    and a ``RuntimeWarning`` says so; another warns where either side's standard error exceeds one
    nat (the runs disagree by nats: the anneal is too short and either side may be far off).

    Parameters
    ----------
    model : RBM
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states (a few hundred give the mean; RAISE's cost grows with them).
    num_reads : int
        Forward runs for ``log Z``.
    betas : int or array-like
        Number of linearly spaced inverse temperatures, or the sequence from 0 to 1.
    raise_reads : int
        RAISE runs per row.
    raise_rows : int, optional
        RAISE runs from this many rows drawn at random (every row by default) and its lower side
        holds for every row through the ``log Z`` it implies, ``mean(-F(v) - log p̂(v))`` over
        the rows drawn; its standard error then includes the spread between rows.  RAISE's
        cost is ``raise_rows · raise_reads`` chains where every row's would be
        ``len(data) · raise_reads``.
    random_state : int, numpy.random.Generator or None
        Seeds both sides.
    base_visible_bias : array-like of shape (n_visible,), optional
        Visible biases of the base RBM; the log-odds of ``data``'s marginals by default.
    backend : str or qbm.backend.Backend, optional
        Where the runs compute (:mod:`qbm.backend`).

    Returns
    -------
    dict
        ``lower``, ``upper`` (nats per row), ``lower_se``, ``upper_se`` and ``width``.

    Examples
    --------
    See the module's example.
    """
    _check_rbm(model, "log_likelihood_bounds")
    rng = check_random_state(random_state)
    v = check_rows(data, "data", model.n_visible)
    base = _data_base(v) if base_visible_bias is None else base_visible_bias
    negative_free_energy = -model.free_energy(v)
    log_z, upper_se = ais_log_partition(model, num_reads=num_reads, betas=betas, random_state=rng,
                                        base_visible_bias=base, backend=backend)
    upper = float(np.mean(negative_free_energy) - log_z)
    drawn = None if raise_rows is None or check_count(raise_rows, "raise_rows") >= len(v) else \
        rng.choice(len(v), raise_rows, replace=False)
    per_row, errors = _raise_per_row(model, v if drawn is None else v[drawn], raise_reads, betas, rng, base, backend)
    lower, lower_se = _mean_over_rows(per_row, errors)
    if drawn is not None:   # RAISE's log Z, from the rows drawn, for every row
        implied_log_z = negative_free_energy[drawn] - per_row
        lower = float(np.mean(negative_free_energy) - implied_log_z.mean())
        between_rows = implied_log_z.std(ddof=1) / np.sqrt(len(drawn)) if len(drawn) > 1 else np.inf
        lower_se = float(np.hypot(lower_se, between_rows))
    crossing = lower - upper
    if crossing > 2 * np.hypot(lower_se, upper_se):
        warnings.warn(f"log_likelihood_bounds: RAISE's estimate {lower:.3f} lies {crossing:.3f} nats above the "
                      f"forward estimate {upper:.3f}, beyond twice their standard errors ({lower_se:.3g}, "
                      f"{upper_se:.3g}): the model holds mass away from the data that the anneal does not reach, "
                      "so neither side bounds the log-likelihood; anneal longer (betas)", RuntimeWarning,
                      stacklevel=2)
    elif max(lower_se, upper_se) > UNCERTAIN_NATS:
        warnings.warn(f"log_likelihood_bounds: a standard error above {UNCERTAIN_NATS:g} nat (RAISE {lower_se:.3g}, "
                      f"forward {upper_se:.3g}): the runs disagree by nats, so the anneal is too short for this model "
                      "and either side may be far off; anneal longer (betas)", RuntimeWarning, stacklevel=2)
    return {"lower": lower, "upper": upper, "lower_se": lower_se, "upper_se": upper_se, "width": upper - lower}


class _Annealing:
    """One model, base and schedule on a backend: the states, the sweeps and the tempered marginals."""

    def __init__(self, model: RBM, schedule: np.ndarray, base_visible_bias, random_state: RandomLike,
                 backend: str | Backend | None) -> None:
        base = np.zeros(model.n_visible) if base_visible_bias is None else \
            check_array(base_visible_bias, "base_visible_bias", shape=(model.n_visible,))
        rng = check_random_state(random_state)
        self.backend, self.schedule = get_backend(backend), schedule
        self.log_z_base = float(softplus(base).sum() + model.n_hidden * np.log(2.0))
        self.field_bound = _hidden_field_bound(model)
        largest = max(self.field_bound, float(np.abs(model.visible_bias).max(initial=0.0)) + float(
            np.abs(model.weights).sum(axis=1).max(initial=0.0)))
        if not largest <= FLOAT32_FIELDS:
            raise ValueError(f"the model's fields (up to {largest:.3g}) do not fit the float32 chains of AIS (at most "
                             f"{FLOAT32_FIELDS:.3g}): the model has diverged or needs rescaling")
        # 0/1 states times float32 weights: one product per layer and temperature, rounding far below the
        # estimate's spread (each log-weight increment scales the hidden fields' error by the step in β)
        if self.backend.is_numpy:   # the fields in float32 too: the increments are taken without cancellation
            self.weights, self.visible_bias, self.hidden_bias, self.base = (
                x.astype(np.float32) for x in (model.weights, model.visible_bias, model.hidden_bias, base))
            self.tilt, self.linear_base = model.visible_bias - base, base
            self.product, self.stream = np.matmul, rng
            self.layers, self.draw_base = RBMParameters(self.weights, self.visible_bias, self.hidden_bias), self.base
        else:
            backend = self.backend
            self.weights = backend.asarray(model.weights)
            self.visible_bias, self.hidden_bias, self.base = (backend.asarray(x, dtype=backend.xp.float64)
                                                              for x in (model.visible_bias, model.hidden_bias, base))
            self.tilt, self.linear_base = self.visible_bias - self.base, self.base
            self.product, self.stream = backend.matmul, backend.random(rng)
            # the draws' fields in the product's float32, the sweep the chain kernel's
            self.layers = RBMParameters(self.weights, backend.asarray(model.visible_bias), None)
            self.draw_base = backend.asarray(base)
        # log f_β(v) = β vᵀ(a - base) + vᵀbase + Σ softplus(β (vᵀW + b)): the linear part in float64
        self.xp = namespace(self.weights)

    def draw(self, probabilities):
        """float32 0/1 states, one per probability."""
        return bernoulli(probabilities, self.stream, np.float32)

    def from_base(self, num_reads: int):
        """Exact draws of the base."""
        start = sigmoid(self.base)[None, :]
        return self.draw(start.repeat(num_reads, axis=0) if self.xp is np else
                         self.xp.broadcast_to(start, (num_reads, start.shape[1])))

    def rows(self, v: np.ndarray):
        """Given visible rows as the runs' float32 states."""
        return v.astype(np.float32) if self.backend.is_numpy else self.backend.asarray(v)

    def _dot(self, v, vector):
        """``v @ vector`` of float32 states and a float64 vector, in float64."""
        return v @ vector if self.xp is np else self.xp.astype(v, vector.dtype) @ vector

    def _hidden_field(self, v):
        return self.product(v, self.weights) + self.hidden_bias

    def _visible_draw(self, h, beta: float):
        """The sweep's draw of v at ``beta`` given the hidden states: the chain kernel's, on the tempered marginal."""
        return visible_draw(self.layers, h, self.stream, beta, base=self.draw_base, dtype=np.float32)

    def run(self, v, levels: np.ndarray):
        """From level ``levels[0]`` to each next: add ``log f_next(v) - log f_current(v)``, sweep at the next.
        The log-weights (host float64) and the last states."""
        log_weights = like(np.zeros(v.shape[0]), self.tilt)
        for previous, beta in zip(levels[:-1].tolist(), levels[1:].tolist()):
            hidden_field = self._hidden_field(v)
            on = sigmoid(beta * hidden_field)   # p(h = 1 | v) at the next level: the draw's and the increment's
            log_weights += (beta - previous) * self._dot(v, self.tilt) + \
                self._softplus_rise(hidden_field, on, beta, previous)
            v = self._visible_draw(self.draw(on), beta)
        return to_host(log_weights), v

    def _softplus_rise(self, hidden_field, on, beta: float, previous: float):
        """``Σ_j softplus(β x_j) - softplus(β' x_j)`` of each row, in float64, given ``on = σ(β x)``.

        Each term is ``-K(u)`` at ``u = (β' - β) x_j``, with ``K(u) = log(1 - s + s eᵘ)`` the cumulant
        generating function of a Bernoulli(s = σ(β x_j)).  Where the step moves no field by more than
        ``SERIES_STEP`` (the model's bound on |x| times |β - β'|) its series to ``u⁴`` holds to 1e-7 of
        the terms' size, about float32's rounding of the fields, with products only and no difference
        of large numbers; a coarser step takes the two softplus sums in float64.
        """
        if abs(beta - previous) * self.field_bound > SERIES_STEP:
            field = self.xp.astype(hidden_field, self.tilt.dtype)
            return total(softplus(beta * field), axis=1) - total(softplus(previous * field), axis=1)
        u = (previous - beta) * hidden_field
        variance = on - on * on                               # the cumulants s, s(1-s), s(1-s)(1-2s), s(1-s)(1-6s(1-s))
        series = variance * (1 - 6 * variance) * (1 / 24)
        for cumulant in (variance * (1 - 2 * on) * (1 / 6), 0.5 * variance, on):
            series = series * u + cumulant
        series = series * u
        return -(np.add.reduce(series, axis=1, dtype=np.float64) if self.xp is np else total(series, axis=1))

    def sweep(self, v, beta: float):
        """One sweep v → h → v at ``beta`` (of the annealing path)."""
        return self._visible_draw(self.draw(sigmoid(beta * self._hidden_field(v))), beta)

    def log_f(self, v, beta: float):
        """``log f_β(v)`` of each row (without the base's constant), float64."""
        field = self.xp.astype(self._hidden_field(v), self.tilt.dtype)
        return beta * self._dot(v, self.tilt) + total(softplus(beta * field), axis=1) + self._dot(v, self.linear_base)

    def log_base(self, v):
        """``log p_0(v)`` of each row: the normalised base (its hidden units summed out)."""
        return self._dot(v, self.linear_base) - float(softplus(to_host(self.linear_base)).sum())


def _checked_chains(chains: int, model: RBM) -> int:
    """``chains``, once their float32 states and fields are known to fit in memory."""
    check_allocation(3 * 4.0 * chains * (model.n_visible + model.n_hidden), f"{chains} AIS chains of an RBM "
                     f"{model.n_visible}×{model.n_hidden}")
    return chains


def _check_rbm(model, name: str) -> None:
    if not is_rbm(model):
        raise TypeError(f"{name} is implemented for an RBM, got {type(model).__name__}")


def _schedule(betas) -> np.ndarray:
    schedule = np.linspace(0.0, 1.0, check_count(betas, "betas", minimum=2)) if np.ndim(betas) == 0 \
        else np.asarray(betas, dtype=np.float64)
    if schedule.ndim != 1 or len(schedule) < 2 or not np.all(np.isfinite(schedule)) or schedule[0] != 0 \
            or schedule[-1] != 1 or np.any(np.diff(schedule) < 0):
        raise ValueError("betas must be a count (at least 2) or an increasing sequence from 0 to 1")
    return schedule


def _hidden_field_bound(model: RBM) -> float:
    """The largest ``|b_j + vᵀW_:j|`` over every visible state: each hidden unit's bias plus its
    positive (or negative) couplings."""
    weights = model.weights
    highest = model.hidden_bias + np.clip(weights, 0, None).sum(axis=0)
    lowest = model.hidden_bias + np.clip(weights, None, 0).sum(axis=0)
    return float(max(np.abs(highest).max(initial=0.0), np.abs(lowest).max(initial=0.0)))


def _data_base(v: np.ndarray) -> np.ndarray:
    """The log-odds of the rows' pixel marginals, add-one smoothed: a base close to a model of them."""
    marginals = (v.sum(axis=0) + 1.0) / (len(v) + 2.0)
    return np.log(marginals) - np.log1p(-marginals)


def _log_mean_standard_error(log_weights: np.ndarray) -> float:
    """Standard error of ``log mean(w)``: the geometric mean of two delta-method estimates.

    From the weights' sample variance (too small when the weights are heavy-tailed: the
    sample misses the tail) and from a log-normal fit to the log-weights (too large when
    the log-weights are skewed).  Calibrated by simulation against exact ``log Z``
    (``tests/test_metrics.py``): close to the nominal 68 % / 95 % coverage where either
    alone gives about 60 % / 88 % or 74 % / 98 %.

    Where the log-weights spread by many nats the log-normal term grows as ``e^{σ²/2}``
    while the error it describes grows as ``σ²``: the log of a mean of ``n`` log-normal weights
    errs from ``log E[w]`` by at most ``√(σ⁴/4 + σ²/n)`` in root mean square (the bias of
    their mean log plus its spread), so the error is capped there — an honest "many nats",
    not thousands.
    """
    n = len(log_weights)
    if n < 2:
        return float("inf")
    relative = np.exp(log_weights - log_weights.max())
    from_weights = relative.std() / (relative.mean() * np.sqrt(n))
    spread = min(float(np.var(log_weights, ddof=1)), 700.0)   # past this the answer is "no information" anyway
    with np.errstate(divide="ignore"):   # identical weights (a spread of rounding only): an error of zero
        log_expm1 = spread + np.log1p(-np.exp(-spread)) if spread > 0 else -np.inf
        combined = float(np.exp(0.5 * np.log(from_weights) + 0.25 * (log_expm1 - np.log(n))))
    return min(combined, float(np.sqrt(spread ** 2 / 4 + spread / n)))
