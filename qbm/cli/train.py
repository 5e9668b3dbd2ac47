"""``qbm train``: train an RBM on a data set and write the model, its history, a summary and plots."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from .. import metrics, plots
from ..exact import enumerated_units
from ..generate import generate
from ..models import RBM
from ..phases import PHASE_NAMES, make_phase
from ..training import train
from .._utils import atomic_write_text
from .data import DATA_SETS, load_data

PER_EPOCH_ENUMERATION = 20   # exact log-likelihood every epoch while the smaller layer is this small
DISTINCT_ROWS_FOR_KL = 4096  # KL(data ‖ model) over the data's distinct rows


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "train", help="train an RBM and write model, history, summary and plots",
        description="Train an RBM; by default on bars-and-stripes 4×4 with a simulated-annealing (neal) "
                    "negative phase ending at β = 1. Writes model.npz, history.json, history.csv, "
                    "summary.json and PNG plots into the output folder.")
    parser.add_argument("--data", default="bars-and-stripes",
                        help=f"{', '.join(DATA_SETS)}, or a .npy/.csv file of 0/1 rows")
    parser.add_argument("--size", type=int, default=4, help="bars-and-stripes image side (default 4)")
    parser.add_argument("--hidden", type=int, default=8, help="hidden units (default 8)")
    parser.add_argument("--phase", default="neal", choices=PHASE_NAMES, help="negative phase (default neal)")
    parser.add_argument("--num-reads", type=int, default=200, help="samples per step (the persistent chains of --phase pcd)")
    parser.add_argument("--sweeps", type=int, default=100,
                        help="sweeps per annealing run (neal, gibbs), or Gibbs post-processing sweeps per QPU "
                             "sample (qpu; 0 turns it off)")
    parser.add_argument("--epochs", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=0, help="rows per step (default: all)")
    parser.add_argument("--learning-rate", type=float, default=0.05, help="Adam step, decayed linearly to 0")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default="qbm-run", help="output folder (default ./qbm-run)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    data, description = load_data(args.data, args.size)
    model = RBM(data.shape[1], args.hidden, random_state=args.seed)
    phase = make_phase(args.phase, num_reads=args.num_reads, num_sweeps=args.sweeps)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    measures = _per_epoch_measures(model, data)
    print(f"qbm train: {description}, {len(data)} rows; RBM {model.n_visible}×{model.n_hidden}; "
          f"phase {phase!r}; {args.epochs} epochs", flush=True)
    epochs = args.epochs
    started = time.perf_counter()
    history = train(model, data, phase, epochs=epochs, batch_size=args.batch_size or len(data),
                    learning_rate=args.learning_rate, optimizer="adam", schedule=lambda e: 1.0 - e / epochs,
                    random_state=args.seed, metrics=measures, progress=not args.quiet)
    seconds = time.perf_counter() - started
    summary = {"data": description, "phase": repr(phase), "epochs": epochs, "seconds": round(seconds, 3),
               "sampler_calls": int(sum(history["sampler_calls"]))}
    summary.update(metrics.likelihood_report(model, data, random_state=args.seed))
    if "kl" in measures and history.epochs:
        summary["kl_data_to_model"] = history["kl"][-1]
    model.save(output / "model.npz")
    atomic_write_text(output / "history.json", history.to_json())
    atomic_write_text(output / "history.csv", history.to_csv())
    atomic_write_text(output / "summary.json", json.dumps(summary, indent=1, ensure_ascii=False))
    written = ["model.npz", "history.json", "history.csv", "summary.json"] + _plots(model, history, measures, output,
                                                                                    args.seed)
    for key, value in summary.items():
        print(f"  {key}: {value:.4f}" if isinstance(value, float) else f"  {key}: {value}")
    print(f"  written to {output}/: {', '.join(written)}")


def _per_epoch_measures(model: RBM, data: np.ndarray) -> dict:
    """The cheapest honest learning curve: exact KL or log-likelihood when enumeration is cheap."""
    small_side = enumerated_units(model)
    if small_side <= PER_EPOCH_ENUMERATION and len(np.unique(data, axis=0)) <= DISTINCT_ROWS_FOR_KL:
        return {"kl": lambda m: metrics.kl_divergence(m, data)}
    if small_side <= PER_EPOCH_ENUMERATION:
        return {"log_likelihood": lambda m: metrics.log_likelihood(m, data)}
    return {"reconstruction_error": lambda m: metrics.reconstruction_error(m, data)}


def _plots(model: RBM, history, measures: dict, output: Path, seed: int) -> list[str]:
    written = ["learning_curve.png"]
    plots.learning_curve(history.epochs, list(measures), output / "learning_curve.png",
                         title=f"RBM {model.n_visible}×{model.n_hidden}")
    if plots.image_side(model.n_visible) is not None:
        samples = generate(model, num_reads=20, random_state=seed)
        plots.image_grid(samples, output / "samples.png", title="samples (block Gibbs, 1000 sweeps)")
        shown = model.weights.T[:50]
        plots.image_grid(shown, output / "filters.png", title=f"weights of {len(shown)} hidden units",
                         symmetric=True)
        written += ["samples.png", "filters.png"]
    return written
