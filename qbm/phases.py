"""Where a Boltzmann machine's statistics come from.

Learning follows ``Δθ ∝ ⟨∂(-E)/∂θ⟩_data - ⟨∂(-E)/∂θ⟩_model``.  A *phase* supplies both
sides through one small protocol:

- ``phase.statistics(model, batch, random_state)`` — the model side, a dict keyed by
  the model's parameter names;
- ``phase.data_statistics(model, batch, random_state)`` — the data side: exact for an
  RBM (hidden probabilities given the data) and for a fully visible BM (the data
  themselves); a BM with hidden units needs its hidden units sampled with the
  visible ones clamped, which :class:`SamplerPhase` and :class:`ExactPhase` provide.

:class:`CD` and :class:`PCD` are the RBM fast paths on arrays; :class:`SamplerPhase`
crosses the dimod boundary to any sampler; :class:`ExactPhase` enumerates.

>>> import qbm
>>> rbm = qbm.RBM(6, 3, random_state=0)
>>> data = [[1, 0, 1, 0, 1, 0]]
>>> grad = gradient(SamplerPhase(qbm.ExactSampler(), num_reads=500), rbm, data, random_state=0)
>>> sorted(grad), grad["weights"].shape
(['hidden_bias', 'visible_bias', 'weights'], (6, 3))
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, NamedTuple

import dimod
import numpy as np
import scipy.sparse

from .divergence import DivergenceGuard
from .exact import clamped_expectations, expectations
from .models import RBM, BoltzmannMachine, Model, check_visible_rows
from ._utils import (RandomLike, bernoulli, check_beta, check_binary, check_count, check_non_negative,
                     check_random_state, check_sampler, sigmoid, with_seed)

__all__ = [
    "Phase",
    "CD",
    "PCD",
    "SamplerPhase",
    "ExactPhase",
    "gradient",
    "qpu_phase",
    "make_phase",
    "PHASE_NAMES",
    "states_from_sampleset",
    "boltzmann_samples",
]


# the annealing schedule for samplers that take ``beta_range`` (e.g. neal): it ends at the BQM's own
# temperature, so the final states are Boltzmann samples (the sampler's default anneals to near-ground states)
_BOLTZMANN_BETA_RANGE = (0.05, 1.0)


class Phase(ABC):
    """Base class: the data side is exact where it can be; subclasses give the model side.

    Examples
    --------
    >>> import qbm
    >>> isinstance(qbm.PCD(), Phase), isinstance(qbm.ExactPhase(), Phase)
    (True, True)
    """

    def __init__(self) -> None:
        self.sampler_calls = 0

    @abstractmethod
    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Model-side expectations ``⟨∂(-E)/∂θ⟩_model``.

        Parameters
        ----------
        model : RBM or BoltzmannMachine
            The model.
        batch : array-like of shape (n_rows, n_visible) or None
            The data rows of this step (ignored by phases whose model side needs none).
        random_state : int, numpy.random.Generator or None
            The random stream (seeds the sampler's ``seed``).

        Returns
        -------
        dict of str -> ndarray
            One array per parameter name of the model.

        Examples
        --------
        >>> import qbm
        >>> qbm.ExactPhase().statistics(qbm.RBM(3, 2, random_state=0), None)["visible_bias"].round(2)
        array([0.5, 0.5, 0.5])
        """

    def data_statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Data-side expectations ``⟨∂(-E)/∂θ⟩_data`` for the rows of ``batch``.

        Parameters
        ----------
        model : RBM or BoltzmannMachine
            The model.
        batch : array-like of shape (n_rows, n_visible)
            The data rows of this step.
        random_state : int, numpy.random.Generator or None
            The random stream (seeds the sampler's ``seed``).

        Returns
        -------
        dict of str -> ndarray
            One array per parameter name of the model.

        Examples
        --------
        >>> import qbm
        >>> qbm.CD().data_statistics(qbm.RBM(3, 2, random_state=0), [[1, 0, 1]])["visible_bias"]
        array([1., 0., 1.])
        """
        v = _check_batch(model, batch)
        if isinstance(model, RBM):
            return _rbm_statistics(model, v)
        if model.n_hidden == 0:
            return model.sufficient_statistics(v)
        return self._clamped_statistics(model, v, check_random_state(random_state))

    def _gradient(self, model: Model, v: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Data side minus model side for one step's checked rows ``v``; a phase that can share work
        between the sides, or skip checking ``v`` again, overrides it."""
        data_side, model_side = self.data_statistics(model, v, rng), self.statistics(model, v, rng)
        return {name: data_side[name] - model_side[name] for name in model.parameter_names}

    def step_info(self) -> dict[str, float]:
        """Numbers describing the last model-side call (e.g. ``beta_eff``), for the training history.

        Returns
        -------
        dict of str -> float
        """
        return {}

    def state_dict(self) -> dict[str, Any]:
        """What a checkpoint must keep to resume this phase exactly.

        Returns
        -------
        dict of str -> array-like
        """
        return {"sampler_calls": self.sampler_calls}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned.

        Parameters
        ----------
        state : dict
            What :meth:`state_dict` returned.
        """
        self.sampler_calls = int(state["sampler_calls"])

    def _clamped_statistics(self, model: BoltzmannMachine, v: np.ndarray,
                            rng: np.random.Generator) -> dict[str, np.ndarray]:
        raise TypeError(f"{type(self).__name__} cannot sample the hidden units of a BoltzmannMachine "
                        "with clamped visible units; use SamplerPhase or ExactPhase")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def gradient(phase: Phase, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
    """Log-likelihood gradient estimate ``data side - model side`` for each parameter.

    Parameters
    ----------
    phase : Phase
        Where both sides come from.
    model : RBM or BoltzmannMachine
        The model.
    batch : array-like of shape (n_rows, n_visible)
        The data rows.
    random_state : int, numpy.random.Generator or None
        The random stream (seeds the sampler's ``seed``).

    Returns
    -------
    dict of str -> ndarray
        One array per parameter name of the model.

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(3, 2, random_state=0)
    >>> gradient(ExactPhase(), rbm, [[1, 1, 1]])["visible_bias"].round(2)
    array([0.5, 0.5, 0.5])
    """
    return _gradient_of_checked_rows(phase, model, _check_batch(model, batch), check_random_state(random_state))


def _gradient_of_checked_rows(phase: Phase, model: Model, v: np.ndarray,
                             rng: np.random.Generator) -> dict[str, np.ndarray]:
    """:func:`gradient` for rows already checked (the training loop checks its data once)."""
    return phase._gradient(model, v, rng)


class CD(Phase):
    """Contrastive divergence CD-k for an RBM: ``k`` Gibbs steps started at the data.

    Parameters
    ----------
    k : int
        Gibbs steps from the data.

    Examples
    --------
    >>> import qbm
    >>> CD(k=1).statistics(qbm.RBM(4, 2, random_state=0), [[1, 0, 1, 0]], random_state=0)["weights"].shape
    (4, 2)
    """

    def __init__(self, k: int = 1) -> None:
        super().__init__()
        self.k = check_count(k, "k")

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Expectations over the data rows after ``k`` Gibbs steps, the hidden layer summed out."""
        rbm = _require_rbm(model, self)
        rng = check_random_state(random_state)
        return _rbm_statistics(rbm, _run_chains(rbm, _check_batch(rbm, batch), self.k, rng))

    def _gradient(self, model: Model, v: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The data's ``p(h | v)`` serves the data side and the chains' first step, as in :meth:`statistics`."""
        rbm = _require_rbm(model, self)
        h = rbm.hidden_probabilities(v, check_input=False)
        chains = _run_chains(rbm, rbm.sample_visible(bernoulli(h, rng), rng, check_input=False), self.k - 1, rng)
        return _rbm_gradient(v, h, chains, rbm.hidden_probabilities(chains, check_input=False))

    def __repr__(self) -> str:
        return f"CD(k={self.k})"


class PCD(Phase):
    """Persistent contrastive divergence for an RBM: chains carried over between calls.

    The chains start uniform at random on the first call and are kept in ``chains``
    (restored with the rest of a training checkpoint).  ``num_chains`` is the one count
    in the package not called ``num_reads``: these chains persist from call to call.
    The defaults, 100 chains and ``k = 1``, by measurement on digits (RBM 64×16, Adam 0.01
    with ``train``'s linear decay, 100 epochs, batch 20; exact test log-likelihood, median of
    three seeds): 10 chains −18.90, 100 chains −18.62, 500 chains −18.61; ``k = 5`` −18.49
    at three times the time.  On MNIST-5k they beat CD-1 on the same budget
    (``benchmarks/bench_training.py``).

    With ``fast_rate > 0`` the chains sample from the model plus *fast weights* (FPCD,
    Tieleman & Hinton 2009): a copy of every parameter that takes each gradient at
    ``fast_rate`` and shrinks by ``fast_decay`` per step, so the chains are pushed away
    from where they have just been and mix faster.  The model-side statistics are the
    model's own, at the chains' states.  On bars-and-stripes 4×4 (200 chains, k = 10,
    Adam, 3000 epochs) ``fast_rate=0.1`` lowered the final KL from 0.51 to 0.39 at rate 0.02
    and from 0.67 to 0.36 at rate 0.1; on MNIST-5k (784×500, SGD 0.05, ``fast_rate=0.05``)
    it raised the AIS test log-likelihood from −102.8 to −100.4 with a third of the spread
    over seeds; on digits it changed it by less than the seeds do
    (``benchmarks/bench_plugin.py``, ``bench_training.py mnist`` and ``digits``).

    Parameters
    ----------
    num_chains : int
        Persistent chains.
    k : int
        Gibbs steps per call.
    fast_rate : float
        Learning rate of the fast weights; 0 (the default) is plain PCD.
    fast_decay : float
        Factor in [0, 1) the fast weights are multiplied by at each step.

    Examples
    --------
    >>> import qbm
    >>> phase = PCD(num_chains=10)
    >>> _ = phase.statistics(qbm.RBM(4, 2, random_state=0), None, random_state=0)
    >>> phase.chains.shape
    (10, 4)
    >>> PCD(fast_rate=0.1)
    PCD(num_chains=100, k=1, fast_rate=0.1, fast_decay=0.95)
    """

    def __init__(self, num_chains: int = 100, k: int = 1, fast_rate: float = 0.0, fast_decay: float = 0.95) -> None:
        super().__init__()
        self.num_chains = check_count(num_chains, "num_chains")
        self.k = check_count(k, "k")
        self.fast_rate = check_non_negative(fast_rate, "fast_rate")
        self.fast_decay = check_non_negative(fast_decay, "fast_decay")
        if self.fast_decay >= 1:
            raise ValueError(f"fast_decay must be in [0, 1), got {fast_decay!r}")
        self.chains: np.ndarray | None = None
        self.fast: dict[str, np.ndarray] | None = None   # the fast weights, when fast_rate > 0

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Advance the persistent chains ``k`` steps; expectations over them, the hidden layer summed out."""
        rbm = _require_rbm(model, self)
        self._advance(rbm, check_random_state(random_state))
        return _rbm_statistics(rbm, self.chains)

    def _advance(self, rbm: RBM, rng: np.random.Generator) -> None:
        if self.chains is None or self.chains.shape != (self.num_chains, rbm.n_visible):
            self.chains = rng.integers(0, 2, (self.num_chains, rbm.n_visible)).astype(np.float64)
        sampled = rbm
        if self.fast_rate:
            if self.fast is None or self.fast["weights"].shape != rbm.weights.shape:
                self.fast = {name: np.zeros_like(getattr(rbm, name)) for name in rbm.parameter_names}
            sampled = _RBMParameters(*(getattr(rbm, name) + self.fast[name] for name in _RBMParameters._fields))
        self.chains = _run_chains(sampled, self.chains, self.k, rng)

    def _gradient(self, model: Model, v: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
        rbm = _require_rbm(model, self)
        data_hidden = rbm.hidden_probabilities(v, check_input=False)
        self._advance(rbm, rng)
        grads = _rbm_gradient(v, data_hidden, self.chains, rbm.hidden_probabilities(self.chains, check_input=False))
        if self.fast_rate:
            for name, fast in self.fast.items():
                fast *= self.fast_decay
                fast += self.fast_rate * grads[name]
        return grads

    def state_dict(self) -> dict[str, Any]:
        """The call count, the persistent chains and the fast weights."""
        state = super().state_dict()
        if self.chains is not None:
            state["chains"] = self.chains.copy()
        if self.fast is not None:
            state.update({f"fast_{name}": value.copy() for name, value in self.fast.items()})
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        self.chains = np.array(state["chains"], dtype=np.float64) if "chains" in state else None
        fast = {name[len("fast_"):]: np.array(value, dtype=np.float64) for name, value in state.items()
                if name.startswith("fast_")}
        self.fast = fast or None

    def __repr__(self) -> str:
        fast = f", fast_rate={self.fast_rate:g}, fast_decay={self.fast_decay:g}" if self.fast_rate else ""
        return f"PCD(num_chains={self.num_chains}, k={self.k}{fast})"


class _RBMParameters(NamedTuple):
    """An RBM's three arrays without the model around them: what a Gibbs sweep reads."""
    weights: np.ndarray
    visible_bias: np.ndarray
    hidden_bias: np.ndarray


def _run_chains(rbm: RBM | _RBMParameters, visible: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` alternating Gibbs steps v → h → v, all chains at once."""
    v = visible
    for _ in range(k):
        v, _ = _gibbs_sweep(rbm, v, rng)
    return v


def _gibbs_sweep(rbm: RBM | _RBMParameters, v: np.ndarray, rng: np.random.Generator,
                 beta: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One sweep v → h → v of every chain (row), at β = 1 or at a column ``beta`` of one β per chain:
    RBM.sample_hidden and sample_visible without their argument handling, the hot path."""
    hidden_field = v @ rbm.weights + rbm.hidden_bias
    if beta is not None:
        hidden_field *= beta
    h = (rng.random(hidden_field.shape) < sigmoid(hidden_field)).astype(np.float64)
    visible_field = h @ rbm.weights.T + rbm.visible_bias
    if beta is not None:
        visible_field *= beta
    return (rng.random(visible_field.shape) < sigmoid(visible_field)).astype(np.float64), h


def _rbm_statistics(rbm: RBM, v: np.ndarray) -> dict[str, np.ndarray]:
    """Statistics of visible rows with the hidden layer summed out exactly (``p(h | v)``)."""
    return rbm.sufficient_statistics(np.concatenate([v, rbm.hidden_probabilities(v, check_input=False)], axis=1),
                                     check_input=False)


def _rbm_gradient(v_data: np.ndarray, h_data: np.ndarray, v_model: np.ndarray,
                  h_model: np.ndarray) -> dict[str, np.ndarray]:
    """Data-side minus model-side statistics of an RBM, rows of each side equally weighted, in place
    where it can be: the training step's hot path."""
    data_scale, model_scale = 1.0 / len(v_data), 1.0 / len(v_model)
    # both sides' products in one: [v_d; v_m]ᵀ [h_d / n_d; -h_m / n_m], one pass over the weight matrix
    weights = np.concatenate([v_data, v_model]).T @ np.concatenate([h_data * data_scale, h_model * -model_scale])
    visible = np.add.reduce(v_data, axis=0)
    visible *= data_scale
    visible -= np.add.reduce(v_model, axis=0) * model_scale
    hidden = np.add.reduce(h_data, axis=0)
    hidden *= data_scale
    hidden -= np.add.reduce(h_model, axis=0) * model_scale
    return {"weights": weights, "visible_bias": visible, "hidden_bias": hidden}


class ExactPhase(Phase):
    """Exact expectations by enumeration (small models): the gradient without noise.

    Parameters
    ----------
    beta : float
        Inverse temperature of the model side.

    Examples
    --------
    >>> import qbm
    >>> sorted(ExactPhase().statistics(qbm.RBM(3, 2, random_state=0), None))
    ['hidden_bias', 'visible_bias', 'weights']
    """

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = check_beta(beta)

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Exact model expectations at ``beta``, by enumeration."""
        return expectations(model, self.beta)

    def _clamped_statistics(self, model, v, rng):
        return clamped_expectations(model, v, self.beta)

    def __repr__(self) -> str:
        return f"ExactPhase(beta={self.beta})"


class SamplerPhase(Phase):
    """Statistics from any :class:`dimod.Sampler` (exact, Gibbs, neal, a QPU...).

    The model is handed over as ``model.to_bqm(beta)``, so the sampler's own unit
    temperature is the model's ``beta``.  Samples come back by *label*, weighted by
    ``num_occurrences``.  Keyword arguments go to ``sampler.sample``; in addition:

    - ``num_reads`` and a ``seed`` drawn from ``random_state`` are passed where the
      sampler accepts them;
    - a sampler that takes ``beta_range`` but no ``beta`` (simulated annealing, e.g.
      ``neal.SimulatedAnnealingSampler``) gets ``beta_range=(0.05, 1.0)``
      unless you give a schedule: its own default anneals to near-ground states,
      which is wrong for a negative phase (see :func:`boltzmann_samples`).

    For a BM with hidden units the data side samples the hidden units with the
    visible ones clamped: one sampler call for the whole batch, on the disjoint union
    of one clamped BQM per row, ``clamped_reads`` reads.

    ``divergence_guard`` (a :class:`~qbm.divergence.DivergenceGuard`, by default one
    that warns) watches the model side for the runaway of samples hotter than the
    model; ``None`` turns it off.

    Parameters
    ----------
    sampler : dimod.Sampler
        Any sampler (a composite included).
    num_reads : int
        Samples per model-side call.
    beta : float
        Inverse temperature of the model handed to the sampler.
    clamped_reads : int
        Samples per row for the clamped data side of a BM with hidden units.
    divergence_guard : DivergenceGuard or None
        The runaway detector; the default one warns.
    **sample_kwargs
        Passed to ``sampler.sample``; a name the sampler does not take is an error.

    Examples
    --------
    >>> import neal, qbm
    >>> phase = SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=50, num_sweeps=100)
    >>> phase.statistics(qbm.RBM(4, 2, random_state=0), None, random_state=0)["weights"].shape
    (4, 2)
    """

    def __init__(self, sampler: dimod.Sampler, num_reads: int = 100, beta: float = 1.0,
                 clamped_reads: int = 10, divergence_guard: DivergenceGuard | None | str = "default",
                 **sample_kwargs: Any) -> None:
        super().__init__()
        self.sampler = check_sampler(sampler, keywords=sample_kwargs)
        self.num_reads = check_count(num_reads, "num_reads")
        self.clamped_reads = check_count(clamped_reads, "clamped_reads")
        self.beta = check_beta(beta)
        if isinstance(divergence_guard, str) and divergence_guard == "default":
            divergence_guard = DivergenceGuard()
        if divergence_guard is not None and not isinstance(divergence_guard, DivergenceGuard):
            raise TypeError(f"divergence_guard must be a DivergenceGuard or None, got {type(divergence_guard).__name__}")
        self.divergence_guard = divergence_guard
        self.sample_kwargs = sample_kwargs
        self._last_info: dict[str, float] = {}

    def sample_states(self, model: Model, random_state: RandomLike = None) -> tuple[np.ndarray, np.ndarray]:
        """Samples of the model at ``beta`` as ``(states, weights)`` in unit order.

        Parameters
        ----------
        model : RBM or BoltzmannMachine
            The model.
        random_state : int, numpy.random.Generator or None
            The random stream (seeds the sampler's ``seed``).

        Returns
        -------
        states : ndarray of shape (n_samples, n_units)
            0/1 rows in unit order.
        weights : ndarray of shape (n_samples,)
            Occurrences times importance weights.

        Examples
        --------
        >>> import qbm
        >>> states, weights = SamplerPhase(qbm.ExactSampler(), num_reads=5).sample_states(qbm.RBM(3, 2), random_state=0)
        >>> states.shape, float(weights.sum())
        ((5, 5), 5.0)
        """
        rng = check_random_state(random_state)
        bqm = model.to_bqm(self.beta)
        sampleset = self._call(bqm, self.num_reads, rng)
        if self.divergence_guard is not None:
            self.divergence_guard.observe(model, bqm, sampleset)
        self._last_info = {key: float(value) for key, value in sampleset.info.items()
                           if isinstance(value, (int, float, np.number)) and not isinstance(value, bool)}
        return states_from_sampleset(sampleset, model.n_units)

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Expectations over the sampler's (weighted) samples of the model at ``beta``."""
        states, weights = self.sample_states(model, random_state)
        return model.sufficient_statistics(states, weights)

    def step_info(self) -> dict[str, float]:
        """The scalar entries of the last model-side SampleSet's ``info`` (QPU: ``beta_eff``, ...)."""
        return dict(self._last_info)

    def state_dict(self) -> dict[str, Any]:
        """The call count and the divergence guard's records."""
        state = super().state_dict()
        if self.divergence_guard is not None:
            state.update(self.divergence_guard.state_dict())
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        if self.divergence_guard is not None and "divergence_records" in state:
            self.divergence_guard.load_state_dict(state)

    def _clamped_statistics(self, model, v, rng):
        bqm = _clamped_union(model, v, self.beta)
        hidden, weights = states_from_sampleset(self._call(bqm, self.clamped_reads, rng), bqm.num_variables)
        hidden = hidden.reshape(len(hidden), len(v), model.n_hidden)
        states = np.concatenate([np.broadcast_to(v, hidden.shape[:2] + (model.n_visible,)), hidden], axis=2)
        return model.sufficient_statistics(states.reshape(-1, model.n_units), np.repeat(weights, len(v)))

    def _call(self, bqm: dimod.BinaryQuadraticModel, num_reads: int, rng: np.random.Generator) -> dimod.SampleSet:
        self.sampler_calls += 1
        return boltzmann_samples(self.sampler, bqm, num_reads, rng, **self.sample_kwargs)

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.sample_kwargs.items())
        return f"SamplerPhase({type(self.sampler).__name__}(), num_reads={self.num_reads}, beta={self.beta}{extra})"


def states_from_sampleset(sampleset: dimod.SampleSet, n_units: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a SampleSet as bits in unit order ``0..n_units-1``, with their occurrence counts.

    Columns are matched by *label*, so a sampler may return variables in any order;
    labels other than units are ignored here (:class:`SamplerPhase` itself insists on
    exactly the BQM's variables); a missing unit is an error.  A ``log_weight`` field
    (annealed importance sampling, e.g. ``GibbsSampler(importance_weights=True)``)
    multiplies the weights by ``exp(log_weight)``.

    Parameters
    ----------
    sampleset : dimod.SampleSet
        The answer of a sampler.
    n_units : int
        The model's number of units.

    Returns
    -------
    states : ndarray of shape (n_samples, n_units)
    weights : ndarray of shape (n_samples,)

    Examples
    --------
    >>> import dimod
    >>> ss = dimod.SampleSet.from_samples(([[1, -1]], [1, 0]), "SPIN", energy=[0.0])
    >>> states_from_sampleset(ss, 2)
    (array([[0., 1.]]), array([1.]))
    """
    _check_sampleset(sampleset)
    columns = _unit_columns(list(sampleset.variables), n_units)
    record = sampleset.record
    samples = np.asarray(record.sample)[:, columns]
    if sampleset.vartype is dimod.SPIN:
        check_binary((samples + 1) / 2, "sampleset values (SPIN)")
        samples = (samples + 1) // 2
    else:
        check_binary(samples, "sampleset values (BINARY)")
    weights = np.asarray(record.num_occurrences, dtype=np.float64)
    if "log_weight" in record.dtype.names:
        log_weight = np.asarray(record.log_weight, dtype=np.float64)
        if not np.all(np.isfinite(log_weight)):
            raise ValueError("the sampleset's log_weight field must be finite")
        weights = weights * np.exp(log_weight - log_weight.max())
    return samples.astype(np.float64), weights


def boltzmann_samples(sampler: dimod.Sampler, bqm: dimod.BinaryQuadraticModel, num_reads: int,
                      random_state: RandomLike = None, **sample_kwargs: Any) -> dimod.SampleSet:
    """``sampler.sample(bqm, ...)`` set up to draw ``exp(-E_bqm)``, its answer checked.

    ``num_reads`` and a ``seed`` drawn from ``random_state`` are passed where the sampler
    accepts them; a sampler that takes ``beta_range`` but no ``beta`` gets
    ``beta_range=(0.05, 1.0)`` unless ``sample_kwargs`` hold a schedule.  The answer
    must be a non-empty SampleSet over exactly ``bqm``'s variables with finite energies.

    Parameters
    ----------
    sampler : dimod.Sampler
        Any sampler.
    bqm : dimod.BinaryQuadraticModel
        The problem; its own temperature is the target.
    num_reads : int
        Samples to ask for.
    random_state : int, numpy.random.Generator or None
        Seeds the sampler's ``seed``.
    **sample_kwargs
        Passed to ``sampler.sample``.

    Returns
    -------
    dimod.SampleSet

    Examples
    --------
    >>> import neal, qbm
    >>> bqm = qbm.RBM(3, 2, random_state=0).to_bqm()
    >>> len(boltzmann_samples(neal.SimulatedAnnealingSampler(), bqm, 5, random_state=0, num_sweeps=20))
    5
    """
    accepted = sampler.parameters
    kwargs = with_seed(sampler, sample_kwargs, random_state)
    if "num_reads" in accepted:
        kwargs.setdefault("num_reads", num_reads)
    gives_schedule = {"beta", "beta_range", "beta_schedule"} & set(kwargs)
    if "beta_range" in accepted and "beta" not in accepted and not gives_schedule:
        kwargs["beta_range"] = _BOLTZMANN_BETA_RANGE
    return _checked(sampler.sample(bqm, **kwargs), bqm)


def _check_sampleset(sampleset) -> None:
    if not isinstance(sampleset, dimod.SampleSet):
        raise TypeError(f"the sampler must return a dimod.SampleSet, got {type(sampleset).__name__}")
    if len(sampleset) == 0:
        raise ValueError("the sampler returned no samples")


def _checked(sampleset, bqm: dimod.BinaryQuadraticModel) -> dimod.SampleSet:
    """The sampler's answer, if it is a non-empty SampleSet over exactly ``bqm``'s variables
    with finite energies; a clear error naming what is wrong otherwise."""
    _check_sampleset(sampleset)
    returned, expected = set(sampleset.variables), set(bqm.variables)
    if returned != expected:
        missing, extra = sorted(expected - returned, key=str)[:10], sorted(returned - expected, key=str)[:10]
        raise ValueError(f"the sampler returned the wrong variables (missing {missing}, not in the model {extra})")
    if not np.all(np.isfinite(sampleset.record.energy)):
        raise ValueError("the sampler returned non-finite energies (NaN or inf): its samples cannot be trusted")
    return sampleset


def _unit_columns(labels: list, n_units: int) -> np.ndarray:
    """Column of each unit ``0..n_units-1`` among ``labels``."""
    array = np.asarray(labels)
    column = np.full(n_units, -1, dtype=np.int64)
    if array.dtype.kind in "iu":
        inside = (array >= 0) & (array < n_units)
        column[array[inside]] = np.flatnonzero(inside)
    else:  # mixed or non-integer labels: only the integer ones can be units
        for position, label in enumerate(labels):
            if isinstance(label, (int, np.integer)) and not isinstance(label, bool) and 0 <= label < n_units:
                column[label] = position
    missing = np.flatnonzero(column < 0)
    if len(missing):
        raise ValueError(f"the sampleset is missing unit(s) {missing[:10].tolist()}: every label "
                         f"0..{n_units - 1} must be present")
    return column


def _clamped_union(model: BoltzmannMachine, v: np.ndarray, beta: float) -> dimod.BinaryQuadraticModel:
    """One BQM holding a copy of the hidden units for each row of ``v``, visible units fixed.

    Copy ``d`` has labels ``d * n_hidden + j`` for hidden unit ``j``.
    """
    n_visible, n_hidden = model.n_visible, model.n_hidden
    i, j = model.edges[:, 0], model.edges[:, 1]
    to_hidden = (i < n_visible) & (j >= n_visible)
    within_hidden = i >= n_visible
    visible_to_hidden = scipy.sparse.csr_array(
        (model.weights[to_hidden], (i[to_hidden], j[to_hidden] - n_visible)), shape=(n_visible, n_hidden))
    fields = v @ visible_to_hidden + model.biases[n_visible:]
    offsets = (n_hidden * np.arange(len(v)))[:, None]
    rows = (i[within_hidden] - n_visible + offsets).ravel()
    cols = (j[within_hidden] - n_visible + offsets).ravel()
    values = np.tile(-beta * model.weights[within_hidden], len(v))
    return dimod.BinaryQuadraticModel.from_numpy_vectors(-beta * np.ravel(fields), (rows, cols, values),
                                                        0.0, dimod.BINARY)


def _require_rbm(model: Model, phase: Phase) -> RBM:
    if not isinstance(model, RBM):
        raise TypeError(f"{type(phase).__name__} is an RBM fast path; for a {type(model).__name__} "
                        "use SamplerPhase or ExactPhase")
    return model


def _check_batch(model: Model, batch) -> np.ndarray:
    return check_visible_rows(model, batch, "batch")


def qpu_phase(num_reads: int = 100, *, sampler: dimod.Sampler | None = None, embedding=None,
              chain_strength=None, calibrate: bool = True, calibrate_every: int = 10,
              postprocess_sweeps: int = 100, spin_reversal_transforms: int = 0,
              reverse_anneal=False, divergence_guard: DivergenceGuard | None | str = "default",
              **sample_kwargs: Any) -> SamplerPhase:
    """A negative phase drawn from a D-Wave QPU (or any structured sampler), in one line.

    ``sampler=None`` opens ``DWaveSampler`` from the Leap configuration (a clear
    :class:`~qbm.samplers.qpu.QPUConfigurationError` if there is none); pass
    ``MockDWaveSampler(...)`` or :func:`qbm.samplers.testing.mock_qpu` to run the same
    path offline.  The sampler is built in layers, each a keyword to turn off:

    - :class:`~qbm.samplers.qpu.QPUSampler` — embedding reuse, scaling, calibration of
      the hardware's β (``calibrate``, ``calibrate_every``), ``spin_reversal_transforms``
      gauges against per-qubit biases;
    - ``reverse_anneal``: ``True`` (default schedule) or a schedule — persistent chains
      on the annealer (:class:`~qbm.samplers.composites.PersistentReverseAnnealComposite`);
    - ``postprocess_sweeps`` Gibbs sweeps from every hardware sample that finish the
      anneal at the model's β, with importance weights
      (:class:`~qbm.samplers.composites.GibbsPostProcessingComposite`; 0 turns it off):
      what keeps the gradient honest under freeze-out, control errors and a hardware
      β too low for the model;
    - ``divergence_guard``: warns when training runs away on samples hotter than the model.

    Parameters
    ----------
    num_reads : int
        Reads per call.
    sampler : dimod structured sampler, optional
        ``DWaveSampler`` from the Leap configuration by default.
    embedding : mapping, optional
        Logical variable → chain of qubits (found once with minorminer by default).
    chain_strength : float or callable, optional
        See :class:`~qbm.samplers.qpu.QPUSampler`.
    calibrate : bool
        Track the hardware's β and scale the problem to the model's.
    calibrate_every : int
        Calls between updates of the scale.
    postprocess_sweeps : int
        Gibbs sweeps per hardware sample (0: none).
    spin_reversal_transforms : int
        Gauges per call (0: none).
    reverse_anneal : bool or list of [time, s]
        Persistent reverse annealing, with the default or the given schedule.
    divergence_guard : DivergenceGuard or None
        The runaway detector; the default one warns.
    **sample_kwargs
        Passed to the sampler on every call (e.g. ``annealing_time``).

    Returns
    -------
    SamplerPhase

    Examples
    --------
    >>> from qbm.samplers.testing import mock_qpu
    >>> phase = qpu_phase(20, sampler=mock_qpu(3))
    >>> type(phase.sampler).__name__, type(phase.sampler.child).__name__
    ('GibbsPostProcessingComposite', 'QPUSampler')
    """
    from .samplers.composites import GibbsPostProcessingComposite, PersistentReverseAnnealComposite
    from .samplers.qpu import QPUSampler

    chain: dimod.Sampler = QPUSampler(sampler, embedding=embedding, chain_strength=chain_strength,
                                      calibrate=calibrate, calibrate_every=calibrate_every,
                                      spin_reversal_transforms=spin_reversal_transforms)
    if reverse_anneal is not False and reverse_anneal is not None:
        chain = PersistentReverseAnnealComposite(chain, anneal_schedule=None if reverse_anneal is True
                                                 else reverse_anneal)
    if check_count(postprocess_sweeps, "postprocess_sweeps", minimum=0):
        chain = GibbsPostProcessingComposite(chain, num_sweeps=postprocess_sweeps)
    return SamplerPhase(chain, num_reads=num_reads, divergence_guard=divergence_guard, **sample_kwargs)


PHASE_NAMES = ("neal", "gibbs", "exact", "exact-gradient", "pcd", "cd", "tempering", "qpu")


def make_phase(name: str, *, num_reads: int = 200, num_sweeps: int = 100) -> Phase:
    """A phase by name, as the ``qbm`` command and the scikit-learn estimators spell it.

    ``neal`` and ``gibbs``: fresh annealed chains (β 0.05 → 1, ``num_sweeps`` sweeps;
    Gibbs with importance weights); ``exact``: exact samples; ``exact-gradient``:
    :class:`ExactPhase`; ``pcd``: ``num_reads`` persistent chains; ``cd``: CD-1; ``tempering``:
    :class:`qbm.tempering.ParallelTempering` with ``num_reads`` chains at each of 10 temperatures;
    ``qpu``: :func:`qpu_phase` from the Leap configuration, ``num_sweeps`` sweeps of
    post-processing per hardware sample.

    Parameters
    ----------
    name : str
        One of ``PHASE_NAMES``.
    num_reads : int
        Samples per step (the chains of ``"pcd"``).
    num_sweeps : int
        Sweeps of each anneal, or of post-processing for ``"qpu"``.

    Returns
    -------
    Phase

    Examples
    --------
    >>> make_phase("pcd", num_reads=20)
    PCD(num_chains=20, k=1)
    """
    if name in ("neal", "gibbs", "exact"):
        from .samplers import make_sampler

        sampler = make_sampler(name)
        if name == "neal":
            return SamplerPhase(sampler, num_reads=num_reads, num_sweeps=num_sweeps, beta_schedule_type="linear")
        if name == "gibbs":
            return SamplerPhase(sampler, num_reads=num_reads, num_sweeps=num_sweeps,
                                beta_range=_BOLTZMANN_BETA_RANGE, importance_weights=True)
        return SamplerPhase(sampler, num_reads=num_reads)
    if name == "exact-gradient":
        return ExactPhase()
    if name == "pcd":
        return PCD(num_chains=num_reads, k=1)
    if name == "cd":
        return CD(k=1)
    if name == "tempering":
        from .tempering import ParallelTempering

        return ParallelTempering(num_chains=num_reads)
    if name == "qpu":
        return qpu_phase(num_reads, postprocess_sweeps=num_sweeps)
    raise ValueError(f"unknown phase {name!r}; choose one of {', '.join(PHASE_NAMES)}")
