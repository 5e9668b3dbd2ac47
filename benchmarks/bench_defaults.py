"""The defaults, measured: what a user who gives nothing but the data reaches, against the best recipe.

    python benchmarks/bench_defaults.py [digits] [bars] [schedule]

digits    8×8 digits binarised at 0.5, the split of bench_training (train_test_split(test_size=0.2,
          random_state=0)), RBM 64×16 with the data's biases, Adam 0.01, 100 epochs, batch 20,
          the default (linear) decay; exact test log-likelihood, ten seeds.
bars      bars-and-stripes 4×4, RBM 16×8, full batch, 3000 epochs, Adam with the default decay:
          ``qbm train`` with no arguments (its recipe: the exact gradient and centring, rate 0.1)
          run as a command, against the phases that sample, each at the rate that suits it; exact
          KL(data ‖ model), ten seeds.
schedule  the learning-rate schedule: linear decay to 0 (the default) against a constant rate, for a
          phase that draws fresh samples and for persistent chains; bars-and-stripes 4×4, five seeds.

The seeds are none of those of bench_training (0, 1, 2), so that the defaults are tested where
they were not chosen.
"""
from __future__ import annotations

import statistics

import neal
import numpy as np
from sklearn.model_selection import train_test_split

import qbm
from _harness import machine, run_parts, train_command

SEEDS = tuple(range(3, 13))
SCHEDULE_SEEDS = SEEDS[:5]
BARS_EPOCHS = 3000


def summarise(name: str, values: list[float], best: float, unit: str, better: str) -> str:
    """One row: median, worst seed, the median's distance to the best row's, every seed."""
    worst = min(values) if better == "higher" else max(values)
    middle = statistics.median(values)
    if unit == "nats":
        behind = f"{best - middle:+.3f}" if better == "higher" else f"{middle - best:+.3f}"
    else:
        behind = f"{middle / best:.2f}×"
    return (f"| {name} | {middle:.3f} | {worst:.3f} | {behind} | "
            f"{', '.join(f'{value:.3f}' for value in values)} |")


def print_rows(rows: dict[str, list[float]], unit: str, better: str) -> None:
    medians = {name: statistics.median(values) for name, values in rows.items()}
    best = max(medians.values()) if better == "higher" else min(medians.values())
    behind = "behind the best median (nats)" if unit == "nats" else "median / the best median"
    print(f"| recipe | median | worst seed | {behind} | per seed |")
    print("|---|---|---|---|---|")
    for name, values in rows.items():
        print(summarise(name, values, best, unit, better), flush=True)


def digits() -> None:
    X, _ = qbm.datasets.load_digits()
    train, test = train_test_split(X, test_size=0.2, random_state=0)
    odds = np.clip(train.mean(axis=0), 0.01, 0.99)
    data_bias = np.log(odds / (1 - odds))

    def run(seed, phase, centering=False, schedule="linear"):
        model = qbm.RBM(64, 16, visible_bias=data_bias, random_state=seed)
        qbm.train(model, train, phase, epochs=100, batch_size=20, learning_rate=0.01, optimizer="adam",
                  schedule=schedule, random_state=seed, progress=False, centering=centering)
        return qbm.log_likelihood(model, test)

    recipes = {
        "PCD() — the default: 100 chains, k = 1, fast weights at 0.05": lambda s: run(s, qbm.PCD()),
        "PCD(fast_rate=0) — plain PCD, the default before": lambda s: run(s, qbm.PCD(fast_rate=0)),
        "PCD(fast_rate=0.1)": lambda s: run(s, qbm.PCD(fast_rate=0.1)),
        "PCD(fast_rate=0.2)": lambda s: run(s, qbm.PCD(fast_rate=0.2)),
        "PCD(200 chains, fast_rate=0)": lambda s: run(s, qbm.PCD(200, fast_rate=0)),
        "PCD(fast_rate=0), centring": lambda s: run(s, qbm.PCD(fast_rate=0), centering=True),
        "PCD(), centring": lambda s: run(s, qbm.PCD(), centering=True),
        "ParallelTempering(10 chains × 10 temperatures), centring":
            lambda s: run(s, qbm.ParallelTempering(10), centering=True),
        "PCD(), constant rate": lambda s: run(s, qbm.PCD(), schedule="constant"),
    }
    print(f"## digits 8×8, RBM 64×16: exact test log-likelihood (nats) over seeds {SEEDS[0]}–{SEEDS[-1]}; "
          f"Adam 0.01, 100 epochs, batch 20, linear decay unless said ({machine()})")
    print_rows({name: [make(seed) for seed in SEEDS] for name, make in recipes.items()}, "nats", "higher")


