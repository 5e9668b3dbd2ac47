"""How good is a model: exact and AIS likelihoods, pseudo-likelihood, reconstruction, KL.

>>> import qbm
>>> data = qbm.datasets.bars_and_stripes(3)
>>> rbm = qbm.RBM(9, 4, random_state=0)
>>> round(kl_divergence(rbm, data), 3)  # near-uniform model: about log(512/14)
3.599
"""
from __future__ import annotations

import numpy as np
from scipy.special import log_expit, logsumexp

from .backend import Backend, get_backend, like, namespace, sigmoid, softplus, to_host, total
from .exact import exactly_computable, log_probabilities
from .exact import log_likelihood as exact_log_likelihood
from .models import RBM, BoltzmannMachine, check_model
from ._utils import RandomLike, check_array, check_binary, check_count, check_random_state, check_unit_interval

__all__ = [
    "exact_log_likelihood",
    "ais_log_partition",
    "log_likelihood",
    "ais_log_likelihood",
    "likelihood_report",
    "pseudo_log_likelihood",
    "pseudo_log_likelihoods",
    "reconstruction_error",
    "kl_divergence",
    "empirical_distribution",
]

_CHUNK_ENTRIES = 2 ** 22


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
    if not isinstance(model, RBM):
        raise TypeError(f"ais_log_partition is implemented for an RBM, got {type(model).__name__}")
    num_reads = check_count(num_reads, "num_reads")
    schedule = np.linspace(0.0, 1.0, check_count(betas, "betas", minimum=2)) if np.ndim(betas) == 0 \
        else np.asarray(betas, dtype=np.float64)
    if schedule.ndim != 1 or len(schedule) < 2 or not np.all(np.isfinite(schedule)) or schedule[0] != 0 \
            or schedule[-1] != 1 or np.any(np.diff(schedule) < 0):
        raise ValueError("betas must be a count (at least 2) or an increasing sequence from 0 to 1")
    base = np.zeros(model.n_visible) if base_visible_bias is None else \
        check_array(base_visible_bias, "base_visible_bias", shape=(model.n_visible,))
    rng = check_random_state(random_state)
    backend = get_backend(backend)
    # 0/1 states times float32 weights: one product per layer and temperature, rounding far below the
    # estimate's spread (each log-weight increment scales the hidden fields' error by the step in β)
    if backend.is_numpy:
        weights, visible_bias, hidden_bias, start = model.weights.astype(np.float32), model.visible_bias, \
            model.hidden_bias, base
        product = np.matmul

        def draw(probabilities: np.ndarray) -> np.ndarray:
            return (rng.random(probabilities.shape, dtype=np.float32) < probabilities).astype(np.float32)
    else:
        weights = backend.asarray(model.weights)
        visible_bias, hidden_bias, start = (backend.asarray(x, dtype=backend.xp.float64)
                                            for x in (model.visible_bias, model.hidden_bias, base))
        stream, product = backend.random(rng), backend.matmul

        def draw(probabilities):
            return backend.xp.astype(stream.random(tuple(probabilities.shape)) < probabilities, backend.xp.float32)
    log_weights = _annealed_log_weights(weights, visible_bias, hidden_bias, start, schedule, num_reads, draw, product)
    log_z_base = softplus(base).sum() + model.n_hidden * np.log(2.0)
    estimate = log_z_base + logsumexp(log_weights) - np.log(num_reads)
    return float(estimate), _log_mean_standard_error(log_weights)


def _annealed_log_weights(weights, visible_bias, hidden_bias, base, schedule: np.ndarray, num_reads: int, draw,
                          product) -> np.ndarray:
    """Each run's log importance weight: one block-Gibbs step per temperature, the hidden layer summed
    out in the increments (float64), on the arrays' backend; ``draw`` makes 0/1 float32 states."""
    xp = namespace(weights)
    tilt = visible_bias - base   # log f_β(v) = β vᵀa + (1 - β) vᵀbase + Σ softplus(β (vᵀW + b))
    start = sigmoid(base)[None, :]
    v = draw(start.repeat(num_reads, axis=0) if xp is np else xp.broadcast_to(start, (num_reads, start.shape[1])))
    log_weights = like(np.zeros(num_reads), tilt)
    for previous, beta in zip(schedule[:-1].tolist(), schedule[1:].tolist()):
        hidden_field = product(v, weights) + hidden_bias   # float64 from here: the increments are differences
        log_weights += ((beta - previous) * (v @ tilt if xp is np else xp.astype(v, tilt.dtype) @ tilt)
                        + total(softplus(beta * hidden_field), axis=1)
                        - total(softplus(previous * hidden_field), axis=1))
        h = draw(sigmoid(beta * hidden_field))
        v = draw(sigmoid(beta * (product(h, weights.T) + visible_bias) + (1 - beta) * base))
    return to_host(log_weights)


