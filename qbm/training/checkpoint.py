"""Training checkpoints: one ``.npz`` holding the model (through the model codec), the optimiser's
moments, the phase's flat state and the loop's counters, random state and history.

A checkpoint carries a format version of its own; the model inside it is written and read by
:func:`qbm.models.model_arrays` / :func:`qbm.models.model_from_arrays`, the codec of ``model.save``,
so the two can never disagree.  Every stored value must be a number or a numeric array: a phase
whose state holds anything else (a nested dict, an object) is refused when the checkpoint is
written, not when it is read back.

>>> import numpy as np
>>> flat = checked_state({"chains": np.zeros((2, 3)), "sampler_calls": 4}, "phase")
>>> sorted(flat)
['chains', 'sampler_calls']
"""
from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ..models import model_arrays, model_from_arrays
from .._files import atomic_savez
from .history import History

__all__ = ["CHECKPOINT_VERSION", "write_checkpoint", "read_checkpoint", "checked_state", "run_identity",
           "read_resume"]

CHECKPOINT_VERSION = 2
"""The layout of a checkpoint file; a file of another version is refused with a clear error."""

_PARTS = ("model", "optimizer", "phase")


def checked_state(state: dict[str, Any], part: str) -> dict[str, np.ndarray]:
    """``state`` as numeric arrays by name, or a ``TypeError`` naming the entry that is not one.

    Parameters
    ----------
    state : dict
        A flat state (a phase's or an optimiser's).
    part : str
        Whose state it is, for the message.

    Returns
    -------
    dict of str -> ndarray

    Examples
    --------
    >>> checked_state({"inner": {"chains": 1}}, "phase")
    Traceback (most recent call last):
    ...
    TypeError: the phase state's entry 'inner' is a dict, not a number or a numeric array; a phase keeps a flat state (a composite prefixes its parts' names)
    """
    arrays = {}
    for name, value in state.items():
        array = np.asarray(value) if not isinstance(value, (dict, list, tuple, set)) else None
        if array is None or array.dtype.kind not in "biuf":
            raise TypeError(f"the {part} state's entry {name!r} is a {type(value).__name__}, not a number or a numeric "
                            "array; a phase keeps a flat state (a composite prefixes its parts' names)")
        arrays[name] = array
    return arrays


def write_checkpoint(path: str | os.PathLike, model, optimizer_state: dict, phase_state: dict, loop: dict) -> None:
    """Write one checkpoint atomically: nothing at ``path`` is half-written or lost if it fails.

    Parameters
    ----------
    path : str or path
        The ``.npz`` file.
    model : RBM, BoltzmannMachine or QuantumBoltzmannMachine
        Stored through the model codec.
    optimizer_state, phase_state : dict
        Flat dicts of numbers and numeric arrays.
    loop : dict
        JSON-serialisable counters, random state and history of the loop.

    Examples
    --------
    >>> import qbm, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "checkpoint.npz"
    >>> write_checkpoint(path, qbm.RBM(2, 1), {}, {"sampler_calls": 0}, {"epochs_done": 0})
    >>> model, _, phase_state, loop = read_checkpoint(path)
    >>> type(model).__name__, int(phase_state["sampler_calls"]), loop["epochs_done"]
    ('RBM', 0, 0)
    """
    arrays = {f"model.{name}": value for name, value in model_arrays(model).items()}
    parts = {"optimizer": checked_state(optimizer_state, "optimizer"), "phase": checked_state(phase_state, "phase")}
    for name, value in parts["optimizer"].items():
        if not np.all(np.isfinite(value)):
            raise ValueError(f"the optimiser's {name} is not finite: training has diverged; nothing was written")
    for part, state in parts.items():
        arrays.update({f"{part}.{name}": value for name, value in state.items()})
    arrays["loop"] = np.array(json.dumps({**loop, "checkpoint_version": CHECKPOINT_VERSION}))
    atomic_savez(path, arrays)


