"""Which model was given: a classical model, a quantum one refused with what answers for it, rows for it.

>>> import qbm
>>> check_model(qbm.RBM(2, 1)).n_units
3
"""
from __future__ import annotations

import numpy as np

from .._validation import check_rows
from .graph import BoltzmannMachine
from .rbm import RBM
from .kinds import is_classical, is_quantum, is_rbm

__all__ = ["Model", "check_model", "refuse_quantum", "check_visible_rows"]


Model = RBM | BoltzmannMachine
"""Either kind of model: the type every classical phase and measure accepts."""


def check_model(model, name: str = "model", *, quantum: str | None = None, accept_quantum: bool = False):
    """``model`` if it is an RBM or a BoltzmannMachine; a ``TypeError`` naming what to use otherwise.

    A quantum Boltzmann machine is not a classical one: a classical function would answer for
    its transverse fields set to zero.  It is refused, the message naming ``quantum`` (the
    function or phase of :mod:`qbm.quantum` that answers for it), unless ``accept_quantum``
    (code that only reads parameters and statistics, such as the training loop).

    Parameters
    ----------
    model : object
        What was passed.
    name : str
        The argument's name in the message.
    quantum : str, optional
        What answers for a quantum model instead.
    accept_quantum : bool
        Accept a quantum Boltzmann machine too.

    Returns
    -------
    RBM, BoltzmannMachine or QuantumBoltzmannMachine

    Examples
    --------
    >>> check_model(RBM(2, 1)).n_units
    3
    >>> check_model("rbm")
    Traceback (most recent call last):
    ...
    TypeError: model must be an RBM or a BoltzmannMachine, got str
    """
    if is_classical(model):
        return model
    if is_quantum(model):
        return model if accept_quantum else refuse_quantum(model, name, quantum=quantum)
    kinds = "an RBM, a BoltzmannMachine or a QuantumBoltzmannMachine" if accept_quantum else \
        "an RBM or a BoltzmannMachine"
    raise TypeError(f"{name} must be {kinds}, got {type(model).__name__}")


def refuse_quantum(obj, name: str = "model", *, quantum: str | None = None):
    """``obj`` as it is, unless it is a quantum Boltzmann machine: then a ``TypeError`` naming ``quantum``.

    For classical functions that take any energy-like object (a BQM, a QUBO, a model).

    Parameters
    ----------
    obj : object
        What was passed.
    name : str
        The argument's name in the message.
    quantum : str, optional
        What answers for a quantum model instead.

    Returns
    -------
    object
        ``obj`` itself.

    Examples
    --------
    >>> refuse_quantum({(0, 0): 1.0}, "obj")
    {(0, 0): 1.0}
    """
    if is_quantum(obj):
        instead = f"use {quantum}" if quantum else "see qbm.quantum for what answers for it"
        raise TypeError(f"{name} is a {type(obj).__name__}: this classical function would ignore its transverse "
                        f"fields and answer for Γ = 0; {instead}")
    return obj


def check_visible_rows(model: RBM | BoltzmannMachine, rows, name: str = "data") -> np.ndarray:
    """Non-empty 2-D rows of visible states for ``model``: binary, or probabilities in [0, 1]
    for an RBM (whose data side needs only ``p(h | v)``).

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model the rows are for.
    rows : array-like of shape (n_rows, n_visible)
        The rows.
    name : str
        The argument's name in error messages.

    Returns
    -------
    ndarray of shape (n_rows, n_visible)

    Examples
    --------
    >>> check_visible_rows(RBM(2, 1), [[0.5, 1.0]]).shape
    (1, 2)
    """
    return check_rows(rows, name, model.n_visible, probabilities=is_rbm(model))
