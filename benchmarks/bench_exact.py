"""Exact log Z by enumeration: qbm.log_partition vs dimod.ExactSolver, dense BQMs.

    python benchmarks/bench_exact.py

Each case runs in its own process (time and peak memory above the interpreter's
baseline); both methods see the same random dense BQM.
"""
from __future__ import annotations

import sys

import dimod
import numpy as np
from scipy.special import logsumexp

import qbm
from _harness import child_main, machine, measure


def dense_bqm(n: int) -> dimod.BinaryQuadraticModel:
    rng = np.random.default_rng(n)
    return qbm.as_bqm(np.triu(rng.normal(0, 0.3, (n, n))))


def case_baseline(n):
    dense_bqm(n)
    return lambda: None


def case_qbm(n):
    bqm = dense_bqm(n)
    return lambda: qbm.log_partition(bqm)


def case_exactsolver(n):
    bqm = dense_bqm(n)
    return lambda: float(logsumexp(-dimod.ExactSolver().sample(bqm).record.energy))


CASES = {"baseline": case_baseline, "qbm": case_qbm, "exactsolver": case_exactsolver}


def main() -> None:
    print(f"# log Z of a dense n-variable BQM ({machine()})")
    print("| n | qbm.log_partition | dimod.ExactSolver + logsumexp | speed-up | qbm memory | ExactSolver memory | |log Z difference| |")
    print("|---|---|---|---|---|---|---|")
    for n in (16, 20, 22, 28):
        base = measure(__file__, "baseline", n)["peak_mb"]
        ours = measure(__file__, "qbm", n, repeat=3)
        if n <= 22:
            theirs = measure(__file__, "exactsolver", n, repeat=1 if n == 22 else 3)
            print(f"| {n} | {ours['seconds']:.3f} s | {theirs['seconds']:.3f} s | "
                  f"{theirs['seconds'] / ours['seconds']:.0f}× | {ours['peak_mb'] - base:.0f} MB | "
                  f"{theirs['peak_mb'] - base:.0f} MB | {abs(ours['result'] - theirs['result']):.1e} |")
        else:
            print(f"| {n} | {ours['seconds']:.2f} s | not attempted (2^{n} rows) | — | "
                  f"{ours['peak_mb'] - base:.0f} MB | — | — |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        child_main(CASES)
    else:
        main()
