"""The ``qbm`` command.

    qbm train                      # bars-and-stripes 4×4, RBM, simulated-annealing negative phase
    qbm train --data digits --hidden 16 --phase pcd --epochs 80 --batch-size 10 --learning-rate 0.01

Bad input ends with one line on stderr and exit status 2; files are written to a
temporary name and renamed, so nothing already there is lost or half-written.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from . import datasets, metrics
from .exact import MAX_ENUMERATED_UNITS
from .models import RBM
from .phases import PHASE_NAMES, make_phase
from .training import train
from .utils import atomic_write_text

__all__ = ["main"]

def load_data(spec: str, size: int) -> tuple[np.ndarray, str]:
    """Rows of 0/1 data: a built-in data set name or a ``.npy`` / ``.csv`` file."""
    if spec == "bars-and-stripes":
        return datasets.bars_and_stripes(size), f"bars-and-stripes {size}×{size}"
    if spec == "digits":
        return datasets.load_digits()[0], "8×8 digits (binarised at 0.5)"
    path = Path(spec)
    if not path.is_file():
        raise FileNotFoundError(f"no data file {spec!r} (expected bars-and-stripes, digits, or a .npy/.csv file)")
    if path.suffix == ".npy":
        array = np.load(path, allow_pickle=False)
    elif path.suffix == ".csv":
        array = np.loadtxt(path, delimiter=",", ndmin=2)
    else:
        raise ValueError(f"data file {spec!r} must end in .npy or .csv")
    if array.ndim != 2 or not np.all((array == 0) | (array == 1)):
        raise ValueError(f"data file {spec!r} must hold a 2-D array of 0/1 values")
    return array.astype(np.float64), path.name


def command_train(args: argparse.Namespace) -> None:
    data, description = load_data(args.data, args.size)
    phase = make_phase(args.phase, num_reads=args.reads, num_sweeps=args.sweeps)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    model = RBM(data.shape[1], args.hidden, random_state=args.seed)
    exact = min(model.n_visible, model.n_hidden) <= MAX_ENUMERATED_UNITS
    distinct = len(np.unique(data, axis=0))
    measures = {}
    if exact and distinct <= 4096:
        measures["kl"] = lambda m: metrics.kl_divergence(m, data)
    elif exact:
        measures["log_likelihood"] = lambda m: metrics.log_likelihood(m, data)
    print(f"qbm train: {description}, {len(data)} rows; RBM {model.n_visible}×{model.n_hidden}; "
          f"phase {phase!r}; {args.epochs} epochs", flush=True)
    epochs = args.epochs
    started = time.perf_counter()
    history = train(model, data, phase, epochs=epochs, batch_size=args.batch_size or len(data),
                    learning_rate=args.learning_rate, optimizer="adam", schedule=lambda e: 1.0 - e / epochs,
                    random_state=args.seed, metrics=measures, progress=not args.quiet)
    seconds = time.perf_counter() - started
    model.save(output / "model.npz")
    atomic_write_text(output / "history.json", history.to_json())
    atomic_write_text(output / "history.csv", history.to_csv())
    summary = {"data": description, "phase": repr(phase), "epochs": epochs, "seconds": round(seconds, 3),
               "sampler_calls": int(sum(history["sampler_calls"]))}
    if exact:
        summary["log_likelihood"] = metrics.log_likelihood(model, data)
    if "kl" in measures:
        summary["kl_data_to_model"] = history["kl"][-1]
    atomic_write_text(output / "summary.json", json.dumps(summary, indent=1))
    for key, value in summary.items():
        print(f"  {key}: {value:.4f}" if isinstance(value, float) else f"  {key}: {value}")
    print(f"  written: {output / 'model.npz'}, history.json, history.csv, summary.json")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qbm", description="Boltzmann machines trained with samples from annealers.")
    commands = parser.add_subparsers(dest="command", required=True)
    train_parser = commands.add_parser("train", help="train an RBM and write model, history and summary",
                                       description="Train an RBM; by default on bars-and-stripes 4×4 with a "
                                                   "simulated-annealing (neal) negative phase ending at β = 1.")
    train_parser.add_argument("--data", default="bars-and-stripes",
                              help="bars-and-stripes, digits, or a .npy/.csv file of 0/1 rows")
    train_parser.add_argument("--size", type=int, default=4, help="bars-and-stripes image side (default 4)")
    train_parser.add_argument("--hidden", type=int, default=8, help="hidden units (default 8)")
    train_parser.add_argument("--phase", default="neal", choices=PHASE_NAMES, help="negative phase (default neal)")
    train_parser.add_argument("--reads", type=int, default=200, help="samples (or PCD chains) per step")
    train_parser.add_argument("--sweeps", type=int, default=100, help="sweeps per annealing run")
    train_parser.add_argument("--epochs", type=int, default=3000)
    train_parser.add_argument("--batch-size", type=int, default=0, help="rows per step (default: all)")
    train_parser.add_argument("--learning-rate", type=float, default=0.05, help="Adam step, decayed linearly to 0")
    train_parser.add_argument("--seed", type=int, default=0)
    train_parser.add_argument("--output", default="qbm-run", help="output folder (default ./qbm-run)")
    train_parser.add_argument("--quiet", action="store_true", help="no progress bar")
    train_parser.set_defaults(run=command_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``qbm`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (ValueError, TypeError, OSError) as exc:
        print(f"qbm: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qbm: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
