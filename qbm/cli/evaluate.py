"""``qbm evaluate MODEL DATA``: how well a saved model fits rows of 0/1 data."""
from __future__ import annotations

import argparse
import json

from .. import metrics, quantum
from ..models import RBM, check_visible_rows, load
from ..quantum import QuantumBoltzmannMachine
from .data import DATA_SETS, load_data


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "evaluate", help="log-likelihood and other measures of a saved model on data",
        description="Print, as JSON, the mean log-likelihood of DATA under MODEL (exact where the model can "
                    "be enumerated, AIS for a large RBM), its pseudo-log-likelihood, the reconstruction "
                    "error (RBM) and KL(data ‖ model) where exact.")
    parser.add_argument("model", help="a model .npz file")
    parser.add_argument("data", help=f"{', '.join(DATA_SETS)}, or a .npy/.csv file of 0/1 rows")
    parser.add_argument("--size", type=int, default=4, help="bars-and-stripes image side (default 4)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the AIS estimate")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    model = load(args.model)
    data, description = load_data(args.data, args.size)
    data = check_visible_rows(model, data, "data")
    report = {"model": args.model, "data": description, "rows": len(data)}
    if isinstance(model, QuantumBoltzmannMachine):  # exact: the visible marginal of e^{−βH}
        report["log_likelihood"] = quantum.log_likelihood(model, data)
        report["kl_data_to_model"] = quantum.kl_divergence(model, data)
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return
    report.update(metrics.likelihood_report(model, data, random_state=args.seed))
    if "log_likelihood" in report:  # the model is enumerable: KL is exact too
        report["kl_data_to_model"] = metrics.kl_divergence(model, data)
    if isinstance(model, RBM) or model.n_hidden == 0:
        report["pseudo_log_likelihood"] = metrics.pseudo_log_likelihood(model, data)
    if isinstance(model, RBM):
        report["reconstruction_error"] = metrics.reconstruction_error(model, data)
    print(json.dumps(report, indent=1, ensure_ascii=False))
