"""Exact log Z by enumeration: qbm.log_partition vs dimod.ExactSolver, dense BQMs.

    python benchmarks/bench_exact.py

Each case runs in its own process (time and peak memory above the interpreter's
baseline); both methods see the same random dense BQM.  Then, for each method, n grows
by one until a run takes more than BUDGET seconds: the largest n that finished in time.
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
BUDGET = 60.0


def largest_within_budget(name: str, start: int) -> tuple[int, float]:
    """The largest n (from ``start`` up) whose run finishes within BUDGET seconds, and its time."""
    n, best = start, (start - 1, float("nan"))
    while True:
        run = measure(__file__, name, n, timeout=BUDGET + 30)
        if run["seconds"] > BUDGET:
            return best
        best = (n, run["seconds"])
        n += 1


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
    print()
    print(f"| largest n finished within {BUDGET:.0f} s | qbm.log_partition | dimod.ExactSolver + logsumexp |")
    print("|---|---|---|")
    (n_ours, t_ours), (n_theirs, t_theirs) = largest_within_budget("qbm", 29), largest_within_budget("exactsolver", 23)
    print(f"| n (time of that run) | {n_ours} ({t_ours:.1f} s) | {n_theirs} ({t_theirs:.1f} s) |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        child_main(CASES)
    else:
        main()
