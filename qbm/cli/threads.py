"""How many threads the command lets BLAS use (``--threads``).

The matrix products of Gibbs chains, PCD and the exact layer sums are small enough that a
second BLAS thread mostly waits: on a 2-core machine one thread per run is faster, and
two runs side by side do not fight over the cores (``benchmarks/bench_command.py``
measures it). ``--threads 0`` leaves BLAS its own default.
"""
from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

DEFAULT_THREADS = 1


def _thread_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of threads (0: BLAS's own default), got {text!r}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more threads, got {value}")
    return value


def add_threads_option(parser: argparse.ArgumentParser) -> None:
    """Give a subcommand the ``--threads N`` option."""
    parser.add_argument("--threads", type=_thread_count, default=DEFAULT_THREADS, metavar="N",
                        help="BLAS threads for the run's matrix products; 0 leaves BLAS its own default "
                             "(one is fastest for the built-in data sets on a 2-core machine)")


@contextlib.contextmanager
def blas_threads(count: int) -> Iterator[None]:
    """Limit BLAS to ``count`` threads inside the block (``0``: no limit).

    >>> with blas_threads(1):
    ...     pass
    """
    if not count:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=count, user_api="blas"):
        yield
