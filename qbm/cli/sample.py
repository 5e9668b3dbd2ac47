"""``qbm sample MODEL``: visible samples of a saved model, optionally with units clamped."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from .. import plots
from .._validation import counted
from ..models import load
from ..samplers import SAMPLER_NAMES, make_sampler
from .data import DATA_SETS, load_data, positive_int, write_rows
from .kinds import kind_of_model
from .train import SETTINGS_FILE, training_data

RANDOM_START = "random"   # --start's word for uniformly random states


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "sample", help="draw visible samples from a saved model, some units clamped",
        description="Draw visible states from a model written by 'qbm train' (or model.save), with the "
                    "units given by --clamp fixed; prints 0/1 rows, writes them with --output, or draws them with --png.")
    parser.add_argument("model", help="a model .npz file")
    parser.add_argument("--clamp", action="append", default=[], metavar="UNIT=VALUE",
                        help="fix visible unit UNIT (0-based) to VALUE (0 or 1); repeat for more units")
    parser.add_argument("--num-reads", type=positive_int, default=10, help="rows to draw (default 10)")
    parser.add_argument("--sampler", default="gibbs", choices=SAMPLER_NAMES,
                        help="block Gibbs at β = 1 (default), exact enumeration, or neal ending at β = 1; a quantum "
                             "Boltzmann machine is drawn exactly from its visible marginal")
    parser.add_argument("--sweeps", type=positive_int, default=1000, help="sweeps for gibbs / neal (default 1000)")
    parser.add_argument("--start", metavar="DATA",
                        help=f"start the chains from rows of DATA ({', '.join(DATA_SETS)}, or a .npy/.csv/.txt "
                             f"file of 0/1 rows), or '{RANDOM_START}' from uniformly random states: a multimodal "
                             "model's chains from random states settle in the first basin they find (default: the "
                             "training data of the qbm train run MODEL belongs to, where its folder holds the run's "
                             f"{SETTINGS_FILE}; random states otherwise)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", help="write the rows to this .npy or .csv file instead of printing them")
    parser.add_argument("--png", metavar="FILE",
                        help="draw the samples as a grid of images (square images: digits, MNIST, "
                             "bars-and-stripes) into this PNG instead of printing them")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    model = load(args.model)
    if args.png is not None:
        if Path(args.png).suffix.lower() != ".png":
            raise ValueError(f"--png {args.png!r} must end in .png")
        if plots.image_side(model.n_visible) is None:
            raise ValueError(f"--png draws square images, and the model's {model.n_visible} visible units are not "
                             "a square number; use --output or print the rows")
    pairs = [_parse_clamp(item) for item in args.clamp]
    clamp = dict(pairs)
    if len(clamp) < len(pairs):
        twice = sorted({unit for unit, _ in pairs if sum(u == unit for u, _ in pairs) > 1})
        raise ValueError(f"--clamp names unit(s) {twice} more than once; clamp each unit once")
    kind = kind_of_model(model)
    sampler = make_sampler(args.sampler)
    start = _start(args, model.n_visible, chains=kind.draws_chains and "initial_states" in sampler.parameters)
    rows = kind.sample(model, clamp, args.num_reads, sampler, args.sweeps, args.seed, start)
    if args.png is not None:
        clamped = ", ".join(f"unit {unit} = {value}" for unit, value in sorted(clamp.items()))
        plots.image_grid(rows, args.png, title=f"{len(rows)} samples of the {kind.describe(model)}"
                                               + (f", clamped: {clamped}" if clamped else ""))
        print(f"qbm sample: {len(rows)} samples drawn into {args.png}")
    if args.output:
        write_rows(Path(args.output), rows)
        print(f"qbm sample: {counted(len(rows), 'row')} written to {args.output}")
    if args.png is None and args.output is None:
        np.savetxt(sys.stdout, rows, fmt="%d", delimiter=" ")


def _start(args: argparse.Namespace, n_visible: int, chains: bool) -> np.ndarray | None:
    """The rows the chains start from: ``--start``'s, else the training data of the model's run where the draw runs
    chains; None for random states."""
    if args.start == RANDOM_START:
        return None
    if args.start is not None:
        return _start_rows(args.start, n_visible, size=None, source=f"--start {args.start!r}")
    folder = Path(args.model).parent
    run = training_data(folder) if chains else None
    if run is None:
        return None
    spec, size = run
    source = f"the training data {spec!r} of the run in {str(folder)!r}"
    try:
        return _start_rows(spec, n_visible, size, source)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"{exc}: the chains start from {source}; give --start DATA, or --start "
                                f"{RANDOM_START}") from None


def _start_rows(spec: str, n_visible: int, size: int | None, source: str) -> np.ndarray:
    """The rows of ``spec``, as wide as the model's visible layer (bars-and-stripes at ``size``, else the model's
    image side)."""
    side = plots.image_side(n_visible)
    rows, _ = load_data(spec, size=size or (side if side is not None else 4))
    if rows.shape[1] != n_visible:
        raise ValueError(f"{source} has {rows.shape[1]} columns; the model has {n_visible} visible units")
    return rows


def _parse_clamp(item: str) -> tuple[int, int]:
    unit, separator, value = item.partition("=")
    if not separator or not unit.strip().isdigit() or value.strip() not in ("0", "1"):
        raise ValueError(f"--clamp takes UNIT=VALUE with a unit index and a value 0 or 1, got {item!r}")
    return int(unit), int(value)
