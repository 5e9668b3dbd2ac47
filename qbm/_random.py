"""Random state: every stochastic function's ``random_state`` becomes a Generator here.

>>> int(check_random_state(0).integers(10)) == int(check_random_state(0).integers(10))
True
"""
from __future__ import annotations

from numbers import Integral

import numpy as np

from .typing import RandomLike

__all__ = ["RandomLike", "check_random_state", "draw_seed"]


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
