"""Memory estimated before a large allocation: a request that cannot fit is refused with the figure.

>>> check_allocation(1e3, "a small table")
"""
from __future__ import annotations

import os

__all__ = ["check_allocation"]


def check_allocation(nbytes: float, what: str) -> None:
    """Refuse a request whose arrays would not fit in the memory this machine has available (with the figures).

    Examples
    --------
    >>> check_allocation(1e18, "num_reads 10**15")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: num_reads 10**15 needs about 1e+06 TB of memory; this machine has ... available
    """
    if nbytes < _FITS_ANY_MACHINE:   # the common case, on the sampler hot path: no /proc read
        return
    available = _available_memory()
    if nbytes > available:
        raise ValueError(f"{what} needs about {_bytes_text(nbytes)} of memory; this machine has "
                         f"{_bytes_text(available)} available")


_FITS_ANY_MACHINE = 2.0 ** 28   # 256 MiB: below it a request is not worth the look at the machine's memory


def _available_memory() -> float:
    """Bytes of memory available to a new allocation (MemAvailable on Linux, physical memory otherwise)."""
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def _bytes_text(nbytes: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if nbytes >= size:
            return f"{nbytes / size:.3g} {unit}"
    return f"{nbytes:.0f} bytes"
