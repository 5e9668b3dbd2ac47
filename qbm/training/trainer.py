"""The training loop: mini-batches, one phase's gradient, an optimiser, a schedule, centring, checkpoints.

Each step follows ``Δθ ∝ ⟨∂(-E)/∂θ⟩_data - ⟨∂(-E)/∂θ⟩_model - weight_decay · θ`` (weight
decay on couplings only), the direction from ``phase.gradient`` (:mod:`qbm.phases.base`).  One
random generator drives batch order and the phase, and a checkpoint keeps it with the
optimiser's moments and the phase's own state, so a resumed run is bit-identical to an
uninterrupted one.

A phase on a device backend (``CD(backend="torch:cuda")``, :mod:`qbm.backend`) computes on a
copy of the RBM's parameters that the trainer keeps on that device with the data, the
optimiser's moments and the centring offsets: a step moves nothing between host and device
(only the batch order, once an epoch), and the model is brought up to date after every epoch
and every :meth:`Trainer.step`.

>>> import qbm
>>> data = qbm.datasets.bars_and_stripes(3)
>>> rbm = qbm.RBM(9, 4, random_state=0)
>>> history = train(rbm, data, qbm.ExactPhase(), epochs=2, batch_size=7, progress=False, random_state=0)
>>> len(history.epochs)
2
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .centering import centred_gradient, uncentred_step, unit_offsets
from ..sampling.chains import RBMParameters
from ..models import Model, check_model, check_visible_rows
from ..phases.base import Phase
from ..typing import RandomLike
from .._validation import check_bool, check_count, check_non_negative
from .._random import check_random_state
from .checkpoint import read_resume, run_identity, write_checkpoint
from .history import History
from .optimizers import make_optimizer
from .progress import progress_bar
from .schedules import Schedule, check_schedule, schedule_factor
from ..models.kinds import is_rbm

__all__ = ["Trainer", "train"]

Metric = Callable[[Model], float]
Callback = Callable[["Trainer", dict], None]

_COUPLINGS = "weights"
_GATHERED_ENTRIES = 2 ** 18   # rows of a shuffled epoch gathered at once: 2 MiB of float64


class Trainer:
    """Step-wise training of one model with one phase.

    Parameters
    ----------
    model : RBM, BoltzmannMachine or QuantumBoltzmannMachine
        Trained in place.
    phase : Phase
        Where the statistics come from: ``CD(k)``, ``PCD(...)``, ``SamplerPhase(sampler)``,
        ``ExactPhase()``, :func:`qbm.phases.qpu_phase`, a phase of :mod:`qbm.quantum` for a
        quantum model, or :func:`qbm.phases.make_phase` by name.
    batch_size : int
        Rows per step; the rows are shuffled every epoch.
    learning_rate : float
        Step size before ``schedule``.
    optimizer : {"sgd", "adam"}
        SGD uses ``momentum``; Adam uses the usual (0.9, 0.999) moments
        (:mod:`qbm.training.optimizers`).
    momentum : float
        SGD momentum in [0, 1).
    weight_decay : float
        L2 penalty on the couplings (not the biases).
    schedule : {"linear", "constant"} or callable
        ``"linear"`` (the default) decays ``learning_rate`` linearly to zero over the epochs of
        the run — persistent chains need it (``benchmarks/bench_training.py digits``);
        ``"constant"`` (or ``None``) keeps it; a callable ``schedule(epoch) -> factor``
        multiplies it (epochs count from 0; :mod:`qbm.training.schedules`).
    random_state : int, numpy.random.Generator or None
        Seeds the row order and the phase; the same seed gives the same run, bit for bit.
    metrics : dict of name -> callable(model) -> float, optional
        Evaluated after every epoch and recorded in the history (e.g. exact test LL).
    callbacks : iterable of callables ``callback(trainer, record)``
        Called after every epoch, after the metrics.
    checkpoint_path : str or path, optional
        Where to write a checkpoint (atomically) every ``checkpoint_every`` epochs.
    checkpoint_every : int
        Epochs between checkpoints.
    progress : bool
        Show a tqdm progress bar when standard error is a terminal, and a line every few
        seconds (epoch, metrics, time left) when it is not.
    centering : bool
        Step in the centred parametrisation (:mod:`qbm.training.centering`: offsets the data's mean
        for visible units, ½ for hidden ones); ``benchmarks/bench_training.py bars`` measures it.

    Examples
    --------
    >>> import qbm
    >>> trainer = Trainer(qbm.RBM(4, 2, random_state=0), qbm.CD(), learning_rate=0.1, random_state=0)
    >>> trainer.step([[1, 0, 1, 0], [0, 1, 0, 1]])
    >>> trainer.steps_done
    1
    """

    def __init__(self, model: Model, phase: Phase, *, batch_size: int = 10, learning_rate: float = 0.01,
                 optimizer: str = "sgd", momentum: float = 0.0, weight_decay: float = 0.0,
                 schedule: Schedule = "linear", random_state: RandomLike = None,
                 metrics: Mapping[str, Metric] | None = None, callbacks: Iterable[Callback] = (),
                 checkpoint_path: str | os.PathLike | None = None, checkpoint_every: int = 1,
                 progress: bool = True, centering: bool = False) -> None:
        self.model = check_model(model, accept_quantum=True)
        if not isinstance(phase, Phase):
            raise TypeError(f"phase must be a qbm Phase (see qbm.phases.PHASE_NAMES), got {type(phase).__name__}")
        self.phase = phase
        # an RBM trained by a phase on a device keeps its parameters there (a BM's phase moves its own states)
        self._on_device = not phase.backend.is_numpy and is_rbm(self.model)
        self._device_parameters: dict | None = None
        self.batch_size = check_count(batch_size, "batch_size")
        self.learning_rate = check_non_negative(learning_rate, "learning_rate", positive=True)
        self.optimizer = make_optimizer(optimizer, momentum)
        self.weight_decay = check_non_negative(weight_decay, "weight_decay")
        self.schedule = check_schedule(schedule)
        self._total_epochs = 0   # set by fit: the "linear" schedule decays over the whole run
        self.centering = check_bool(centering, "centering")
        self._offsets: np.ndarray | None = None
        self.metrics, self.callbacks = _checked_metrics(metrics), _checked_callbacks(callbacks)
        self.checkpoint_path = None if checkpoint_path is None else Path(checkpoint_path)
        self.checkpoint_every = check_count(checkpoint_every, "checkpoint_every")
        self.progress = check_bool(progress, "progress")
        self.rng = check_random_state(random_state)
        self.history = History()
        self.epochs_done = 0
        self.steps_done = 0
        self._identity = run_identity(self.phase, self.optimizer, batch_size=self.batch_size,   # what a
                                      learning_rate=self.learning_rate, weight_decay=self.weight_decay,
                                      schedule=self.schedule, centering=self.centering)   # resume must match

    def step(self, batch) -> None:
        """One parameter update from one mini-batch.

        Parameters
        ----------
        batch : array-like of shape (n_rows, n_visible)
            The rows of this step.

        Examples
        --------
        >>> import qbm
        >>> trainer = Trainer(qbm.RBM(4, 2, random_state=0), qbm.CD(), learning_rate=0.1, random_state=0)
        >>> trainer.step([[1, 0, 1, 0]]); trainer.steps_done
        1
        """
        self._update(check_visible_rows(self.model, batch, "batch"))
        self._sync_model()

    def _computed(self) -> tuple[Any, dict]:
        """What the phase computes with, and its parameter arrays: the model's own, or their device copy."""
        if not self._on_device:
            return self.model, self.model.parameters()
        if self._device_parameters is None:
            self._device_parameters = {name: self.phase.backend.asarray(value)
                                       for name, value in self.model.parameters().items()}
        return RBMParameters(**self._device_parameters), self._device_parameters

    def _sync_model(self) -> None:
        """Copy the device parameters into the model's own arrays (nothing to do on NumPy)."""
        for name, value in (self._device_parameters or {}).items():
            getattr(self.model, name)[...] = self.phase.backend.to_numpy(value)

    def _on_backend(self, array: np.ndarray):
        return self.phase.backend.asarray(array) if self._on_device else array

    def _update(self, batch) -> None:
        """:meth:`step` on rows already checked (host rows, or rows on the phase's device)."""
        model, parameters = self._computed()
        grads = self.phase.gradient(model, batch, self.rng, check_input=False)
        rate = self.current_learning_rate()
        self.steps_done += 1
        info = self.phase.step_info()
        if info:
            self.history.steps.append({"step": self.steps_done, "epoch": self.epochs_done + 1, **info})
        if self.centering and self._offsets is None:   # a step outside fit: the first batch sets the offsets
            self._offsets = self._on_backend(unit_offsets(self.model, batch))
        if self.centering:
            grads = centred_gradient(self.model, grads, self._offsets)
        steps = {}
        with np.errstate(over="ignore", invalid="ignore"):   # a step that overflows is caught at the epoch's end
            for name, value in parameters.items():
                grad = grads[name]          # a fresh array: free to scale in place
                if name == _COUPLINGS and self.weight_decay:
                    grad -= self.weight_decay * value
                direction = self.optimizer.direction(name, grad, self.steps_done)
                if direction is grad:
                    direction *= rate
                else:
                    direction = rate * direction
                if self.centering:   # the steps move together: the uncentred biases need every one of them
                    steps[name] = direction
                else:
                    value += direction
            if self.centering:
                uncentred_step(self.model, steps, self._offsets)
                for name, value in parameters.items():
                    value += steps[name]

    def current_learning_rate(self) -> float:
        """``learning_rate`` times the schedule's factor for the current epoch.

        Returns
        -------
        float

        Examples
        --------
        >>> import qbm
        >>> Trainer(qbm.RBM(2, 1), qbm.CD(), learning_rate=0.1, schedule=lambda epoch: 0.5).current_learning_rate()
        0.05
        """
        return self.learning_rate * schedule_factor(self.schedule, self.epochs_done, self._total_epochs)

    def fit(self, data, epochs: int) -> History:
        """Train until ``epochs`` epochs are done in all (a resumed trainer continues).

        Parameters
        ----------
        data : array-like of shape (n_rows, n_visible)
            The training rows.
        epochs : int
            Total epochs, counting those already done.

        Returns
        -------
        History

        Examples
        --------
        >>> import qbm
        >>> trainer = Trainer(qbm.RBM(9, 4, random_state=0), qbm.CD(), progress=False, random_state=0)
        >>> len(trainer.fit(qbm.datasets.bars_and_stripes(3), 2).epochs)
        2
        """
        data = check_visible_rows(self.model, data)
        epochs = check_count(epochs, "epochs", minimum=0)
        self._total_epochs = epochs
        if self.centering:
            self._offsets = self._on_backend(unit_offsets(self.model, data))
        bar = progress_bar(epochs, self.epochs_done, self.progress)
        try:
            rows = self._on_backend(data)   # on a device, the data travel once
            while self.epochs_done < epochs:
                self._epoch(rows)
                if bar is not None:
                    bar.set_postfix({k: f"{v:.4g}" for k, v in self.history.epochs[-1].items()
                                     if k in self.metrics})
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
        return self.history

    def _epoch(self, data) -> None:
        start, calls_before, first_step = time.perf_counter(), self.phase.sampler_calls, len(self.history.steps)
        n_rows = data.shape[0]
        order = self.rng.permutation(n_rows)
        if not self._on_device:   # the shuffled rows gathered a block of whole batches at a time, sliced per step
            block_rows = self.batch_size * max(1, _GATHERED_ENTRIES // (self.batch_size * max(1, data.shape[1])))
            for start in range(0, n_rows, block_rows):
                block = data[order[start:start + block_rows]]
                for first in range(0, len(block), self.batch_size):
                    self._update(block[first:first + self.batch_size])
        else:
            backend = self.phase.backend
            order = backend.asarray(order, dtype=backend.xp.int64)
            for first in range(0, n_rows, self.batch_size):
                self._update(backend.xp.take(data, order[first:min(first + self.batch_size, n_rows)], axis=0))
            self._sync_model()
        for name, value in self.model.parameters().items():
            if not np.all(np.isfinite(value)):
                raise FloatingPointError(f"training diverged in epoch {self.epochs_done + 1}: the model's {name} are no "
                                         "longer finite (a learning rate too high for this phase?); the last "
                                         "checkpoint is kept")
        record = {"epoch": self.epochs_done + 1, "seconds": time.perf_counter() - start,
                  "sampler_calls": self.phase.sampler_calls - calls_before,
                  "learning_rate": self.current_learning_rate()}
        record.update(self.history.step_means(first_step))
        for name, metric in self.metrics.items():
            record[name] = _metric_value(name, metric(self.model))
        self.epochs_done += 1
        self.history.epochs.append(record)
        for callback in self.callbacks:
            callback(self, record)
        if self.checkpoint_path is not None and self.epochs_done % self.checkpoint_every == 0:
            self.save_checkpoint(self.checkpoint_path)

    def save_checkpoint(self, path: str | os.PathLike) -> None:
        """Write model, optimiser, random state, phase state and history atomically to ``path``.

        Parameters
        ----------
        path : str or path
            The ``.npz`` file to write (:mod:`qbm.training.checkpoint`).

        Examples
        --------
        >>> import qbm, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "checkpoint.npz"
        >>> trainer = Trainer(qbm.RBM(9, 4, random_state=0), qbm.PCD(10), progress=False, random_state=0)
        >>> _ = trainer.fit(qbm.datasets.bars_and_stripes(3), 1); trainer.save_checkpoint(path)
        >>> again = Trainer(qbm.RBM(9, 4), qbm.PCD(10), progress=False); again.load_checkpoint(path)
        >>> again.epochs_done, bool((again.model.weights == trainer.model.weights).all())
        (1, True)
        """
        write_checkpoint(path, self.model, self.optimizer.state_dict(), self.phase.state_dict(), {
            "epochs_done": self.epochs_done, "steps_done": self.steps_done, "rng": self.rng.bit_generator.state,
            "history": self.history.epochs, "steps": self.history.steps, "run": self._identity})

    def load_checkpoint(self, path: str | os.PathLike) -> None:
        """Restore everything :meth:`save_checkpoint` wrote (the model's parameters in place).

        The checkpoint must be of this run: the same model type and shapes, the same phase and settings (its
        ``repr`` and the loop's learning rate, batch size, optimiser, schedule, weight decay and centring), a
        phase state that this phase takes back whole, and a loop record of the right kinds.  Anything else is
        refused with a ``ValueError`` before the model, the phase or the optimiser is touched.

        Parameters
        ----------
        path : str or path
            A file written by :meth:`save_checkpoint`.

        Examples
        --------
        See :meth:`save_checkpoint`.
        """
        resumed = read_resume(path, self.model, self._identity, self.optimizer, self.phase, self.rng)
        self.optimizer.load_state_dict(resumed.optimizer_state)   # both known to take them back whole
        self.phase.load_state_dict(resumed.phase_state)
        for name, value in self.model.parameters().items():
            value[...] = getattr(resumed.model, name)
        self._device_parameters = None   # copied to the device afresh at the next step
        self.rng.bit_generator.state = resumed.rng_state
        self.epochs_done, self.steps_done, self.history = resumed.epochs_done, resumed.steps_done, resumed.history


def _checked_metrics(metrics) -> dict[str, Metric]:
    if metrics is not None and not isinstance(metrics, Mapping):
        raise TypeError(f"metrics must be a mapping of name -> callable(model), got {type(metrics).__name__}")
    for name, metric in (metrics or {}).items():
        if not callable(metric):
            raise TypeError(f"metric {name!r} must be a callable(model) -> float, got {type(metric).__name__}")
    return dict(metrics or {})


def _checked_callbacks(callbacks) -> list[Callback]:
    callbacks = list(callbacks)
    for callback in callbacks:
        if not callable(callback):
            raise TypeError(f"each callback must be a callable(trainer, record), got {type(callback).__name__}")
    return callbacks


def _metric_value(name: str, value) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)) or \
            np.ndim(value) != 0:
        raise TypeError(f"metric {name!r} must return a number, got {value!r}")
    return float(value)


