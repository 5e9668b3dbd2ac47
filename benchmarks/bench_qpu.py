"""The QPU path offline, on a mock annealer as unkind as real hardware.

    python benchmarks/bench_qpu.py            # about 45 minutes on 2 cores (two runs at a time)

1. Temperature recovery: native-graph BM (no chains) and an embedded 9×6 RBM for several
   chain strengths; the hardware's β is estimated as β_eff (logical, maximum
   pseudo-likelihood) × the scale qbm submitted.
2. Training an RBM 9×6 on bars-and-stripes 3×3 through the mock with ideal equilibrium
   hardware (exact samples of the embedded problem at the hidden β): the hardware's
   samples alone, calibrated or not, and ``qpu_phase``'s defaults, against ExactSampler.
3. Training an RBM 16×8 on bars-and-stripes 4×4 for 3000 epochs through
   ``mock_qpu(4)`` — a Pegasus P4 whose hardware is ``MockAnnealer()`` with its
   documented defaults (hidden β = 3, freeze-out, control errors, persistent qubit
   biases) — one row per remedy alone, all combined (post-processing alone is
   ``qpu_phase``'s default), and neal used directly; QPU calls and the QPU access
   time an Advantage system would charge, per run.
4. Held-out hardware: ``qpu_phase``'s defaults on other hidden β, anneal lengths and
   noise levels.
5. Copies side by side (part ``copies``, about 40 minutes): the training of section 3 on an
   Advantage-size chip (``mock_qpu(16)``, Pegasus P16), one copy per call against
   ``copies="auto"``, with the QPU access time per sample.

Runs of sections 3 and 4 go two at a time (one per core), so their wall times are
under that load; the QPU time is the modelled charge, independent of this machine.
"""
from __future__ import annotations

import time
import warnings
from concurrent.futures import ProcessPoolExecutor

import networkx as nx
import numpy as np

import qbm
from _harness import run_parts
from qbm.samplers import QPUSampler, native_embedding
from qbm.samplers.testing import HiddenTemperatureSampler, MockAnnealer, mock_qpu

BETA_HIDDEN = 3.0
SEEDS = (0, 1, 2)
EPOCHS = 3000
READS = 200
RATE = 0.05

PHASES = {  # row: (hardware, qpu_phase keyword arguments, or None for neal used directly)
    "hardware samples only, calibrated (the path before these remedies)": ("unkind", {"postprocess_sweeps": 0}),
    "+ spin-reversal transforms only (4 gauges)": ("unkind", {"postprocess_sweeps": 0, "spin_reversal_transforms": 4}),
    "+ persistent reverse anneal only": ("unkind", {"postprocess_sweeps": 0, "reverse_anneal": True}),
    "+ Gibbs post-processing only = qpu_phase defaults": ("unkind", {}),
    "all three combined": ("unkind", {"spin_reversal_transforms": 4, "reverse_anneal": True}),
    "neal used directly (200 reads × 100 sweeps, β 0.05→1 linear), no QPU": ("none", None),
}
HELD_OUT = {  # MockAnnealer keyword arguments that differ from its defaults
    "hidden β = 1.5": {"beta": 1.5},
    "hidden β = 6": {"beta": 6.0},
    "short anneal (20 sweeps: strong freeze-out)": {"sweeps_per_microsecond": 1.0},
    "long anneal (500 sweeps)": {"sweeps_per_microsecond": 25.0},
    "3× control errors and qubit biases": {"h_noise": 0.09, "j_noise": 0.06, "qubit_bias": 0.06},
}


