"""Progress of a training run: a tqdm bar on a terminal, a plain line every few seconds elsewhere.

>>> progress_bar(10, 0, wanted=False) is None
True
"""
from __future__ import annotations

import sys
import time

__all__ = ["progress_bar"]


def progress_bar(total: int, done: int, wanted: bool):
    """A tqdm bar on a terminal, a line every few seconds elsewhere (logs, pipes, notebooks), or nothing.

    Parameters
    ----------
    total : int
        Epochs of the run.
    done : int
        Epochs already done (a resumed run).
    wanted : bool
        Whether to show progress at all.

    Returns
    -------
    object with ``set_postfix``, ``update`` and ``close``, or None

    Examples
    --------
    >>> progress_bar(5, 0, wanted=False) is None
    True
    """
    if not wanted:
        return None
    if not sys.stderr.isatty():
        return _LineProgress(total, done)
    from tqdm.auto import tqdm
    return tqdm(total=total, initial=done, unit="epoch", leave=False)


class _LineProgress:
    """tqdm's ``set_postfix`` / ``update`` / ``close`` as a plain line every ``interval`` seconds."""

    interval = 5.0

    def __init__(self, total: int, done: int) -> None:
        self.total, self.done, self.first = total, done, done
        self.start = self.last = time.perf_counter()
        self.postfix: dict[str, str] = {}

    def set_postfix(self, values: dict[str, str]) -> None:
        self.postfix = values

    def update(self, epochs: int) -> None:
        self.done += epochs
        now = time.perf_counter()
        if now - self.last >= self.interval or self.done == self.total:
            self.last = now
            elapsed = now - self.start
            left = elapsed / max(self.done - self.first, 1) * (self.total - self.done)
            values = "".join(f"  {name} {value}" for name, value in self.postfix.items())
            print(f"epoch {self.done}/{self.total}{values}  {elapsed:.0f} s elapsed, about {left:.0f} s left",
                  file=sys.stderr, flush=True)

    def close(self) -> None:
        """Nothing to tidy: every line is complete."""
