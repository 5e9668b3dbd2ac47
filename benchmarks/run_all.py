"""Regenerate every benchmark table in one run and write them to benchmarks/RESULTS.md.

    python benchmarks/run_all.py            # about 2 hours 10 minutes on 2 cores

Each script runs in its own process, one after another (never two at once: they would
share the cores and distort each other's timings). The D-Wave plugin comparison needs
``pip install torch==2.13.0 dwave-pytorch-plugin einops``; without them its section says
so instead of silently missing. The results file is written atomically at the end.
"""
from __future__ import annotations

import datetime
import subprocess
import sys
import time
from pathlib import Path

from _harness import machine

from qbm._utils import atomic_write_text

HERE = Path(__file__).resolve().parent
SCRIPTS = ["bench_exact.py", "bench_convert.py", "bench_gibbs.py", "bench_speed.py", "bench_training.py", "bench_qpu.py",
           "bench_quantum.py", "bench_ais.py", "bench_features.py", "bench_plugin.py"]


def plugin_missing() -> str | None:
    """Why the plugin comparison cannot run here, or None when it can."""
    try:
        import dwave.plugins.torch.models  # noqa: F401
        import torch  # noqa: F401
    except ImportError as exc:
        return (f"not run: {exc}. Install the CPU build of torch and the plugin with "
                "`pip install torch==2.13.0 dwave-pytorch-plugin einops`, then run `python benchmarks/bench_plugin.py`.")
    return None


def main() -> None:
    sections = [f"# qbm benchmarks\n\n{machine()}; generated {datetime.date.today()} by "
                f"`python benchmarks/run_all.py`.\n"]
    for script in SCRIPTS:
        if script == "bench_plugin.py" and (reason := plugin_missing()):
            sections.append(f"## {script}\n\n{reason}\n")
            continue
        start = time.perf_counter()
        result = subprocess.run([sys.executable, script], cwd=HERE, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        body = result.stdout.strip() if result.returncode == 0 else (
            f"FAILED (exit {result.returncode}):\n\n```\n{result.stderr.strip()[-2000:]}\n```")
        sections.append(f"<!-- {script}: {seconds:.0f} s -->\n{body}\n")
        print(f"{script}: {seconds:.0f} s", file=sys.stderr, flush=True)
    atomic_write_text(HERE / "RESULTS.md", "\n".join(sections))


if __name__ == "__main__":
    main()