def temperatures() -> None:
    print(f"## hardware β recovered from samples (hidden β = {BETA_HIDDEN}; native BM on a mock Pegasus P4, RBM on a "
          "mock Pegasus P3; annealing hardware without control errors, 300 sweeps)")
    print("| model | chain strength (Ising) | scale submitted | logical β_eff | β_eff × scale | chain-break fraction |")
    print("|---|---|---|---|---|---|")
    quiet = dict(h_noise=0.0, j_noise=0.0, qubit_bias=0.0, sweeps_per_microsecond=15.0)
    qpu = mock_qpu(4, MockAnnealer(BETA_HIDDEN, **quiet))
    chip = qpu.to_networkx_graph()
    qubits = list(nx.bfs_tree(chip, sorted(chip.nodes)[len(chip) // 2]).nodes)[:40]
    bm = qbm.BoltzmannMachine.from_graph(chip.subgraph(qubits), hidden=qubits[::4], random_state=0)
    rng = np.random.default_rng(1)
    bm.weights[:] = rng.normal(0, 1.0, len(bm.weights))
    bm.biases[:] = rng.normal(0, 0.5, bm.n_units)
    info = QPUSampler(qpu, embedding=native_embedding(bm.node_labels)).sample(bm.to_bqm(), num_reads=4000).info
    print(f"| native-graph BM, {bm.n_units} qubits, no chains | — | {info['scale']:.3f} | {info['beta_eff']:.3f} | "
          f"{info['beta_eff'] * info['scale']:.2f} | {info['chain_break_fraction']:.3f} |")
    rbm = qbm.RBM(9, 6, weights=np.random.default_rng(0).normal(0, 0.5, (9, 6)))
    for hardware, strengths in (("exact", (None, 0.5)), ("anneal", (None, 0.5, 1.0, 4.0))):
        for strength in strengths:
            device = HiddenTemperatureSampler(BETA_HIDDEN) if hardware == "exact" else MockAnnealer(BETA_HIDDEN, **quiet)
            sampler = QPUSampler(mock_qpu(3, device), chain_strength=strength)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                info = sampler.sample(rbm.to_bqm(), num_reads=4000, seed=0).info
            shown = f"default: {info['chain_strength']:.2f}" if strength is None else f"{strength}"
            how = "exact at β 3" if hardware == "exact" else "annealed to β 3"
            print(f"| RBM 9×6 embedded (longest chain {max(map(len, sampler.embedding.values()))}), {how} | {shown} | "
                  f"{info['scale']:.3f} | {info['beta_eff']:.3f} | {info['beta_eff'] * info['scale']:.2f} | "
                  f"{info['chain_break_fraction']:.3f} |")


def train_once(hardware, options: dict | None, seed: int, chip: int = 4) -> dict:
    """One 3000-epoch run on bars-and-stripes 4×4 on a mock Pegasus P``chip``; what it reached and what it cost."""
    import neal

    data = qbm.datasets.bars_and_stripes(4)
    if options is None:
        phase = qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=READS, num_sweeps=100,
                                 beta_schedule_type="linear")
    else:
        device = MockAnnealer(**({} if hardware == "unkind" else hardware), seed=100 + seed)
        phase = qbm.qpu_phase(READS, sampler=mock_qpu(chip, device), **options)
    rbm = qbm.RBM(16, 8, random_state=seed)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the plain path warns when the model outgrows the hardware's β
        qbm.train(rbm, data, phase, epochs=EPOCHS, batch_size=len(data), learning_rate=RATE, optimizer="adam",
                  schedule="linear", random_state=seed, progress=False)
    qpu = phase.sampler
    while not isinstance(qpu, QPUSampler) and hasattr(qpu, "child"):
        qpu = qpu.child
    guard = phase.divergence_guard
    return {"kl": qbm.metrics.kl_divergence(rbm, data), "seconds": time.perf_counter() - start,
            "copies": len(getattr(qpu, "copy_embeddings", None) or [None]),
            "qpu_calls": getattr(qpu, "calls", 0), "qpu_seconds": getattr(qpu, "qpu_access_time", 0.0) / 1e6,
            "warned": bool(guard is not None and guard.fired)}


def run_all(rows: dict, seeds, chip: int = 4) -> dict:
    """Every (row, seed) run, two at a time; results grouped by row."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = {(name, seed): pool.submit(train_once, *spec, seed, chip) for name, spec in rows.items()
                   for seed in seeds}
        return {name: [futures[name, seed].result() for seed in seeds] for name in rows}


def equilibrium_training() -> None:
    data = qbm.datasets.bars_and_stripes(3)
    epochs = 150
    print(f"## RBM 9×6 on bars-and-stripes 3×3 through the equilibrium mock (Pegasus P3, exact samples at hidden β = "
          f"{BETA_HIDDEN}): exact KL(data ‖ model) after {epochs} epochs, Adam, full batch, {READS} reads; "
          f"median over seeds {SEEDS}")
    print("| negative phase | Adam 0.05: KL | per seed | Adam 0.1: KL | per seed | time per run |")
    print("|---|---|---|---|---|---|")
    phases = {
        "ExactSampler": lambda: qbm.SamplerPhase(qbm.ExactSampler(), num_reads=READS),
        "mock QPU, hardware samples only, calibrated": lambda: qbm.qpu_phase(
            READS, sampler=mock_qpu(3, HiddenTemperatureSampler(BETA_HIDDEN)), calibrate_every=1, postprocess_sweeps=0),
        "mock QPU, hardware samples only, not calibrated": lambda: qbm.qpu_phase(
            READS, sampler=mock_qpu(3, HiddenTemperatureSampler(BETA_HIDDEN)), calibrate=False, postprocess_sweeps=0),
        "mock QPU, qpu_phase defaults": lambda: qbm.qpu_phase(
            READS, sampler=mock_qpu(3, HiddenTemperatureSampler(BETA_HIDDEN)), calibrate_every=1),
    }
    for name, make in phases.items():
        cells, times = [], []
        for rate in (0.05, 0.1):
            finals = []
            for seed in SEEDS:
                rbm = qbm.RBM(9, 6, random_state=seed)
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    qbm.train(rbm, data, make(), epochs=epochs, batch_size=len(data), learning_rate=rate,
                              optimizer="adam", schedule="linear", random_state=seed,
                              progress=False)
                times.append(time.perf_counter() - start)
                finals.append(qbm.metrics.kl_divergence(rbm, data))
            cells += [f"{np.median(finals):.3f}", ", ".join(f"{v:.2f}" for v in finals)]
        print(f"| {name} | " + " | ".join(cells) + f" | {np.median(times):.1f} s |", flush=True)


def training() -> None:
    print(f"## RBM 16×8 on bars-and-stripes 4×4 through mock_qpu(4) (Pegasus P4; hardware MockAnnealer(): hidden β "
          f"{BETA_HIDDEN}, 100-sweep anneal, control errors, qubit biases): exact KL(data ‖ model) after {EPOCHS} "
          f"epochs, Adam {RATE} with linear decay, full batch, {READS} reads per call; median over seeds {SEEDS}")
    print("| negative phase | KL | per seed | runaway (KL > 5) | divergence warnings | QPU calls per run | "
          "QPU access time per run | wall time per run |")
    print("|---|---|---|---|---|---|---|---|")
    for name, runs in run_all(PHASES, SEEDS).items():
        kls = [r["kl"] for r in runs]
        print(f"| {name} | {np.median(kls):.3f} | {', '.join(f'{k:.3f}' for k in kls)} | "
              f"{sum(k > 5 for k in kls)} of {len(kls)} | {sum(r['warned'] for r in runs)} of {len(runs)} | "
              f"{np.median([r['qpu_calls'] for r in runs]):.0f} | {np.median([r['qpu_seconds'] for r in runs]):.1f} s | "
              f"{np.median([r['seconds'] for r in runs]):.0f} s |", flush=True)


COPIES = {  # row: qpu_phase keyword arguments on an Advantage-size chip
    "qpu_phase defaults: one copy per call": {},
    'qpu_phase(copies="auto"): every copy that fits, one call': {"copies": "auto"},
}


def copies() -> None:
    print(f"## Copies of the model side by side: RBM 16×8 on bars-and-stripes 4×4 through mock_qpu(16) (Pegasus P16, "
          f"an Advantage-size chip; hardware MockAnnealer()), {READS} samples per step, the task and budget above; "
          f"median over seeds {SEEDS}")
    print("| negative phase | KL | per seed | copies per call | QPU calls per run | QPU access time per run | "
          "QPU access time per sample | wall time per run |")
    print("|---|---|---|---|---|---|---|---|")
    results = run_all({name: ("unkind", options) for name, options in COPIES.items()}, SEEDS, chip=16)
    per_sample = {}
    for name, runs in results.items():
        kls = [r["kl"] for r in runs]
        per_sample[name] = np.median([r["qpu_seconds"] / (EPOCHS * READS) for r in runs])
        print(f"| {name} | {np.median(kls):.3f} | {', '.join(f'{k:.3f}' for k in kls)} | "
              f"{np.median([r['copies'] for r in runs]):.0f} | {np.median([r['qpu_calls'] for r in runs]):.0f} | "
              f"{np.median([r['qpu_seconds'] for r in runs]):.1f} s | {per_sample[name] * 1e6:.1f} µs | "
              f"{np.median([r['seconds'] for r in runs]):.0f} s |", flush=True)
    one, many = per_sample.values()
    print(f"\nQPU access time per sample, one copy per call / every copy in one call: {one / many:.2f}×")


def held_out() -> None:
    print(f"## qpu_phase defaults on other hardware (same task and budget as above; median over seeds {SEEDS[:2]})")
    print("| hardware (MockAnnealer defaults but) | KL | per seed | divergence warnings |")
    print("|---|---|---|---|")
    rows = {name: (hardware, {}) for name, hardware in HELD_OUT.items()}
    for name, runs in run_all(rows, SEEDS[:2]).items():
        kls = [r["kl"] for r in runs]
        print(f"| {name} | {np.median(kls):.3f} | {', '.join(f'{k:.3f}' for k in kls)} | "
              f"{sum(r['warned'] for r in runs)} of {len(runs)} |", flush=True)


def costs() -> None:
    """What one training step's pieces cost: modelled QPU time against the classical post-processing here."""
    from qbm.samplers.composites import GibbsPostProcessingComposite
    from _harness import median_time

    rbm = qbm.RBM(16, 8, random_state=0)
    bqm = rbm.to_bqm()
    frozen = qbm.ExactSampler().sample(bqm, num_reads=READS, seed=0)

    class Replay(qbm.ExactSampler):  # hands back the same samples: times the post-processing alone
        def sample(self, bqm, **kwargs):
            return frozen

    post = GibbsPostProcessingComposite(Replay())
    seconds = median_time(lambda: post.sample(bqm, num_reads=READS, seed=0), repeat=21)
    qpu = QPUSampler(mock_qpu(4))
    plain = qpu.sample(bqm, num_reads=READS, seed=0).info["qpu_access_time"]
    gauged = QPUSampler(mock_qpu(4), spin_reversal_transforms=4).sample(bqm, num_reads=READS, seed=0)
    print(f"## cost of one step of RBM 16×8, {READS} reads")
    print("| piece | time per step |")
    print("|---|---|")
    print(f"| QPU access time, one call (modelled, Advantage) | {plain / 1e3:.1f} ms |")
    print(f"| QPU access time with 4 spin-reversal gauges (4 calls) | {gauged.info['qpu_access_time'] / 1e3:.1f} ms |")
    print(f"| Gibbs post-processing, 100 sweeps of {READS} chains (measured here) | {seconds * 1e3:.1f} ms |")


if __name__ == "__main__":
    run_parts(__file__, {"temperatures": temperatures, "equilibrium": equilibrium_training, "training": training,
                         "held-out": held_out, "costs": costs, "copies": copies})
