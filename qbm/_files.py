"""Files written whole or not at all, and JSON read without losing a repeated key.

Every file ``qbm`` writes (models, checkpoints, run folders, pictures, embeddings, benchmark
results) goes through :func:`atomic_write`, so an interrupted run leaves the old file or the
new one, never half of one.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np

__all__ = ["atomic_write", "atomic_savez", "atomic_write_text", "unique_keys"]


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(handle)`` on a temporary file next to ``path``, then rename it over ``path``:
    readers see the old file or the whole new one, never half of it.

    Examples
    --------
    >>> import tempfile, os
    >>> target = os.path.join(tempfile.mkdtemp(), "x.bin")
    >>> atomic_write(target, lambda handle: handle.write(b"ok")); open(target, "rb").read()
    b'ok'
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise FileNotFoundError(f"cannot write {str(path)!r}: the folder {str(directory)!r} does not exist")
    if path.exists() and not os.access(path, os.W_OK):
        raise PermissionError(f"cannot write {str(path)!r}: the file is read-only")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()  # as open() would leave it
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise type(exc)(exc.errno, f"cannot write {str(path)!r} in {str(directory)!r}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_savez(path: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as ``.npz`` to ``path`` atomically."""
    atomic_write(path, lambda handle: np.savez(handle, **arrays))


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def unique_keys(pairs: list) -> dict:
    """A ``json.loads`` ``object_pairs_hook``: the object, or an error if a key repeats (JSON would keep the last).

    Examples
    --------
    >>> import json
    >>> json.loads('{"a": 1, "a": 2}', object_pairs_hook=unique_keys)
    Traceback (most recent call last):
    ...
    ValueError: the key 'a' appears more than once
    """
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"the key {repeated[0]!r} appears more than once")
    return dict(pairs)
