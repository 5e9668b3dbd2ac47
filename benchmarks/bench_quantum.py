"""Quantum Boltzmann machines: Amin et al.'s synthetic data, a QRBM on bars-and-stripes, and the costs.

    python benchmarks/bench_quantum.py          # parts 1-4, about 10 minutes on 2 cores; writes quantum_kl.png

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
4. The path-integral negative phase (dwave-samplers' worldline sampler, ``PathIntegralPhase``)
   against ``TrotterPhase`` + ``GibbsSampler``: the error of the model-side statistics against
   the exact layer per second spent, at small and large Γ, and the QRBM of part 2 with one
   field on every unit (the sampler takes one Γ for all qubits) trained through each.
5. ``best``: the models of part 1 at each one's best — full-batch exact gradients leave the
   rate and the length as the only settings, so each runs 1,000 steps at two rates and the
   table gives the least KL along the way — and the trajectory of the learned Γ.  Up to an
   hour on 2 cores (``python benchmarks/bench_quantum.py best``; two runs at a time).
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

import qbm
import qbm.plots
from _harness import record_figure, run_parts
from qbm.quantum import (BoundPhase, ExactQuantumPhase, PathIntegralPhase, QuantumBoltzmannMachine, TrotterPhase,
                         kl_divergence)

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


def train_curve(model, data, phase, measure, steps: int, rate: float, seed: int, checkpoints):
    """``measure(model)`` at each checkpoint of a full-batch run, and the run's seconds."""
    curve = {}

    def record(trainer, epoch_record):
        if trainer.epochs_done in checkpoints:
            curve[trainer.epochs_done] = measure(trainer.model)

    start = time.perf_counter()
    qbm.train(model, data, phase, epochs=steps, batch_size=len(data), learning_rate=rate, optimizer="adam",
              schedule=SCHEDULE, random_state=seed, progress=False, callbacks=[record])
    return curve, time.perf_counter() - start


AMIN_MODELS = {"classical": "fully visible BM (classical, exact gradient)",
               "qbm": "QBM, exact gradient, Γ learned (from 2)",
               "bqbm": "bQBM (the bound), Γ = 2 fixed"}


def amin_model(kind: str, seed: int):
    """Model, phase and exact KL(data ‖ model) of one row of the comparison on Amin et al.'s data."""
    states, target, drawn = amin_data(seed)
    if kind == "classical":
        return (qbm.BoltzmannMachine(10, random_state=seed), qbm.ExactPhase(),
                lambda m: qbm.metrics.kl_divergence(m, states, target), drawn)
    model = QuantumBoltzmannMachine(10, transverse_field=2.0, random_state=seed)
    phase = ExactQuantumPhase() if kind == "qbm" else BoundPhase()
    return model, phase, lambda m: kl_divergence(m, states, target), drawn


def amin() -> dict:
    steps, rate, checkpoints = 300, 0.05, (1, 10, 30, 100, 300)
    plotted = sorted(set(np.geomspace(1, steps, 30).round().astype(int).tolist()) | set(checkpoints))
    print(f"## Amin et al.'s synthetic data: N = 10, 8 modes, p = 0.9; exact KL(data ‖ model) in nats; Adam {rate}, "
          f"{SCHEDULE} rate, full batch of 1,000 drawn rows, {steps} steps; median over seeds {SEEDS}")
    print("| model | " + " | ".join(f"step {c}" for c in checkpoints) + " | final per seed | time per run |")
    print("|---|" + "---|" * (len(checkpoints) + 2))
    curves = {}
    for kind, name in AMIN_MODELS.items():
        runs, times = [], []
        for seed in SEEDS:
            model, phase, kl, drawn = amin_model(kind, seed)
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


BEST_RATES, BEST_STEPS = (0.05, 0.1), 1000
BEST_CHECKPOINTS = (30, 100, 300, 1000)


def _best_run(kind: str, rate: float, seed: int) -> dict:
    """One long run of the comparison: KL, and the mean, least and largest Γ, at every plotted step."""
    from threadpoolctl import threadpool_limits

    steps = sorted(set(np.geomspace(1, BEST_STEPS, 40).round().astype(int).tolist()) | set(BEST_CHECKPOINTS))
    model, phase, kl, drawn = amin_model(kind, seed)

    def measures(m):
        field = getattr(m, "transverse_field", np.zeros(1))
        return kl(m), float(field.mean()), float(field.min()), float(field.max())

    with threadpool_limits(1):   # two runs at a time, one core each
        curve, _ = train_curve(model, drawn, phase, measures, BEST_STEPS, rate, seed, steps)
    return {"steps": steps, "values": np.array([curve[c] for c in steps])}


