"""Several disjoint copies of one logical graph on a chip, so one QPU call programs them all.

A QPU call costs its programming time (about 15 ms on an Advantage system) plus a
fraction of a millisecond per read; a model of a few dozen qubits leaves most of the
chip idle.  :func:`pack_copies` places further copies next to a first embedding, region
by region: from the unused qubit nearest the copies placed so far, a region of a few
times the first copy's qubits (unused ones only) is searched with minorminer, and a copy
is kept when its chains are no longer than the first copy's longest chain plus one.

>>> import dimod
>>> from dwave.system.testing import MockDWaveSampler
>>> chip = MockDWaveSampler(topology_type="pegasus", topology_shape=[4]).to_networkx_graph()
>>> adjacency = {q: set(chip[q]) for q in chip}
>>> triangle = [(0, 1), (1, 2), (0, 2)]
>>> copies = pack_copies(triangle, [0, 1, 2], adjacency, limit=5, seed=0)
>>> len(copies), len({q for copy in copies for chain in copy.values() for q in chain}) >= 15
(5, True)
"""
from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping, Sequence

import numpy as np

from ...typing import Embedding
from ._embedding import off_chip

__all__ = ["pack_copies"]

_REGION_FACTORS = (3, 6)        # region sizes tried around a start, in qubits of the first copy
_FAILURES_BEFORE_STOPPING = 12  # consecutive starts without a copy: the chip is full


def pack_copies(source_edges: Sequence[tuple], variables: Sequence[Hashable], adjacency: Mapping,
                limit: int | None = None, seed: int = 0, first: Mapping | None = None,
                topology: Mapping | None = None) -> list[Embedding]:
    """Disjoint embeddings of the graph ``(variables, source_edges)`` into the chip ``adjacency``.

    On a chip whose ``topology`` is known (Chimera, Pegasus, Zephyr: a structured
    sampler's ``properties["topology"]``), the copies are translations of the first by
    whole unit cells, each checked against the working graph, so every copy has the
    same chains; otherwise, and for the room that translations leave, copies are searched
    region by region with minorminer.

    Parameters
    ----------
    source_edges : sequence of (u, v)
        The logical graph's edges.
    variables : sequence
        Every logical variable (isolated ones get a qubit of their own).
    adjacency : mapping
        Qubit → set of neighbouring qubits (the working graph).
    limit : int, optional
        Most copies to place (as many as fit by default).
    seed : int
        Seeds minorminer.
    first : mapping, optional
        The first copy, kept as it is (found here, in a compact region, otherwise).
    topology : mapping, optional
        ``{"type": ..., "shape": [...]}`` of the chip.

    Returns
    -------
    list of dict
        The first copy, then the others; no qubit is in two of them.

    Examples
    --------
    >>> path = {q: {q - 1, q + 1} & set(range(10)) for q in range(10)}
    >>> copies = pack_copies([(0, 1)], [0, 1], path, seed=0)
    >>> len(copies), sorted(q for copy in copies for chain in copy.values() for q in chain) == list(range(10))
    (5, True)
    """
    limit = np.inf if limit is None else limit
    rng = np.random.default_rng(seed)
    copies: list[Embedding] = []
    if first is not None:
        off = off_chip([first], adjacency)
        if off:
            raise ValueError(f"the first copy uses qubits that are not on the chip's working graph: {off[:10]}")
        copies.append({v: tuple(chain) for v, chain in first.items()})
    translations = _translations(topology) if topology is not None else None
    if translations is not None and limit > 1:
        if not copies:
            copies += _search(source_edges, variables, adjacency, 1, rng, copies)
        if copies:
            copies += _translated(copies[0], source_edges, adjacency, translations, limit - len(copies),
                                  {q for copy in copies for chain in copy.values() for q in chain})
    if len(copies) < limit:   # where translations stop (the chip's holes, its edges), regions are searched
        copies += _search(source_edges, variables, adjacency, limit - len(copies), rng, copies)
    return copies


def _search(source_edges, variables, adjacency: Mapping, limit, rng: np.random.Generator,
            placed: list[Embedding]) -> list[Embedding]:
    """Up to ``limit`` copies found by minorminer in regions of unused qubits, next to the ``placed`` ones."""
    used = {q for copy in placed for chain in copy.values() for q in chain}
    longest = max((len(chain) for chain in placed[0].values()), default=1) + 1 if placed else None
    size = len(used) // len(placed) if placed else max(1, len(variables))
    found_here: list[Embedding] = []
    failures = 0
    for start in _sweep(adjacency, used):
        if len(found_here) >= limit or failures >= _FAILURES_BEFORE_STOPPING:
            break
        if start in used:
            continue
        found = None
        for factor in _REGION_FACTORS:
            region = _region(adjacency, start, used, factor * size)
            found = _embed_in(source_edges, variables, adjacency, region, int(rng.integers(2 ** 31)))
            if found is not None and (longest is None or max(map(len, found.values()), default=1) <= longest):
                break
            found = None
        if found is None:
            failures += 1
            continue
        failures = 0
        if longest is None:   # the first copy sets the sizes the others are held to
            longest = max(map(len, found.values()), default=1) + 1
            size = sum(map(len, found.values()))
        found_here.append(found)
        used.update(q for chain in found.values() for q in chain)
    return found_here


