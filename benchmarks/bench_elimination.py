"""Exact values of sparse models past enumeration: qbm's variable elimination against dwave-samplers.

    python benchmarks/bench_elimination.py

Every model is a visible Boltzmann machine on a graph, weights and biases N(0, 1), at
β = 1.  ``TreeDecompositionSampler`` (dwave-samplers, C++) gets qbm's elimination order,
since its own min-fill order passes its width limit of 25 on a 20×20 lattice; its own
order is tried too.  Each case runs in its own process with one BLAS thread; qbm's
time includes finding the order (its own column: Ocean's time with qbm's order does not).
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # before numpy loads; the measuring children inherit it

import dwave.graphs
import networkx as nx
import numpy as np
from dwave.samplers import TreeDecompositionSampler

import qbm
from qbm.exact.elimination import elimination_order
from _harness import child_main, machine, measure, run_parts


def lattice(side: int) -> nx.Graph:
    return nx.grid_2d_graph(side, side)


def pegasus_strip(cells: int) -> nx.Graph:
    """A row of ``cells`` unit cells of an Advantage chip (Pegasus 16, nice coordinates): 24 qubits a cell."""
    chip = dwave.graphs.pegasus_graph(16, nice_coordinates=True)
    return chip.subgraph([v for v in chip if v[1] < 1 and v[2] < cells])


def zephyr_strip(rows: int) -> nx.Graph:
    """The qubits of a Zephyr 6 chip with w < 2·rows + 1 and z = 0."""
    chip = dwave.graphs.zephyr_graph(6, coordinates=True)
    return chip.subgraph([v for v in chip if v[1] < 2 * rows + 1 and v[4] < 1])


FAMILIES = {0: ("lattice", lattice, "{0}×{0} lattice"), 1: ("pegasus", pegasus_strip, "Pegasus 1×{0} cells"),
            2: ("zephyr", zephyr_strip, "Zephyr strip of {0} rows")}


def model_on(family: int, size: int) -> qbm.BoltzmannMachine:
    graph = nx.convert_node_labels_to_integers(FAMILIES[family][1](size), ordering="sorted")
    rng = np.random.default_rng(size)
    edges = np.array(sorted((min(u, v), max(u, v)) for u, v in graph.edges))
    return qbm.BoltzmannMachine(graph.number_of_nodes(), edges=edges, weights=rng.normal(0, 1, len(edges)),
                                biases=rng.normal(0, 1, graph.number_of_nodes()))


def case_baseline(family, size):
    model_on(family, size)
    return lambda: None


def case_order(family, size):
    Q, _ = model_on(family, size).to_qubo()

    def run():
        plan = elimination_order(Q)
        return [plan.width, plan.cost]
    return run


def case_qbm(family, size):
    model = model_on(family, size)
    return lambda: qbm.log_partition(model)


def case_ocean(family, size):
    model = model_on(family, size)
    bqm, order = model.to_bqm(), elimination_order(model.to_qubo()[0]).order.tolist()
    return lambda: TreeDecompositionSampler().sample(bqm, beta=1.0, marginals=False,
                                                     elimination_order=order).info["log_partition_function"]


def case_ocean_own_order(family, size):
    bqm = model_on(family, size).to_bqm()

    def run():
        try:
            return TreeDecompositionSampler().sample(bqm, beta=1.0, marginals=False).info["log_partition_function"]
        except ValueError:     # its min-fill order is wider than its limit
            return None
    return run


def case_qbm_marginals(family, size):
    model = model_on(family, size)
    return lambda: qbm.exact.expectations(model)["biases"].tolist()


def case_ocean_marginals(family, size):
    model = model_on(family, size)
    bqm, order = model.to_bqm(), elimination_order(model.to_qubo()[0]).order.tolist()

    def run():
        info = TreeDecompositionSampler().sample(bqm, beta=1.0, marginals=True, elimination_order=order).info
        return [info["variable_marginals"][i] for i in range(model.n_units)]
    return run


CASES = {"baseline": case_baseline, "order": case_order, "qbm": case_qbm, "ocean": case_ocean,
         "ocean_own_order": case_ocean_own_order, "qbm_marginals": case_qbm_marginals,
         "ocean_marginals": case_ocean_marginals}
GRAPHS = [(0, 6), (0, 10), (0, 14), (0, 17), (0, 20), (1, 6), (1, 15), (2, 3), (2, 6)]


def log_partition() -> None:
    print(f"# exact log Z by variable elimination, one BLAS thread ({machine()})")
    print("| graph | units | width | entries Σ 2^scope | qbm.log_partition | of which finding the order | "
          "TreeDecompositionSampler, qbm's order | Ocean's time ÷ qbm's | Ocean's own order | "
          "|Δ log Z| / |log Z| | qbm memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for family, size in GRAPHS:
        name = FAMILIES[family][2].format(size)
        order = measure(__file__, "order", family, size, repeat=3)
        width, cost = order["result"]
        base = measure(__file__, "baseline", family, size)["peak_mb"]
        ours = measure(__file__, "qbm", family, size, repeat=3)
        theirs = measure(__file__, "ocean", family, size, repeat=1 if width >= 18 else 3, timeout=1800)
        own = measure(__file__, "ocean_own_order", family, size, timeout=1800)
        own_text = f"{own['seconds']:.2f} s" if own["result"] is not None else "exceeds its width limit"
        print(f"| {name} | {model_on(family, size).n_units} | {width} | {cost:.2e} | {ours['seconds']:.3f} s | "
              f"{order['seconds']:.3f} s | {theirs['seconds']:.3f} s | "
              f"{theirs['seconds'] / ours['seconds']:.2f} | {own_text} | "
              f"{abs(ours['result'] - theirs['result']) / abs(theirs['result']):.1e} | "
              f"{ours['peak_mb'] - base:.0f} MB |", flush=True)


def marginals() -> None:
    print(f"# exact unit and edge marginals (qbm.exact.expectations), one BLAS thread ({machine()})")
    print("| graph | units | qbm.exact.expectations | TreeDecompositionSampler(marginals=True), qbm's order | "
          "Ocean's time ÷ qbm's | max |Δ p(x_i = 1)| |")
    print("|---|---|---|---|---|---|")
    for family, size in [(0, 6), (0, 10), (0, 14), (1, 15), (2, 6)]:
        ours = measure(__file__, "qbm_marginals", family, size, repeat=3)
        theirs = measure(__file__, "ocean_marginals", family, size, timeout=1800)
        difference = np.max(np.abs(np.subtract(ours["result"], theirs["result"])))
        print(f"| {FAMILIES[family][2].format(size)} | {model_on(family, size).n_units} | {ours['seconds']:.3f} s | "
              f"{theirs['seconds']:.3f} s | {theirs['seconds'] / ours['seconds']:.2f} | {difference:.1e} |",
              flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        child_main(CASES)
    else:
        run_parts(__file__, {"log_partition": log_partition, "marginals": marginals})
