"""Measure a benchmark case in a fresh Python process: wall time and peak memory.

Each case runs in its own interpreter so that one case's peak resident memory does
not hide another's; the baseline (interpreter + imports) is measured the same way
and subtracted.
"""
from __future__ import annotations

import json
import platform
import resource
import statistics
import subprocess
import sys
import time


def peak_rss_mb() -> float:
    """This process's peak resident set size, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_main(cases: dict) -> None:
    """Entry point of a measuring child: ``script --case NAME ARGS...`` prints one JSON line."""
    name, args = sys.argv[2], [int(a) for a in sys.argv[3:]]
    setup = cases[name]
    run = setup(*args)
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": peak_rss_mb(), "result": result}))


def measure(script: str, name: str, *args: int, repeat: int = 1, timeout: float = 600) -> dict:
    """Run ``name`` in ``repeat`` fresh processes; median seconds, max peak memory."""
    runs = []
    for _ in range(repeat):
        try:
            out = subprocess.run([sys.executable, script, "--case", name, *map(str, args)],
                                 capture_output=True, text=True, timeout=timeout, check=True)
        except subprocess.TimeoutExpired:
            return {"seconds": float("inf"), "peak_mb": float("nan"), "result": None}
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs), "result": runs[0]["result"]}


def machine() -> str:
    import os
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def median_time(run, repeat: int = 3) -> float:
    """Median wall time of ``run()`` over ``repeat`` calls in this process."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