def _translations(topology: Mapping):
    """``(to_coordinates, to_qubit, shifts)`` for a chip's unit-cell translations, or None for another graph."""
    import dwave.graphs as dnx

    kind, shape = topology.get("type"), list(topology.get("shape", []))
    if kind == "chimera" and shape:
        m, n, t = (shape + [shape[0], 4])[:3] if len(shape) < 3 else shape[:3]
        coordinates = dnx.chimera_coordinates(m, n, t)
        return (coordinates.linear_to_chimera, coordinates.chimera_to_linear,
                [(dy, dx) for dy in range(-m + 1, m) for dx in range(-n + 1, n)],
                lambda c, dy, dx: (c[0] + dy, c[1] + dx, c[2], c[3]))
    if kind == "pegasus" and shape:
        m = shape[0]
        coordinates = dnx.pegasus_coordinates(m)
        return (coordinates.linear_to_nice, coordinates.nice_to_linear,
                [(dy, dx) for dy in range(-m + 2, m - 1) for dx in range(-m + 2, m - 1)],
                lambda c, dy, dx: (c[0], c[1] + dy, c[2] + dx, c[3], c[4]))
    if kind == "zephyr" and shape:
        m, t = (shape + [4])[:2]
        coordinates = dnx.zephyr_coordinates(m, t)
        return (coordinates.linear_to_cartesian, coordinates.cartesian_to_linear,
                [(dy, dx) for dy in range(-4 * m, 4 * m + 1, 2) for dx in range(-4 * m, 4 * m + 1, 2)],
                lambda c, dy, dx: (c[0] + dx, c[1] + dy, c[2]))
    return None


def _translated(first: Embedding, source_edges, adjacency: Mapping, translations, limit, used: set) -> list[Embedding]:
    """Translations of ``first`` that lie on working qubits, miss ``used`` ones and realise every edge."""
    to_coordinates, to_qubit, shifts, shift = translations
    coordinates = {q: to_coordinates(q) for chain in first.values() for q in chain}
    copies = []
    for dy, dx in shifts:
        if len(copies) >= limit:
            break
        if dy == dx == 0:
            continue
        moved = {}
        for q, c in coordinates.items():
            target = shift(c, dy, dx)
            try:
                qubit = to_qubit(target)
            except Exception:   # outside the chip
                break
            if qubit not in adjacency or qubit in used or to_coordinates(qubit) != target:
                break
            moved[q] = qubit
        else:
            copy = {v: tuple(moved[q] for q in chain) for v, chain in first.items()}
            if _realises(copy, source_edges, adjacency):
                copies.append(copy)
                used.update(moved.values())
    return copies


def _realises(embedding: Embedding, source_edges, adjacency: Mapping) -> bool:
    """Is every chain connected and every logical edge a coupler between two chains?"""
    for chain in embedding.values():
        reached, frontier = {chain[0]}, [chain[0]]
        members = set(chain)
        while frontier:
            frontier = [p for q in frontier for p in adjacency[q] & members if p not in reached]
            reached.update(frontier)
        if reached != members:
            return False
    return all(any(adjacency[q] & set(embedding[v]) for q in embedding[u]) for u, v in source_edges)


def _sweep(adjacency: Mapping, seeds: set):
    """Qubits in breadth-first order from ``seeds`` (or from the smallest label), then any not reached."""
    order = sorted(adjacency, key=repr) if not seeds else None
    queue = deque(seeds if seeds else order[:1])
    seen = set(queue)
    while queue:
        qubit = queue.popleft()
        yield qubit
        for neighbour in sorted(adjacency[qubit], key=repr):
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append(neighbour)
    yield from (qubit for qubit in sorted(adjacency, key=repr) if qubit not in seen)   # other pieces of the chip


def _region(adjacency: Mapping, start, used: set, size: int) -> list:
    """Up to ``size`` unused qubits, breadth-first from ``start`` through unused qubits."""
    region, queue, seen = [], deque([start]), {start}
    while queue and len(region) < size:
        qubit = queue.popleft()
        region.append(qubit)
        for neighbour in adjacency[qubit]:
            if neighbour not in seen and neighbour not in used:
                seen.add(neighbour)
                queue.append(neighbour)
    return region


def _embed_in(source_edges, variables, adjacency: Mapping, region: list, seed: int) -> Embedding | None:
    """An embedding into the qubits of ``region``, or None."""
    import minorminer

    inside = set(region)
    found: dict = {}
    if source_edges:
        target_edges = [(q, p) for q in region for p in adjacency[q] if p in inside and repr(q) < repr(p)]
        if not target_edges:   # a region of scattered qubits holds no coupling: nothing to search
            return None
        found = minorminer.find_embedding(source_edges, target_edges, random_seed=seed)
        if not found:
            return None
    free = [q for q in region if q not in {p for chain in found.values() for p in chain}]
    isolated = [v for v in variables if v not in found]
    if len(free) < len(isolated):
        return None
    found.update({v: [q] for v, q in zip(isolated, free)})
    return {v: tuple(found[v]) for v in variables}
