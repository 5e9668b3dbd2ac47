"""
Where the negative phase comes from
===================================

An RBM 9×6 on the 14 bars-and-stripes 3×3 patterns, trained five times with the same
optimiser (Adam 0.05, full batch, 300 epochs, the default linear decay) and only the
model side's statistics changed: the exact gradient, CD-1, PCD, qbm's block-Gibbs chains
and neal annealed to the model's temperature. The exact KL(data ‖ model) is computed by
enumeration after every epoch.
"""
import matplotlib.pyplot as plt
import neal

import qbm

data = qbm.datasets.bars_and_stripes(3)
phases = {
    "exact gradient": qbm.ExactPhase(),
    "CD-1": qbm.CD(k=1),
    "PCD (100 chains)": qbm.PCD(num_chains=100),
    "GibbsSampler, 200 reads × 50 sweeps": qbm.SamplerPhase(qbm.GibbsSampler(), num_reads=200, num_sweeps=50),
    "neal, 200 reads × 100 sweeps, β 0.05 → 1": qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=200,
                                                                  num_sweeps=100),
}
figure, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
for name, phase in phases.items():
    rbm = qbm.RBM(9, 6, random_state=0)
    history = qbm.train(rbm, data, phase, epochs=300, batch_size=len(data), learning_rate=0.05, optimizer="adam",
                        random_state=0, progress=False, metrics={"kl": lambda m: qbm.metrics.kl_divergence(m, data)})
    print(f"{name:42s} final KL {history['kl'][-1]:.3f} nats")
    ax.plot(history["epoch"], history["kl"], label=name)
qbm.plots.plain_log_axis(ax, "x")
qbm.plots.plain_log_axis(ax)
ax.set_xlabel("epoch")
ax.set_ylabel("KL(data ‖ model), nats")
ax.set_title("RBM 9×6 on bars-and-stripes 3×3, seed 0", fontsize=10)
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=8)
