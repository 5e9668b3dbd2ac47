"""Moved modules: the old path re-exports the new one's names for one release, warning when a name is used.

Importing the old module is silent (``import qbm`` never warns, nor does the command); using a name from it
raises a :class:`DeprecationWarning` that names the new path, as scikit-learn did for its moved modules.

>>> import warnings
>>> __getattr__ = moved_module("qbm.old_place", "qbm.exact", "0.3")
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     __getattr__("log_partition").__name__, caught[0].category.__name__
('log_partition', 'DeprecationWarning')
"""
from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable

__all__ = ["moved_module"]


def moved_module(old: str, new: str, removed_in: str) -> Callable[[str], object]:
    """The ``__getattr__`` of a module that moved from ``old`` to ``new``.

    Parameters
    ----------
    old : str
        The module's former dotted path.
    new : str
        Where its names live now.
    removed_in : str
        The release that removes ``old``.

    Returns
    -------
    callable
        Module-level ``__getattr__``: name → the new module's object, with a ``DeprecationWarning``.
    """
    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        target = importlib.import_module(new)
        try:
            value = getattr(target, name)
        except AttributeError:
            raise AttributeError(f"module {old!r} has no attribute {name!r} (it moved to {new!r})") from None
        warnings.warn(f"{old} is deprecated and goes in qbm {removed_in}; import {name} from {new}",
                      DeprecationWarning, stacklevel=2)
        return value

    return __getattr__
