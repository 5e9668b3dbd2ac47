"""
What ``qbm train`` draws
========================

The command writes three pictures beside the model: the learning curve, samples of the
trained model and its filters. This runs the command's digits recipe (RBM 64×16, PCD,
Adam 0.01 decaying to 0), shortened to 60 epochs, and shows the files it writes; the same
files come out of ``qbm train --data digits --epochs 60 --output digits-run``.
"""
import json
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import qbm.cli

run = Path(tempfile.mkdtemp()) / "digits-run"
status = qbm.cli.main(["train", "--data", "digits", "--epochs", "60", "--quiet", "--output", str(run)])
summary = json.loads((run / "summary.json").read_text())
print("exit status", status)
print(json.dumps(summary, indent=1, ensure_ascii=False))


def show(name: str, width: float) -> None:
    image = plt.imread(run / name)
    figure = plt.figure(figsize=(width, width * image.shape[0] / image.shape[1]))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.imshow(image)
    axes.set_axis_off()


# %%
# ``learning_curve.png``: the exact log-likelihood of the training data after every epoch
# (the smaller layer, 16 units, is enumerated), the final evaluation under the panel.
show("learning_curve.png", 7.0)

# %%
# ``samples.png``: 20 samples of the trained model, block-Gibbs chains from 20 training rows, 1000 sweeps each.
show("samples.png", 7.0)

# %%
# ``filters.png``: the weights of the 16 hidden units as images, on a colour scale centred on 0.
show("filters.png", 5.0)
