"""
A quantum Boltzmann machine against a classical one
===================================================

Amin et al.'s synthetic data (Phys. Rev. X 8, 021050, 2018), at 8 units: 4 random modes,
each bit of a data point kept with probability 0.9, so the data distribution and
KL(data ‖ model) are exact. A fully visible classical BM (exact gradient), the QBM (exact
gradient, Γ learned from 2) and the bQBM (the Golden–Thompson bound, Γ = 2 fixed) are
trained on the same 500 drawn rows with the same optimiser. ``benchmarks/bench_quantum.py``
runs the paper's size over three seeds.
"""
import matplotlib.pyplot as plt
import numpy as np

import qbm
from qbm.quantum import BoundPhase, ExactQuantumPhase, QuantumBoltzmannMachine, kl_divergence

n, rng = 8, np.random.default_rng(0)
modes = rng.integers(0, 2, (4, n))
states = ((np.arange(2 ** n)[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(float)
distance = (states[:, None, :] != modes[None]).sum(axis=2)
target = (0.9 ** (n - distance) * 0.1 ** distance).mean(axis=1)
rows = states[rng.choice(2 ** n, size=500, p=target)]

models = {
    "classical BM, exact gradient": (qbm.BoltzmannMachine(n, random_state=0), qbm.ExactPhase(),
                                     lambda m: qbm.metrics.kl_divergence(m, states, target)),
    "QBM, exact gradient, Γ learned": (QuantumBoltzmannMachine(n, transverse_field=2.0, random_state=0),
                                       ExactQuantumPhase(), lambda m: kl_divergence(m, states, target)),
    "bQBM (bound), Γ = 2 fixed": (QuantumBoltzmannMachine(n, transverse_field=2.0, random_state=0), BoundPhase(),
                                  lambda m: kl_divergence(m, states, target)),
}
figure, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
for name, (model, phase, kl) in models.items():
    history = qbm.train(model, rows, phase, epochs=200, batch_size=len(rows), learning_rate=0.05, optimizer="adam",
                        schedule="constant", random_state=0, progress=False, metrics={"kl": kl})
    print(f"{name:32s} final KL {history['kl'][-1]:.3f} nats")
    ax.plot(history["epoch"], history["kl"], label=name)
print("learned Γ of the QBM:", np.round(models["QBM, exact gradient, Γ learned"][0].transverse_field, 2).tolist())
qbm.plots.plain_log_axis(ax, "x")
ax.set_xlabel("training step")
ax.set_ylabel("KL(data ‖ model), nats")
ax.set_title("8 units, 4 modes, p = 0.9; Adam 0.05, constant rate, full batch", fontsize=10)
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=8)
