"""The array backends on a GPU against the NumPy paths on the same machine's CPU, in one run.

    python benchmarks/bench_gpu.py                 # every part, on torch:cuda
    QBM_GPU_BACKEND=cupy python benchmarks/bench_gpu.py gibbs

Parts: ``gibbs`` (GibbsSampler, RBM 784×500, 10⁵ chains × 100 sweeps, against the device's own
measured matrix-multiply rate for the sweep's shape, at each product precision), ``pcd`` (PCD
training of MNIST-5k 784×500 by the MNIST benchmark's recipe: epoch time by batch size, and the
AIS test log-likelihood of both sides), ``ais`` (784×500, 1,000 chains × 30,000 temperatures),
``crossover`` (from what size the device wins) and ``precision`` (float32, TF32 and bfloat16
products against exact ⟨v⟩, ⟨vh⟩ and log Z).  Each table names the device and library versions.
Without a GPU the script says so and stops; ``QBM_GPU_SMOKE=1`` runs every part at toy sizes on
any backend without storing anything (the test suite does, on array-api-strict).
"""
from __future__ import annotations

import os
import statistics
import sys
import time

import numpy as np
from sklearn.model_selection import train_test_split

import qbm
from qbm.backend import get_backend
from qbm.metrics import ais_log_partition
from _harness import machine, run_parts

BACKEND = os.environ.get("QBM_GPU_BACKEND", "torch:cuda")
SMOKE = bool(os.environ.get("QBM_GPU_SMOKE"))
SCALE = 0.01 if SMOKE else 1.0
CHAINS = 100_000                  # the Gibbs target's chains
SWEEPS = 100
CPU_CHAINS = 10_000               # the CPU's share of the same sweep (its rate per chain-sweep is flat past 10³)
AIS_CHAINS, AIS_TEMPERATURES = 1000, 30_000
PCD_AIS_CHAINS = 300              # the MNIST benchmark's AIS: 300 chains × 30,000 temperatures
PCD_BATCHES = (10, 100, 1000)
PCD_EPOCHS, PCD_SEEDS = 10, (0, 1)
PRECISIONS = ("float32", "tf32", "bfloat16")


def scaled(count: int, smallest: int = 2) -> int:
    return max(smallest, int(count * SCALE))


def device_backend(precision: str = "float32"):
    """The GPU backend, or a stop with the reason none is here."""
    try:
        backend = get_backend(BACKEND, precision=precision if BACKEND.startswith("torch") else None)
    except ImportError as exc:
        raise SystemExit(f"bench_gpu.py needs a GPU library: {exc}") from None
    if not SMOKE and backend.name in ("torch",) and not str(backend.device).startswith("cuda"):
        raise SystemExit("bench_gpu.py measures a GPU and torch sees none (torch.cuda.is_available() is False); "
                         "QBM_GPU_SMOKE=1 runs it at toy sizes on the CPU")
    return backend


def device_description(backend) -> str:
    versions = [f"numpy {np.__version__}", f"qbm {qbm.__version__}"]
    name = backend.name
    if backend.name == "torch":
        import torch
        versions.append(f"torch {torch.__version__} (CUDA {torch.version.cuda})")
        if str(backend.device).startswith("cuda"):
            name = torch.cuda.get_device_name(backend.device)
    elif backend.name == "cupy":
        import cupy
        versions.append(f"cupy {cupy.__version__}")
        name = cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
    return f"{name} through {backend!r}; {', '.join(versions)}; host {machine()}"


def timed(run, backend, repeat: int = 3) -> float:
    """Median seconds of ``run()``, the device's queue drained before and after each."""
    times = []
    for _ in range(repeat):
        backend.synchronize()
        start = time.perf_counter()
        run()
        backend.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def matmul_rate(backend, rows: int, inner: int, cols: int) -> float:
    """The backend's measured FLOP/s for (rows × inner) @ (inner × cols) in its product precision."""
    rng = np.random.default_rng(0)
    a, b = backend.asarray(rng.random((rows, inner))), backend.asarray(rng.random((inner, cols)))
    backend.matmul(a, b)
    repeats = 10
    seconds = timed(lambda: [backend.matmul(a, b) for _ in range(repeats)], backend) / repeats
    return 2 * rows * inner * cols / seconds


