"""What a dimod sampler is handed: a checked sampler, a seed drawn from the caller's stream, a start state.

>>> check_sampler("neal")
Traceback (most recent call last):
...
TypeError: sampler must be a dimod.Sampler (a sample method and a parameters mapping), got str
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._random import draw_seed
from .typing import RandomLike

__all__ = ["check_sampler", "with_seed", "state_spins"]


def check_sampler(value, name: str = "sampler", keywords=()):
    """``value`` if it is a dimod sampler (a ``sample`` method and a ``parameters`` mapping)
    that takes every one of ``keywords``: a misspelt option is an error, never silently ignored.

    Examples
    --------
    >>> check_sampler("neal")
    Traceback (most recent call last):
    ...
    TypeError: sampler must be a dimod.Sampler (a sample method and a parameters mapping), got str
    """
    if not callable(getattr(value, "sample", None)) or not isinstance(getattr(value, "parameters", None), Mapping):
        raise TypeError(f"{name} must be a dimod.Sampler (a sample method and a parameters mapping), "
                        f"got {type(value).__name__}")
    unknown = sorted(set(keywords) - set(value.parameters))
    if unknown:
        raise TypeError(f"{type(value).__name__} takes no keyword argument(s) {', '.join(unknown)}; "
                        f"its parameters are {', '.join(sorted(value.parameters))}")
    return value


def with_seed(sampler, options: dict, random_state: RandomLike) -> dict:
    """``options`` plus a ``seed`` drawn from ``random_state`` when ``sampler`` takes one and none is given.

    Examples
    --------
    >>> import qbm
    >>> sorted(with_seed(qbm.ExactSampler(), {"num_reads": 3}, 0))
    ['num_reads', 'seed']
    """
    options = dict(options)
    if "seed" in sampler.parameters:
        options.setdefault("seed", draw_seed(random_state))
    return options


def state_spins(state, labels: list, spin: bool, name: str = "initial_state") -> np.ndarray:
    """A state (mapping or ``(label, value)`` pairs; spins if ``spin`` else bits) as int8 spins in ``labels`` order.

    Examples
    --------
    >>> state_spins({"a": 1, "b": 0}, ["b", "a"], spin=False).tolist()
    [-1, 1]
    """
    values = dict(state)
    missing = [v for v in labels if v not in values]
    if missing:
        raise ValueError(f"{name} has no value for variable(s) {missing[:10]}")
    array = np.array([values[v] for v in labels])
    allowed = (-1, 1) if spin else (0, 1)
    if not np.all(np.isin(array, allowed)):
        raise ValueError(f"{name} values must be {allowed[0]} or {allowed[1]} for a {'SPIN' if spin else 'BINARY'} "
                         "problem")
    return (array if spin else 2 * array - 1).astype(np.int8)
