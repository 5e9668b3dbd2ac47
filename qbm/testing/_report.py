"""How a kit reports: an ``AssertionError`` naming the object and the rule it broke."""
from __future__ import annotations

from typing import NoReturn

import numpy as np

from ..backend import to_host

__all__ = ["fail", "host_arrays"]


def fail(message: str) -> NoReturn:
    """Raise the kit's ``AssertionError`` with ``message``."""
    raise AssertionError(message)


def host_arrays(values, where: str) -> dict[str, np.ndarray]:
    """A dict of arrays on any backend as float64 NumPy arrays; an ``AssertionError`` naming ``where`` otherwise."""
    if not isinstance(values, dict):
        fail(f"{where} returned a {type(values).__name__}, not a dict of parameter name -> array")
    try:
        return {key: to_host(value) for key, value in values.items()}
    except (TypeError, ValueError, AttributeError, RuntimeError) as exc:
        fail(f"{where} returned values that are not numeric arrays ({exc})")