def gibbs() -> None:
    n_visible, n_hidden, chains, sweeps = 784, scaled(500), scaled(CHAINS, 10), scaled(SWEEPS, 2)
    bqm = qbm.RBM(n_visible, n_hidden, random_state=0).to_bqm()
    flops = 4 * n_visible * n_hidden   # per chain-sweep: two products
    cpu = get_backend("numpy")
    cpu_chains = scaled(CPU_CHAINS, 10)
    cpu_seconds = timed(lambda: qbm.GibbsSampler().sample(bqm, num_reads=cpu_chains, num_sweeps=sweeps, seed=0),
                        cpu, repeat=1)
    cpu_rate, cpu_peak = cpu_chains * sweeps / cpu_seconds, matmul_rate(cpu, n_hidden, n_visible, cpu_chains)
    print(f"# GibbsSampler, RBM {n_visible}×{n_hidden}, {chains:,} chains × {sweeps} sweeps "
          f"({device_description(device_backend())})")
    print("| where | product precision | chain-sweeps / s | matmul rate of the shape | fraction of it | "
          "speed-up over the CPU |")
    print("|---|---|---|---|---|---|")
    print(f"| CPU (NumPy, {cpu_chains:,} chains) | float32 | {cpu_rate:.3g} | {cpu_peak / 1e12:.3g} TFLOP/s | "
          f"{flops * cpu_rate / cpu_peak:.0%} | 1 |")
    for precision in PRECISIONS if device_backend().name == "torch" else ("float32",):
        backend = device_backend(precision)
        sampler = qbm.GibbsSampler(backend=backend)
        sampler.sample(bqm, num_reads=chains, num_sweeps=2, seed=0)   # warm-up: kernels, allocator
        seconds = timed(lambda: sampler.sample(bqm, num_reads=chains, num_sweeps=sweeps, seed=0), backend, repeat=2)
        rate, peak = chains * sweeps / seconds, matmul_rate(backend, n_hidden, n_visible, chains)
        print(f"| {backend!r} | {precision} | {rate:.3g} | {peak / 1e12:.3g} TFLOP/s | {flops * rate / peak:.0%} | "
              f"{rate / cpu_rate:.0f}× |", flush=True)
    print("The whole call: the chains' sweeps, the float64 energies and the one transfer of the states back.")


def mnist_split():
    X, y = qbm.datasets.load_mnist()
    train, test = train_test_split(X, test_size=0.2, random_state=0, stratify=y)
    odds = np.clip(train.mean(axis=0), 1e-3, 1 - 1e-3)
    return train[:scaled(4000, 40)], test[:scaled(1000, 20)], np.log(odds / (1 - odds))


