"""The ``qbm`` command.

    qbm train                      # bars-and-stripes 4×4, RBM, simulated-annealing negative phase
    qbm train --data digits        # each data set has its own defaults (see --help)
    qbm train --resume qbm-run     # continue an interrupted run
    qbm sample qbm-run/model.npz --clamp 0=1 --clamp 5=0 --num-reads 8
    qbm evaluate qbm-run/model.npz rows.csv
    qbm convert problem.json --to ising --output ising.json     # QUBO ↔ Ising, JSON or COO
    qbm convert --example                                       # the two-variable table

Bad input ends with one line on stderr and exit status 2, a warning is one line on stderr
(``qbm: warning: ...``); files are written to a
temporary name and renamed, so nothing already there is lost or half-written.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings

from .. import __version__
from ..samplers.qpu import QPUConfigurationError
from . import convert, evaluate, sample, train
from .threads import add_threads_option, blas_threads

__all__ = ["main", "build_parser"]


class _OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line (``qbm: error: ...``) and exit status 2, like every other error."""

    def error(self, message: str):
        self.exit(2, f"qbm: error: {message} (see '{self.prog} --help')\n")


class _DefaultsFormatter(argparse.HelpFormatter):
    """``--help`` states each option's default, where it has one of its own (not one that follows --data)."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" in text.lower() or action.default in (None, False, [], argparse.SUPPRESS) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


class _CommandParser(_OneLineParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _DefaultsFormatter)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="qbm", description="Boltzmann machines trained with samples from annealers.")
    parser.add_argument("--version", action="version", version=f"qbm {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_CommandParser)
    for command in (train, sample, evaluate, convert):
        command.add_parser(commands)
    for command in commands.choices.values():
        add_threads_option(command)
    return parser


class Terminated(BaseException):
    """SIGTERM, raised where the process is, so that a run stops as it does on Ctrl-C (checkpoint kept, hint printed)."""


# The signal that stopped the run, known even where C code (numpy, dimod) replaced the exception the handler raised
# with an error of its own, which would otherwise be reported as bad input.
_stopped_by: list[int] = []
_STOPS = {signal.SIGINT: (KeyboardInterrupt, "interrupted", 130), signal.SIGTERM: (Terminated, "terminated", 143)}


def _stop(signum, frame) -> None:
    _stopped_by.append(signum)
    raise _STOPS[signum][0]


def _stopped(signum: int) -> int:
    """Say how the run stopped; the exit status for it."""
    _, word, status = _STOPS[signum]
    print(f"qbm: {word}", file=sys.stderr)
    return status


def _install_stop_handlers() -> dict:
    """Handle SIGTERM, and SIGINT where Python's own handler has it (not where the shell ignores it); the previous
    handlers, to restore."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, _stop)}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, _stop)
    return previous


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one line on stderr (``qbm: warning: ...``), as errors are."""
    print(f"qbm: warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``qbm`` console script; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    _stopped_by.clear()
    previous = _install_stop_handlers()
    try:
        with blas_threads(args.threads), warnings.catch_warnings():
            warnings.showwarning = _one_line_warning
            args.run(args)
    except (ValueError, TypeError, OSError, ImportError, FloatingPointError, QPUConfigurationError) as exc:
        if _stopped_by:   # the signal arrived inside numpy or dimod, which raised their own error for it
            return _stopped(_stopped_by[0])
        if isinstance(exc, BrokenPipeError):   # the reader went away (``| head``): nothing more to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        print(f"qbm: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print("qbm: error: out of memory; ask for fewer samples, rows or units", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return _stopped(signal.SIGINT)
    except Terminated:
        return _stopped(signal.SIGTERM)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