def _log_mean_standard_error(log_weights: np.ndarray) -> float:
    """Standard error of ``log mean(w)``: the geometric mean of two delta-method estimates.

    From the weights' sample variance (too small when the weights are heavy-tailed: the
    sample misses the tail) and from a log-normal fit to the log-weights (too large when
    the log-weights are skewed).  Calibrated by simulation against exact ``log Z``
    (``tests/test_metrics.py``): close to the nominal 68 % / 95 % coverage where either
    alone gives about 60 % / 88 % or 74 % / 98 %.
    """
    n = len(log_weights)
    if n < 2:
        return float("inf")
    relative = np.exp(log_weights - log_weights.max())
    from_weights = relative.std() / (relative.mean() * np.sqrt(n))
    spread = min(float(np.var(log_weights, ddof=1)), 700.0)   # past this the answer is "no information" anyway
    log_expm1 = spread + np.log1p(-np.exp(-spread)) if spread > 0 else -np.inf
    with np.errstate(divide="ignore"):
        return float(np.exp(0.5 * np.log(from_weights) + 0.25 * (log_expm1 - np.log(n))))


def log_likelihood(model: RBM | BoltzmannMachine, data, method: str = "exact", **ais_options) -> float:
    """Mean ``log p(v)`` over ``data``: ``"exact"`` enumeration, or ``"ais"`` for a large RBM.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    method : {"exact", "ais"}
        Enumeration, or an AIS estimate of ``log Z`` (RBM only).
    **ais_options
        Passed to :func:`ais_log_partition`.

    Returns
    -------
    float

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(6, 3, random_state=0)
    >>> data = [[1, 0, 1, 0, 1, 0]]
    >>> abs(log_likelihood(rbm, data) - log_likelihood(rbm, data, "ais", random_state=0, betas=300)) < 0.05
    True
    """
    check_model(model, quantum="qbm.quantum.log_likelihood")
    if method == "exact":
        return exact_log_likelihood(model, data)
    if method == "ais":
        return ais_log_likelihood(model, data, **ais_options)[0]
    raise ValueError(f"method must be 'exact' or 'ais', got {method!r}")


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
    >>> abs(estimate - log_likelihood(rbm, [[1, 0, 1, 0, 1, 0]])) < 0.05
    True
    """
    if not isinstance(model, RBM):
        raise TypeError(f"method='ais' is implemented for an RBM, got {type(model).__name__}")
    v = check_binary(data, "data", ndim=2, width=model.n_visible)
    if ais_options.get("base_visible_bias") is None:
        marginals = (v.sum(axis=0) + 1.0) / (len(v) + 2.0)
        ais_options["base_visible_bias"] = np.log(marginals) - np.log1p(-marginals)
    log_z, spread = ais_log_partition(model, **ais_options)
    return float(np.mean(-model.free_energy(v)) - log_z), spread


def likelihood_report(model: RBM | BoltzmannMachine, data, random_state: RandomLike = None) -> dict[str, float]:
    """The mean log-likelihood of ``data``, exact where the model allows it (enumeration or elimination),
    by AIS for a larger RBM.

    The report of ``qbm train`` and ``qbm evaluate``.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    random_state : int, numpy.random.Generator or None
        Seeds the AIS estimate.

    Returns
    -------
    dict of str -> float
        ``{"log_likelihood": ...}`` (exact), ``{"log_likelihood_ais": ...,
        "log_partition_ais_standard_error": ...}`` (AIS), or ``{}`` for a general BM too
        large to enumerate.

    Examples
    --------
    >>> import qbm
    >>> sorted(likelihood_report(qbm.RBM(4, 2, random_state=0), [[1, 0, 1, 0]]))
    ['log_likelihood']
    """
    if exactly_computable(model):
        return {"log_likelihood": log_likelihood(model, data)}
    if not isinstance(model, RBM):
        return {}
    estimate, spread = ais_log_likelihood(model, data, random_state=random_state)
    return {"log_likelihood_ais": estimate, "log_partition_ais_standard_error": spread}


def pseudo_log_likelihood(model: RBM | BoltzmannMachine, data) -> float:
    """Mean over rows of ``Σ_i log p(v_i | v_-i)``, exact, every visible unit.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.

    Returns
    -------
    float

    Examples
    --------
    >>> import qbm
    >>> round(pseudo_log_likelihood(qbm.RBM(4, 2, weights=[[0, 0]] * 4), [[1, 0, 1, 0]]), 3)  # 4·log(1/2)
    -2.773
    """
    return float(np.mean(pseudo_log_likelihoods(model, data)))


def pseudo_log_likelihoods(model: RBM | BoltzmannMachine, data) -> np.ndarray:
    """``Σ_i log p(v_i | v_-i)`` of each row: for an RBM from free-energy differences, for a
    fully visible BM from local fields.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.

    Returns
    -------
    ndarray of shape (n_rows,)

    Examples
    --------
    >>> import qbm
    >>> pseudo_log_likelihoods(qbm.BoltzmannMachine(2, weights=[0.0]), [[1, 0], [0, 0]]).round(3)
    array([-1.386, -1.386])
    """
    if isinstance(model, BoltzmannMachine):
        if model.n_hidden:
            raise TypeError("pseudo_log_likelihood needs a fully visible BoltzmannMachine or an RBM")
        v = check_binary(data, "data", ndim=2, width=model.n_visible)
        return np.sum(log_expit((2 * v - 1) * model.local_fields(v)), axis=1)
    check_model(model)
    v = check_binary(data, "data", ndim=2, width=model.n_visible)
    rows = max(1, _CHUNK_ENTRIES // (model.n_visible * model.n_hidden))
    totals = [np.zeros(0)]
    for start in range(0, len(v), rows):
        chunk = v[start:start + rows]
        pre = chunk @ model.weights + model.hidden_bias                     # (N, H)
        sign = 1 - 2 * chunk                                                # +1 turns a unit on
        flipped = pre[:, None, :] + sign[:, :, None] * model.weights[None]  # (N, V, H)
        # log p(v_i | rest) = -log(1 + exp(F(v) - F(v with i flipped)))
        difference = (sign * model.visible_bias + softplus(flipped).sum(axis=2)
                      - softplus(pre).sum(axis=1)[:, None])
        totals.append(log_expit(-difference).sum(axis=1))
    return np.concatenate(totals)


def reconstruction_error(model: RBM, data) -> float:
    """Mean squared error of the mean-field reconstruction ``p(v | p(h | v))``.

    Parameters
    ----------
    model : RBM
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of values in [0, 1].

    Returns
    -------
    float

    Examples
    --------
    >>> import qbm
    >>> round(reconstruction_error(qbm.RBM(2, 1, weights=[[0.0], [0.0]]), [[1, 1]]), 3)
    0.25
    """
    if not isinstance(model, RBM):
        raise TypeError(f"reconstruction_error needs an RBM, got {type(model).__name__}")
    v = check_unit_interval(data, "data", ndim=2, width=model.n_visible)
    return float(np.mean((v - model.visible_probabilities(model.hidden_probabilities(v))) ** 2))


def kl_divergence(model: RBM | BoltzmannMachine, target, probabilities=None) -> float:
    """Exact ``KL(target ‖ model)`` in nats over the visible units.

    ``target`` is either the rows of a data set (its empirical distribution, repeated
    rows counted) or distinct states with their ``probabilities``.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    target : array-like of shape (n_rows, n_visible)
        Data rows, or distinct states.
    probabilities : array-like of shape (n_rows,), optional
        The probability of each state of ``target``.

    Returns
    -------
    float
        In nats; 0 when the model's visible marginal equals the target.

    Examples
    --------
    >>> import qbm
    >>> kl_divergence(qbm.RBM(2, 1), [[0, 0], [1, 1]]) < 0.7
    True
    """
    check_model(model, quantum="qbm.quantum.kl_divergence")
    states, p = empirical_distribution(target, model.n_visible, probabilities)
    return float(np.sum(p * (np.log(p) - log_probabilities(model, states))))


def empirical_distribution(target, n_visible: int, probabilities=None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct states of ``target`` with positive probability, and their probabilities.

    Parameters
    ----------
    target : array-like of shape (n_rows, n_visible)
        Data rows (repeated rows counted), or distinct states.
    n_visible : int
        The width of a row.
    probabilities : array-like of shape (n_rows,), optional
        The probability of each state of ``target``; the rows' frequencies by default.

    Returns
    -------
    states : ndarray of shape (n_states, n_visible)
    probabilities : ndarray of shape (n_states,)

    Examples
    --------
    >>> states, p = empirical_distribution([[0, 1], [0, 1], [1, 1]], 2)
    >>> states.tolist(), p.round(3).tolist()
    ([[0.0, 1.0], [1.0, 1.0]], [0.667, 0.333])
    """
    states = check_binary(target, "target", ndim=2, width=n_visible)
    if probabilities is None:
        states, counts = np.unique(states, axis=0, return_counts=True)
        p = counts / counts.sum()
    else:
        p = check_unit_interval(probabilities, "probabilities", ndim=1, width=len(states))
        if not np.isclose(p.sum(), 1.0):
            raise ValueError(f"probabilities must sum to 1, got {p.sum()}")
    return states[p > 0], p[p > 0]