def pcd() -> None:
    train, test, base = mnist_split()
    backend = device_backend()
    hidden = scaled(500, 8)
    print(f"# PCD(100 chains) on MNIST-5k, RBM 784×{hidden}, SGD 0.05, linear decay: seconds per epoch "
          f"({device_description(backend)})")
    print("| batch | CPU (NumPy) | device | speed-up |")
    print("|---|---|---|---|")
    for batch in PCD_BATCHES:
        seconds = {}
        for where in ("numpy", backend):
            model = qbm.RBM(784, hidden, random_state=0)
            history = qbm.train(model, train, qbm.PCD(100, fast_rate=0, backend=where), epochs=2, batch_size=batch,
                                learning_rate=0.05, random_state=0, progress=False)
            seconds[str(where)] = history.epochs[-1]["seconds"]   # the second epoch: warm
        cpu, device = seconds["numpy"], seconds[str(backend)]
        print(f"| {batch} | {cpu:.3g} s | {device:.3g} s | {cpu / device:.1f}× |", flush=True)
    steps = len(train) / PCD_BATCHES[0]
    print(f"At batch {PCD_BATCHES[0]} an epoch is {steps:.0f} steps: the device's time per step is its launch latency "
          "bound when the speed-up stays flat from one batch to the next.")
    epochs = scaled(PCD_EPOCHS, 1)
    print(f"\n# The same recipe, batch 10, {epochs} epochs: AIS test log-likelihood ({PCD_AIS_CHAINS} chains × "
          f"{scaled(AIS_TEMPERATURES, 10):,} temperatures from the training marginals, on the device)")
    print("| seed | CPU (NumPy) | device | difference |")
    print("|---|---|---|---|")
    for seed in PCD_SEEDS:
        lls = []
        for where in ("numpy", backend):
            model = qbm.RBM(784, hidden, random_state=seed)
            qbm.train(model, train, qbm.PCD(100, fast_rate=0, backend=where), epochs=epochs, batch_size=10, learning_rate=0.05,
                      random_state=seed, progress=False)
            log_z, _ = ais_log_partition(model, num_reads=PCD_AIS_CHAINS, betas=scaled(AIS_TEMPERATURES, 10),
                                         random_state=seed + 1, base_visible_bias=base, backend=backend)
            lls.append(float(np.mean(-model.free_energy(test)) - log_z))
        print(f"| {seed} | {lls[0]:.2f} | {lls[1]:.2f} | {lls[1] - lls[0]:+.2f} |", flush=True)


