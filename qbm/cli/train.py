"""``qbm train``: train an RBM (or, with ``--transverse-field``, a quantum Boltzmann machine) on a data
set and write the model, its history, a summary and plots.

A run folder holds ``run.json`` (the settings, every default resolved) and, while training,
``checkpoint.npz``, rewritten every few seconds; ``qbm train --resume RUN_DIR`` continues an
interrupted run from its checkpoint to the same model, bit for bit, as an uninterrupted run.
"""
from __future__ import annotations

import argparse
import copy
import inspect
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .. import plots
from ..generation import generate
from ..phases import CD, PCD, PHASE_NAMES, make_phase, phase_entry, phase_names
from ..training import Trainer
from .._files import atomic_write_text
from .._memory import check_allocation
from .._validation import counted
from .data import DATA_SETS, load_data, positive_int
from .kinds import KINDS, kind_of_model
from .lock import RunLock, check_not_held
from ..models.kinds import is_rbm

QUANTUM_DEFAULT_PHASE = "quantum-exact"   # the phase of --transverse-field when --phase is not given
CHECKPOINT_SECONDS = 10.0    # at most this much training is lost to an interrupt
DEFAULT_OUTPUT, SETTINGS_FILE, CHECKPOINT_FILE = "qbm-run", "run.json", "checkpoint.npz"
PENDING_SETTINGS_FILE = "run.next.json"   # the settings of a run that replaces a finished one
_BYTES_PER_READ_AND_UNIT = 64   # a phase's arrays per sample and unit: states, fields and probabilities in float64
RESULT_FILES = ("model.npz", "history.json", "history.csv", "summary.json", "learning_curve.png", "samples.png",
                "filters.png")
MEASURE_LABELS = {"kl": "KL(data ‖ model), nats",
                  "log_likelihood": "log-likelihood, nats per example",
                  "reconstruction_error": "reconstruction error, mean squared per pixel"}


PCD_FAST_RATE = inspect.signature(PCD).parameters["fast_rate"].default


@dataclass(frozen=True)
class Recipe:
    """The defaults of one data set: each built-in set's default run takes a few minutes at most on 2 cores."""

    hidden: int
    epochs: int
    phase: str
    batch_size: int | None   # None: every row in one batch
    learning_rate: float
    centering: bool = False
    fast_rate: float = PCD_FAST_RATE   # the fast weights of phase pcd
    num_reads: int = 200               # samples per step: phase pcd's persistent chains


RECIPES = {
    "bars-and-stripes": Recipe(hidden=8, epochs=3000, phase="exact-gradient", batch_size=None, learning_rate=0.1,
                               centering=True),
    "digits": Recipe(hidden=16, epochs=200, phase="pcd", batch_size=20, learning_rate=0.01),
    "mnist": Recipe(hidden=200, epochs=20, phase="pcd", batch_size=20, learning_rate=0.01, num_reads=500),
}
SAMPLES_DRAWN, SAMPLE_SWEEPS = 20, 1000   # samples.png: chains from this many training rows, this many sweeps
EXACT_GRADIENT_UNITS = 16   # the exact gradient's recipe enumerates at most 2**16 states of the smaller layer a step
SAMPLED_PHASE = "tempering"   # that recipe's phase past that size
SAMPLED_RATE = 0.05           # that recipe's rate for any other phase and for a quantum model
FILE_RECIPE = RECIPES["digits"]   # a data file of unknown size: the recipe whose cost grows with the rows
FIXED_DEFAULTS = {"data": "bars-and-stripes", "size": 4, "transverse_field": None, "sweeps": 100,
                  "seed": 0}
