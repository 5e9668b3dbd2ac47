"""How often the AIS standard error covers the exact log Z, and log-likelihoods as two-sided intervals.

    python benchmarks/bench_ais.py coverage   # about five minutes
    python benchmarks/bench_ais.py sharp      # about half an hour
    python benchmarks/bench_ais.py bounds     # about forty minutes
    python benchmarks/bench_ais.py centring   # about twenty minutes

Independent AIS runs (different seeds) on RBMs small enough for an exact ``log Z``: the
fraction of runs whose estimate lies within one and within two reported standard errors
of the truth (nominal 68 % and 95 %), on four random 20×10 RBMs of growing weights and a
digits-trained 64×20 RBM with a short schedule, where the importance weights are
heavy-tailed; and at ``ais_log_partition``'s defaults on the model ``qbm train --data digits``
trains; ``sharp``: at the defaults on two sharper models (digits 64×20 trained five times as long,
MNIST 784×20).  ``bounds``: forward AIS above, RAISE below (:func:`qbm.metrics.log_likelihood_bounds`) on
the models ``qbm train --data digits`` (exact log-likelihood beside them) and ``qbm train --data
mnist`` train, at the MNIST benchmark's budget.  ``centring``: what ``qbm train --data mnist --centering``
reports of its model's log-likelihood, against the interval at the MNIST benchmark's budget.
"""
from __future__ import annotations


import numpy as np

import qbm
from qbm.metrics.ais import _data_base, log_likelihood_bounds
from qbm.metrics import REPORT_RAISE_ROWS
from _harness import bounds_warnings, run_parts, train_command, with_bounds_warnings

CASES = [(0.8, 30, 50), (1.2, 20, 30), (1.5, 15, 40), (1.0, 10, 100)]  # weight scale, temperatures, chains
BOUND_SEEDS = (0, 1, 2)
CENTRING_SEEDS = (0, 1)
SHARP_RUNS = 200
BOUND_ROWS = 60                   # rows of each data set the interval is taken over (both sides the same rows)
FORWARD_CHAINS, RAISE_CHAINS, TEMPERATURES = 300, 10, 30_000   # the MNIST benchmark's AIS budget; RAISE per row


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
    qbm.train(rbm, X[:500], qbm.PCD(50, fast_rate=0), epochs=50, learning_rate=0.05, optimizer="adam", progress=False,
              random_state=0)
    one, two, spread, se = coverage(rbm, 120, num_reads=100, betas=100)
    print(f"| digits-trained 64×20 (PCD, 50 epochs) | 100 | 100 | 120 | {one:.0%} | {two:.0%} | {spread:.3f} | "
          f"{se:.3f} |", flush=True)
    rbm = qbm.RBM(64, 16, random_state=0)      # the recipe of `qbm train --data digits`
    qbm.train(rbm, X, qbm.PCD(200, fast_rate=0), epochs=200, batch_size=20, learning_rate=0.01, optimizer="adam", progress=False,
              random_state=0)
    one, two, spread, se = coverage(rbm, 100)   # ais_log_partition's defaults
    print(f"| digits-trained 64×16 (`qbm train --data digits`'s recipe), AIS defaults | 10000 | 100 | 100 | "
          f"{one:.0%} | {two:.0%} | {spread:.3f} | {se:.3f} |", flush=True)


def sharp() -> None:
    print(f"## AIS standard error at the defaults (10,000 temperatures, 100 chains) on sharper models with an exact "
          f"log Z, {SHARP_RUNS} runs each (nominal 68 % / 95 %)")
    print("| RBM | base | within 1 SE | within 2 SE | spread of estimates | mean SE |")
    print("|---|---|---|---|---|---|")
    for name, rbm, base, options in sharper_models():
        one, two, spread, se = coverage(rbm, SHARP_RUNS, **options)
        print(f"| {name} | {base} | {one:.0%} | {two:.0%} | {spread:.3f} | {se:.3f} |", flush=True)


