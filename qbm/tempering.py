"""Parallel tempering: persistent chains at several inverse temperatures that trade states.

Desjardins, Courville, Bengio, Vincent & Delalleau (2010), "Tempered Markov chain Monte
Carlo for training of restricted Boltzmann machines".  ``num_chains`` persistent chains at
each of the inverse temperatures ``β_1 < … < β_R = 1`` (the model's own) are swept ``k``
times per step, every chain at its own β and all of them at once — an RBM's two layers by
two matrix products, any other graph by one :class:`qbm.samplers.GibbsSampler` call — and
neighbouring temperatures then propose to swap their states, accepted with probability ``min(1, exp((β_r − β_{r+1})(E_r − E_{r+1})))``, which keeps every
replica at its own Boltzmann distribution.  Hot replicas cross between modes; swaps carry
what they find down to ``β = 1``, whose chains give the model side.  Even and odd
neighbour pairs alternate from step to step.  Works for RBMs and for general Boltzmann
machines (the sampler's colour classes); the clamped data side of a BM with hidden units
is sampled by Gibbs chains too.

>>> import qbm
>>> phase = ParallelTempering(num_chains=20, betas=4)
>>> rbm = qbm.RBM(6, 3, random_state=0)
>>> sorted(phase.statistics(rbm, None, random_state=0)), phase.replicas.shape
(['hidden_bias', 'visible_bias', 'weights'], (80, 9))
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .models import RBM, Model
from .phases import Phase, SamplerPhase, _gibbs_sweep, _rbm_statistics
from .samplers import GibbsSampler
from ._utils import RandomLike, check_beta, check_count, check_random_state, draw_seed

__all__ = ["ParallelTempering"]


class ParallelTempering(Phase):
    """Persistent chains at several inverse temperatures with swaps between neighbours.

    Parameters
    ----------
    num_chains : int
        Persistent chains per temperature.
    betas : int or sequence of float
        How many inverse temperatures, spaced geometrically from ``lowest_beta`` to 1, or
        the increasing sequence itself, ending at 1.
    k : int
        Gibbs sweeps of every replica per step.
    lowest_beta : float
        The hottest replica's β when ``betas`` is a count.
    clamped_reads : int
        Chains per data row for the clamped data side of a BM with hidden units.

    Examples
    --------
    >>> import qbm
    >>> ParallelTempering(betas=[0.5, 1.0])
    ParallelTempering(num_chains=100, betas=[0.5, 1.0], k=1)
    """

    def __init__(self, num_chains: int = 100, betas: int | Any = 10, k: int = 1, lowest_beta: float = 0.1,
                 clamped_reads: int = 10) -> None:
        super().__init__()
        self.num_chains = check_count(num_chains, "num_chains")
        self.k = check_count(k, "k")
        if np.ndim(betas) == 0:
            count = check_count(betas, "betas", minimum=2)
            self.betas = np.geomspace(check_beta(lowest_beta, "lowest_beta"), 1.0, count)
        else:
            self.betas = np.array([check_beta(b, "betas") for b in betas])
            if len(self.betas) < 2 or self.betas[-1] != 1.0 or np.any(np.diff(self.betas) <= 0):
                raise ValueError("betas must be at least two increasing inverse temperatures ending at 1.0")
        self.replicas: np.ndarray | None = None   # (temperatures × num_chains, n_units), coldest last
        self.swap_acceptance = np.zeros(len(self.betas) - 1)
        self._sampler = GibbsSampler()
        self._clamped = SamplerPhase(self._sampler, clamped_reads=clamped_reads, divergence_guard=None,
                                     num_sweeps=100)

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Advance every replica ``k`` sweeps, swap neighbours; expectations over the β = 1 chains."""
        rng = check_random_state(random_state)
        coldest = self._advance(model, rng)
        if isinstance(model, RBM):
            return _rbm_statistics(model, coldest[:, :model.n_visible])
        return model.sufficient_statistics(coldest)

    def step_info(self) -> dict[str, float]:
        """``swap_acceptance``: the mean over neighbour pairs of each pair's latest acceptance rate.

        Returns
        -------
        dict of str -> float
        """
        return {"swap_acceptance": float(self.swap_acceptance.mean())}

    def _advance(self, model: Model, rng: np.random.Generator) -> np.ndarray:
        temperatures, chains, n = len(self.betas), self.num_chains, model.n_units
        if self.replicas is None or self.replicas.shape != (temperatures * chains, n):
            self.replicas = rng.integers(0, 2, (temperatures * chains, n), dtype=np.int8)
        chain_betas = np.repeat(self.betas, chains)
        if isinstance(model, RBM):
            flat, flat_energies = _rbm_sweeps(model, self.replicas, chain_betas, self.k, rng)
        else:
            flat, flat_energies = self._sampler_sweeps(model, chain_betas, rng)
        states = flat.reshape(temperatures, chains, n)
        energies = flat_energies.reshape(temperatures, chains)
        self.sampler_calls += 1
        pairs = np.arange((self.sampler_calls - 1) % 2, temperatures - 1, 2)   # even pairs, then odd ones
        log_ratio = (self.betas[pairs] - self.betas[pairs + 1])[:, None] * (energies[pairs] - energies[pairs + 1])
        accept = np.log(rng.random(log_ratio.shape)) < log_ratio
        self.swap_acceptance[pairs] = accept.mean(axis=1)
        hot, cold = states[pairs], states[pairs + 1]
        states[pairs], states[pairs + 1] = np.where(accept[..., None], cold, hot), np.where(accept[..., None], hot, cold)
        self.replicas = states.reshape(temperatures * chains, n)
        return self.replicas[-chains:].astype(np.float64)

    def _sampler_sweeps(self, model: Model, chain_betas: np.ndarray,
                        rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """``k`` sweeps of every replica by the GibbsSampler on the model's BQM (any graph)."""
        labels = list(range(model.n_units))
        answer = self._sampler.sample(model.to_bqm(), initial_states=(self.replicas, labels), num_sweeps=self.k,
                                      beta=chain_betas, seed=draw_seed(rng))
        columns = [answer.variables.index(unit) for unit in labels]
        return answer.record.sample[:, columns], np.asarray(answer.record.energy)

    def _clamped_statistics(self, model, v, rng):
        return self._clamped._clamped_statistics(model, v, rng)

    def state_dict(self) -> dict[str, Any]:
        """The call count, the replicas and the last swap acceptances."""
        state = {**super().state_dict(), "swap_acceptance": self.swap_acceptance.copy()}
        if self.replicas is not None:
            state["replicas"] = self.replicas.copy()
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        self.swap_acceptance = np.array(state["swap_acceptance"], dtype=np.float64)
        self.replicas = np.array(state["replicas"], dtype=np.int8) if "replicas" in state else None

    def __repr__(self) -> str:
        return (f"ParallelTempering(num_chains={self.num_chains}, betas={[round(float(b), 4) for b in self.betas]}, "
                f"k={self.k})")


def _rbm_sweeps(rbm: RBM, replicas: np.ndarray, chain_betas: np.ndarray, k: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``k`` block-Gibbs sweeps h → v of an RBM, each chain at its own β, without a BQM; the new
    joint states ``(v, h)`` (int8) and their energies."""
    v = replicas[:, :rbm.n_visible].astype(np.float64)
    for _ in range(k):
        v, h = _gibbs_sweep(rbm, v, rng, chain_betas[:, None])
    energies = -(v @ rbm.visible_bias + h @ rbm.hidden_bias + np.einsum("ij,ij->i", v @ rbm.weights, h))
    return np.concatenate([v, h], axis=1).astype(np.int8), energies
