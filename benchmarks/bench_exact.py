"""Exact log Z by enumeration: qbm.log_partition against a plain numpy enumeration and dimod.ExactSolver.

    python benchmarks/bench_exact.py

Each case runs in its own process with one BLAS thread (time and peak memory above the
interpreter's baseline); every method sees the same random dense BQM (or RBM).  The
reference is a plain chunked numpy enumeration: blocks of 2^20 states, the energies of a
block by one matrix product of its leading bits with a table of the trailing 14, a
streamed log-sum-exp (about 3 ns a state here).  Then, for each method, n
grows by one until a run takes more than BUDGET seconds: the largest n finished in time.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # before numpy loads; the measuring children inherit it

import dimod
import numpy as np
from scipy.special import logsumexp

import qbm
from _harness import child_main, machine, measure, run_parts


def dense_bqm(n: int) -> dimod.BinaryQuadraticModel:
    rng = np.random.default_rng(n)
    return qbm.as_bqm(np.triu(rng.normal(0, 0.3, (n, n))))


def case_baseline(n):
    dense_bqm(n)
    return lambda: None


def case_qbm(n):
    bqm = dense_bqm(n)
    return lambda: qbm.log_partition(bqm)


def bit_rows(start: int, stop: int, n: int) -> np.ndarray:
    return ((np.arange(start, stop)[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.float64)


def plain_log_z(Q: np.ndarray, low: int = 14) -> float:
    """log Σ_x exp(-xᵀQx), 2^20 states at a time: a table of the last ``low`` bits, each block's
    energies by one matrix product of its leading bits with that table, a streamed log-sum-exp."""
    n = len(Q)
    low = min(n, low)
    high = n - low
    table = bit_rows(0, 2 ** low, low)
    table_energies = np.einsum("sj,sj->s", table @ Q[high:, high:], table)
    cross = Q[:high, high:] + Q[high:, :high].T
    total = -np.inf
    for start in range(0, 2 ** high, max(1, 2 ** (20 - low))):
        leading = bit_rows(start, min(start + 2 ** (20 - low), 2 ** high), high)
        energies = (leading @ cross) @ table.T
        energies += np.einsum("sj,sj->s", leading @ Q[:high, :high], leading)[:, None]
        energies += table_energies
        np.negative(energies, out=energies)
        largest = energies.max()
        energies -= largest
        np.exp(energies, out=energies)
        total = np.logaddexp(total, largest + np.log(energies.sum()))
    return float(total)


def plain_rbm_log_z(rbm: qbm.RBM) -> float:
    """log Z of an RBM, enumerating the hidden layer (the smaller) 2^20 / n_visible states at a time."""
    n, total, rows = rbm.n_hidden, -np.inf, max(1, 2 ** 20 // rbm.n_visible)
    for start in range(0, 2 ** n, rows):
        h = bit_rows(start, min(start + rows, 2 ** n), n)
        fields = h @ rbm.weights.T + rbm.visible_bias
        total = np.logaddexp(total, logsumexp(h @ rbm.hidden_bias + np.logaddexp(0.0, fields).sum(axis=1)))
    return float(total)


def mnist_like_rbm(n_hidden: int) -> qbm.RBM:
    rng = np.random.default_rng(n_hidden)
    return qbm.RBM(784, n_hidden, weights=rng.normal(0, 0.05, (784, n_hidden)),
                   visible_bias=rng.normal(-1, 0.5, 784), hidden_bias=rng.normal(0, 0.5, n_hidden))


def case_plain(n):
    Q = qbm.convert.qubo_matrix(dense_bqm(n))[0]
    return lambda: plain_log_z(Q)


def case_rbm_qbm(n_hidden):
    rbm = mnist_like_rbm(n_hidden)
    return lambda: qbm.log_partition(rbm)


def case_rbm_plain(n_hidden):
    rbm = mnist_like_rbm(n_hidden)
    return lambda: plain_rbm_log_z(rbm)


def sharp_qubo(n: int, scale: int) -> np.ndarray:
    """A dense QUBO with couplings N(0, scale²): the sharper, the more factorised sums underflow."""
    return np.triu(np.random.default_rng(scale).normal(0, scale, (n, n)))


def case_sharp_qbm(n, scale):
    Q = sharp_qubo(n, scale)
    return lambda: qbm.log_partition(Q)


def case_sharp_plain(n, scale):
    Q = sharp_qubo(n, scale)
    return lambda: plain_log_z(Q)


def case_exactsolver(n):
    bqm = dense_bqm(n)
    return lambda: float(logsumexp(-dimod.ExactSolver().sample(bqm).record.energy))


CASES = {"baseline": case_baseline, "qbm": case_qbm, "plain": case_plain, "exactsolver": case_exactsolver,
         "rbm_qbm": case_rbm_qbm, "rbm_plain": case_rbm_plain, "sharp_qbm": case_sharp_qbm,
         "sharp_plain": case_sharp_plain}
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
    print(f"# log Z of a dense n-variable BQM, one BLAS thread ({machine()})")
    print("| n | qbm.log_partition | ns / state | plain numpy enumeration | qbm vs plain | "
          "dimod.ExactSolver + logsumexp | qbm memory | |log Z − plain| |")
    print("|---|---|---|---|---|---|---|---|")
    times = {}
    for n in (16, 20, 22, 24, 26, 28, 30):
        base = measure(__file__, "baseline", n)["peak_mb"]
        ours = measure(__file__, "qbm", n, repeat=3)
        plain = measure(__file__, "plain", n, repeat=3 if n < 28 else 1)
        solver = "not attempted (2^n rows)"
        if n <= 22:
            theirs = measure(__file__, "exactsolver", n, repeat=1 if n == 22 else 3)
            solver = f"{theirs['seconds']:.3f} s ({theirs['seconds'] / ours['seconds']:.0f}× qbm)"
        times[n] = ours["seconds"]
        print(f"| {n} | {ours['seconds']:.4f} s | {ours['seconds'] / 2 ** n * 1e9:.3f} | {plain['seconds']:.3f} s | "
              f"{plain['seconds'] / ours['seconds']:.1f}× faster | {solver} | {ours['peak_mb'] - base:.0f} MB | "
              f"{abs(ours['result'] - plain['result']):.1e} |", flush=True)
    print(f"\ntime per added unit, n = 26 → 30: ×{(times[30] / times[26]) ** 0.25:.2f} (×2 is the state count)")
    print("\n# log Z of an RBM 784×k, enumerating the k hidden units, one BLAS thread")
    print("| k | qbm.log_partition | ns per (state, visible unit) | plain numpy (logaddexp) | qbm vs plain | "
          "qbm memory | |log Z − plain| |")
    print("|---|---|---|---|---|---|---|")
    for k in (16, 20, 22):
        base = measure(__file__, "baseline", 8)["peak_mb"]
        ours, plain = measure(__file__, "rbm_qbm", k, repeat=3), measure(__file__, "rbm_plain", k)
        print(f"| {k} | {ours['seconds']:.3f} s | {ours['seconds'] / 2 ** k / 784 * 1e9:.2f} | "
              f"{plain['seconds']:.2f} s | {plain['seconds'] / ours['seconds']:.1f}× faster | "
              f"{ours['peak_mb'] - base:.0f} MB | {abs(ours['result'] - plain['result']):.1e} |", flush=True)
    print()
    print(f"| largest n finished within {BUDGET:.0f} s | qbm.log_partition | dimod.ExactSolver + logsumexp |")
    print("|---|---|---|")
    (n_theirs, t_theirs) = largest_within_budget("exactsolver", 23)
    n_ours = qbm.exact.MAX_ENUMERATED_UNITS
    t_ours = measure(__file__, "qbm", n_ours)["seconds"]
    print(f"| n (time of that run) | {n_ours}, the enumeration limit ({t_ours:.1f} s) | {n_theirs} ({t_theirs:.1f} s) |")


def sharp() -> None:
    n = 30
    print(f"# log Z of a dense {n}-variable QUBO with couplings N(0, s²), one BLAS thread ({machine()})")
    print("| s | qbm.log_partition | ns / state | plain numpy enumeration | ns / state | qbm vs plain | "
          "|log Z − plain| / log Z |")
    print("|---|---|---|---|---|---|---|")
    for scale in (1, 5, 15, 30, 40, 50):
        ours, plain = measure(__file__, "sharp_qbm", n, scale, repeat=3), measure(__file__, "sharp_plain", n, scale)
        print(f"| {scale} | {ours['seconds']:.2f} s | {ours['seconds'] / 2 ** n * 1e9:.2f} | {plain['seconds']:.1f} s | "
              f"{plain['seconds'] / 2 ** n * 1e9:.1f} | {plain['seconds'] / ours['seconds']:.0f}× faster | "
              f"{abs(ours['result'] - plain['result']) / abs(plain['result']):.1e} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        child_main(CASES)
    else:
        run_parts(__file__, {"enumeration": main, "sharp": sharp})
