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

__all__ = ["moved_module", "moved_names"]


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


def moved_names(module: str, moved: dict[str, str], removed_in: str) -> Callable[[str], object]:
    """The ``__getattr__`` of a module some of whose names moved: each name of ``moved`` from its new module,
    with a ``DeprecationWarning``; the module's other names are untouched.

    Parameters
    ----------
    module : str
        The module's dotted path.
    moved : dict of str -> str
        Name → the module it lives in now.
    removed_in : str
        The release that removes the old path.

    Returns
    -------
    callable
        Module-level ``__getattr__``.

    Examples
    --------
    >>> import warnings
    >>> __getattr__ = moved_names("qbm.old_place", {"log_partition": "qbm.exact"}, "0.3")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     __getattr__("log_partition").__name__, str(caught[0].message)
    ('log_partition', 'qbm.old_place.log_partition is deprecated and goes in qbm 0.3; import it from qbm.exact')
    """
    def __getattr__(name: str):
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(f"{module}.{name} is deprecated and goes in qbm {removed_in}; import it from {moved[name]}",
                      DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(moved[name]), name)

    return __getattr__
