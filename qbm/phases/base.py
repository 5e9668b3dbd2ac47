"""The phase contract: where a Boltzmann machine's statistics come from.

Learning follows ``Δθ ∝ ⟨∂(-E)/∂θ⟩_data - ⟨∂(-E)/∂θ⟩_model``, both sides at the phase's
inverse temperature ``beta`` (so the step is ``(1/β) ∂ mean log p_β / ∂θ``).  A *phase* is an
object with these methods, and every caller — the training loop, :class:`~qbm.phases.LabelPhase`,
:class:`~qbm.phases.ParallelTempering`, centring, :func:`gradient` — uses only them:

``statistics(model, batch, random_state)``
    The model side, a dict keyed by the model's parameter names.  The one method a new phase
    must write.
``data_statistics(model, batch, random_state)``
    The data side.  Given here for every classical model: an RBM's hidden layer summed out
    exactly (``p_β(h | v)``), a fully visible BM's data themselves; a BM with hidden units
    needs its hidden units sampled with the visible ones clamped: the hook
    ``clamped_statistics(model, v, rng)``, which :class:`~qbm.phases.SamplerPhase`,
    :class:`~qbm.phases.ExactPhase` and :class:`~qbm.phases.ParallelTempering` provide.
``gradient(model, batch, random_state, *, check_input=True)``
    Data side minus model side: what one training step moves along.  A phase that shares work
    between the sides, or that learns from the gradient it gave (PCD's fast weights), overrides
    it; a composite phase calls its parts' ``gradient``, so their behaviour comes along.
``backend``
    The array backend the statistics are computed on (:mod:`qbm.backend`): NumPy unless the phase
    takes ``backend=`` (CD, PCD, ParallelTempering); the training loop keeps the parameters there.
``samples_model``, ``fixed_parameters``
    Whether ``statistics`` claims to estimate the model's own expectations (``True`` for every sampling
    phase of the package; ``False`` by default and for CD, biased by design), and the parameters it holds
    fixed (zero on both sides).
``step_info()``, ``state_dict()``, ``load_state_dict(state)``
    Numbers for the training history, and what a checkpoint keeps: a flat dict of names to
    numbers or numeric arrays (a composite prefixes its parts' names with ``qbm._state.prefixed``).

A new phase subclasses :class:`Phase` and writes ``statistics``; the conformance kit
:func:`qbm.testing.check_phase` checks it against every rule above on small models of each kind:

>>> import qbm
>>> class Enumerated(Phase):   # a phase written from this page alone
...     samples_model = True    # it claims the model's own statistics: the kit holds it to the exact ones
...     def statistics(self, model, batch, random_state=None):
...         return qbm.exact.expectations(model, self.beta)
>>> sorted(gradient(Enumerated(), qbm.RBM(3, 2, random_state=0), [[1, 0, 1]]))
['hidden_bias', 'visible_bias', 'weights']
>>> qbm.testing.check_phase(Enumerated())   # RBMs and visible BMs handled, the others refused clearly
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from ..backend import Backend, get_backend
from ..sampling.chains import RBMParameters, rbm_statistics
from ..models import RBM, BoltzmannMachine, Model, check_model, check_visible_rows
from ..typing import RandomLike
from .._random import check_random_state
from ..models.kinds import is_rbm

__all__ = ["Phase", "gradient"]

QUANTUM_PHASES = "a phase of qbm.quantum (ExactQuantumPhase, or BoundPhase(negative=TrotterPhase(sampler)))"
"""What a classical phase's refusal of a quantum Boltzmann machine points to."""


