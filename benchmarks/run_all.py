"""Re-measure every benchmark: each script stores its tables in ``benchmarks/results/<script>.json``.

    python benchmarks/run_all.py                  # about three hours on 2 cores
    python benchmarks/run_all.py bench_gibbs.py   # some of them

Each script runs in its own process, one after another (never two at once: they would
share the cores and distort each other's timings). The D-Wave plugin comparison and the
torch part of ``bench_speed.py`` need ``pip install torch==2.13.0 dwave-pytorch-plugin
einops``; without them the plugin's stored results stay as they are, and this says so.
The documentation renders its benchmark tables from the results files.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["bench_exact.py", "bench_elimination.py", "bench_convert.py", "bench_gibbs.py", "bench_speed.py", "bench_training.py", "bench_qpu.py",
           "bench_quantum.py", "bench_ais.py", "bench_features.py", "bench_plugin.py"]


def plugin_missing() -> str | None:
    """Why the plugin comparison cannot run here, or None when it can."""
    try:
        import dwave.plugins.torch.models  # noqa: F401
        import torch  # noqa: F401
    except ImportError as exc:
        return f"{exc}; `pip install torch==2.13.0 dwave-pytorch-plugin einops` to run it"
    return None


def main(scripts: list[str]) -> int:
    failed = []
    for script in scripts:
        if script == "bench_plugin.py" and (reason := plugin_missing()):
            print(f"{script}: not run ({reason})", file=sys.stderr, flush=True)
            continue
        start = time.perf_counter()
        result = subprocess.run([sys.executable, script], cwd=HERE)
        print(f"{script}: {time.perf_counter() - start:.0f} s"
              + ("" if result.returncode == 0 else f", FAILED (exit {result.returncode})"), file=sys.stderr, flush=True)
        if result.returncode:
            failed.append(script)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or SCRIPTS))
