"""Parallel tempering: persistent chains at several inverse temperatures that trade states.

Desjardins, Courville, Bengio, Vincent & Delalleau (2010), "Tempered Markov chain Monte
Carlo for training of restricted Boltzmann machines".  ``num_chains`` persistent chains at
each of the inverse temperatures ``β_1 < … < β_R = 1`` (the model's own) are swept ``k``
times per step, every chain at its own β and all of them at once — an RBM's two layers by
two matrix products, any other graph by one :class:`qbm.samplers.GibbsSampler` call — and
neighbouring temperatures then propose to swap their states with the Metropolis ratio of
their two distributions, which keeps every replica at its own.  Hot replicas cross between
modes; swaps carry what they find down to ``β = 1``, whose chains give the model side.  Even
and odd neighbour pairs alternate from step to step.

An RBM's replicas swap their visible states under the tempered marginals ``p_β(v)`` (the
hidden layer summed out; the next sweep draws ``h`` afresh), which any other graph cannot
do, and which accepts many more swaps between hot replicas than the joint ``(v, h)`` energies
(``benchmarks/bench_training.py mnist`` prints the acceptances).  The ladder adapts by default: each step moves the gaps in ``log β``
towards equal swap acceptance between every pair of neighbours, the endpoints fixed
(Vousden, Farr & Mandel 2016), so a model's critical temperatures get the replicas they need
whatever its size.  Works for RBMs and for general Boltzmann machines (the sampler's colour
classes); the clamped data side of a BM with hidden units is sampled by Gibbs chains too.

>>> import qbm
>>> phase = ParallelTempering(num_chains=20, betas=4)
>>> rbm = qbm.RBM(6, 3, random_state=0)
>>> sorted(phase.statistics(rbm, None, random_state=0)), phase.replicas.shape
(['hidden_bias', 'visible_bias', 'weights'], (80, 9))
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..backend import Backend, get_backend, namespace, reshape, softplus, take, to_host, total
from ..sampling.boundary import unit_columns
from ..sampling.chains import RBMParameters, gibbs_sweep, rbm_statistics
from ..models import RBM, Model, check_model
from ..samplers.gibbs import GibbsSampler
from ..typing import RandomLike
from .._validation import check_beta, check_count, check_non_negative
from .._random import check_random_state, draw_seed
from .base import QUANTUM_PHASES, Phase
from .contrastive import device_inputs
from .sampler import SamplerPhase
from ..models.kinds import is_rbm

__all__ = ["ParallelTempering"]


class ParallelTempering(Phase):
    """Persistent chains at several inverse temperatures with swaps between neighbours.

    Parameters
    ----------
    num_chains : int
        Persistent chains per temperature.
    betas : int or sequence of float
        How many inverse temperatures, spaced geometrically from ``lowest_beta`` to 1, or
        the increasing sequence itself, ending at 1: the starting ladder.
    k : int
        Gibbs sweeps of every replica per step.
    lowest_beta : float
        The hottest replica's β when ``betas`` is a count.
    adapt_rate : float
        How far each step moves the log-gaps of the ladder towards equal swap acceptance
        (``log Δ_i += adapt_rate · (A_i − mean A)``); 0 keeps the ladder fixed.
    clamped_reads : int
        Chains per data row for the clamped data side of a BM with hidden units.
    backend : str or qbm.backend.Backend, optional
        Where the replicas compute (:mod:`qbm.backend`): an RBM's replicas live on that device
        and only the swap acceptances come back each step (the ladder adapts on the host); any
        other graph's sweeps run in a :class:`~qbm.samplers.GibbsSampler` there.

    Examples
    --------
    >>> import qbm
    >>> ParallelTempering(betas=[0.5, 1.0])
    ParallelTempering(num_chains=100, betas=[0.5, 1.0], k=1, adapt_rate=0.01)

    Attributes
    ----------
    ladder : ndarray
        The current inverse temperatures, hottest first (``betas`` as it has adapted).
    swap_acceptance : ndarray
        Each neighbour pair's latest swap acceptance, ``mean(min(1, ratio))`` over its chains.
    """

    samples_model = True   # the β = 1 replicas

    def __init__(self, num_chains: int = 100, betas: int | Any = 10, k: int = 1, lowest_beta: float = 0.1,
                 adapt_rate: float = 0.01, clamped_reads: int = 10, backend: str | Backend | None = None) -> None:
        super().__init__()
        self.backend = get_backend(backend)
        self.num_chains = check_count(num_chains, "num_chains")
        self.k = check_count(k, "k")
        if np.ndim(betas) == 0:
            count = check_count(betas, "betas", minimum=2)
            if check_beta(lowest_beta, "lowest_beta") >= 1:
                raise ValueError(f"lowest_beta must be below 1 (the model's own β is the coldest), got {lowest_beta!r}")
            self.betas = np.geomspace(lowest_beta, 1.0, count)
        else:
            self.betas = np.array([check_beta(b, "betas") for b in betas])
            if len(self.betas) < 2 or self.betas[-1] != 1.0 or np.any(np.diff(self.betas) <= 0):
                raise ValueError("betas must be at least two increasing inverse temperatures ending at 1.0")
        self.adapt_rate = check_non_negative(adapt_rate, "adapt_rate")
        if self.adapt_rate > 1:
            raise ValueError(f"adapt_rate must be in [0, 1] (a step's change of a log-gap, per unit of acceptance), "
                             f"got {adapt_rate!r}")
        self.ladder = self.betas.copy()
        self.replicas: np.ndarray | None = None   # (temperatures × num_chains, n_units), coldest last
        self.swap_acceptance = np.zeros(len(self.betas) - 1)
        self._sampler = GibbsSampler(backend=self.backend)
        self._swap_maps: dict = {}   # (temperatures, parity) -> where each temperature's rows swap to
        self._clamped = SamplerPhase(self._sampler, clamped_reads=clamped_reads, divergence_guard=None,
                                     num_sweeps=100)

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Advance every replica ``k`` sweeps, swap neighbours; expectations over the β = 1 chains."""
        if isinstance(model, RBMParameters) or (is_rbm(model) and not self.backend.is_numpy):
            rbm, _, rng = device_inputs(self, model, None, random_state, False)
            coldest = self._advance(rbm, rng, None)
            return rbm_statistics(rbm, coldest[:, :rbm.weights.shape[0]])
        rng = check_random_state(random_state)
        coldest = self._advance(check_model(model, quantum=QUANTUM_PHASES), rng, rng)
        if is_rbm(model):
            return rbm_statistics(model, coldest[:, :model.n_visible])
        return model.sufficient_statistics(coldest)

    def step_info(self) -> dict[str, float]:
        """``swap_acceptance``: the mean over neighbour pairs of each pair's latest acceptance
        probability; ``swap_acceptance_min``: the lowest pair's, the ladder's bottleneck.

        Returns
        -------
        dict of str -> float
        """
        return {"swap_acceptance": float(self.swap_acceptance.mean()),
                "swap_acceptance_min": float(self.swap_acceptance.min())}

    def _advance(self, model: Model | RBMParameters, rng, host_rng: np.random.Generator | None):
        """Sweep and swap every replica; the β = 1 chains.  ``rng`` draws the chains' and swaps' numbers
        (a DeviceRandom for an RBM on a device), ``host_rng`` what a GibbsSampler call is seeded from."""
        rbm = (is_rbm(model) or isinstance(model, RBMParameters))
        n = model.n_units if not isinstance(model, RBMParameters) else sum(model.weights.shape)
        temperatures, chains = len(self.ladder), self.num_chains
        on_device = rbm and not self.backend.is_numpy
        if self.replicas is None or tuple(self.replicas.shape) != (temperatures * chains, n):
            self.replicas = rng.integers01((temperatures * chains, n)) if on_device else \
                rng.integers(0, 2, (temperatures * chains, n), dtype=np.int8)
        elif on_device and isinstance(self.replicas, np.ndarray):   # restored from a checkpoint
            self.replicas = self.backend.asarray(self.replicas)
        chain_betas = np.repeat(self.ladder, chains)
        if rbm:
            betas = self.backend.asarray(chain_betas[:, None]) if on_device else chain_betas[:, None]
            flat, log_weight = _rbm_sweeps(model, self.replicas, betas, chains, self.k, rng)
        else:
            flat, log_weight = self._sampler_sweeps(model, chain_betas, host_rng)
        self.sampler_calls += 1
        pairs = np.arange((self.sampler_calls - 1) % 2, temperatures - 1, 2)   # even pairs, then odd ones
        both = np.stack([self.ladder[pairs][:, None], self.ladder[pairs + 1][:, None]])   # each pair's hot, cold β
        partner, which, hot, cold = self._swap_map(temperatures, pairs, flat)
        if on_device:
            both = self.backend.asarray(both)
        at_hot, at_cold = log_weight(hot, both), log_weight(cold, both)
        log_ratio = at_cold[0, ...] + at_hot[1, ...] - at_hot[0, ...] - at_cold[1, ...]
        xp = namespace(log_ratio)
        accept = xp.log(rng.random(tuple(log_ratio.shape))) < log_ratio
        self.swap_acceptance[pairs] = to_host(xp.mean(xp.exp(xp.minimum(log_ratio, xp.zeros_like(log_ratio))), axis=1))
        # each temperature takes its partner's rows where their pair accepted (a where, so any backend)
        states = reshape(flat, (temperatures, chains, n))
        nowhere = xp.zeros_like(states[:1, :, 0], dtype=xp.bool)   # one row of no swaps, on the device
        moves = take(xp.concat([accept, nowhere]), which, axis=0)
        swapped = reshape(xp.where(moves[:, :, None], take(states, partner, axis=0), states), tuple(flat.shape))
        self.replicas = swapped
        if self.adapt_rate and self.sampler_calls > 1:   # every pair has been measured
            self.ladder = _equalised(self.ladder, self.swap_acceptance, self.adapt_rate)
        coldest = swapped[-chains:, :]
        return coldest.astype(np.float64) if xp is np else xp.astype(coldest, xp.float32)

    def _swap_map(self, temperatures: int, pairs: np.ndarray, like):
        """For this step's pairs: each temperature's partner, the row of the acceptances it reads (the
        last, all False, for one outside every pair), and the pairs' hot and cold temperatures; cached,
        on the replicas' backend."""
        key = (temperatures, int(pairs[0]) if len(pairs) else -1, type(like))
        if key not in self._swap_maps:
            partner, which = np.arange(temperatures), np.full(temperatures, len(pairs))
            partner[pairs], partner[pairs + 1] = pairs + 1, pairs
            which[pairs] = which[pairs + 1] = np.arange(len(pairs))
            maps = (partner, which, pairs, pairs + 1)
            if not isinstance(like, np.ndarray):
                maps = tuple(self.backend.asarray(m, dtype=self.backend.xp.int64) for m in maps)
            self._swap_maps[key] = maps
        return self._swap_maps[key]

    def _sampler_sweeps(self, model: Model, chain_betas: np.ndarray,
                        rng: np.random.Generator) -> tuple[np.ndarray, Callable]:
        """``k`` sweeps of every replica by the GibbsSampler on the model's BQM (any graph); the new
        states and ``log p̃_β = −β E`` of given rows."""
        labels = list(range(model.n_units))
        answer = self._sampler.sample(model.to_bqm(), initial_states=(self.replicas, labels), num_sweeps=self.k,
                                      beta=chain_betas, seed=draw_seed(rng))
        columns = unit_columns(list(answer.variables), model.n_units)
        energies = np.asarray(answer.record.energy).reshape(len(self.ladder), self.num_chains)
        return answer.record.sample[:, columns], lambda temperatures, betas: -betas * energies[temperatures]

    def clamped_statistics(self, model, v, random_state):
        return self._clamped.data_statistics(model, v, random_state)

    def state_dict(self) -> dict[str, Any]:
        """The call count, the replicas, the ladder and the last swap acceptances."""
        state = {**super().state_dict(), "swap_acceptance": self.swap_acceptance.copy(), "ladder": self.ladder.copy()}
        if self.replicas is not None:
            state["replicas"] = to_host(self.replicas, np.int8).copy()
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        self.swap_acceptance = np.array(state["swap_acceptance"], dtype=np.float64)
        self.ladder = np.array(state["ladder"], dtype=np.float64)
        self.replicas = np.array(state["replicas"], dtype=np.int8) if "replicas" in state else None

    def __repr__(self) -> str:
        backend = "" if self.backend.is_numpy else f", backend={self.backend!r}"
        return (f"ParallelTempering(num_chains={self.num_chains}, betas={[round(float(b), 4) for b in self.betas]}, "
                f"k={self.k}, adapt_rate={self.adapt_rate:g}{backend})")


