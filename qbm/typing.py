"""Named types of ``qbm``'s public signatures, as :mod:`dimod.typing` names dimod's.

>>> import numpy as np
>>> from qbm.typing import RandomLike
>>> isinstance(np.random.default_rng(0), RandomLike)
True
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Dict, Union

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ArrayLike", "RandomLike", "Variable", "Embedding", "Clamp", "State"]

RandomLike = Union[None, int, np.integer, np.random.Generator]
"""What every ``random_state`` (and a dimod boundary's ``seed``) takes: None, a non-negative int or a Generator."""

Variable = Hashable
"""A BQM's variable label (dimod's ``Variable``): units of a model are the integers ``0..n_units-1``."""

Embedding = Dict[Variable, tuple]   # typing.Dict: autodoc reads it as an alias, not a class
"""Logical variable → chain of qubits."""

Clamp = Union[Mapping[int, int], ArrayLike, None]
"""Visible units held fixed: ``{index: 0 or 1}``, or an array with NaN for the free units."""

State = Union[Mapping[Variable, int], ArrayLike]
"""One state of a BQM's variables: a mapping, or ``(label, value)`` pairs."""
