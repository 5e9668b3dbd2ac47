"""Quantum Boltzmann machines: Amin et al.'s synthetic data, a QRBM on bars-and-stripes, and the costs.

    python benchmarks/bench_quantum.py          # about 10 minutes on 2 cores; writes quantum_kl.png

1. Amin, Andriyash, Rolfe, Kulchytskyy & Melko (Phys. Rev. X 8, 021050, 2018), section V.A:
   N = 10 visible units, 8 modes (random bit strings); a data point is a mode with every
   bit kept with probability p = 0.9, so the data distribution and KL(data ‖ model) are
   exact.  Fully visible classical BM (exact gradient) against the fully visible QBM
   (exact gradient, Γ learned from Γ = 2) and the bQBM (the bound, Γ = 2 fixed), trained
   on the same 1,000 drawn rows with the same optimiser and number of steps.
2. Semi-restricted models on bars-and-stripes 3×3 with one hidden unit (10 units, the
   size an exact evaluation per step allows here comfortably): classical (Γ = 0, exact
   gradient) against the QRBM trained on the bound with an exact negative phase and with a
   Trotter negative phase through GibbsSampler.
3. Costs: one exact QBM gradient step at n = 8, 10, 12; one Trotter phase call per M.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

import qbm
import qbm.plots
from _harness import record_figure, run_parts
from qbm.quantum import BoundPhase, ExactQuantumPhase, QuantumBoltzmannMachine, TrotterPhase, kl_divergence

SEEDS = (0, 1, 2)
SCHEDULE = "constant"   # short full-batch runs of exact gradients: a decay to zero would stop them half-way
HERE = Path(__file__).resolve().parent


def amin_data(seed: int, n: int = 10, modes: int = 8, keep: float = 0.9, rows: int = 1000):
    """The mode mixture: every state with its exact probability, and ``rows`` drawn rows."""
    rng = np.random.default_rng(seed)
    centres = rng.integers(0, 2, (modes, n))
    states = (np.arange(2 ** n)[:, None] >> np.arange(n - 1, -1, -1)) & 1
    distance = (states[:, None, :] != centres[None, :, :]).sum(axis=2)
    probabilities = (keep ** (n - distance) * (1 - keep) ** distance).mean(axis=1)
    drawn = states[rng.choice(2 ** n, size=rows, p=probabilities)]
    return states.astype(float), probabilities, drawn.astype(float)


def train_curve(model, data, phase, kl, steps: int, rate: float, seed: int, checkpoints):
    curve = {}

    def record(trainer, epoch_record):
        if trainer.epochs_done in checkpoints:
            curve[trainer.epochs_done] = kl(trainer.model)

    start = time.perf_counter()
    qbm.train(model, data, phase, epochs=steps, batch_size=len(data), learning_rate=rate, optimizer="adam",
              schedule=SCHEDULE, random_state=seed, progress=False, callbacks=[record])
    return curve, time.perf_counter() - start


def amin() -> dict:
    steps, rate, checkpoints = 300, 0.05, (1, 10, 30, 100, 300)
    plotted = sorted(set(np.geomspace(1, steps, 30).round().astype(int).tolist()) | set(checkpoints))
    print(f"## Amin et al.'s synthetic data: N = 10, 8 modes, p = 0.9; exact KL(data ‖ model) in nats; Adam {rate}, "
          f"{SCHEDULE} rate, full batch of 1,000 drawn rows, {steps} steps; median over seeds {SEEDS}")
    print("| model | " + " | ".join(f"step {c}" for c in checkpoints) + " | final per seed | time per run |")
    print("|---|" + "---|" * (len(checkpoints) + 2))
    rows = {"fully visible BM (classical, exact gradient)": "classical",
            "QBM, exact gradient, Γ learned (from 2)": "qbm",
            "bQBM (the bound), Γ = 2 fixed": "bqbm"}
    curves = {}
    for name, kind in rows.items():
        runs, times = [], []
        for seed in SEEDS:
            states, target, drawn = amin_data(seed)
            if kind == "classical":
                model = qbm.BoltzmannMachine(10, random_state=seed)
                phase = qbm.ExactPhase()

                def kl(m, states=states, target=target):
                    return qbm.metrics.kl_divergence(m, states, target)
            else:
                model = QuantumBoltzmannMachine(10, transverse_field=2.0, random_state=seed)
                phase = ExactQuantumPhase() if kind == "qbm" else BoundPhase()

                def kl(m, states=states, target=target):
                    return kl_divergence(m, states, target)
            curve, seconds = train_curve(model, drawn, phase, kl, steps, rate, seed, plotted)
            runs.append([curve[c] for c in plotted])
            times.append(seconds)
        runs = np.array(runs)
        curves[name] = runs
        median = np.median(runs[:, [plotted.index(c) for c in checkpoints]], axis=0)
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in median) + " | "
              + ", ".join(f"{r[-1]:.3f}" for r in runs) + f" | {np.median(times):.1f} s |", flush=True)
    _plot(curves, plotted, f"Amin et al.'s data (N = 10, 8 modes, p = 0.9), Adam {rate}, {SCHEDULE} rate")
    return curves


def _plot(curves: dict, steps, title: str) -> None:
    """Median KL curve of each model with the band between the best and worst seed."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = figure.subplots()
    for name, runs in curves.items():
        line, = ax.plot(steps, np.median(runs, axis=0), label=name)
        ax.fill_between(steps, runs.min(axis=0), runs.max(axis=0), color=line.get_color(), alpha=0.2, linewidth=0)
    qbm.plots.plain_log_axis(ax, "x")
    qbm.plots.plain_log_axis(ax)
    ax.set_xlabel("training step")
    ax.set_ylabel("KL(data ‖ model), nats")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, title=f"median and range over seeds {SEEDS}", title_fontsize=8)
    path = HERE / "quantum_kl.png"
    figure.savefig(path, dpi=150)
    record_figure(path)


