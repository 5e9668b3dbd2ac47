"""Which exact method a model takes: enumeration while it is cheap, elimination where the treewidth allows.

>>> import qbm
>>> enumerated_units(qbm.RBM(10, 3))
3
"""
from __future__ import annotations

import math


import numpy as np

from ..models import RBM, BoltzmannMachine, check_model
from .elimination import MAX_TREEWIDTH, EliminationOrder, elimination_order, quick_treewidth_bound, treewidth_lower_bound
from ..models.kinds import is_rbm


MAX_ENUMERATED_UNITS = 34
"""Largest number of units enumerated (log Z, exact log-likelihood, exact sampling)."""


MAX_TABLE_UNITS = 24
"""Largest number of units for which a full ``2**n`` table is returned."""


ALWAYS_ENUMERATED = 26           # up to here enumeration takes milliseconds: no elimination order is sought


_ENUMERATION_NS = 0.15            # measured cost of a state enumerated (bench_exact.py sharp)


_ELIMINATION_NS = 40.0            # and of an elimination table's entry (bench_elimination.py, 20×20 lattice)


def enumerated_units(model: RBM | BoltzmannMachine) -> int:
    """How many units exact likelihoods of ``model`` enumerate: an RBM's smaller layer, a BM's all.

    Exact measures work up to :data:`MAX_ENUMERATED_UNITS`.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.

    Returns
    -------
    int
        The smaller layer of an RBM, every unit of a BM.

    Examples
    --------
    >>> enumerated_units(RBM(784, 20)), enumerated_units(BoltzmannMachine(5, 2))
    (20, 7)
    """
    return min(model.n_visible, model.n_hidden) if is_rbm(model) else model.n_units


def exactly_computable(model: RBM | BoltzmannMachine) -> bool:
    """Whether :func:`log_likelihood` of ``model`` is exact within reach: by enumeration, or by elimination.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.

    Returns
    -------
    bool

    Examples
    --------
    >>> import networkx as nx
    >>> lattice = BoltzmannMachine.from_graph(nx.grid_2d_graph(10, 10))   # 100 units, treewidth 10
    >>> exactly_computable(lattice), exactly_computable(RBM(784, 500))
    (True, False)
    """
    n = enumerated_units(check_model(model, quantum="qbm.quantum.log_likelihood"))
    if n <= MAX_ENUMERATED_UNITS:
        return True
    if not is_rbm(model) and model.n_hidden > MAX_ENUMERATED_UNITS:
        return False
    try:
        elimination_plan(model.to_qubo()[0], n)
    except ValueError:
        return False
    return True


def elimination_plan(Q: np.ndarray, enumerated: int, pairs=None,
                      enumerable: int = MAX_ENUMERATED_UNITS) -> EliminationOrder | None:
    """The elimination order to use instead of enumerating ``2**enumerated`` states, or None to enumerate.

    Elimination is chosen when enumeration cannot serve (more than ``enumerable`` units)
    or when its measured cost per table entry makes it the cheaper of the two.

    Raises
    ------
    ValueError
        When neither serves, naming the treewidth.
    """
    if enumerated <= min(enumerable, ALWAYS_ENUMERATED):
        return None
    lower, width = quick_treewidth_bound(Q, pairs), None
    if lower <= MAX_TREEWIDTH:
        plan = elimination_order(Q, pairs)
        # compared in log2: 2**enumerated overflows a float past 1,023 units
        cheaper = math.log2(_ELIMINATION_NS * max(plan.cost, 1) / _ENUMERATION_NS) < enumerated
        if plan.width <= MAX_TREEWIDTH and (cheaper or enumerated > enumerable):
            return plan
        width = plan.width
    if enumerated <= enumerable:
        return None
    found = ""
    if width is not None:
        lower, found = treewidth_lower_bound(Q, pairs), f", and the best elimination order found has width {width}"
    raise ValueError(f"exact values of this model need {enumerated} units enumerated (at most {enumerable}) or an "
                     f"elimination of width at most {MAX_TREEWIDTH}: its coupling graph has treewidth at least "
                     f"{lower}{found}; use a sampling estimate such as AIS instead")


def check_enumerable(n: int, what: str) -> None:
    if n > MAX_ENUMERATED_UNITS:
        raise ValueError(f"{what} is {n}; exact enumeration is limited to {MAX_ENUMERATED_UNITS} "
                         "(2**n states); use a sampling estimate such as AIS instead")


def check_table(n: int) -> None:
    if n > MAX_TABLE_UNITS:
        raise ValueError(f"a full table of 2**{n} states is too large; at most {MAX_TABLE_UNITS} "
                         "variables (use log_partition for larger models)")
