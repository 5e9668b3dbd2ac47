"""``qbm train``: train an RBM (or, with ``--transverse-field``, a quantum Boltzmann machine) on a data
set and write the model, its history, a summary and plots."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from .. import metrics, plots, quantum
from ..exact import enumerated_units
from ..generate import generate
from ..models import RBM
from ..phases import CD, PCD, PHASE_NAMES, make_phase
from ..quantum import QUANTUM_PHASE_NAMES, QuantumBoltzmannMachine
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
    parser.add_argument("--phase", choices=sorted(set(PHASE_NAMES) | set(QUANTUM_PHASE_NAMES)),
                        help="negative phase: neal by default; with --transverse-field one of "
                             f"{', '.join(QUANTUM_PHASE_NAMES)} (default exact-gradient)")
    parser.add_argument("--transverse-field", type=float, metavar="GAMMA",
                        help="train a quantum Boltzmann machine with this transverse field: on every unit "
                             "without hidden units, on the hidden units of a semi-restricted QRBM otherwise")
    parser.add_argument("--num-reads", type=int, default=200, help="samples per step (the persistent chains of --phase pcd)")
    parser.add_argument("--sweeps", type=int, default=100,
                        help="sweeps per annealing run (neal, gibbs), or Gibbs post-processing sweeps per QPU "
                             "sample (qpu; 0 turns it off)")
    parser.add_argument("--epochs", type=int, default=3000)
    parser.add_argument("--batch-size", type=_positive_int, help="rows per step (default: all)")
    parser.add_argument("--force", action="store_true", help="replace a run already in --output")
    parser.add_argument("--learning-rate", type=float, default=0.05, help="Adam step, decayed linearly to 0")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default="qbm-run", help="output folder (default ./qbm-run)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    data, description = load_data(args.data, args.size)
    model, phase = _model_and_phase(args, data.shape[1])
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise ValueError(f"--output {args.output!r} is a file, not a folder")
    if (output / "model.npz").exists() and not args.force:
        raise ValueError(f"--output {args.output!r} already holds a run (model.npz); choose another folder or pass "
                         "--force to replace it")
    measures = _per_epoch_measures(model, data)
    print(f"qbm train: {description}, {len(data)} rows; {_describe(model)}; "
          f"phase {phase!r}; {args.epochs} epochs", flush=True)
    epochs = args.epochs
    started = time.perf_counter()
    history = train(model, data, phase, epochs=epochs, batch_size=args.batch_size or len(data),
                    learning_rate=args.learning_rate, optimizer="adam", schedule=lambda e: 1.0 - e / epochs,
                    random_state=args.seed, metrics=measures, progress=not args.quiet)
    seconds = time.perf_counter() - started
    summary = {"data": description, "phase": repr(phase), "epochs": epochs, "seconds": round(seconds, 3)}
    if isinstance(phase, (CD, PCD)):  # no sampler: count the block-Gibbs steps of the chains instead
        steps = epochs * -(-len(data) // (args.batch_size or len(data)))
        summary["gibbs_steps"] = steps * phase.k
    else:
        summary["sampler_calls"] = int(sum(history["sampler_calls"]))
    if isinstance(model, QuantumBoltzmannMachine):
        summary["log_likelihood"] = quantum.log_likelihood(model, data)
    else:
        summary.update(metrics.likelihood_report(model, data, random_state=args.seed))
    if "kl" in measures and history.epochs:
        summary["kl_data_to_model"] = history["kl"][-1]
    output.mkdir(parents=True, exist_ok=True)  # only once there is something to write
    model.save(output / "model.npz")
    atomic_write_text(output / "history.json", history.to_json())
    atomic_write_text(output / "history.csv", history.to_csv())
    atomic_write_text(output / "summary.json", json.dumps(summary, indent=1, ensure_ascii=False))
    written = ["model.npz", "history.json", "history.csv", "summary.json"] + _plots(model, history, measures, output,
                                                                                    args.seed)
    for key, value in summary.items():
        print(f"  {key}: {value:.4f}" if isinstance(value, float) else f"  {key}: {value}")
    print(f"  written to {output}/: {', '.join(written)}")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def _model_and_phase(args: argparse.Namespace, n_visible: int):
    """An RBM and a classical phase, or a QBM and a quantum phase with ``--transverse-field``."""
    if args.transverse_field is None:
        if args.phase in QUANTUM_PHASE_NAMES and args.phase not in PHASE_NAMES:
            raise ValueError(f"--phase {args.phase} trains a quantum Boltzmann machine: give --transverse-field")
        return (RBM(n_visible, args.hidden, random_state=args.seed),
                make_phase(args.phase or "neal", num_reads=args.num_reads, num_sweeps=args.sweeps))
    name = args.phase or "exact-gradient"
    if name not in QUANTUM_PHASE_NAMES:
        raise ValueError(f"with --transverse-field, --phase is one of {', '.join(QUANTUM_PHASE_NAMES)}, got {name}")
    model = QuantumBoltzmannMachine.semi_restricted(n_visible, args.hidden, transverse_field=args.transverse_field,
                                                   random_state=args.seed)
    if model.n_units > quantum.MAX_QUANTUM_UNITS:
        raise ValueError(f"a quantum Boltzmann machine is evaluated exactly, so it has at most "
                         f"{quantum.MAX_QUANTUM_UNITS} units; {n_visible} visible + --hidden {args.hidden} is "
                         f"{model.n_units}")
    return model, quantum.make_quantum_phase(name, num_reads=args.num_reads, num_sweeps=max(args.sweeps, 1))


def _describe(model) -> str:
    if isinstance(model, QuantumBoltzmannMachine):
        return f"quantum BM {model.n_visible}+{model.n_hidden} units, Γ = {model.transverse_field.max():g}"
    return f"RBM {model.n_visible}×{model.n_hidden}"


def _per_epoch_measures(model, data: np.ndarray) -> dict:
    """The cheapest honest learning curve: exact KL or log-likelihood when enumeration is cheap."""
    if isinstance(model, QuantumBoltzmannMachine):
        return {"kl": lambda m: quantum.kl_divergence(m, data)}
    small_side = enumerated_units(model)
    if small_side <= PER_EPOCH_ENUMERATION and len(np.unique(data, axis=0)) <= DISTINCT_ROWS_FOR_KL:
        return {"kl": lambda m: metrics.kl_divergence(m, data)}
    if small_side <= PER_EPOCH_ENUMERATION:
        return {"log_likelihood": lambda m: metrics.log_likelihood(m, data)}
    return {"reconstruction_error": lambda m: metrics.reconstruction_error(m, data)}


def _plots(model, history, measures: dict, output: Path, seed: int) -> list[str]:
    written = ["learning_curve.png"]
    plots.learning_curve(history.epochs, list(measures), output / "learning_curve.png", title=_describe(model))
    if isinstance(model, RBM) and plots.image_side(model.n_visible) is not None:
        samples = generate(model, num_reads=20, random_state=seed)
        plots.image_grid(samples, output / "samples.png", title="samples (block Gibbs, 1000 sweeps)")
        shown = model.weights.T[:50]
        plots.image_grid(shown, output / "filters.png", title=f"weights of {len(shown)} hidden units",
                         symmetric=True)
        written += ["samples.png", "filters.png"]
    return written
