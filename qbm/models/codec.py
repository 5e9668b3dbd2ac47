"""The one model file codec (with a format version) that every stored model uses, checkpoints included.

>>> import qbm
>>> model_from_arrays(model_arrays(qbm.RBM(2, 1, random_state=0))).n_units
3
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:   # the types it reads back register themselves here
    from .graph import BoltzmannMachine
    from .rbm import RBM

__all__ = ["load", "model_arrays", "model_from_arrays", "register_model_type", "registered_model_types"]


_FORMAT_VERSION = 1


_MODEL_TYPES: dict[str, type] = {}  # model_type name -> class, filled as the classes are defined


def register_model_type(cls: type) -> None:
    """Make ``cls`` readable by :func:`load` under its class name (every stored model type does this).

    Parameters
    ----------
    cls : type
        A model class with ``parameter_names``, ``stores_edges`` and ``state_arrays``.

    Examples
    --------
    >>> import qbm
    >>> register_model_type(qbm.RBM)   # already known: registering again changes nothing
    """
    _MODEL_TYPES[cls.__name__] = cls


def registered_model_types() -> tuple[type, ...]:
    """Every model type :func:`load` can read back, in registration order.

    Returns
    -------
    tuple of type

    Examples
    --------
    >>> sorted(cls.__name__ for cls in registered_model_types())
    ['BoltzmannMachine', 'QuantumBoltzmannMachine', 'RBM']
    """
    return tuple(_MODEL_TYPES.values())


def load(path: str | os.PathLike) -> RBM | BoltzmannMachine:
    """Read a model written by ``model.save(path)``.

    Parameters
    ----------
    path : str or path
        A ``.npz`` file written by ``save``.

    Returns
    -------
    RBM or BoltzmannMachine

    Examples
    --------
    >>> from qbm import BoltzmannMachine
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "bm.npz")
    >>> BoltzmannMachine(3, random_state=0).save(path); type(load(path)).__name__
    'BoltzmannMachine'
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {str(path)!r}")
    kind = _file_kind(path)
    if kind != "zip":
        raise ValueError(f"{str(path)!r} is not a qbm model file: it is {kind}, where a model is the .npz archive "
                         "that model.save or qbm train writes")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except Exception as exc:  # a truncated or foreign file fails in many ways inside numpy/zipfile
        detail = "it holds Python objects, which qbm never loads" if "pickle" in str(exc) else str(exc)
        raise ValueError(f"{str(path)!r} is not a readable qbm model file ({detail})") from exc
    return model_from_arrays(arrays, repr(str(path)))


def _file_kind(path) -> str:
    """What a file is, from its first bytes: ``"zip"`` (an .npz archive) or a description of what else."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\x93NUMPY"):
        return "a single .npy array (data, perhaps: a model file is given as MODEL, data as DATA)"
    if not head:
        return "empty"
    if head.startswith(b"\x80") or head.startswith(b"\x89PNG"):
        return "a binary file of another format"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "a binary file of another format"
    first = text.splitlines()[0][:60] if text.strip() else ""
    return f"a text file (it begins {first!r})"


def model_arrays(model) -> dict[str, np.ndarray]:
    """The model codec: every array a file needs to rebuild ``model``, with its type and the format version.

    ``model.save`` writes these, and a training checkpoint stores the same arrays for its model.

    Parameters
    ----------
    model : RBM, BoltzmannMachine or QuantumBoltzmannMachine
        The model.

    Returns
    -------
    dict of str -> ndarray

    Examples
    --------
    >>> from qbm import RBM
    >>> sorted(model_arrays(RBM(2, 1)))
    ['format_version', 'hidden_bias', 'model_type', 'n_hidden', 'n_visible', 'visible_bias', 'weights']
    """
    arrays = {name: np.asarray(value) for name, value in model.state_arrays().items()}
    arrays["model_type"] = np.array(type(model).__name__)
    arrays["format_version"] = np.array(_FORMAT_VERSION)
    return arrays


def model_from_arrays(arrays: dict, source: str = "the arrays"):
    """The model :func:`model_arrays` described, every inconsistency a ``ValueError`` naming ``source``.

    Parameters
    ----------
    arrays : dict of str -> ndarray
        What :func:`model_arrays` returned (or a file holds).
    source : str
        Where the arrays came from, for the messages.

    Returns
    -------
    RBM, BoltzmannMachine or QuantumBoltzmannMachine

    Examples
    --------
    >>> from qbm import BoltzmannMachine
    >>> model_from_arrays(model_arrays(BoltzmannMachine(3, random_state=0))).n_units
    3
    """
    kind = str(arrays.get("model_type", ""))
    if kind not in _MODEL_TYPES:
        raise ValueError(f"{source} is not a qbm model file (no known model_type, got {kind!r})")
    version = np.asarray(arrays.get("format_version", -1))
    if version.shape != () or version.dtype.kind not in "iu" or int(version) != _FORMAT_VERSION:
        raise ValueError(f"{source} has an unsupported format_version {arrays.get('format_version')!r}; "
                         f"expected {_FORMAT_VERSION}")
    cls = _MODEL_TYPES[kind]
    graph = cls.stores_edges
    required = {"n_visible", "n_hidden", *cls.parameter_names} | ({"edges"} if graph else set())
    missing = sorted(required - set(arrays))
    if missing:
        raise ValueError(f"{source} is missing {', '.join(missing)} for a {kind}")
    try:
        return _model_from_arrays(cls, arrays, graph)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{source} holds a malformed {kind} ({exc})") from exc


def _model_from_arrays(cls, arrays: dict, graph: bool):
    """The model ``load`` read, built from its arrays (any inconsistency raises)."""
    sizes = tuple(_stored_count(arrays[name], name) for name in ("n_visible", "n_hidden"))
    params = {name: arrays[name] for name in cls.parameter_names}
    if graph:
        model = cls(*sizes, arrays["edges"], **params)
        if "node_labels" in arrays:
            model.node_labels = arrays["node_labels"]
        return model
    return cls(*sizes, **params)


def _stored_count(value: np.ndarray, name: str) -> int:
    """A stored size: a single integer (a float such as 2.7 is not truncated to 2)."""
    value = np.asarray(value)
    if value.shape != () or value.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a single integer, got {value!r}")
    return int(value)
