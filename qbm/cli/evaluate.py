"""``qbm evaluate MODEL DATA``: how well a saved model fits rows of 0/1 data."""
from __future__ import annotations

import argparse
import json
import sys
import time

from ..exact import exactly_computable
from ..models import check_visible_rows, load
from .data import DATA_SETS, load_data, positive_int
from .kinds import kind_of_model
from ..models.kinds import is_rbm


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "evaluate", help="log-likelihood and other measures of a saved model on data",
        description="Print, as JSON, the mean log-likelihood of DATA under MODEL (exact where the model can "
                    "be enumerated, AIS for a large RBM), its pseudo-log-likelihood, the reconstruction "
                    "error (RBM) and KL(data ‖ model) where exact.")
    parser.add_argument("model", help="a model .npz file")
    parser.add_argument("data", help=f"{', '.join(DATA_SETS)}, or a .npy/.csv file of 0/1 rows")
    parser.add_argument("--size", type=positive_int, default=4, help="bars-and-stripes image side (default 4)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the AIS estimate")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    model = load(args.model)
    data, description = load_data(args.data, args.size)
    data = check_visible_rows(model, data, "data")
    report = {"model": args.model, "data": description, "rows": len(data)}
    slow = is_rbm(model) and not exactly_computable(model)
    if slow:   # minutes for an MNIST-size model: say so before they start
        print(f"qbm evaluate: log Z of the {kind_of_model(model).describe(model)} by annealed importance sampling "
              f"(minutes for an MNIST-size model) ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    report.update(kind_of_model(model).evaluation(model, data, args.seed))
    if slow:
        print(f"qbm evaluate: done in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    print(json.dumps(report, indent=1, ensure_ascii=False))