def sharper_models():
    """Models sharper than the command's digits model, each with an exact log Z (the smaller layer is enumerated):
    digits 64×20 trained five times as long, and an MNIST-sized 784×20 under the MNIST recipe, whose AIS starts
    from the data's marginals as ``ais_log_likelihood``'s does (from the uniform base the weights carry no
    information on image data)."""
    digits, mnist = qbm.datasets.load_digits()[0], qbm.datasets.load_mnist()[0]
    rbm = qbm.RBM(64, 20, random_state=0)
    qbm.train(rbm, digits, qbm.PCD(200), epochs=1000, batch_size=20, learning_rate=0.01, optimizer="adam",
              progress=False, random_state=0)
    yield "digits-trained 64×20 (fast-weight PCD, 1,000 epochs)", rbm, "uniform", {}
    rbm = qbm.RBM(784, 20, random_state=0)
    qbm.train(rbm, mnist, qbm.PCD(200), epochs=20, batch_size=20, learning_rate=0.01, optimizer="adam",
              progress=False, random_state=0)
    yield ("MNIST-trained 784×20 (fast-weight PCD, 20 epochs)", rbm, "the data's marginals",
           {"base_visible_bias": _data_base(mnist)})


def command_model(data: str, seed: int):
    """The model ``qbm train --data DATA --seed SEED`` writes, and its data."""
    rows = qbm.datasets.load_digits()[0] if data == "digits" else qbm.datasets.load_mnist()[0]
    return train_command(["--data", data, "--seed", str(seed)]).model, rows


def bounds() -> None:
    print(f"## Log-likelihood intervals: forward AIS ({FORWARD_CHAINS} chains) above, RAISE ({RAISE_CHAINS} runs per "
          f"row) below, {TEMPERATURES:,} temperatures from the data's marginals, over {BOUND_ROWS} training rows")
    print("| model | seed | RAISE (lower) | forward AIS (upper) | width | exact | s.e. lower / upper |")
    print("|---|---|---|---|---|---|---|")
    for data in ("digits", "mnist"):
        for seed in BOUND_SEEDS:
            model, rows = command_model(data, seed)
            chosen = rows[np.random.default_rng(seed).choice(len(rows), BOUND_ROWS, replace=False)]
            interval = log_likelihood_bounds(model, chosen, num_reads=FORWARD_CHAINS, betas=TEMPERATURES,
                                             raise_reads=RAISE_CHAINS, random_state=seed + 1)
            exact = f"{qbm.log_likelihood(model, chosen):.3f}" if data == "digits" else "—"
            print(f"| `qbm train --data {data}` | {seed} | {interval['lower']:.3f} | {interval['upper']:.3f} | "
                  f"{interval['width']:.3f} | {exact} | {interval['lower_se']:.3f} / {interval['upper_se']:.3f} |",
                  flush=True)


def centring() -> None:
    """The command's own report against the MNIST budget's interval, on MNIST models trained with centring."""
    print(f"## `qbm train --data mnist --centering`: the interval the command reports (AIS defaults: 100 forward "
          f"chains, RAISE from {REPORT_RAISE_ROWS} rows, 10,000 temperatures) against the MNIST benchmark's budget "
          f"({FORWARD_CHAINS} forward chains, RAISE from {BOUND_ROWS} rows, {TEMPERATURES:,} temperatures), nats "
          "per row as RAISE (s.e.) / forward AIS (s.e.)")
    print("| seed | the command's report | its warning | MNIST budget, 60 training rows | its warning |")
    print("|---|---|---|---|---|")
    rows = qbm.datasets.load_mnist()[0]
    for seed in CENTRING_SEEDS:
        done = train_command(["--data", "mnist", "--centering", "--seed", str(seed)])
        report = done.summary
        chosen = rows[np.random.default_rng(seed).choice(len(rows), BOUND_ROWS, replace=False)]
        interval, interval_warnings = with_bounds_warnings(lambda: log_likelihood_bounds(
            done.model, chosen, num_reads=FORWARD_CHAINS, betas=TEMPERATURES, raise_reads=RAISE_CHAINS,
            random_state=seed + 1))
        print(f"| {seed} | {report['log_likelihood_raise']:.2f} ({report['log_likelihood_raise_standard_error']:.2g}) "
              f"/ {report['log_likelihood_ais']:.2f} ({report['log_partition_ais_standard_error']:.2g}) | "
              f"{bounds_warnings(done.warnings)} | {interval['lower']:.2f} ({interval['lower_se']:.2g}) / "
              f"{interval['upper']:.2f} ({interval['upper_se']:.2g}) | "
              f"{interval_warnings} |", flush=True)


if __name__ == "__main__":
    run_parts(__file__, {"coverage": main, "sharp": sharp, "bounds": bounds, "centring": centring})