def ais() -> None:
    train, _, base = mnist_split()
    backend = device_backend()
    model = qbm.RBM(784, scaled(500, 8), random_state=0)
    qbm.train(model, train, qbm.PCD(100, fast_rate=0, backend=backend), epochs=1, batch_size=10, learning_rate=0.05,
              random_state=0, progress=False)
    chains, temperatures = scaled(AIS_CHAINS, 10), scaled(AIS_TEMPERATURES, 10)
    cpu_temperatures = max(10, temperatures // 100)
    cpu = timed(lambda: ais_log_partition(model, num_reads=chains, betas=cpu_temperatures, random_state=0,
                                          base_visible_bias=base), get_backend("numpy"), repeat=1)
    device = timed(lambda: ais_log_partition(model, num_reads=chains, betas=temperatures, random_state=0,
                                             base_visible_bias=base, backend=backend), backend, repeat=1)
    cpu_whole = cpu * temperatures / cpu_temperatures
    print(f"# AIS, RBM 784×{model.n_hidden} (one PCD epoch on MNIST-5k), {chains:,} chains × {temperatures:,} "
          f"temperatures ({device_description(backend)})")
    print("| where | seconds | speed-up |")
    print("|---|---|---|")
    print(f"| CPU (NumPy; {cpu_temperatures:,} temperatures timed, scaled to {temperatures:,}) | {cpu_whole:.3g} | 1 |")
    print(f"| {backend!r} | {device:.3g} | {cpu_whole / device:.0f}× |")


def crossover() -> None:
    backend = device_backend()
    sizes = [(64, 16), (128, 64), (256, 128), (784, 100), (784, 500)]
    print(f"# Where the device wins: GibbsSampler (1,000 chains × 100 sweeps) and one PCD(100) step of batch 10 "
          f"({device_description(backend)})")
    print("| RBM | Gibbs CPU | Gibbs device | device / CPU | PCD step CPU | PCD step device | device / CPU |")
    print("|---|---|---|---|---|---|---|")
    chains, sweeps = scaled(1000, 10), scaled(100, 2)
    rows = np.random.default_rng(0).integers(0, 2, (200, 784)).astype(float)   # 20 steps of batch 10 an epoch
    for n_visible, n_hidden in sizes:
        bqm = qbm.RBM(n_visible, n_hidden, random_state=0).to_bqm()
        gibbs_times = [timed(lambda: qbm.GibbsSampler(backend=where).sample(bqm, num_reads=chains, num_sweeps=sweeps,
                                                                            seed=0), get_backend(where))
                       for where in ("numpy", backend)]
        step_times = []
        for where in ("numpy", backend):
            history = qbm.train(qbm.RBM(n_visible, n_hidden, random_state=0), rows[:, :n_visible],
                                qbm.PCD(100, fast_rate=0, backend=where), epochs=3, batch_size=10, learning_rate=0.05,
                                progress=False, random_state=0)
            step_times.append(min(epoch["seconds"] for epoch in history.epochs[1:]) / 20)   # warm epochs
        print(f"| {n_visible}×{n_hidden} | {gibbs_times[0] * 1e3:.3g} ms | {gibbs_times[1] * 1e3:.3g} ms | "
              f"{gibbs_times[1] / gibbs_times[0]:.2f} | {step_times[0] * 1e6:.0f} µs | {step_times[1] * 1e6:.0f} µs | "
              f"{step_times[1] / step_times[0]:.2f} |", flush=True)
    print("Below a ratio of 1 the device is faster. The default backend is the CPU (NumPy) everywhere: "
          "a device is chosen by naming it.")


def precision() -> None:
    rng = np.random.default_rng(3)
    rbm = qbm.RBM(24, 16, weights=rng.normal(0, 0.6, (24, 16)), visible_bias=rng.normal(0, 1, 24),
                  hidden_bias=rng.normal(0, 1, 16))
    exact = qbm.exact.expectations(rbm)
    log_z = qbm.log_partition(rbm)
    chains = scaled(CHAINS, 1000)
    print(f"# Product precision against exact answers: RBM 24×16, GibbsSampler {chains:,} chains × 200 sweeps, "
          f"AIS 1,000 chains × 3,000 temperatures ({device_description(device_backend())})")
    print("| precision | ⟨v⟩ largest error / s.e. | ⟨vh⟩ largest error / s.e. | AIS log Z − exact | AIS s.e. |")
    print("|---|---|---|---|---|")
    options = [("NumPy float64/float32 (CPU)", get_backend("numpy"))]
    options += [(p, device_backend(p)) for p in (PRECISIONS if device_backend().name == "torch" else ("float32",))]
    for name, backend in options:
        answer = qbm.GibbsSampler(backend=backend).sample(rbm.to_bqm(), num_reads=chains, num_sweeps=200, seed=1)
        states = answer.record.sample[:, [answer.variables.index(i) for i in range(40)]].astype(float)
        v, h = states[:, :24], states[:, 24:]
        v_error = np.abs(v.mean(axis=0) - exact["visible_bias"]) / np.sqrt(exact["visible_bias"] *
                                                                            (1 - exact["visible_bias"]) / chains)
        vh = v.T @ h / chains
        vh_error = np.abs(vh - exact["weights"]) / np.sqrt(exact["weights"] * (1 - exact["weights"]) / chains)
        estimate, error = ais_log_partition(rbm, num_reads=1000, betas=scaled(3000, 20), random_state=2,
                                            backend=None if backend.is_numpy else backend)
        print(f"| {name} | {v_error.max():.2f} | {vh_error.max():.2f} | {estimate - log_z:+.4f} | {error:.4f} |",
              flush=True)
    print("An error of up to about 3.5 s.e. is sampling noise over these 24 and 384 statistics; the AIS "
          "difference is within noise when it is within two of its standard errors.")


PARTS = {"gibbs": gibbs, "pcd": pcd, "ais": ais, "crossover": crossover, "precision": precision}

if __name__ == "__main__":
    device_backend()   # every part needs the device: stop with the reason before any CPU reference runs
    if SMOKE:
        for name in sys.argv[1:] or PARTS:
            PARTS[name]()
    else:
        run_parts(__file__, PARTS)
