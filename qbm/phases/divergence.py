"""Detect the runaway of training on samples hotter than the model.

When a sampler cannot reach the model's temperature — a QPU whose problem must be
scaled down to fit its h and J ranges further than its own β makes up for — its
samples are hotter than the model, the model side of the gradient is too weak, the
weights grow, the model needs a still larger scale, and the samples get hotter
still.  :class:`DivergenceGuard` watches a sampled phase for that signature: the
parameters' norm growing steadily while the samples' effective β (maximum
pseudo-likelihood, with respect to the model's BQM) stays well below 1.

>>> guard = DivergenceGuard(min_calls=40, action="raise")
>>> for call, norm in zip((10, 20, 30, 40), (1.0, 1.5, 2.5, 4.0)):  # doctest: +ELLIPSIS
...     guard.record(call, norm, beta_eff=0.4)
Traceback (most recent call last):
...
qbm.phases.divergence.DivergenceError: training is running away: the parameters' norm grew 1.7-fold ...
"""
from __future__ import annotations

import warnings

import dimod
import numpy as np

from .._validation import check_count, check_non_negative
from ..sampling.temperature import effective_beta

__all__ = ["DivergenceGuard", "DivergenceWarning", "DivergenceError", "parameter_norm"]

_ACTIONS = ("warn", "raise")


class DivergenceWarning(RuntimeWarning):
    """Training is running away because the samples are hotter than the model."""


class DivergenceError(RuntimeError):
    """Raised instead of :class:`DivergenceWarning` by a guard with ``action="raise"``."""


_ADVICE = ("the sampler cannot reach the model's temperature (on a QPU: the model needs a larger scale than the "
           "hardware's β makes up for), so its samples are hotter than the model and every step pushes the weights "
           "further up. Fix: post-process the samples at the model's β (qpu_phase(postprocess_sweeps=...) or "
           "GibbsPostProcessingComposite), lower the learning rate, or add weight_decay")


def parameter_norm(model) -> float:
    """Euclidean norm of all of a model's parameters together.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.

    Returns
    -------
    float

    Examples
    --------
    >>> import qbm
    >>> parameter_norm(qbm.RBM(2, 1, weights=[[3.0], [4.0]]))
    5.0
    """
    return float(np.sqrt(sum(np.sum(np.square(getattr(model, name))) for name in model.parameter_names)))


