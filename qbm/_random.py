"""Random state: every stochastic function's ``random_state`` becomes a Generator here.

>>> int(check_random_state(0).integers(10)) == int(check_random_state(0).integers(10))
True
"""
from __future__ import annotations

from numbers import Integral

import numpy as np

from .typing import RandomLike

__all__ = ["RandomLike", "check_random_state", "draw_seed", "stream_state", "restore_stream"]


def check_random_state(random_state: RandomLike, name: str = "random_state") -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``random_state``.

    ``None`` gives a fresh, unseeded generator; an integer seeds a new one; a
    generator is returned as it is, so callers can share one stream.

    Examples
    --------
    >>> int(check_random_state(0).integers(10)) == int(check_random_state(0).integers(10))
    True
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (Integral, np.integer)) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {random_state}")
        return np.random.default_rng(int(random_state))
    raise TypeError(
        f"{name} must be None, a non-negative int or a numpy.random.Generator, "
        f"got {type(random_state).__name__}"
    )


def draw_seed(random_state: RandomLike) -> int:
    """An integer seed for a sampler's ``seed`` argument, drawn from ``random_state``.

    Examples
    --------
    >>> draw_seed(0) == draw_seed(0)
    True
    """
    return int(check_random_state(random_state).integers(2 ** 31 - 1))


_WORD = (1 << 64) - 1


def stream_state(generator: np.random.Generator) -> np.ndarray:
    """A Generator's PCG64 state as six unsigned 64-bit words: a checkpoint's numeric array.

    Examples
    --------
    >>> rng = np.random.default_rng(0); saved = stream_state(rng); first = rng.random()
    >>> restore_stream(rng, saved); rng.random() == first
    True
    """
    state = generator.bit_generator.state
    if state["bit_generator"] != "PCG64":
        raise TypeError(f"only a PCG64 stream is stored, got {state['bit_generator']}")
    inner = state["state"]
    words = [inner["state"] >> 64, inner["state"] & _WORD, inner["inc"] >> 64, inner["inc"] & _WORD,
             state["has_uint32"], state["uinteger"]]
    return np.array(words, dtype=np.uint64)


def restore_stream(generator: np.random.Generator, words: np.ndarray) -> None:
    """Put ``generator`` back to the state :func:`stream_state` stored."""
    high, low, inc_high, inc_low, has_uint32, uinteger = (int(word) for word in np.asarray(words, dtype=np.uint64))
    generator.bit_generator.state = {"bit_generator": "PCG64", "state": {"state": (high << 64) | low,
                                                                          "inc": (inc_high << 64) | inc_low},
                                     "has_uint32": has_uint32, "uinteger": uinteger}
