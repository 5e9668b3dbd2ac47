"""What the ``qbm`` command's built-in default runs take and reach, and what ``--threads`` does.

    python benchmarks/bench_command.py            # about 16 minutes (defaults) and 31 (threads) on 2 cores

Each run is ``qbm train --data D --quiet --output OUT`` in a fresh process, timed from the
outside (install aside, the wall time a user waits, final evaluation included); the
measure reached is read from its ``summary.json``. The thread rows run the same command with
``--threads 1`` and ``--threads 0`` (BLAS's own default: one thread per core), alone on the
machine and then two runs side by side, as on a shared machine.
"""
from __future__ import annotations

import statistics
from concurrent.futures import ThreadPoolExecutor

from _harness import machine, run_parts, train_command

DATA_SETS = ("bars-and-stripes", "digits", "mnist")
QUANTUM = ["--data", "bars-and-stripes", "--size", "3", "--hidden", "1", "--transverse-field", "1",
           "--phase", "quantum-bound", "--epochs", "20"]


def run(arguments: list[str]) -> tuple[float, dict]:
    """Wall seconds of one ``qbm train`` and its summary."""
    done = train_command(arguments)
    return done.seconds, done.summary


def reached(summary: dict) -> str:
    if "kl_data_to_model" in summary:
        return f"KL {summary['kl_data_to_model']:.3f} nats"
    if "log_likelihood" in summary:
        return f"log-likelihood {summary['log_likelihood']:.2f} nats (exact)"
    return (f"log-likelihood {summary['log_likelihood_raise']:.2f} to {summary['log_likelihood_ais']:.2f} nats "
            f"(RAISE, s.e. {summary['log_likelihood_raise_standard_error']:.2g}, to AIS, s.e. "
            f"{summary['log_partition_ais_standard_error']:.2g})")


def defaults() -> None:
    print(f"## qbm train's built-in default runs ({machine()}); wall time of the whole command, median of 3")
    print("| command | time | reached, on the training data | per run |")
    print("|---|---|---|---|")
    for data in DATA_SETS:
        runs = [run(["--data", data]) for _ in range(3)]
        seconds = [r[0] for r in runs]
        print(f"| `qbm train --data {data}` | {statistics.median(seconds):.1f} s | {reached(runs[0][1])} | "
              f"{', '.join(f'{t:.1f} s' for t in seconds)} |", flush=True)
    seconds, summary = run(QUANTUM)
    print(f"| `qbm train {' '.join(QUANTUM)}` | {seconds:.1f} s | {reached(summary)} | {seconds:.1f} s |", flush=True)


def threads() -> None:
    print(f"## --threads: wall time of `qbm train --data D` ({machine()}); one run alone, and each of two "
          "runs started together")
    print("| data | --threads 1, alone | --threads 0, alone | --threads 1, two at once | --threads 0, two at once |")
    print("|---|---|---|---|---|")
    for data, extra in [("digits", []), ("mnist", []), ("bars-and-stripes", ["--epochs", "500"]),
                        ("quantum", None)]:
        arguments = QUANTUM if extra is None else ["--data", data, *extra]
        cells = []
        for shared in (False, True):
            for count in ("1", "0"):
                command = [*arguments, "--threads", count]
                if shared:
                    with ThreadPoolExecutor(2) as pool:
                        seconds = max(pool.map(lambda _: run(command)[0], range(2)))
                else:
                    seconds = run(command)[0]
                cells.append(seconds)
        alone1, alone0, shared1, shared0 = cells
        name = "QBM, bars-and-stripes 3×3 (as above)" if extra is None else " ".join([data, *extra])
        print(f"| {name} | {alone1:.1f} s | {alone0:.1f} s | {shared1:.1f} s | {shared0:.1f} s |", flush=True)


if __name__ == "__main__":
    run_parts(__file__, {"defaults": defaults, "threads": threads})