def train(model: Model, data, phase: Phase, *, epochs: int = 10, resume: bool = False,
          **settings: Any) -> History:
    """Train ``model`` in place on the rows of ``data`` and return its :class:`~qbm.training.History`.

    Parameters
    ----------
    model : RBM, BoltzmannMachine or QuantumBoltzmannMachine
        Trained in place.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 values (or probabilities in [0, 1]) for the visible units.
    phase : Phase
        Where the statistics come from (see :class:`Trainer`).
    epochs : int
        Passes over ``data`` (a resumed run counts the epochs already done).
    resume : bool
        Continue, bit for bit, from the checkpoint at ``checkpoint_path`` if it exists.
    **settings
        Every keyword of :class:`Trainer`: ``batch_size``, ``learning_rate``, ``optimizer``,
        ``momentum``, ``weight_decay``, ``schedule``, ``random_state``, ``metrics``,
        ``callbacks``, ``checkpoint_path``, ``checkpoint_every``, ``progress``, ``centering``.

    Returns
    -------
    History
        Per-epoch records (time, sampler calls, learning rate, metrics) and per-step
        records of the phase's information (for a QPU: scale, ``beta_eff``, chain breaks,
        QPU access time).

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(9, 4, random_state=0)
    >>> data = qbm.datasets.bars_and_stripes(3)
    >>> h = train(rbm, data, qbm.PCD(20), epochs=3, learning_rate=0.05, progress=False, random_state=1,
    ...           metrics={"ll": lambda m: qbm.log_likelihood(m, data)})
    >>> len(h["ll"])
    3
    """
    trainer = Trainer(model, phase, **settings)
    if check_bool(resume, "resume"):
        if trainer.checkpoint_path is None:
            raise ValueError("resume=True needs a checkpoint_path")
        if trainer.checkpoint_path.exists():
            trainer.load_checkpoint(trainer.checkpoint_path)
    return trainer.fit(data, epochs)
