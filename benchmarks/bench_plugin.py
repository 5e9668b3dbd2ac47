"""D-Wave's dwave-pytorch-plugin against qbm on bars-and-stripes 4×4, the same budget.

    pip install torch==2.13.0 dwave-pytorch-plugin     # the CPU build of torch
    python benchmarks/bench_plugin.py

Both train an RBM 16×8 (the plugin: a GraphRestrictedBoltzmannMachine on the complete
bipartite graph, hidden units summed out exactly with kind="exact-disc") for 3000 epochs,
full batch, Adam with a linearly decaying rate, 200 chains; the model side comes from
persistent block-Gibbs chains advanced 10 sweeps at β = 1 per step (the plugin's
BlockSampler; qbm's PCD(200, k=10)), and, for qbm, also from fresh annealed chains.
Exact KL(data ‖ model) at the end, median over seeds 0, 1, 2, wall time per run.
"""
from __future__ import annotations

import statistics
import time

import dimod
import numpy as np
import torch
from _harness import machine, run_parts
from dwave.plugins.torch.models import GraphRestrictedBoltzmannMachine
from dwave.plugins.torch.samplers import BlockSampler

import qbm

EPOCHS, CHAINS, SWEEPS, SEEDS = 3000, 200, 10, (0, 1, 2)
N_VISIBLE, N_HIDDEN = 16, 8


def to_qbm(grbm: GraphRestrictedBoltzmannMachine) -> qbm.RBM:
    """The plugin's Ising parameters (E = Σ h s + Σ J s s) as a qbm RBM on bits."""
    h = dict(zip(grbm.nodes, grbm.linear.detach().numpy().astype(float)))
    J = dict(zip(grbm.edges, grbm.quadratic.detach().numpy().astype(float)))
    binary = dimod.BinaryQuadraticModel(h, J, 0.0, dimod.SPIN).change_vartype(dimod.BINARY, inplace=False)
    weights = np.zeros((N_VISIBLE, N_HIDDEN))
    for (u, v), bias in binary.quadratic.items():
        i, j = min(u, v), max(u, v)
        weights[i, j - N_VISIBLE] = -bias
    biases = -np.array([binary.linear[v] for v in range(N_VISIBLE + N_HIDDEN)])
    return qbm.RBM(N_VISIBLE, N_HIDDEN, weights=weights, visible_bias=biases[:N_VISIBLE],
                   hidden_bias=biases[N_VISIBLE:])


def plugin_run(data: np.ndarray, rate: float, seed: int) -> qbm.RBM:
    torch.manual_seed(seed)
    nodes = list(range(N_VISIBLE + N_HIDDEN))
    edges = [(i, N_VISIBLE + j) for i in range(N_VISIBLE) for j in range(N_HIDDEN)]
    grbm = GraphRestrictedBoltzmannMachine(nodes, edges, hidden_nodes=nodes[N_VISIBLE:])
    sampler = BlockSampler(grbm, colouring=lambda node: int(node >= N_VISIBLE), num_chains=CHAINS,
                           schedule=[1.0] * SWEEPS, seed=seed)
    optimizer = torch.optim.Adam(grbm.parameters(), lr=rate)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1 - epoch / EPOCHS)
    spins = torch.tensor(2 * data - 1, dtype=torch.float32)
    for _ in range(EPOCHS):
        optimizer.zero_grad()
        loss = grbm.quasi_objective(spins, sampler.sample(), kind="exact-disc")
        loss.backward()
        optimizer.step()
        schedule.step()
    return to_qbm(grbm)


def qbm_run(data: np.ndarray, phase: qbm.Phase, rate: float, seed: int, centering: bool = False) -> qbm.RBM:
    model = qbm.RBM(N_VISIBLE, N_HIDDEN, random_state=seed)
    qbm.train(model, data, phase, epochs=EPOCHS, batch_size=len(data), learning_rate=rate, optimizer="adam",
              schedule="linear", random_state=seed, progress=False, centering=centering)
    return model


def main() -> None:
    data = qbm.datasets.bars_and_stripes(4)
    torch.set_num_threads(2)
    print(f"## dwave-pytorch-plugin {__import__('importlib.metadata').metadata.version('dwave-pytorch-plugin')} "
          f"(torch {torch.__version__}) vs qbm: bars-and-stripes 4×4, RBM 16×8, {EPOCHS} epochs, full batch, "
          f"Adam with linear decay, {CHAINS} chains; exact KL(data ‖ model); median over seeds {SEEDS} ({machine()})")
    print("| trainer | rate | KL | per seed | time per run |")
    print("|---|---|---|---|---|")
    # the plugin's parameters are Ising (h, J = -w/4): an Adam step of its rate r moves qbm's weights by 4r, so
    # every plugin rate is paired with four times it in qbm's units; both sides are run at the same two rates
    rows = []
    for plugin_rate in (0.025, 0.005):
        rate = 4 * plugin_rate
        rows += [
            ("plugin GRBM + BlockSampler (persistent, 10 Gibbs sweeps at β = 1)", plugin_run, plugin_rate),
            (f"qbm PCD({CHAINS} chains, k={SWEEPS})",
             lambda d, r, s: qbm_run(d, qbm.PCD(CHAINS, k=SWEEPS, fast_rate=0), r, s), rate),
            (f"qbm PCD({CHAINS} chains, k={SWEEPS}), centring",
             lambda d, r, s: qbm_run(d, qbm.PCD(CHAINS, k=SWEEPS, fast_rate=0), r, s, centering=True), rate),
            (f"qbm PCD({CHAINS} chains, k={SWEEPS}), fast weights (fast_rate 0.1)",
             lambda d, r, s: qbm_run(d, qbm.PCD(CHAINS, k=SWEEPS, fast_rate=0.1), r, s), rate),
            (f"qbm ParallelTempering({CHAINS // 10} chains × 10 temperatures, k={SWEEPS})",
             lambda d, r, s: qbm_run(d, qbm.ParallelTempering(CHAINS // 10, betas=10, k=SWEEPS), r, s), rate),
            (f"qbm ParallelTempering({CHAINS // 10} chains × 10 temperatures, k={SWEEPS}), centring",
             lambda d, r, s: qbm_run(d, qbm.ParallelTempering(CHAINS // 10, betas=10, k=SWEEPS), r, s,
                                     centering=True), rate),
        ]
    rows.append(("qbm SamplerPhase(GibbsSampler, 200 × 100 sweeps annealed, importance weights)",
                 lambda d, r, s: qbm_run(d, qbm.make_phase("gibbs", num_reads=CHAINS, num_sweeps=100), r, s), 0.1))
    for name, run, rate in rows:
        finals, times = [], []
        for seed in SEEDS:
            start = time.perf_counter()
            model = run(data, rate, seed)
            times.append(time.perf_counter() - start)
            finals.append(qbm.metrics.kl_divergence(model, data))
        print(f"| {name} | {rate} | {statistics.median(finals):.3f} | {', '.join(f'{v:.3f}' for v in finals)} | "
              f"{statistics.median(times):.1f} s |", flush=True)


if __name__ == "__main__":
    run_parts(__file__, {"plugin": main})
