"""Statistics from any dimod sampler: the model handed over as a BQM at ``beta``, its answer read back by label.

>>> import qbm
>>> SamplerPhase(qbm.ExactSampler(), num_reads=5)
SamplerPhase(ExactSampler(), num_reads=5, beta=1.0)
"""
from __future__ import annotations

from typing import Any

import dimod
import numpy as np
import scipy.sparse

from ..sampling.boundary import boltzmann_samples, states_from_sampleset
from .divergence import DivergenceGuard
from ..models import BoltzmannMachine, Model, check_model
from ..typing import RandomLike
from .._validation import check_beta, check_count
from .._random import check_random_state
from .._sampler_args import check_sampler
from .._state import prefixed, unprefixed
from .base import QUANTUM_PHASES, Phase

__all__ = ["SamplerPhase"]


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
      which is wrong for a negative phase (see :func:`qbm.sampling.boltzmann_samples`).

    For a BM with hidden units the data side samples the hidden units with the
    visible ones clamped: one sampler call for the whole batch, on the disjoint union
    of one clamped BQM per row, ``clamped_reads`` reads.

    ``divergence_guard`` (a :class:`~qbm.phases.divergence.DivergenceGuard`, by default one
    that warns) watches the model side for the runaway of samples hotter than the
    model; ``None`` turns it off.

    Parameters
    ----------
    sampler : dimod.Sampler
        Any sampler (a composite included).
    num_reads : int
        Samples per model-side call.
    beta : float
        Inverse temperature of the model handed to the sampler, and of the data side.
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

    samples_model = True   # a sampler's answer, weighted, at the phase's β

    def __init__(self, sampler: dimod.Sampler, num_reads: int = 100, beta: float = 1.0,
                 clamped_reads: int = 10, divergence_guard: DivergenceGuard | None | str = "default",
                 **sample_kwargs: Any) -> None:
        super().__init__()
        self.sampler = check_sampler(sampler, keywords=sample_kwargs)
        self.num_reads = check_count(num_reads, "num_reads")
        self.clamped_reads = check_count(clamped_reads, "clamped_reads")
        self.beta = check_beta(beta)
        self.divergence_guard = DivergenceGuard.of(divergence_guard)
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
        bqm = check_model(model, quantum=QUANTUM_PHASES).to_bqm(self.beta)
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
        """The call count, the divergence guard's records and the sampler's own state (a QPU's calibration)."""
        state = super().state_dict()
        if self.divergence_guard is not None:
            state.update(self.divergence_guard.state_dict())
        if hasattr(self.sampler, "state_dict"):
            state.update(prefixed(self.sampler.state_dict(), "sampler"))
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        if self.divergence_guard is not None and "divergence_records" in state:
            self.divergence_guard.load_state_dict(state)
        if hasattr(self.sampler, "load_state_dict"):
            self.sampler.load_state_dict(unprefixed(state, "sampler"))

    def clamped_statistics(self, model, v, random_state):
        bqm = _clamped_union(model, v, self.beta)
        hidden, weights = states_from_sampleset(self._call(bqm, self.clamped_reads, random_state), bqm.num_variables)
        hidden = hidden.reshape(len(hidden), len(v), model.n_hidden)
        states = np.concatenate([np.broadcast_to(v, hidden.shape[:2] + (model.n_visible,)), hidden], axis=2)
        return model.sufficient_statistics(states.reshape(-1, model.n_units), np.repeat(weights, len(v)))

    def _call(self, bqm: dimod.BinaryQuadraticModel, num_reads: int, rng: np.random.Generator) -> dimod.SampleSet:
        self.sampler_calls += 1
        return boltzmann_samples(self.sampler, bqm, num_reads, rng, **self.sample_kwargs)

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.sample_kwargs.items())
        return f"SamplerPhase({type(self.sampler).__name__}(), num_reads={self.num_reads}, beta={self.beta}{extra})"


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
