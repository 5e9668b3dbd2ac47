"""The QPU path offline: MockDWaveSampler whose samples are drawn at a hidden inverse temperature.

    python benchmarks/bench_qpu.py

1. Temperature recovery: native-graph BM (no chains) and an embedded 9×6 RBM for several
   chain strengths; the hardware's β is estimated as β_eff (logical, maximum
   pseudo-likelihood) × the scale qbm submitted.
2. Training an RBM on bars-and-stripes 3×3 through the mock (exact samples of the
   embedded problem at the hidden β), with and without calibration, against the same
   recipe with ExactSampler (exact KL after training, two learning rates).
"""
from __future__ import annotations

import time
import warnings

import networkx as nx
import numpy as np

import qbm
from qbm.samplers import QPUSampler, native_embedding
from qbm.samplers.testing import HiddenTemperatureSampler, mock_qpu

BETA_HIDDEN = 3.0


def mock(shape=4, method="anneal"):
    return mock_qpu(shape, HiddenTemperatureSampler(BETA_HIDDEN, method=method))


def temperatures() -> None:
    print(f"## hardware β recovered from samples (hidden β = {BETA_HIDDEN}; native BM on a mock Pegasus P4 with neal "
          "annealed to it, RBM on a mock Pegasus P3)")
    print("| model | chain strength (Ising) | scale submitted | logical β_eff | β_eff × scale | chain-break fraction |")
    print("|---|---|---|---|---|---|")
    qpu = mock()
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
            sampler = QPUSampler(mock(3, hardware), chain_strength=strength)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                info = sampler.sample(rbm.to_bqm(), num_reads=4000, seed=0).info
            shown = f"default: {info['chain_strength']:.2f}" if strength is None else f"{strength}"
            how = "exact at β 3" if hardware == "exact" else "neal annealed to β 3"
            print(f"| RBM 9×6 embedded (longest chain {max(map(len, sampler.embedding.values()))}), {how} | {shown} | "
                  f"{info['scale']:.3f} | {info['beta_eff']:.3f} | {info['beta_eff'] * info['scale']:.2f} | "
                  f"{info['chain_break_fraction']:.3f} |")


def training() -> None:
    data = qbm.datasets.bars_and_stripes(3)
    epochs, seeds = 150, (0, 1, 2)
    print(f"## RBM 9×6 on bars-and-stripes 3×3 through the mock (Pegasus P3, exact samples at hidden β = "
          f"{BETA_HIDDEN}): exact KL(data ‖ model) after {epochs} epochs, Adam, full batch, 200 reads; "
          f"median over seeds {seeds}")
    print("| negative phase | Adam 0.05: KL | per seed | Adam 0.1: KL | per seed | embedding searches | time per run |")
    print("|---|---|---|---|---|---|---|")
    for name in ("ExactSampler", "mock QPU, calibrated", "mock QPU, not calibrated"):
        cells, searches, times = [], set(), []
        for rate in (0.05, 0.1):
            finals = []
            for seed in seeds:
                if name == "ExactSampler":
                    phase = qbm.SamplerPhase(qbm.ExactSampler(), num_reads=200)
                else:
                    phase = qbm.qpu_phase(200, sampler=mock(3, "exact"), calibrate="not" not in name, calibrate_every=1)
                rbm = qbm.RBM(9, 6, random_state=seed)
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    qbm.train(rbm, data, phase, epochs=epochs, batch_size=len(data), learning_rate=rate,
                              optimizer="adam", schedule=lambda epoch: 1 - epoch / epochs, random_state=seed,
                              progress=False)
                times.append(time.perf_counter() - start)
                finals.append(qbm.metrics.kl_divergence(rbm, data))
                searches.add(getattr(phase.sampler, "embedding_searches", "—"))
            cells += [f"{np.median(finals):.3f}", ", ".join(f"{v:.2f}" for v in finals)]
        print(f"| {name} | " + " | ".join(cells) + f" | {', '.join(map(str, searches))} | "
              f"{np.median(times):.1f} s |", flush=True)


if __name__ == "__main__":
    temperatures()
    print()
    training()
