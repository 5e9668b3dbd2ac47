"""Model → BQM for a 784×500 RBM: qbm's to_bqm vs dimod's from_numpy_vectors and a dict build.

    python benchmarks/bench_convert.py

All three build the same BQM from the same arrays, timed side by side (median of runs).
"""
from __future__ import annotations

import dimod
import numpy as np

import qbm
from _harness import machine, median_time, run_parts


def main(n_visible: int = 784, n_hidden: int = 500, repeat: int = 7) -> None:
    rbm = qbm.RBM(n_visible, n_hidden, random_state=0)
    linear = -np.concatenate([rbm.visible_bias, rbm.hidden_bias])
    rows = np.repeat(np.arange(n_visible), n_hidden)
    cols = np.tile(np.arange(n_visible, n_visible + n_hidden), n_visible)
    values = -rbm.weights.ravel()

    def raw():
        return dimod.BinaryQuadraticModel.from_numpy_vectors(linear, (rows, cols, values), 0.0, "BINARY")

    def from_dicts():
        quadratic = {(int(i), int(j)): float(w) for i, j, w in zip(rows, cols, values)}
        return dimod.BinaryQuadraticModel(dict(enumerate(linear)), quadratic, 0.0, "BINARY")

    assert rbm.to_bqm() == raw() == from_dicts()
    ours, baseline = median_time(rbm.to_bqm, repeat), median_time(raw, repeat)
    dicts = median_time(from_dicts, max(1, repeat // 3))
    print(f"# RBM {n_visible}×{n_hidden} → BQM ({machine()}), median of {repeat} runs")
    print("| build | time | relative to from_numpy_vectors |")
    print("|---|---|---|")
    print(f"| qbm RBM.to_bqm() | {ours * 1e3:.1f} ms | {ours / baseline:.2f}× |")
    print(f"| dimod from_numpy_vectors (same arrays) | {baseline * 1e3:.1f} ms | 1.00× |")
    print(f"| dimod BQM from dicts | {dicts * 1e3:.1f} ms | {dicts / baseline:.2f}× |")


if __name__ == "__main__":
    run_parts(__file__, {"bqm": main})
