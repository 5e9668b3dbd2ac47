"""Checkpoint state of composites: a part's flat state under a prefix, and back.

>>> unprefixed(prefixed({"calls": 1}, "inner"), "inner")
{'calls': 1}
"""
from __future__ import annotations

from typing import Any

__all__ = ["prefixed", "unprefixed"]


def prefixed(state: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A part's checkpoint state under ``prefix.``: how a composite (phase or sampler) flattens its parts' states.

    Examples
    --------
    >>> prefixed({"sampler_calls": 3}, "generative")
    {'generative.sampler_calls': 3}
    """
    return {f"{prefix}.{name}": value for name, value in state.items()}


def unprefixed(state: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The entries of ``state`` under ``prefix.``, without it: the inverse of :func:`prefixed`.

    Examples
    --------
    >>> unprefixed({"generative.sampler_calls": 3, "sampler_calls": 4}, "generative")
    {'sampler_calls': 3}
    """
    start = f"{prefix}."
    return {name[len(start):]: value for name, value in state.items() if name.startswith(start)}