def bars() -> None:
    data = qbm.datasets.bars_and_stripes(3)
    steps, rate, checkpoints = 200, 0.05, (1, 50, 200)
    print(f"## bars-and-stripes 3×3, semi-restricted, 9 visible + 1 hidden unit; exact KL(data ‖ model); Adam {rate}, "
          f"{SCHEDULE} rate, full batch, {steps} steps; median over seeds {SEEDS}")
    print("| model and phase | " + " | ".join(f"step {c}" for c in checkpoints) + " | final per seed | time per run |")
    print("|---|" + "---|" * (len(checkpoints) + 2))
    variants = {
        "classical (Γ = 0), exact gradient": (0.0, lambda: qbm.ExactPhase()),
        "QRBM Γ = 1 on the hidden unit, bound, exact negative phase": (1.0, lambda: BoundPhase()),
        "QRBM Γ = 1, bound, Trotter negative phase (GibbsSampler, M = 16, 200 reads × 200 sweeps)":
            (1.0, lambda: BoundPhase(negative=TrotterPhase(qbm.GibbsSampler(), slices=16, num_reads=200,
                                                           num_sweeps=200))),
    }
    for name, (field, make) in variants.items():
        runs, times = [], []
        for seed in SEEDS:
            if field == 0.0:
                model = qbm.BoltzmannMachine(9, 1, QuantumBoltzmannMachine.semi_restricted(9, 1).edges,
                                             random_state=seed)

                def kl(m):
                    return qbm.metrics.kl_divergence(m, data)
            else:
                model = QuantumBoltzmannMachine.semi_restricted(9, 1, transverse_field=field, random_state=seed)

                def kl(m):
                    return kl_divergence(m, data)
            curve, seconds = train_curve(model, data, make(), kl, steps, rate, seed, checkpoints)
            runs.append([curve[c] for c in checkpoints])
            times.append(seconds)
        median = np.median(np.array(runs), axis=0)
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in median) + " | "
              + ", ".join(f"{r[-1]:.3f}" for r in runs) + f" | {np.median(times):.1f} s |", flush=True)


def costs() -> None:
    from _harness import median_time

    print("## cost of one step (this machine)")
    print("| what | size | time |")
    print("|---|---|---|")
    for n in (8, 10, 12):
        model = QuantumBoltzmannMachine(n, random_state=0)
        rows = np.random.default_rng(0).integers(0, 2, (100, n))
        seconds = median_time(lambda: qbm.gradient(ExactQuantumPhase(), model, rows), repeat=3)
        print(f"| exact QBM gradient (both sides), fully visible | n = {n} ({2 ** n} states) | {seconds:.3f} s |")
    model = QuantumBoltzmannMachine(10, random_state=0)
    for slices in (4, 8, 16, 32):
        phase = TrotterPhase(qbm.GibbsSampler(), slices=slices, num_reads=200, num_sweeps=200)
        seconds = median_time(lambda: phase.statistics(model, None, random_state=0), repeat=3)
        print(f"| TrotterPhase call, GibbsSampler 200 reads × 200 sweeps | n = 10, M = {slices} "
              f"({10 * slices} variables) | {seconds:.3f} s |")


if __name__ == "__main__":
    run_parts(__file__, {"amin": amin, "bars": bars, "costs": costs})