class DivergenceGuard:
    """Warns (or raises) once when the parameters grow steadily on samples hotter than the model.

    Every ``check_every`` sampler calls the guard records the parameters' norm and
    the samples' effective β.  Once ``min_calls`` calls are done it compares the
    latest record with the one from half the calls ago: a norm grown by ``growth``
    or more while the latest effective β is at most ``hot`` is a runaway.

    Parameters
    ----------
    check_every : int
        Sampler calls between two records (an effective-β estimate costs one
        pseudo-likelihood fit).
    min_calls : int
        No verdict before this many calls (early training grows from small weights).
    growth : float
        Norm ratio over the second half of training that counts as growing.
    hot : float
        Effective β, relative to the model, below which samples count as too hot.
    action : {"warn", "raise"}
        Issue a :class:`DivergenceWarning`, or stop training with :class:`DivergenceError`.

    Examples
    --------
    >>> import qbm
    >>> phase = qbm.SamplerPhase(qbm.ExactSampler(), divergence_guard=DivergenceGuard(action="raise"))
    >>> phase.divergence_guard.action
    'raise'
    """

    def __init__(self, check_every: int = 10, min_calls: int = 200, growth: float = 1.5, hot: float = 0.8,
                 action: str = "warn") -> None:
        if action not in _ACTIONS:
            raise ValueError(f"action must be one of {', '.join(_ACTIONS)}, got {action!r}")
        self.check_every = check_count(check_every, "check_every")
        self.min_calls = check_count(min_calls, "min_calls")
        self.growth = check_non_negative(growth, "growth", positive=True)
        self.hot = check_non_negative(hot, "hot", positive=True)
        self.action = action
        self.calls = 0
        self.records: list[tuple[int, float, float]] = []  # (call, parameter norm, effective β)
        self.fired = False

    @classmethod
    def of(cls, guard: "DivergenceGuard | None | str") -> "DivergenceGuard | None":
        """The guard a phase's ``divergence_guard`` argument names: ``"default"`` (one that warns), ``None``
        (none) or a guard itself.

        Parameters
        ----------
        guard : DivergenceGuard, "default" or None
            What was passed.

        Returns
        -------
        DivergenceGuard or None

        Examples
        --------
        >>> DivergenceGuard.of("default").action, DivergenceGuard.of(None)
        ('warn', None)
        """
        if isinstance(guard, str) and guard == "default":
            return cls()
        if guard is not None and not isinstance(guard, cls):
            raise TypeError(f"divergence_guard must be a DivergenceGuard or None (or 'default'), got {guard!r}")
        return guard

    def observe(self, model, bqm: dimod.BinaryQuadraticModel, sampleset: dimod.SampleSet) -> None:
        """Count one sampler call for ``model`` (sampled as ``bqm``); record and check on every ``check_every``-th.

        Parameters
        ----------
        model : RBM or BoltzmannMachine
            The model being trained.
        bqm : dimod.BinaryQuadraticModel
            The BQM the samples were drawn for.
        sampleset : dimod.SampleSet
            The samples.

        Examples
        --------
        >>> import qbm
        >>> guard, rbm = DivergenceGuard(check_every=1), qbm.RBM(3, 2, random_state=0)
        >>> guard.observe(rbm, rbm.to_bqm(), qbm.ExactSampler().sample(rbm.to_bqm(), num_reads=50, seed=0))
        >>> len(guard.records)
        1
        """
        self.calls += 1
        if self.calls % self.check_every == 0:
            self.record(self.calls, parameter_norm(model), effective_beta(bqm, sampleset))

    def record(self, call: int, norm: float, beta_eff: float) -> None:
        """Add the record of sampler call ``call`` and check for a runaway.

        Parameters
        ----------
        call : int
            The sampler call the record belongs to.
        norm : float
            The parameters' norm at that call.
        beta_eff : float
            The samples' effective β relative to the model.

        Examples
        --------
        >>> guard = DivergenceGuard()
        >>> guard.record(10, 1.0, 1.0); guard.records
        [(10, 1.0, 1.0)]
        """
        self.records.append((int(call), float(norm), float(beta_eff)))
        self._check()

    def _check(self) -> None:
        if self.fired or self.records[-1][0] < self.min_calls or len(self.records) < 4:
            return
        calls, norms, betas = np.array(self.records).T
        half = int(np.searchsorted(calls, calls[-1] / 2))
        growth = np.median(norms[-3:]) / max(np.median(norms[max(half - 1, 0):half + 2]), 1e-300)
        beta_now = float(np.median(betas[-3:]))
        if growth >= self.growth and beta_now <= self.hot:
            self.fired = True
            message = (f"training is running away: the parameters' norm grew {growth:.2g}-fold over the last "
                       f"{int(calls[-1] - calls[half])} sampler calls (to {norms[-1]:.3g}) while the samples' "
                       f"effective β is {beta_now:.2f} of the model's; {_ADVICE}")
            if self.action == "raise":
                raise DivergenceError(message)
            warnings.warn(message, DivergenceWarning, stacklevel=4)

    def state_dict(self) -> dict[str, np.ndarray]:
        """What a checkpoint keeps: the records, the call count and whether the guard fired."""
        return {"divergence_records": np.array(self.records, dtype=float).reshape(-1, 3),
                "divergence_calls": np.array(self.calls), "divergence_fired": np.array(self.fired)}

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned."""
        self.records = [(int(c), float(n), float(b)) for c, n, b in np.asarray(state["divergence_records"])]
        self.calls = int(state["divergence_calls"])
        self.fired = bool(state["divergence_fired"])

    def __repr__(self) -> str:
        return (f"DivergenceGuard(check_every={self.check_every}, min_calls={self.min_calls}, growth={self.growth}, "
                f"hot={self.hot}, action={self.action!r})")