def read_checkpoint(path: str | os.PathLike) -> tuple[Any, dict, dict, dict]:
    """What :func:`write_checkpoint` wrote: ``(model, optimizer_state, phase_state, loop)``.

    A missing file raises ``FileNotFoundError``; anything else unreadable a ``ValueError`` naming the file.

    Parameters
    ----------
    path : str or path
        A file :func:`write_checkpoint` wrote.

    Returns
    -------
    model : RBM, BoltzmannMachine or QuantumBoltzmannMachine
    optimizer_state, phase_state : dict of str -> ndarray
    loop : dict

    Examples
    --------
    See :func:`write_checkpoint`.
    """
    path = Path(path)
    source = repr(str(path))
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
        loop = json.loads(str(arrays.pop("loop")))
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise ValueError(f"{source} is not a readable qbm checkpoint ({exc})") from exc
    if not isinstance(loop, dict) or loop.get("checkpoint_version") != CHECKPOINT_VERSION:
        found = loop.get("checkpoint_version") if isinstance(loop, dict) else None
        raise ValueError(f"{source} is a checkpoint of version {found!r}; this qbm reads version {CHECKPOINT_VERSION}")
    split = {part: {name[len(part) + 1:]: value for name, value in arrays.items() if name.startswith(part + ".")}
             for part in _PARTS}
    model = model_from_arrays(split["model"], f"the model in {source}")
    if not all(np.all(np.isfinite(value)) for value in split["optimizer"].values()):
        raise ValueError(f"{source} holds a non-finite optimiser state: the run had diverged")
    return model, split["optimizer"], split["phase"], loop


def run_identity(phase, optimizer, *, batch_size: int, learning_rate: float, weight_decay: float, schedule,
                 centering: bool) -> dict[str, Any]:
    """The phase and the settings a checkpoint names: a resume under any other is refused.

    Parameters
    ----------
    phase, optimizer : Phase and Optimizer
        Named by their ``repr`` (every setting that changes behaviour), taken when the run is set up.
    batch_size, learning_rate, weight_decay, schedule, centering
        The loop's settings (a callable schedule is named as such).

    Returns
    -------
    dict

    Examples
    --------
    >>> import qbm
    >>> run_identity(qbm.CD(), qbm.training.SGD(), batch_size=10, learning_rate=0.1, weight_decay=0.0,
    ...              schedule="linear", centering=False)["phase"]
    'CD(k=1)'
    """
    named = schedule if isinstance(schedule, str) or schedule is None else "a callable"
    return {"phase": repr(phase), "optimizer": repr(optimizer), "batch_size": batch_size,
            "learning_rate": learning_rate, "weight_decay": weight_decay, "schedule": named, "centering": centering}


class Resume(NamedTuple):
    """What a checked checkpoint gives back: the stored model, the optimiser's and the phase's states (each known
    to be taken back whole), the random state, the counters and the history."""

    model: Any
    optimizer_state: dict
    phase_state: dict
    rng_state: dict
    epochs_done: int
    steps_done: int
    history: History


