"""GibbsSampler vs dwave-samplers' SimulatedAnnealingSampler (neal) on RBM BQMs.

    python benchmarks/bench_gibbs.py

Same BQM, same num_reads and num_sweeps, timed side by side in one run (median of
3).  Also reports GibbsSampler's chain-sweeps per second for 1-1000 chains and the
fraction of this machine's float32 matrix-multiply throughput it reaches (a sweep of
an n_v×n_h RBM costs 4·n_v·n_h flops per chain in its two matrix products).
"""
from __future__ import annotations

import neal
import numpy as np

import qbm
from _harness import machine, median_time, run_parts


def matmul_gflops(n_visible: int, n_hidden: int, chains: int = 1000) -> float:
    rng = np.random.default_rng(0)
    W = rng.random((n_visible, n_hidden), dtype=np.float32)
    S = rng.random((n_hidden, chains), dtype=np.float32)
    seconds = median_time(lambda: [W @ S for _ in range(20)]) / 20
    return 2 * n_visible * n_hidden * chains / seconds / 1e9


def main() -> None:
    peak = matmul_gflops(784, 500)
    print(f"# GibbsSampler vs neal on RBM BQMs ({machine()}); float32 matmul peak {peak:.0f} GFLOP/s")
    print("| RBM | reads × sweeps | GibbsSampler | neal | speed-up | Gibbs GFLOP/s | fraction of matmul peak |")
    print("|---|---|---|---|---|---|---|")
    for n_visible, n_hidden in ((64, 16), (784, 100), (784, 500)):
        bqm = qbm.RBM(n_visible, n_hidden, random_state=0).to_bqm()
        for reads, sweeps in ((100, 100), (1000, 100)):
            gibbs = median_time(lambda: qbm.GibbsSampler().sample(bqm, num_reads=reads, num_sweeps=sweeps, seed=0))
            annealer = median_time(lambda: neal.SimulatedAnnealingSampler().sample(
                bqm, num_reads=reads, num_sweeps=sweeps, seed=0))
            gflops = 4 * n_visible * n_hidden * reads * sweeps / gibbs / 1e9
            print(f"| {n_visible}×{n_hidden} | {reads} × {sweeps} | {gibbs:.3f} s | {annealer:.3f} s | "
                  f"{annealer / gibbs:.1f}× | {gflops:.0f} | {gflops / peak:.0%} |")
    print()
    print("| chains (784×500, 100 sweeps) | chain-sweeps / s | fraction of matmul peak |")
    print("|---|---|---|")
    bqm = qbm.RBM(784, 500, random_state=0).to_bqm()
    for chains in (1, 10, 100, 1000):
        seconds = median_time(lambda: qbm.GibbsSampler().sample(bqm, num_reads=chains, num_sweeps=100, seed=0))
        rate = chains * 100 / seconds
        print(f"| {chains} | {rate:,.0f} | {4 * 784 * 500 * rate / 1e9 / peak:.0%} |")


if __name__ == "__main__":
    run_parts(__file__, {"neal": main})
