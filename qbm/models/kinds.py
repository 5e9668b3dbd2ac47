"""The kinds of model, told apart in one place: every layer asks here instead of testing classes.

Each model class names its kind (``kind``): ``"rbm"`` (a dense bipartite RBM: the hidden layer sums
out exactly, the smaller layer enumerates), ``"bm"`` (a Boltzmann machine on any graph) or ``"quantum"``
(a graph plus transverse fields, which classical code refuses).  A new model type declares its kind
and the layers treat it as that kind.

>>> import qbm
>>> model_kind(qbm.RBM(2, 1)), model_kind(qbm.BoltzmannMachine(2)), model_kind("not a model")
('rbm', 'bm', None)
>>> is_rbm(qbm.RBM(2, 1)), is_classical(qbm.BoltzmannMachine(2))
(True, True)
"""
from __future__ import annotations

from .base import EnergyModel

__all__ = ["MODEL_KINDS", "model_kind", "is_rbm", "is_graph_bm", "is_quantum", "is_classical"]

MODEL_KINDS = ("rbm", "bm", "quantum")
"""Every kind a model class may declare."""


def model_kind(obj) -> str | None:
    """The kind ``obj``'s class declares, or None for anything that is not a qbm model.

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    {"rbm", "bm", "quantum"} or None

    Examples
    --------
    >>> import qbm
    >>> model_kind(qbm.RBM(3, 2))
    'rbm'
    """
    return type(obj).kind if isinstance(obj, EnergyModel) else None


def is_rbm(obj) -> bool:
    """Whether ``obj`` is a dense bipartite RBM (its hidden layer sums out exactly).

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    bool

    Examples
    --------
    >>> import qbm
    >>> is_rbm(qbm.RBM(2, 1)), is_rbm(qbm.BoltzmannMachine(3))
    (True, False)
    """
    return model_kind(obj) == "rbm"


def is_graph_bm(obj) -> bool:
    """Whether ``obj`` is a classical Boltzmann machine on a graph (hidden units coupled or not).

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    bool

    Examples
    --------
    >>> import qbm
    >>> is_graph_bm(qbm.BoltzmannMachine(3)), is_graph_bm(qbm.RBM(2, 1))
    (True, False)
    """
    return model_kind(obj) == "bm"


def is_quantum(obj) -> bool:
    """Whether ``obj`` is a quantum Boltzmann machine (transverse fields: not a classical model).

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    bool

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> is_quantum(QuantumBoltzmannMachine(2))
    True
    """
    return model_kind(obj) == "quantum"


def is_classical(obj) -> bool:
    """Whether ``obj`` is a classical model: an RBM or a Boltzmann machine.

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    bool

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> is_classical(QuantumBoltzmannMachine(2))
    False
    """
    return model_kind(obj) in ("rbm", "bm")
