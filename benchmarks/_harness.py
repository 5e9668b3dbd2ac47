"""What every benchmark script shares: measuring a case, and storing what it printed as data.

A case can run in a fresh interpreter (``measure``) so that one case's peak resident memory
does not hide another's; the baseline (interpreter + imports) is measured the same way and
subtracted. ``run_parts`` runs a script's parts and writes the tables each printed to
``benchmarks/results/<script>.json`` with the command, commit, date, machine and settings;
the documentation renders its benchmark pages from those files.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import io
import json
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qbm._files import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]


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


# ---------------------------------------------------------------------------
# Results files: every script's tables as data, rendered into the docs.

RESULTS = Path(__file__).resolve().parent / "results"
_SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+$")
_figures: list[str] = []


@dataclasses.dataclass
class CommandRun:
    """What one ``qbm train`` run left: its wall seconds, its ``summary.json``, its model and the warnings it
    printed."""
    seconds: float
    summary: dict
    model: object
    warnings: list[str]


def train_command(arguments: list[str]) -> CommandRun:
    """Run ``qbm train ARGUMENTS --quiet`` as a command in a temporary folder (its output kept out of the tables).

    ``train_command(["--data", "digits", "--seed", "1"]).summary["log_likelihood"]`` is what the command reached.
    """
    import qbm

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "qbm.cli", "train", *arguments, "--quiet", "--output",
                               f"{folder}/run"], check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        run = Path(folder, "run")
        return CommandRun(seconds, json.loads((run / "summary.json").read_text()), qbm.load(run / "model.npz"),
                          [line for line in done.stderr.splitlines() if line.startswith("qbm: warning: ")])


def bounds_warnings(messages: list[str]) -> str:
    """Which of :func:`qbm.metrics.log_likelihood_bounds`'s warnings ``messages`` hold, as a table cell: the sides
    crossing, an error of nats, or ``none``."""
    kinds = {"neither side bounds": "sides cross", "anneal is too short": "s.e. above 1 nat"}
    return ", ".join(kind for text, kind in kinds.items() if any(text in message for message in messages)) or "none"


def with_bounds_warnings(read: Callable[[], Any]) -> tuple[Any, str]:
    """``read()`` and the :func:`bounds_warnings` cell of the warnings it raised (every one recorded, none shown)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = read()
    return value, bounds_warnings([str(w.message) for w in caught])


def interval_cell(bounds: dict) -> str:
    """``bounds``' ``lower`` and ``upper`` as ``"-80.12 to -79.50"``, with its ``warnings`` cell beside any."""
    cell = f"{bounds['lower']:.2f} to {bounds['upper']:.2f}"
    return cell if bounds["warnings"] == "none" else f"{cell} ({bounds['warnings']})"


def record_figure(path: str | Path) -> None:
    """Record a picture the running part wrote, so its page shows it (a path inside the repository)."""
    _figures.append(Path(path).resolve().relative_to(ROOT).as_posix())


def parse_tables(text: str) -> tuple[list[dict], list[str]]:
    r"""The markdown a script printed, as tables: a ``#`` line titles the table below it, ``|`` lines are
    its header and rows (a blank line or a note ends them), other lines are notes of the table above
    them, or of the whole part before any table.

    >>> tables, notes = parse_tables("intro\n# speed\n| n | time |\n|---|---|\n| 16 | 1 s |\nfast")
    >>> notes, tables[0]["title"], tables[0]["columns"], tables[0]["rows"], tables[0]["notes"]
    (['intro'], 'speed', ['n', 'time'], [['16', '1 s']], ['fast'])
    """
    tables: list[dict] = []
    notes: list[str] = []
    open_table = False     # the last table still takes rows
    for line in (raw.strip() for raw in text.splitlines()):
        if _SEPARATOR.match(line):
            continue
        if line.startswith("#"):
            tables.append({"title": line.lstrip("#").strip(), "columns": [], "rows": [], "notes": []})
            open_table = True
        elif line.startswith("|"):
            if not open_table:
                tables.append({"title": "", "columns": [], "rows": [], "notes": []})
                open_table = True
            cells = [cell.strip() for cell in line[1:-1 if line.endswith("|") else None].split(" | ")]
            table = tables[-1]
            if table["columns"]:
                table["rows"].append(cells)
            else:
                table["columns"] = cells
        elif line:
            (tables[-1]["notes"] if tables else notes).append(line)
            open_table = open_table and not tables[-1]["columns"] if tables else False
        elif tables and tables[-1]["columns"]:
            open_table = False
    return tables, notes


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else ""


def _settings(module) -> dict:
    """The script's upper-case module constants that JSON can hold (seeds, sizes, budgets)."""
    plain = (int, float, str, bool, tuple, list)
    return {name: value for name, value in vars(module).items()
            if name.isupper() and not name.startswith("_") and isinstance(value, plain)
            and _json_safe(value)}


def _json_safe(value) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


class _Tee(io.TextIOBase):
    def __init__(self, stream):
        self.stream, self.buffer_ = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.buffer_.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def run_parts(script: str, parts: dict, argv: list[str] | None = None) -> None:
    """Run the parts named on the command line (every part by default), printing their tables, and
    store each part's tables in ``benchmarks/results/<script>.json`` with the command, commit, date,
    machine, settings and wall time; the parts not run keep their stored results.

    ``python benchmarks/bench_training.py digits`` re-measures the digits part only.
    """
    names = sys.argv[1:] if argv is None else argv
    unknown = [name for name in names if name not in parts]
    if unknown:
        raise SystemExit(f"unknown part(s) {', '.join(unknown)}; the parts are: {', '.join(parts)}")
    stem = Path(script).stem
    commit = _git("rev-parse", "HEAD")
    modified = bool(_git("status", "--porcelain", "--", "qbm", "benchmarks", ":!benchmarks/results"))
    for name in names or list(parts):
        _figures.clear()
        tee = _Tee(sys.stdout)
        start = time.perf_counter()
        with contextlib.redirect_stdout(tee):
            parts[name]()
        seconds = time.perf_counter() - start
        tables, notes = parse_tables(tee.buffer_.getvalue())
        print(flush=True)
        record = {"command": f"python benchmarks/{stem}.py {name}" if len(parts) > 1 else f"python benchmarks/{stem}.py",
                  "commit": commit, "modified": modified,   # the code the run started with
                  "date": datetime.date.today().isoformat(), "machine": machine(),
                  "seconds": round(seconds, 1), "settings": _settings(sys.modules["__main__"]),
                  "notes": notes, "tables": tables, "figures": list(_figures)}
        store(stem, name, record, order=list(parts))


def store(stem: str, part: str, record: dict, order: list[str]) -> Path:
    """Write ``record`` as ``part`` of ``results/<stem>.json`` (atomically), keeping the other parts."""
    path = RESULTS / f"{stem}.json"
    stored = json.loads(path.read_text()) if path.exists() else {"script": f"benchmarks/{stem}.py", "parts": {}}
    stored["parts"][part] = record
    stored["parts"] = {name: stored["parts"][name] for name in order if name in stored["parts"]}
    RESULTS.mkdir(exist_ok=True)
    atomic_write_text(path, json.dumps(stored, indent=1, ensure_ascii=False) + "\n")
    return path
