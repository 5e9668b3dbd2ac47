"""The QPU path offline: MockDWaveSampler whose samples are drawn at a hidden inverse temperature.

    python benchmarks/bench_qpu.py

1. Temperature recovery: native-graph BM (no chains) and an embedded 9×6 RBM for several
   chain strengths; the hardware's β is estimated as β_eff (logical, maximum
   pseudo-likelihood) × the scale qbm submitted.
2. Training an RBM on bars-and-stripes 3×3 through the mock, with and without
   calibration, against the same recipe with ExactSampler (exact KL per epoch).
"""
from __future__ import annotations

import time
import warnings

import neal
import networkx as nx
import numpy as np
from dwave.system.testing import MockDWaveSampler

import qbm
from qbm.samplers import QPUSampler, native_embedding

BETA_HIDDEN = 3.0


class AnnealTo:
    """neal annealed from β = 0.1 to β = BETA_HIDDEN: the stand-in hardware."""

    parameters = {"num_reads": []}
    properties: dict = {}

    def __init__(self, seed=7):
        self.rng = np.random.default_rng(seed)

    def sample(self, bqm, num_reads=10, **hardware_options):
        return neal.SimulatedAnnealingSampler().sample(bqm, num_reads=num_reads, num_sweeps=300,
                                                       beta_range=(0.1, BETA_HIDDEN),
                                                       seed=int(self.rng.integers(2 ** 31 - 1)))


def mock(shape=4):
    return MockDWaveSampler(topology_type="pegasus", topology_shape=[shape], substitute_sampler=AnnealTo(),
                            exact_solver_cutoff=0, parameter_warnings=False)


def temperatures() -> None:
    print(f"## hardware β recovered from samples (hidden β = {BETA_HIDDEN}; mock Pegasus P4, neal annealed to it)")
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
    for strength in (None, 0.5, 1.0, 2.0, 4.0):
        sampler = QPUSampler(qpu, chain_strength=strength)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = sampler.sample(rbm.to_bqm(), num_reads=4000, seed=0).info
        shown = "default (1.5 × largest Ising bias)" if strength is None else f"{strength}"
        print(f"| RBM 9×6 embedded (longest chain {max(map(len, sampler.embedding.values()))}) | {shown} | "
              f"{info['scale']:.3f} | {info['beta_eff']:.3f} | {info['beta_eff'] * info['scale']:.2f} | "
              f"{info['chain_break_fraction']:.3f} |")


def training() -> None:
    data = qbm.datasets.bars_and_stripes(3)
    epochs = 150
    print(f"## RBM 9×6 on bars-and-stripes 3×3 through the mock: exact KL(data ‖ model), Adam 0.1, full batch, "
          f"{epochs} epochs, 200 reads")
    checkpoints = (1, 10, 50, 100, 150)
    print("| negative phase | " + " | ".join(f"epoch {c}" for c in checkpoints) + " | embedding searches | time |")
    print("|---|" + "---|" * (len(checkpoints) + 2))
    for name in ("ExactSampler", "mock QPU, calibrated (every 5 calls)", "mock QPU, not calibrated"):
        if name == "ExactSampler":
            phase = qbm.SamplerPhase(qbm.ExactSampler(), num_reads=200)
        else:
            phase = qbm.qpu_phase(200, sampler=mock(3), calibrate="not" not in name, calibrate_every=5)
        rbm = qbm.RBM(9, 6, random_state=0)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            history = qbm.train(rbm, data, phase, epochs=epochs, batch_size=len(data), learning_rate=0.1,
                                optimizer="adam", schedule=lambda epoch: 1 - epoch / epochs, random_state=0,
                                progress=False, metrics={"kl": lambda m: qbm.metrics.kl_divergence(m, data)})
        seconds = time.perf_counter() - start
        searches = getattr(phase.sampler, "embedding_searches", "—")
        print(f"| {name} | " + " | ".join(f"{history['kl'][c - 1]:.3f}" for c in checkpoints)
              + f" | {searches} | {seconds:.1f} s |", flush=True)


if __name__ == "__main__":
    temperatures()
    print()
    training()