class Phase(ABC):
    """Base class of every phase: the data side exact where it can be, the gradient as their difference.

    Examples
    --------
    >>> import qbm
    >>> isinstance(qbm.PCD(), Phase), isinstance(qbm.ExactPhase(), Phase)
    (True, True)
    """

    beta: float = 1.0
    """Inverse temperature of both sides."""

    backend: Backend = get_backend("numpy")
    """Where the statistics are computed: NumPy unless the phase takes ``backend=``."""

    samples_model: bool = False
    """Whether ``statistics`` claims to estimate the model's own expectations at ``beta`` (PCD, the exact
    and sampler phases, tempering, the quantum phases); not CD's, whose chains start at the data, nor a label
    phase's hybrid objective.  :func:`qbm.testing.check_phase` holds a phase that claims it to the exact values."""

    fixed_parameters: tuple[str, ...] = ()
    """Parameters the phase holds fixed: their statistics are zero on both sides (a bound that cannot train them)."""

    def __init__(self) -> None:
        self.sampler_calls = 0

    @abstractmethod
    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """Model-side expectations ``⟨∂(-E)/∂θ⟩_model`` at ``beta``.

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
        """Data-side expectations ``⟨∂(-E)/∂θ⟩_data`` at ``beta`` for the rows of ``batch``.

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
        if isinstance(model, RBMParameters) or (is_rbm(model) and not self.backend.is_numpy):
            rbm, v, _ = device_inputs(self, model, batch, random_state, not isinstance(model, RBMParameters))
            return rbm_statistics(rbm, v, self.beta)
        model = check_model(model, quantum=QUANTUM_PHASES)
        v = check_visible_rows(model, batch, "batch")
        if is_rbm(model):
            return rbm_statistics(model, v, self.beta)
        if model.n_hidden == 0:
            return model.sufficient_statistics(v)
        return self.clamped_statistics(model, v, check_random_state(random_state))

    def gradient(self, model: Model, batch, random_state: RandomLike = None, *,
                 check_input: bool = True) -> dict[str, np.ndarray]:
        """Data side minus model side for the rows of ``batch``: one training step's direction.

        Parameters
        ----------
        model : RBM, BoltzmannMachine or QuantumBoltzmannMachine
            The model (which kinds a phase takes is its own to say).
        batch : array-like of shape (n_rows, n_visible)
            The data rows of this step.
        random_state : int, numpy.random.Generator or None
            The random stream, shared by both sides.
        check_input : bool
            Validate ``batch`` (the training loop checks its data once and passes ``False``).

        Returns
        -------
        dict of str -> ndarray
            One fresh array per parameter name of the model (the caller may change it in place).

        Examples
        --------
        >>> import qbm
        >>> qbm.ExactPhase().gradient(qbm.RBM(3, 2, random_state=0), [[1, 1, 1]])["visible_bias"].round(2)
        array([0.5, 0.5, 0.5])
        """
        v = check_visible_rows(model, batch, "batch") if check_input else batch
        rng = check_random_state(random_state)
        data_side, model_side = self.data_statistics(model, v, rng), self.statistics(model, v, rng)
        names = RBMParameters._fields if isinstance(model, RBMParameters) else model.parameter_names
        return {name: data_side[name] - model_side[name] for name in names}

    def step_info(self) -> dict[str, float]:
        """Numbers describing the last model-side call (e.g. ``beta_eff``), for the training history.

        Returns
        -------
        dict of str -> float
        """
        return {}

    def state_dict(self) -> dict[str, Any]:
        """What a checkpoint must keep to resume this phase exactly: a flat dict of numbers and numeric arrays.

        Returns
        -------
        dict of str -> number or ndarray
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

    def clamped_statistics(self, model: BoltzmannMachine, v: np.ndarray,
                           random_state: np.random.Generator) -> dict[str, np.ndarray]:
        """The data side of a BoltzmannMachine with hidden units: its hidden units drawn with ``v`` clamped.

        ``data_statistics`` calls it for that model kind alone; a phase that can sample clamped
        hidden units overrides it (the base refuses, naming the phases that can).

        Parameters
        ----------
        model : BoltzmannMachine
            A model with hidden units.
        v : ndarray of shape (n_rows, n_visible)
            The data rows, already checked.
        random_state : numpy.random.Generator
            The random stream.

        Returns
        -------
        dict of str -> ndarray
            One array per parameter name of the model.

        Examples
        --------
        >>> import qbm
        >>> bm = qbm.BoltzmannMachine(2, 1, random_state=0)
        >>> qbm.ExactPhase().clamped_statistics(bm, np.array([[1.0, 0.0]]), np.random.default_rng(0))["biases"][:2]
        array([1., 0.])
        """
        raise TypeError(f"{type(self).__name__} cannot sample the hidden units of a BoltzmannMachine "
                        "with clamped visible units; use SamplerPhase or ExactPhase")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def gradient(phase: Phase, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
    """Log-likelihood gradient estimate ``data side - model side`` for each parameter: ``phase.gradient``.

    Parameters
    ----------
    phase : Phase
        Where both sides come from.
    model : RBM, BoltzmannMachine or QuantumBoltzmannMachine
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
    >>> gradient(qbm.ExactPhase(), rbm, [[1, 1, 1]])["visible_bias"].round(2)
    array([0.5, 0.5, 0.5])
    """
    if not isinstance(phase, Phase):
        raise TypeError(f"phase must be a qbm Phase, got {type(phase).__name__}")
    return phase.gradient(model, batch, random_state)


def require_rbm(model: Model, phase: Phase) -> RBM:
    """``model`` itself if it is an RBM, else a TypeError naming the phases that take it."""
    if not is_rbm(check_model(model, quantum=QUANTUM_PHASES)):
        raise TypeError(f"{type(phase).__name__} is an RBM fast path; for a {type(model).__name__} "
                        "use SamplerPhase or ExactPhase")
    return model


def device_inputs(phase: Phase, model: Model | RBMParameters, batch, random_state: RandomLike, check_input: bool):
    """What a contrastive step starts from: the RBM's arrays, its (checked) rows and the random stream,
    all on the phase's backend.

    On a device backend ``model`` may be an :class:`~qbm.sampling.chains.RBMParameters` of device arrays (the
    training loop keeps the parameters there) and ``batch`` device rows; an RBM and host rows are copied
    over, once per call.
    """
    rng = check_random_state(random_state)
    backend = phase.backend
    if backend.is_numpy:
        rbm = model if is_rbm(model) else require_rbm(model, phase)
        return rbm, check_visible_rows(rbm, batch, "batch") if check_input else batch, rng
    if not isinstance(model, RBMParameters):
        rbm = model if is_rbm(model) else require_rbm(model, phase)
        if check_input:
            batch = check_visible_rows(rbm, batch, "batch")
    else:
        rbm = model
    if is_rbm(rbm):
        rbm = RBMParameters(*(backend.asarray(getattr(rbm, name)) for name in RBMParameters._fields))
    rows = None if batch is None or not isinstance(batch, np.ndarray) else backend.asarray(batch)
    return rbm, batch if rows is None else rows, backend.random(rng)