SETTINGS = (*FIXED_DEFAULTS, *Recipe.__dataclass_fields__)
SETTINGS_ADDED = {"centering": False, "fast_rate": PCD_FAST_RATE}   # what a run.json from before a setting trained with


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "train", help="train an RBM and write model, history, summary and plots",
        description="Train an RBM; by default on bars-and-stripes 4×4 with the exact gradient (its smaller "
                    f"layer enumerated; past {EXACT_GRADIENT_UNITS} units there, {SAMPLED_PHASE}) and centring. "
                    "Writes model.npz, history.json, history.csv, summary.json and PNG plots into the output "
                    "folder. The defaults of --hidden, --epochs, --phase, --batch-size and --learning-rate "
                    "depend on --data (a data file takes those of digits). A run writes a checkpoint every few "
                    "seconds; an interrupted run continues with --resume.")
    parser.add_argument("--data", help=f"{', '.join(DATA_SETS)}, or a .npy/.csv/.txt file of 0/1 rows "
                                       "(default bars-and-stripes)")
    parser.add_argument("--size", type=positive_int, help="bars-and-stripes image side (default 4)")
    parser.add_argument("--hidden", type=int, help=f"hidden units (default {_per_data_set('hidden')})")
    parser.add_argument("--phase", choices=list(PHASE_NAMES), metavar="PHASE",
                        help=f"where the statistics come from: {_phase_help()} (default {_per_data_set('phase')}; "
                             f"with --transverse-field {QUANTUM_DEFAULT_PHASE})")
    parser.add_argument("--transverse-field", type=float, metavar="GAMMA",
                        help="train a quantum Boltzmann machine with this transverse field: on every unit "
                             "without hidden units, on the hidden units of a semi-restricted QRBM otherwise")
    parser.add_argument("--num-reads", type=int, help="samples per step, the persistent chains of --phase pcd "
                                                      f"(default {_per_data_set('num_reads')})")
    parser.add_argument("--sweeps", type=int,
                        help="sweeps per annealing run (neal, gibbs), or Gibbs post-processing sweeps per QPU "
                             "sample (qpu; 0 turns it off) (default 100)")
    parser.add_argument("--fast-rate", type=float,
                        help="learning rate of the fast weights of --phase pcd (FPCD; 0: plain PCD) "
                             f"(default {_per_data_set('fast_rate')})")
    parser.add_argument("--epochs", type=positive_int, help=f"passes over the data (default {_per_data_set('epochs')})")
    parser.add_argument("--batch-size", type=positive_int,
                        help=f"rows per step (default {_per_data_set('batch_size')})")
    parser.add_argument("--learning-rate", type=float,
                        help=f"Adam step, decayed linearly to 0 (default {_per_data_set('learning_rate')}; "
                             f"{SAMPLED_RATE} for bars-and-stripes with another phase or --transverse-field)")
    parser.add_argument("--centering", action=argparse.BooleanOptionalAction,
                        help="step in the centred parametrisation (offsets: the data's mean, ½ for hidden units) "
                             f"(default {_per_data_set('centering')}; off with --transverse-field)")
    parser.add_argument("--seed", type=int, help="seeds the model, the batches and the sampler (default 0)")
    parser.add_argument("--output", help=f"output folder (default ./{DEFAULT_OUTPUT})")
    parser.add_argument("--force", action="store_true", help="replace a run already in --output")
    parser.add_argument("--resume", metavar="RUN_DIR",
                        help="continue the interrupted run in RUN_DIR with its own settings")
    parser.add_argument("--log-scale", action="store_true",
                        help="learning curve on a logarithmic axis (by default chosen from the values: logarithmic "
                             "for a positive measure spanning more than a decade)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> None:
    if args.resume is not None:
        output, settings = _resumed_run(args)
    else:
        output, settings = Path(args.output or DEFAULT_OUTPUT), _settings(args)
    data, description = load_data(settings["data"], settings["size"])
    model, phase = _model_and_phase(settings, data)   # every setting checked, one step tried: nothing touched yet
    if args.resume is None:
        _check_output(output, args.force)
    measures = _per_epoch_measures(model, data)
    with RunLock(output):
        if args.resume is None:
            _check_output(output, args.force, held=True)   # again, now that no other run can start here
        _train(args, output, settings, data, description, model, phase, measures)


def _train(args, output: Path, settings: dict, data: np.ndarray, description: str, model, phase, measures) -> None:
    """The run itself, in a folder this process holds: a replaced run's results stay until the new ones are written."""
    epochs = settings["epochs"]
    checkpoint, settings_file = output / CHECKPOINT_FILE, _settings_path(output)
    trainer = Trainer(model, phase, batch_size=settings["batch_size"] or len(data),
                      learning_rate=settings["learning_rate"], optimizer="adam", schedule="linear",
                      centering=settings["centering"], random_state=settings["seed"], metrics=measures,
                      callbacks=[_PeriodicCheckpoint(checkpoint, CHECKPOINT_SECONDS)], progress=not args.quiet)
    if args.resume is not None:
        trainer.load_checkpoint(checkpoint)
    else:
        atomic_write_text(settings_file, json.dumps(settings, indent=1))
        trainer.save_checkpoint(checkpoint)
    title = f"{description} · {_describe(model)} · {_phase_label(settings)}"
    resumed = f", resumed at epoch {trainer.epochs_done}" if trainer.epochs_done else ""
    _say(f"qbm train: {title}; {counted(len(data), 'row')}; {counted(epochs, 'epoch')}{resumed}")
    try:
        history = trainer.fit(data, epochs)
    except BaseException:
        print(f"qbm train: stopped during epoch {trainer.epochs_done + 1}; the checkpoint in {output}/ keeps the "
              f"run; continue it with: qbm train --resume {output}", file=sys.stderr, flush=True)
        raise
    summary = {"data": description, "phase": repr(phase), "centering": settings["centering"], "epochs": epochs,
               "seconds": round(history.wall_time, 3)}
    if isinstance(phase, (CD, PCD)):  # no sampler: count the block-Gibbs steps of the chains instead
        summary["gibbs_steps"] = trainer.steps_done * phase.k
    else:
        summary["sampler_calls"] = int(sum(history["sampler_calls"]))
    summary.update(kind_of_model(model).likelihood(model, data, settings["seed"]))
    if "kl" in measures:   # of the final model itself, whatever the history of a resumed run holds
        summary["kl_data_to_model"] = float(measures["kl"](model))
    summary["evaluated_on"] = f"the training data ({counted(len(data), 'row')})"
    final_line = _final_line(summary)
    samples = _samples_to_draw(model, data, settings["seed"])   # all that can fail, before the first result is written
    model.save(output / "model.npz")
    atomic_write_text(output / "history.json", history.to_json())
    atomic_write_text(output / "history.csv", history.to_csv())
    atomic_write_text(output / "summary.json", json.dumps(summary, indent=1, ensure_ascii=False))
    plotted = _plots(model, history, list(measures), output, samples, f"{description}\n{_describe(model)} · "
                     f"{_phase_label(settings)}", final_line, args.log_scale)
    written = ["model.npz", "history.json", "history.csv", "summary.json", *plotted]
    for name in set(RESULT_FILES) - set(written):   # what a replaced run left and this one does not make
        (output / name).unlink(missing_ok=True)
    if settings_file.name != SETTINGS_FILE:
        os.replace(settings_file, output / SETTINGS_FILE)
    checkpoint.unlink()   # the run is complete: the results replace the checkpoint
    for key, value in summary.items():
        _say(f"  {key}: {value:.4f}" if isinstance(value, float) else f"  {key}: {value}")
    _say(f"  written to {output}/: {', '.join(written)}")


def _say(line: str) -> None:
    """Print a line of the run's report; a reader that went away (``| head``) does not end the run."""
    try:
        print(line, flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _settings_path(output: Path) -> Path:
    """Where a run in progress keeps its settings: ``run.json``, or beside a finished run it replaces (``--force``),
    ``run.next.json``, renamed to ``run.json`` once the new results are written."""
    pending = output / PENDING_SETTINGS_FILE
    if pending.exists() or (output / "model.npz").exists():
        return pending
    return output / SETTINGS_FILE


class _PeriodicCheckpoint:
    """A training callback that rewrites the checkpoint once ``seconds`` have passed since the last one."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path, self.seconds, self.last = path, seconds, time.monotonic()

    def __call__(self, trainer: Trainer, record: dict) -> None:
        if time.monotonic() - self.last >= self.seconds:
            trainer.save_checkpoint(self.path)
            self.last = time.monotonic()


def _per_data_set(name: str) -> str:
    """The defaults of one setting across data sets, for ``--help``."""
    def shown(value):
        return "all rows" if value is None else value
    return ", ".join(f"{shown(getattr(recipe, name))} for {data}" for data, recipe in RECIPES.items())


def _settings(args: argparse.Namespace) -> dict:
    """Every setting of the run: what the command line gave, the data set's recipe for the rest."""
    data = args.data or FIXED_DEFAULTS["data"]
    recipe = asdict(RECIPES.get(data, FILE_RECIPE))
    if recipe["phase"] == "exact-gradient":   # bars-and-stripes: the exact gradient where a step can enumerate
        if args.phase is None and _smaller_layer(args, recipe) > EXACT_GRADIENT_UNITS:
            recipe["phase"] = SAMPLED_PHASE
        if args.transverse_field is not None or (args.phase or recipe["phase"]) != "exact-gradient":
            recipe["learning_rate"] = SAMPLED_RATE
    if args.transverse_field is not None:
        recipe.update(phase=QUANTUM_DEFAULT_PHASE, centering=False)
    if args.fast_rate is not None and (args.phase or recipe["phase"]) != "pcd":
        raise ValueError(f"--fast-rate sets the fast weights of --phase pcd; phase {args.phase or recipe['phase']} "
                         "has none")
    defaults = {**FIXED_DEFAULTS, **recipe}
    return _checked_settings({name: defaults[name] if getattr(args, name) is None else getattr(args, name)
                              for name in SETTINGS})


def _smaller_layer(args: argparse.Namespace, recipe: dict) -> int:
    """Units in the smaller layer of the built-in data set's RBM (bars-and-stripes: ``size**2`` visible units)."""
    size = args.size or FIXED_DEFAULTS["size"]
    hidden = recipe["hidden"] if args.hidden is None else args.hidden
    return min(size * size, hidden)


def _resumed_run(args: argparse.Namespace) -> tuple[Path, dict]:
    """The folder and settings of the run that ``--resume`` names; nothing else may be given with it."""
    given = [name for name in (*SETTINGS, "output") if getattr(args, name) is not None] + (["force"] if args.force
                                                                                          else [])
    if given:
        options = ", ".join("--" + name.replace("_", "-") for name in given)
        raise ValueError(f"--resume continues a run with its own settings; do not give {options} with it")
    output = Path(args.resume)
    check_not_held(output)
    if (output / "model.npz").exists() and not (output / CHECKPOINT_FILE).exists():
        raise ValueError(f"--resume {args.resume!r}: that run is finished (model.npz is written); nothing to resume")
    settings_file = _settings_path(output)
    if not settings_file.is_file() or not (output / CHECKPOINT_FILE).is_file():
        raise ValueError(f"--resume {args.resume!r} is not an interrupted qbm train run (expected {SETTINGS_FILE} "
                         f"and {CHECKPOINT_FILE} in it)")
    return output, _stored_settings(settings_file, f"--resume {args.resume!r}: {settings_file.name}")


def training_data(folder: str | Path) -> tuple[str, int] | None:
    """The data setting and image size of the ``qbm train`` run in ``folder``; None where it holds no run.

    >>> training_data("a folder with no run in it") is None
    True
    """
    settings_file = Path(folder) / SETTINGS_FILE
    if not settings_file.is_file():
        return None
    settings = _stored_settings(settings_file, str(settings_file))
    return settings["data"], settings["size"]


def _stored_settings(settings_file: Path, source: str) -> dict:
    """Every setting of a stored run, checked (a setting added since it was written: what it trained with)."""
    try:
        stored = json.loads(settings_file.read_text())
        settings = {name: stored[name] if name in stored or name not in SETTINGS_ADDED else SETTINGS_ADDED[name]
                    for name in SETTINGS}
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{source} is not a qbm train settings file ({exc})") from None
    return _checked_settings(settings, source)


_SETTING_RULES = {   # name -> (accepts the value, what it expects)
    "data": (lambda v: isinstance(v, str) and v != "", "a data set name or a file"),
    "size": (lambda v: _integer(v) and v >= 1, "a positive integer"),
    "transverse_field": (lambda v: v is None or (_number(v) and np.isfinite(v)), "a finite number or null"),
    "num_reads": (lambda v: _integer(v) and v >= 1, "a positive integer"),
    "sweeps": (lambda v: _integer(v) and v >= 0, "a non-negative integer"),
    "seed": (lambda v: _integer(v) and v >= 0, "a non-negative integer"),
    "hidden": (lambda v: _integer(v) and v >= 0, "a non-negative integer"),
    "epochs": (lambda v: _integer(v) and v >= 1, "a positive integer"),
    "phase": (lambda v: v in PHASE_NAMES, f"one of {', '.join(PHASE_NAMES)}"),
    "batch_size": (lambda v: v is None or (_integer(v) and v >= 1), "a positive integer, or null for all rows"),
    "learning_rate": (lambda v: _number(v) and np.isfinite(v) and v > 0, "a finite positive number"),
    "centering": (lambda v: isinstance(v, bool), "true or false"),
    "fast_rate": (lambda v: _number(v) and np.isfinite(v) and v >= 0, "a finite non-negative number"),
}


def _integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _checked_settings(settings: dict, source: str | None = None) -> dict:
    """Every setting as the command would accept it, or an error naming the option (or, for a stored run, the file
    and the entry), what was given and what is expected."""
    for name, value in settings.items():
        accepts, expected = _SETTING_RULES[name]
        if not accepts(value):
            where = f"{source} has {name}" if source else "--" + name.replace("_", "-") + " is"
            raise ValueError(f"{where} {value!r}; expected {expected}")
    return settings


def _check_output(output: Path, force: bool, held: bool = False) -> None:
    """Refuse a folder that is a file, holds a run (unless ``force``) or, unless this process ``held`` it, is in use."""
    if output.exists() and not output.is_dir():
        raise ValueError(f"--output {str(output)!r} is a file, not a folder")
    if not held:
        check_not_held(output)
    if force:
        return
    if (output / "model.npz").exists():
        raise ValueError(f"--output {str(output)!r} already holds a run (model.npz); choose another folder or pass "
                         "--force to replace it")
    if (output / CHECKPOINT_FILE).exists():
        raise ValueError(f"--output {str(output)!r} holds an interrupted run; continue it with 'qbm train --resume "
                         f"{output}', or pass --force to replace it")


def _model_and_phase(settings: dict, data: np.ndarray):
    """The model the phase's registry entry trains (an RBM, or a QBM with a transverse field), and the phase, both
    tried on one step of copies (except where a step costs QPU time), so that a bad setting is refused here and not
    in the middle of a run."""
    entry = phase_entry(settings["phase"])
    model = KINDS[entry.model].build(data.shape[1], settings["hidden"], settings["transverse_field"], settings["seed"])
    check_allocation(settings["num_reads"] * model.n_units * _BYTES_PER_READ_AND_UNIT,
                     f"--num-reads {settings['num_reads']} with {model.n_units} units")
    phase = make_phase(entry.name, num_reads=settings["num_reads"], num_sweeps=settings["sweeps"])
    if isinstance(phase, PCD):
        phase.fast_rate = settings["fast_rate"]
    if entry.trial:
        rows = data[:settings["batch_size"] or len(data)]
        copy.deepcopy(phase).gradient(model.copy(), rows, np.random.default_rng(settings["seed"]))
    return model, phase


def _phase_help() -> str:
    """The registry's names, classical then quantum, for ``--help``."""
    return f"{', '.join(phase_names('classical'))}; for a quantum Boltzmann machine {', '.join(phase_names('quantum'))}"


def _phase_label(settings: dict) -> str:
    return f"phase {settings['phase']}{', centred' if settings['centering'] else ''}"


def _describe(model) -> str:
    return kind_of_model(model).describe(model)


def _per_epoch_measures(model, data: np.ndarray) -> dict:
    return kind_of_model(model).per_epoch_measures(model, data)


def _samples_to_draw(model, data: np.ndarray, seed: int) -> np.ndarray | None:
    """The samples of ``samples.png`` (an RBM of square images), drawn before any result is written: chains
    from training rows, which reach a multimodal model's own distribution far sooner than random states."""
    if not (is_rbm(model) and plots.image_side(model.n_visible) is not None):
        return None
    return generate(model, num_reads=SAMPLES_DRAWN, start=data, num_sweeps=SAMPLE_SWEEPS, random_state=seed)


def _final_line(summary: dict) -> str:
    """The run's final evaluation in words, for the learning curve."""
    if "kl_data_to_model" in summary:
        measured = f"KL(data ‖ model) {summary['kl_data_to_model']:.3f} nats (exact)"
    elif "log_likelihood" in summary:
        measured = f"log-likelihood {summary['log_likelihood']:.2f} nats per example (exact)"
    elif "log_likelihood_ais" in summary:
        measured = (f"log-likelihood between {summary['log_likelihood_raise']:.2f} (RAISE, s.e. "
                    f"{summary['log_likelihood_raise_standard_error']:.2g}) and {summary['log_likelihood_ais']:.2f} "
                    f"(AIS, s.e. {summary['log_partition_ais_standard_error']:.2g}) nats per example")
    else:
        return ""
    return f"end of run, on {summary['evaluated_on']}: {measured}"


def _plots(model, history, measures: list[str], output: Path, samples: np.ndarray | None, title: str, note: str,
           log_scale: bool) -> list[str]:
    plots.learning_curve(history.epochs, measures, output / "learning_curve.png", title=title,
                         labels=MEASURE_LABELS, log_scale=True if log_scale else None, note=note)
    if samples is None:
        return ["learning_curve.png"]
    plots.image_grid(samples, output / "samples.png", title=f"samples of the {_describe(model)} (block Gibbs from "
                                                            f"{SAMPLES_DRAWN} training rows, {SAMPLE_SWEEPS} sweeps)")
    shown = model.weights.T[:50]
    plots.image_grid(shown, output / "filters.png", title=f"weights of {len(shown)} hidden units",
                     symmetric=True)
    return ["learning_curve.png", "samples.png", "filters.png"]
