"""
Completing images by clamping
=============================

An RBM 64×20 trained on the 8×8 digits generates the rest of an image from a part of it:
:func:`qbm.generate` fixes the clamped units in the model's BQM and samples the others
(block Gibbs at β = 1). Here the left half of eight test digits is clamped; the clamped
pixels are drawn in blue.
"""
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import qbm

X, y = qbm.datasets.load_digits()
train, test = X[:1500], X[1500:]
rbm = qbm.RBM(64, 20, random_state=0)
qbm.train(rbm, train, qbm.PCD(num_chains=100), epochs=100, batch_size=20, learning_rate=0.01, optimizer="adam",
          random_state=0, progress=False)
print(f"exact test log-likelihood {qbm.log_likelihood(rbm, test):.2f} nats per image")

left = np.arange(64) % 8 < 4
rows = []
for image in test[:8]:
    clamp = {int(i): int(image[i]) for i in np.flatnonzero(left)}
    rows.append(qbm.generate(rbm, clamp=clamp, num_reads=1, random_state=0)[0])
rows = np.array(rows)
print("pixels kept from the clamped half:", bool(np.all(rows[:, left] == test[:8][:, left])))
print("right-half pixels that match the original:", f"{np.mean(rows[:, ~left] == test[:8][:, ~left]):.2f}")

# %%
# Originals above, completions below; the plot is :func:`qbm.plots.image_grid`, as the
# command draws it.
path = Path(tempfile.mkdtemp()) / "completions.png"
qbm.plots.image_grid(np.vstack([test[:8], rows]), path, columns=8, clamped=np.vstack([np.zeros((8, 64), bool),
                                                                                     np.tile(left, (8, 1))]),
                     title="8 test digits (top) and their completions from the left half (bottom)")
image = plt.imread(path)
figure = plt.figure(figsize=(7.0, 7.0 * image.shape[0] / image.shape[1]))
axes = figure.add_axes((0, 0, 1, 1))
axes.imshow(image)
axes.set_axis_off()
