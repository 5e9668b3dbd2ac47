"""How many threads the command lets BLAS use (``--threads``).

One thread by default: on a 2-core machine a second thread gains nothing on the small
products of the digits and bars-and-stripes runs and up to about a third on the largest
(MNIST, a quantum model's eigendecompositions), while two runs that share the machine
with a thread per core each run two to four times slower than with one thread each
(``benchmarks/bench_command.py`` measures both). ``--threads 0`` leaves BLAS its own
default, one thread per core, for a machine of your own.
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
                        help="BLAS threads for the run's matrix products; 0 leaves BLAS its own default, one "
                             "per core (faster for the largest models on a machine of your own; one thread "
                             "each is far faster when runs share the cores)")


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
