"""What a QPU sampler keeps between runs: embeddings as JSON files, and its state as the flat arrays of a
training checkpoint.

>>> arrays = embedding_state({0: (30, 31), "0": (32,), (1, "a"): (33,)}, None)
>>> embeddings_from_state(arrays)
({0: (30, 31), '0': (32,), (1, 'a'): (33,)}, None)
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ..._files import atomic_write_text, unique_keys
from ...typing import Embedding

__all__ = ["save_embedding", "load_embedding", "embedding_state", "embeddings_from_state"]


def embedding_state(embedding: Embedding | None, copies: list[Embedding] | None) -> dict[str, np.ndarray]:
    """The embedding and every copy's (labels in the first copy's order) as arrays; nothing without an embedding.

    Parameters
    ----------
    embedding : mapping or None
        Variable → chain of qubits (integer labels).
    copies : list of mapping or None
        Every copy's embedding, the first being ``embedding``.

    Returns
    -------
    dict of str -> ndarray
    """
    if embedding is None:
        return {}
    labels = list(embedding)
    try:
        text = json.dumps([_json_label(label) for label in labels])
    except TypeError as exc:
        raise TypeError(f"the embedding's labels cannot be stored in a checkpoint: {exc}") from None
    state = {"embedding_label_json": np.frombuffer(text.encode(), dtype=np.uint8),   # any int, str or tuple label
             "embedding_lengths": np.array([len(embedding[label]) for label in labels]),
             "embedding_qubits": np.array([q for label in labels for q in embedding[label]])}
    if copies is not None:
        state.update(copy_lengths=np.array([[len(copy[label]) for label in labels] for copy in copies]),
                     copy_qubits=np.array([q for copy in copies for label in labels for q in copy[label]]))
    return state


def embeddings_from_state(state: Mapping) -> tuple[Embedding | None, list[Embedding] | None]:
    """The embedding and the copies' embeddings :func:`embedding_state` stored (None for what it did not).

    Parameters
    ----------
    state : mapping
        What :func:`embedding_state` returned (other keys are ignored).

    Returns
    -------
    (dict or None, list of dict or None)
    """
    if "embedding_label_json" in state:
        labels = [_label_from_json(label) for label in
                  json.loads(np.asarray(state["embedding_label_json"], dtype=np.uint8).tobytes().decode())]
    elif "embedding_labels" in state:   # the first layout: labels as one numpy array
        labels = [label.item() for label in np.asarray(state["embedding_labels"])]
    else:
        return None, None
    qubits = np.split(np.asarray(state["embedding_qubits"]), np.cumsum(state["embedding_lengths"])[:-1])
    embedding = {label: tuple(chain.tolist()) for label, chain in zip(labels, qubits)}
    if "copy_lengths" not in state:
        return embedding, None
    labels = list(embedding)
    lengths = np.asarray(state["copy_lengths"])
    chains = np.split(np.asarray(state["copy_qubits"]), np.cumsum(lengths.ravel())[:-1])
    copies = [{label: tuple(chain.tolist()) for label, chain in zip(labels, chains[c * len(labels):(c + 1) * len(labels)])}
              for c in range(len(lengths))]
    return embedding, copies


def save_embedding(embedding: Mapping, path: str | os.PathLike) -> None:
    """Write an embedding as JSON (atomically), to reuse it with the model it was found for.

    Parameters
    ----------
    embedding : mapping
        Unit → chain of qubits.
    path : str or path
        Where to write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "embedding.json"
    >>> save_embedding({0: (30, 31)}, path)
    >>> load_embedding(path)
    {0: (30, 31)}
    """
    pairs = [[_json_label(label), [int(q) for q in chain]] for label, chain in embedding.items()]
    atomic_write_text(path, json.dumps({"embedding": pairs}))


def load_embedding(path: str | os.PathLike) -> Embedding:
    """Read an embedding written by :func:`save_embedding`, labels as they were (int, str or tuple).

    Parameters
    ----------
    path : str or path
        A file written by :func:`save_embedding`.

    Returns
    -------
    dict of label -> tuple

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "embedding.json"
    >>> save_embedding({0: (7,), "a": (8, 9), (1, 2): (10,)}, path); load_embedding(path)
    {0: (7,), 'a': (8, 9), (1, 2): (10,)}
    """
    try:
        raw = json.loads(Path(path).read_text(), object_pairs_hook=unique_keys)
        if "embedding" in raw:   # [label, chain] pairs: labels keep their JSON type
            pairs = [(_label_from_json(label), chain) for label, chain in raw["embedding"]]
        else:                    # the first format: integer units
            pairs = [(_qubit(k if not isinstance(k, str) else int(k)), chain) for k, chain in raw.items()]
        embedding = {}
        for label, chain in pairs:
            if label in embedding:
                raise ValueError(f"the label {label!r} has two chains")
            embedding[label] = tuple(_qubit(q) for q in chain)
            if not embedding[label]:
                raise ValueError(f"the chain of {label!r} is empty")
        qubits = [q for chain in embedding.values() for q in chain]
        if len(set(qubits)) != len(qubits):
            raise ValueError("two chains share a qubit")
        return embedding
    except (ValueError, AttributeError, TypeError) as exc:
        raise ValueError(f"{str(path)!r} is not an embedding file ({exc})") from exc


def _qubit(value) -> int:
    """A qubit (or unit) index as stored: an integer, not a fraction, a bool or text."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"a qubit must be an integer, got {value!r}")
    return value


def _json_label(label):
    """A variable label as JSON: ints and strings as they are, tuples as lists."""
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer, str, tuple)):
        raise TypeError(f"save_embedding stores int, str or tuple labels, got {label!r}")
    return [_json_label(part) for part in label] if isinstance(label, tuple) else \
        (int(label) if isinstance(label, (int, np.integer)) else label)


def _label_from_json(value):
    return tuple(_label_from_json(part) for part in value) if isinstance(value, list) else value