def _rbm_sweeps(rbm: RBM | RBMParameters, replicas, chain_betas, chains: int, k: int, rng) -> tuple[Any, Callable]:
    """``k`` block-Gibbs sweeps h → v of an RBM, each chain at its own β (a column), without a BQM; the new
    joint states ``(v, h)`` and, for given temperatures and k inverse temperatures each, the tempered
    marginal ``log p̃_β(v) = β vᵀa + Σ softplus(β (vᵀW + b))`` of their chains (shape (k, temperatures, chains))."""
    n_visible = rbm.weights.shape[0]
    xp = namespace(replicas)
    v = replicas[:, :n_visible].astype(np.float64) if xp is np else replicas[:, :n_visible]
    for _ in range(k):
        v, h = gibbs_sweep(rbm, v, rng, chain_betas)
    hidden_field = reshape(v @ rbm.weights + rbm.hidden_bias, (-1, chains, h.shape[1]))
    visible_term = reshape(v @ rbm.visible_bias, (-1, chains))

    def log_weight(temperatures, betas):   # betas of shape (k, temperatures, 1): k inverse temperatures each
        fields = take(hidden_field, temperatures, axis=0)
        return betas * take(visible_term, temperatures, axis=0) + total(softplus(betas[..., None] * fields), axis=-1)

    joint = xp.concat([v, h], axis=1)
    return (joint.astype(np.int8) if xp is np else joint), log_weight


def _equalised(ladder: np.ndarray, acceptance: np.ndarray, rate: float) -> np.ndarray:
    """The ladder with each gap in ``log β`` widened where its pair accepts more swaps than the
    average and narrowed where fewer, rescaled to keep both ends."""
    log_gaps = np.log(np.diff(np.log(ladder))) + rate * (acceptance - acceptance.mean())
    gaps = np.exp(log_gaps)
    gaps *= -np.log(ladder[0]) / gaps.sum()
    adapted = ladder[0] * np.exp(np.concatenate([[0.0], np.cumsum(gaps)]))
    adapted[-1] = 1.0
    return adapted
