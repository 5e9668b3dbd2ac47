"""How often the AIS standard error covers the exact log Z.

    python benchmarks/bench_ais.py            # about a minute

Independent AIS runs (different seeds) on RBMs small enough for an exact ``log Z``: the
fraction of runs whose estimate lies within one and within two reported standard errors
of the truth (nominal 68 % and 95 %), on four random 20×10 RBMs of growing weights and a
digits-trained 64×20 RBM with a short schedule, where the importance weights are
heavy-tailed; and at ``ais_log_partition``'s defaults on the model ``qbm train --data digits``
trains.
"""
from __future__ import annotations

import numpy as np

import qbm
from _harness import run_parts

CASES = [(0.8, 30, 50), (1.2, 20, 30), (1.5, 15, 40), (1.0, 10, 100)]  # weight scale, temperatures, chains


def coverage(rbm, runs: int, **options) -> tuple[float, float, float, float]:
    truth = qbm.log_partition(rbm)
    results = np.array([qbm.metrics.ais_log_partition(rbm, random_state=seed, **options) for seed in range(runs)])
    z = np.abs(results[:, 0] - truth) / results[:, 1]
    return float(np.mean(z <= 1)), float(np.mean(z <= 2)), float(np.std(results[:, 0])), float(np.mean(results[:, 1]))


def main() -> None:
    print("## AIS standard error: coverage of the exact log Z over independent runs (nominal 68 % / 95 %)")
    print("| RBM | temperatures | chains | runs | within 1 SE | within 2 SE | spread of estimates | mean SE |")
    print("|---|---|---|---|---|---|---|---|")
    for scale, betas, chains in CASES:
        rng = np.random.default_rng(1)
        rbm = qbm.RBM(20, 10, weights=rng.normal(0, scale, (20, 10)), visible_bias=rng.normal(0, 1, 20),
                      hidden_bias=rng.normal(0, 1, 10))
        one, two, spread, se = coverage(rbm, 200, num_reads=chains, betas=betas)
        print(f"| random 20×10, weights N(0, {scale}²) | {betas} | {chains} | 200 | {one:.0%} | {two:.0%} | "
              f"{spread:.3f} | {se:.3f} |", flush=True)
    X, _ = qbm.datasets.load_digits()
    rbm = qbm.RBM(64, 20, random_state=0)
    qbm.train(rbm, X[:500], qbm.PCD(50), epochs=50, learning_rate=0.05, optimizer="adam", progress=False,
              random_state=0)
    one, two, spread, se = coverage(rbm, 120, num_reads=100, betas=100)
    print(f"| digits-trained 64×20 (PCD, 50 epochs) | 100 | 100 | 120 | {one:.0%} | {two:.0%} | {spread:.3f} | "
          f"{se:.3f} |", flush=True)
    rbm = qbm.RBM(64, 16, random_state=0)      # the recipe of `qbm train --data digits`
    qbm.train(rbm, X, qbm.PCD(200), epochs=200, batch_size=20, learning_rate=0.01, optimizer="adam", progress=False,
              random_state=0)
    one, two, spread, se = coverage(rbm, 100)   # ais_log_partition's defaults
    print(f"| digits-trained 64×16 (`qbm train --data digits`'s recipe), AIS defaults | 10000 | 100 | 100 | "
          f"{one:.0%} | {two:.0%} | {spread:.3f} | {se:.3f} |")


if __name__ == "__main__":
    run_parts(__file__, {"coverage": main})