def read_resume(path: str | os.PathLike, model, identity: dict, optimizer, phase, rng: np.random.Generator) -> Resume:
    """A checkpoint read and checked against the run that resumes it, before anything of that run is touched.

    It must hold the same model type and shapes, name the same phase and settings (:func:`run_identity`), hold
    a phase and optimiser state that copies of ``phase`` and ``optimizer`` take back whole, and a loop record of
    the right kinds: anything else is a ``ValueError`` naming what differs.

    Parameters
    ----------
    path : str or path
        The checkpoint.
    model : model
        The run's model (read, not changed).
    identity : dict
        The run's :func:`run_identity`.
    optimizer, phase : Optimizer and Phase
        The run's own (copies take the stored states; these are not changed).
    rng : numpy.random.Generator
        The run's stream (its kind checks the stored state).

    Returns
    -------
    namedtuple
        ``model`` (the stored one), ``optimizer_state``, ``phase_state``, ``rng_state``, ``epochs_done``,
        ``steps_done`` and ``history``.

    Examples
    --------
    >>> import qbm, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "checkpoint.npz"
    >>> trainer = qbm.Trainer(qbm.RBM(4, 2, random_state=0), qbm.PCD(10), progress=False)
    >>> trainer.save_checkpoint(path)
    >>> qbm.Trainer(qbm.RBM(4, 2), qbm.CD(), progress=False).load_checkpoint(path)
    Traceback (most recent call last):
    ...
    ValueError: ... is a checkpoint of a run with phase 'PCD(num_chains=10, k=1, fast_rate=0.05, fast_decay=0.95)', not 'CD(k=1)': resuming it here would not continue that run; nothing was changed
    """
    stored, optimizer_state, phase_state, loop = read_checkpoint(path)
    source = repr(str(path))
    if type(stored) is not type(model):
        raise ValueError(f"{source} holds a {type(stored).__name__}, not a {type(model).__name__}")
    for name, value in model.parameters().items():
        saved = getattr(stored, name)
        if saved.shape != value.shape:
            raise ValueError(f"{source}: {name} has shape {saved.shape}, the model has {value.shape}")
    run = loop.get("run")
    if not isinstance(run, dict):
        raise ValueError(f"{source} does not name the phase and settings it belongs to")
    for key, value in identity.items():
        if run.get(key) != value:
            raise ValueError(f"{source} is a checkpoint of a run with {key} {run.get(key)!r}, not {value!r}: "
                             "resuming it here would not continue that run; nothing was changed")
    rng_state, (epochs_done, steps_done), history = _checked_loop(loop, source, rng)
    _check_taken_back(optimizer, optimizer_state, "optimiser", source)
    _check_taken_back(phase, phase_state, "phase", source)
    return Resume(stored, optimizer_state, phase_state, rng_state, epochs_done, steps_done, history)


def _check_taken_back(part, state: dict, name: str, source: str) -> None:
    """Refuse ``state`` unless a copy of ``part`` (the optimiser or the phase) takes it back whole: loading, then
    asking again, must give the same names and the same numbers."""
    try:
        trial = copy.deepcopy(part)
        trial.load_state_dict(state)
        again = trial.state_dict()
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"{source} is not a checkpoint of a {type(part).__name__} run with {part!r} "
                         f"(no usable {exc})") from None
    lost = sorted(set(state) - set(again))
    changed = sorted(key for key in set(state) & set(again)
                     if not np.array_equal(np.asarray(again[key]), np.asarray(state[key])))
    if lost or changed:
        what = "drops " + ", ".join(lost[:5]) if lost else "changes " + ", ".join(changed[:5])
        raise ValueError(f"{source}: the {name} {part!r} does not take back its stored state whole ({what}); the "
                         "checkpoint belongs to another run, and nothing was changed")


def _checked_loop(loop: dict, source: str, rng: np.random.Generator) -> tuple[dict, tuple[int, int], History]:
    """The loop record's random state, counters and history, each of the kind it must be."""
    counters = []
    for key in ("epochs_done", "steps_done"):
        value = loop.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{source}: its loop record's {key} must be a non-negative integer, got {value!r}")
        counters.append(value)
    history, steps = loop.get("history"), loop.get("steps", [])
    for key, records in (("history", history), ("steps", steps)):
        if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
            raise ValueError(f"{source}: its loop record's {key} must be a list of records, got "
                             f"{type(records).__name__}")
    if len(history) != counters[0]:
        raise ValueError(f"{source}: its history has {len(history)} epochs where epochs_done is {counters[0]}")
    state = loop.get("rng")
    try:
        probe = copy.deepcopy(rng)
        probe.bit_generator.state = state
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{source}: its loop record's random state is not one of this run's generator ({exc})") \
            from None
    return state, (counters[0], counters[1]), History(list(history), list(steps))
