"""
Training through annealer-like hardware
=======================================

:func:`qbm.samplers.testing.mock_qpu` is a ``MockDWaveSampler`` whose hardware anneals
like a real one: a hidden temperature, freeze-out, control errors and persistent qubit
biases. An RBM 9×6 on bars-and-stripes 3×3 is trained three times with 200 reads a step:
on the hardware's raw samples with no calibration, calibrated, and with
:func:`qbm.qpu_phase`'s defaults (calibration and Gibbs post-processing); exact samples
are the reference. The effective β of each call's samples, measured against the model,
shows what the hardware delivers.
"""
import matplotlib.pyplot as plt

import qbm
from qbm.samplers.testing import mock_qpu

data = qbm.datasets.bars_and_stripes(3)
phases = {
    "exact samples": qbm.SamplerPhase(qbm.ExactSampler(), num_reads=200),
    "raw hardware samples, not calibrated": qbm.qpu_phase(200, sampler=mock_qpu(3), calibrate=False,
                                                          postprocess_sweeps=0),
    "raw hardware samples, calibrated": qbm.qpu_phase(200, sampler=mock_qpu(3), postprocess_sweeps=0),
    "qpu_phase defaults": qbm.qpu_phase(200, sampler=mock_qpu(3)),
}
figure, (curves, betas) = plt.subplots(1, 2, figsize=(9.0, 3.8), layout="constrained")
for name, phase in phases.items():
    rbm = qbm.RBM(9, 6, random_state=0)
    history = qbm.train(rbm, data, phase, epochs=150, batch_size=len(data), learning_rate=0.05, optimizer="adam",
                        random_state=0, progress=False, metrics={"kl": lambda m: qbm.metrics.kl_divergence(m, data)})
    print(f"{name:38s} final KL {history['kl'][-1]:.3f} nats")
    line, = curves.plot(history["epoch"], history["kl"], label=name)
    if history.steps and "beta_eff" in history.steps[0]:
        betas.plot([step["beta_eff"] for step in history.steps], color=line.get_color(), label=name)
qbm.plots.plain_log_axis(curves, "x")
curves.set_xlabel("epoch")
curves.set_ylabel("KL(data ‖ model), nats")
curves.legend(fontsize=7)
curves.grid(alpha=0.3, which="both")
betas.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
qbm.plots.plain_log_axis(betas)
betas.set_xlabel("training step")
betas.set_ylabel("β_eff of the returned samples (model's β = 1)")
betas.grid(alpha=0.3)
figure.suptitle("RBM 9×6, bars-and-stripes 3×3, through mock_qpu(3) (MockAnnealer defaults), seed 0", fontsize=10)