def best() -> None:
    """Each model at the rate and length where it does best, and the trajectory of the learned Γ."""
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(kind, rate, seed) for kind in AMIN_MODELS for rate in BEST_RATES for seed in SEEDS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        runs = dict(zip(jobs, pool.map(_best_run, *zip(*jobs))))
    steps = runs[jobs[0]]["steps"]
    print(f"## Amin et al.'s data, each model at its best: exact KL(data ‖ model), Adam at each rate, {SCHEDULE} "
          f"rate, full batch, up to {BEST_STEPS:,} steps; median over seeds {SEEDS}")
    print("| model | rate | " + " | ".join(f"step {c:,}" for c in BEST_CHECKPOINTS)
          + f" | least (step) | at step {BEST_STEPS:,} per seed |")
    print("|---|---|" + "---|" * (len(BEST_CHECKPOINTS) + 2))
    for kind, name in AMIN_MODELS.items():
        for rate in BEST_RATES:
            kl = np.array([runs[kind, rate, seed]["values"][:, 0] for seed in SEEDS])
            median = np.median(kl, axis=0)
            least = int(np.argmin(median))
            print(f"| {name} | {rate:g} | " + " | ".join(f"{median[steps.index(c)]:.3f}" for c in BEST_CHECKPOINTS)
                  + f" | {median[least]:.3f} ({steps[least]:,}) | " + ", ".join(f"{v:.3f}" for v in kl[:, -1])
                  + " |", flush=True)
    print("\n## the learned transverse field of the QBM (from Γ = 2 on every unit): mean over the units, and their "
          "range, per seed")
    print("| rate | step | " + " | ".join(f"seed {seed}: mean (range)" for seed in SEEDS) + " |")
    print("|---|---|" + "---|" * len(SEEDS))
    for rate in BEST_RATES:
        for c in sorted({1, 10, *BEST_CHECKPOINTS}):
            cells = [runs["qbm", rate, seed]["values"][steps.index(c)] for seed in SEEDS]
            print(f"| {rate:g} | {c:,} | " + " | ".join(f"{v[1]:.3f} ({v[2]:.2f} to {v[3]:.2f})" for v in cells)
                  + " |", flush=True)
    _plot_field(runs, steps)