def command_kl(seed: int) -> float:
    """Exact KL reached by ``qbm train --seed SEED`` (every other setting its default), run as a command."""
    return train_command(["--seed", str(seed)]).summary["kl_data_to_model"]


def bars_kl(seed: int, phase: qbm.phases.Phase, rate: float, centering: bool = False, epochs: int = BARS_EPOCHS,
            schedule: str = "linear") -> float:
    data = qbm.datasets.bars_and_stripes(4)
    model = qbm.RBM(16, 8, random_state=seed)
    qbm.train(model, data, phase, epochs=epochs, batch_size=len(data), learning_rate=rate, optimizer="adam",
              schedule=schedule, random_state=seed, progress=False, centering=centering)
    return qbm.metrics.kl_divergence(model, data)


def annealing() -> qbm.phases.Phase:
    return qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=200, num_sweeps=100)


def bars() -> None:
    recipes = {
        "`qbm train` — the default: ExactPhase (the exact gradient), centring, rate 0.1": command_kl,
        "ExactPhase, no centring, rate 0.1": lambda s: bars_kl(s, qbm.ExactPhase(), 0.1),
        "ParallelTempering(200 chains × 10 temperatures), centring, rate 0.05 — the best that samples; "
        "the command's past 16 units": lambda s: bars_kl(s, qbm.ParallelTempering(200), 0.05, centering=True),
        "ParallelTempering(200 × 10), no centring, rate 0.05":
            lambda s: bars_kl(s, qbm.ParallelTempering(200), 0.05),
        "SamplerPhase(neal, 200 reads × 100 sweeps, β 0.05→1), rate 0.05 — the command's recipe before tempering":
            lambda s: bars_kl(s, annealing(), 0.05),
        "PCD(200 chains, k = 10), rate 0.05": lambda s: bars_kl(s, qbm.PCD(200, k=10), 0.05),
        "PCD(200 chains, k = 10, fast_rate=0), rate 0.05": lambda s: bars_kl(s, qbm.PCD(200, k=10, fast_rate=0), 0.05),
        "PCD(200 chains, k = 1), rate 0.02 — `qbm train --phase pcd`'s chains":
            lambda s: bars_kl(s, qbm.PCD(200, k=1), 0.02),
    }
    print(f"## bars-and-stripes 4×4, RBM 16×8: exact KL(data ‖ model) in nats over seeds {SEEDS[0]}–{SEEDS[-1]}; "
          f"full batch, {BARS_EPOCHS} epochs, Adam with linear decay ({machine()})")
    print_rows({name: [make(seed) for seed in SEEDS] for name, make in recipes.items()}, "kl", "lower")
    print("The first row is the command itself (`qbm train --seed S`). The rates of PCD and of the exact gradient "
          "are the best of 0.02, 0.05 and 0.1 for plain PCD and ExactPhase on seeds 3–7 (0.05 leaves the exact "
          "gradient with centring at a median of 0.014 there).")


def schedule() -> None:
    exact = (lambda: qbm.SamplerPhase(qbm.ExactSampler(), num_reads=200), 0.05, False, 1000)
    recipes = {
        "SamplerPhase(ExactSampler, 200 reads), rate 0.05, 1000 epochs": exact,
        "PCD(200 chains, k = 10), rate 0.05, 3000 epochs": (lambda: qbm.PCD(200, k=10), 0.05, False, BARS_EPOCHS),
        "ParallelTempering(200 × 10), centring, rate 0.05, 3000 epochs":
            (lambda: qbm.ParallelTempering(200), 0.05, True, BARS_EPOCHS),
    }
    print(f"## the schedule: bars-and-stripes 4×4, RBM 16×8, full batch, Adam; exact KL(data ‖ model), median "
          f"(worst) over seeds {SCHEDULE_SEEDS[0]}–{SCHEDULE_SEEDS[-1]}")
    print("| phase | linear decay to 0 (the default) | constant rate |")
    print("|---|---|---|")
    for name, (make, rate, centering, epochs) in recipes.items():
        cells = []
        for kind in ("linear", "constant"):
            values = [bars_kl(seed, make(), rate, centering, epochs, kind) for seed in SCHEDULE_SEEDS]
            cells.append(f"{statistics.median(values):.3f} ({max(values):.3f})")
        print(f"| {name} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    run_parts(__file__, {"digits": digits, "bars": bars, "schedule": schedule})
