"""A run folder belongs to one process at a time: an exclusive lock on ``FOLDER/.qbm-lock`` holding the pid.

The lock is an ``flock`` (POSIX), so a process that dies releases it; a second ``qbm train`` into the
same folder is refused with the holder's process id instead of mixing two runs' files.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "run"
>>> with RunLock(folder):
...     (folder / ".qbm-lock").exists()
True
>>> (folder / ".qbm-lock").exists()
False
"""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

__all__ = ["RunLock", "LOCK_FILE", "check_not_held"]

LOCK_FILE = ".qbm-lock"


def check_not_held(folder: Path) -> None:
    """A ``ValueError`` naming the holder if another process holds ``folder``; nothing is created or changed."""
    try:
        fd = os.open(Path(folder) / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        _refuse(folder, _holder(fd))
    finally:
        os.close(fd)


def _holder(fd: int, wait: float = 1.0) -> bytes:
    """The pid in a held lock file; a holder that has just taken the lock writes it a moment later."""
    deadline = time.monotonic() + wait
    while not (holder := os.pread(fd, 32, 0)).strip() and time.monotonic() < deadline:
        time.sleep(0.01)
    return holder


def _refuse(folder: Path, holder: bytes) -> None:
    raise ValueError(f"--output {str(folder)!r} is in use by another qbm train (process "
                     f"{holder.decode(errors='replace').strip() or 'unknown'}); wait for it to finish or choose "
                     "another folder") from None


class RunLock:
    """``with RunLock(folder):`` holds ``folder`` (created if missing, removed again if it stayed empty)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.path = Path(folder), Path(folder) / LOCK_FILE
        self._fd: int | None = None
        self._created = False

    def __enter__(self) -> "RunLock":
        self._created = not self.folder.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                os.close(fd)
                _refuse(self.folder, holder)
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:   # the holder removed it as we opened it: take the next one
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc_info) -> None:
        self.path.unlink(missing_ok=True)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        if self._created and not any(self.folder.iterdir()):
            self.folder.rmdir()