def _plot_field(runs: dict, steps) -> None:
    """The learned Γ against the step: the mean over units of each seed, with the band between its least and
    largest unit."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = figure.subplots()
    for rate, style in zip(BEST_RATES, ("-", "--")):
        for seed in SEEDS:
            values = runs["qbm", rate, seed]["values"]
            line, = ax.plot(steps, values[:, 1], style, label=f"rate {rate:g}, seed {seed}")
            ax.fill_between(steps, values[:, 2], values[:, 3], color=line.get_color(), alpha=0.1, linewidth=0)
    qbm.plots.plain_log_axis(ax, "x")
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_xlabel("training step")
    ax.set_ylabel("transverse field Γ")
    ax.set_title("QBM on Amin et al.'s data, Γ learned from 2: mean over units (band: least to largest)", fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7, ncol=2)
    path = HERE / "quantum_field.png"
    figure.savefig(path, dpi=150)
    record_figure(path)


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
    variants = {
        "classical (Γ = 0), exact gradient": (0.0, lambda: qbm.ExactPhase()),
        "QRBM Γ = 1 on the hidden unit, bound, exact negative phase": (1.0, lambda: BoundPhase()),
        "QRBM Γ = 1, bound, Trotter negative phase (GibbsSampler, M = 16, 200 reads × 200 sweeps)":
            (1.0, lambda: BoundPhase(negative=TrotterPhase(qbm.GibbsSampler(), slices=16, num_reads=200,
                                                           num_sweeps=200))),
    }
    train_bars(variants)


def train_bars(variants: dict, uniform: bool = False) -> None:
    """Each variant ``name: (Γ, make_phase)`` trained on bars-and-stripes 3×3, semi-restricted 9 + 1 units:
    Γ on the hidden unit, or with ``uniform`` on every unit."""
    data = qbm.datasets.bars_and_stripes(3)
    steps, rate, checkpoints = 200, 0.05, (1, 50, 200)
    where = "every unit" if uniform else "the hidden unit"
    print(f"## bars-and-stripes 3×3, semi-restricted, 9 visible + 1 hidden unit, Γ on {where}; exact KL(data ‖ model); "
          f"Adam {rate}, {SCHEDULE} rate, full batch, {steps} steps; median over seeds {SEEDS}")
    print("| model and phase | " + " | ".join(f"step {c}" for c in checkpoints) + " | final per seed | time per run |")
    print("|---|" + "---|" * (len(checkpoints) + 2))
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
                if uniform:
                    model.transverse_field = np.full(model.n_units, field)

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


def random_qbm(n: int, field: float, seed: int) -> QuantumBoltzmannMachine:
    """A fully visible QBM with weights and biases N(0, 0.7²) and Γ on every unit."""
    rng = np.random.default_rng(seed)
    model = QuantumBoltzmannMachine(n, transverse_field=field, random_state=seed)
    model.weights[:] = rng.normal(0, 0.7, len(model.weights))
    model.biases[:] = rng.normal(0, 0.7, n)
    return model


def statistic_errors(phase, model, seeds) -> tuple[float, float, float]:
    """Median seconds per call, and the RMS error over seeds of the diagonal statistics (⟨s_i⟩ and
    ⟨s_i s_j⟩ together) and of ⟨σˣ⟩, against the exact layer."""
    exact = ExactQuantumPhase().statistics(model, None)
    diagonal, sigma_x, times = [], [], []
    for seed in seeds:
        start = time.perf_counter()
        estimate = phase.statistics(model, None, random_state=seed)
        times.append(time.perf_counter() - start)
        diagonal.append(np.concatenate([estimate[k] - exact[k] for k in ("biases", "weights")]))
        sigma_x.append(estimate["transverse_field"] - exact["transverse_field"])
    rms = [float(np.sqrt(np.mean(np.square(errors)))) for errors in (diagonal, sigma_x)]
    return float(np.median(times)), rms[0], rms[1]


def path_integral() -> None:
    n, reads, target, seeds = 10, 1000, 0.02, (0, 1, 2)
    print(f"## model-side statistics of a fully visible QBM, n = {n}, weights and biases N(0, 0.7²), {reads} reads "
          f"a call; RMS error against the exact layer over seeds {seeds} (sampling noise alone: about "
          f"{0.5 / np.sqrt(reads):.3f} at most)")
    print("| Γ | phase | sweeps per read | seconds per call | RMS error ⟨s⟩, ⟨ss⟩ | RMS error ⟨σˣ⟩ |")
    print("|---|---|---|---|---|---|")
    reached = {}
    for field in (0.2, 2.0):
        model = random_qbm(n, field, seed=7)
        ladders = {"PathIntegralPhase": [(s, PathIntegralPhase(num_reads=reads, num_sweeps=s))
                                         for s in (5, 10, 20, 50, 100)],
                   "TrotterPhase (GibbsSampler, M = 16)": [
                       (s, TrotterPhase(qbm.GibbsSampler(), slices=16, num_reads=reads, num_sweeps=s))
                       for s in (20, 50, 100, 200, 500, 1000, 2000)]}
        for name, ladder in ladders.items():
            for sweeps, phase in ladder:
                seconds, diagonal, sigma_x = statistic_errors(phase, model, seeds)
                print(f"| {field} | {name} | {sweeps} | {seconds:.3f} | {diagonal:.4f} | {sigma_x:.4f} |", flush=True)
                if diagonal <= target and (field, name) not in reached:
                    reached[(field, name)] = (sweeps, seconds)
    print(f"\n## time to an RMS error ≤ {target} of ⟨s⟩, ⟨ss⟩ (the cheapest setting above that reaches it)")
    print("| Γ | PathIntegralPhase | TrotterPhase + GibbsSampler | Trotter's time ÷ path integral's |")
    print("|---|---|---|---|")
    for field in (0.2, 2.0):
        cells = [reached.get((field, name)) for name in ("PathIntegralPhase", "TrotterPhase (GibbsSampler, M = 16)")]
        text = [f"{c[1]:.3f} s ({c[0]} sweeps)" if c else "not reached" for c in cells]
        ratio = f"{cells[1][1] / cells[0][1]:.1f}" if all(cells) else "—"
        print(f"| {field} | {text[0]} | {text[1]} | {ratio} |", flush=True)
    print()
    train_bars({
        "QRBM Γ = 1, bound, exact negative phase": (1.0, lambda: BoundPhase()),
        "QRBM Γ = 1, bound, PathIntegralPhase (200 reads × 100 sweeps)":
            (1.0, lambda: BoundPhase(negative=PathIntegralPhase(num_reads=200, num_sweeps=100))),
        "QRBM Γ = 1, bound, Trotter negative phase (GibbsSampler, M = 16, 200 reads × 200 sweeps)":
            (1.0, lambda: BoundPhase(negative=TrotterPhase(qbm.GibbsSampler(), slices=16, num_reads=200,
                                                           num_sweeps=200))),
    }, uniform=True)


if __name__ == "__main__":
    run_parts(__file__, {"amin": amin, "best": best, "bars": bars, "costs": costs, "path_integral": path_integral})
