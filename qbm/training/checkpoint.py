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

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..models import model_arrays, model_from_arrays
from .._files import atomic_savez

__all__ = ["CHECKPOINT_VERSION", "write_checkpoint", "read_checkpoint", "checked_state"]

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
