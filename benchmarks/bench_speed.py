"""Speed against the machine's limit and against plain numpy, scikit-learn and torch, one BLAS thread.

    python benchmarks/bench_speed.py          # about 4 minutes on 2 cores

Every ratio is measured side by side in this run (medians of repeats):

- GibbsSampler against a plain numpy block-Gibbs loop (two matrix products, a logistic,
  a comparison) at RBM 784×500 × 1000 chains, both as a fraction of the measured float32
  matrix-multiply rate of the same shapes; the sampler's fixed cost per call; the share
  of the loop spent drawing uniforms on small models;
- the training step against scikit-learn's ``BernoulliRBM`` per epoch, same data, rate,
  batch and optimiser (plain SGD);
- ``cd1``: the fixed cost per step, a CD-1 epoch on binarised digits (RBM 64×16, batch 10)
  against ``BernoulliRBM``, nine interleaved runs;
- the share of a ``SamplerPhase`` training step spent outside the sampler's own
  ``sample`` call (BQM construction, label mapping, SampleSet conversion, statistics);
- AIS at RBM 784×500 × 300 chains (the strong likelihood estimate of ``bench_training``):
  time per temperature as a fraction of the matmul rate of its two products;
- with torch installed, the same block-Gibbs loop in torch on the CPU, as the stand-in
  for an array-API or torch backend.

    python benchmarks/bench_speed.py [gibbs] [training] [cd1] [phase] [ais] [torch]   # a subset
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # before numpy loads
os.environ.setdefault("OMP_NUM_THREADS", "1")

import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import neal  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.neural_network import BernoulliRBM  # noqa: E402

import qbm  # noqa: E402
from _harness import machine, median_time, run_parts  # noqa: E402
from qbm.samplers.testing import mock_qpu  # noqa: E402


def matmul_rate(n_out: int, n_in: int, chains: int) -> float:
    """float32 GFLOP/s of the products one half-sweep makes, ``(n_out × n_in) @ (n_in × chains)``."""
    rng = np.random.default_rng(0)
    W, S = rng.random((n_out, n_in), dtype=np.float32), rng.random((n_in, chains), dtype=np.float32)
    seconds = median_time(lambda: [W @ S for _ in range(10)], repeat=5) / 10
    return 2 * n_out * n_in * chains / seconds / 1e9


def plain_numpy_gibbs(W: np.ndarray, a: np.ndarray, b: np.ndarray, chains: int, sweeps: int, seed: int = 0):
    """The loop anyone would write: v → h → v with two products, a logistic and a comparison."""
    rng = np.random.default_rng(seed)
    Wt = np.ascontiguousarray(W.T)
    v = (rng.random((W.shape[0], chains), dtype=np.float32) < 0.5).astype(np.float32)
    for _ in range(sweeps):
        h = (rng.random((W.shape[1], chains), dtype=np.float32) < 1 / (1 + np.exp(-(Wt @ v + b)))).astype(np.float32)
        v = (rng.random((W.shape[0], chains), dtype=np.float32) < 1 / (1 + np.exp(-(W @ h + a)))).astype(np.float32)
    return v


def gibbs_section() -> None:
    n_v, n_h, chains, sweeps = 784, 500, 1000, 100
    rbm = qbm.RBM(n_v, n_h, random_state=0)
    bqm = rbm.to_bqm()
    W = rbm.weights.astype(np.float32)
    a, b = rbm.visible_bias.astype(np.float32)[:, None], rbm.hidden_bias.astype(np.float32)[:, None]
    sampler = qbm.GibbsSampler()
    ours = median_time(lambda: sampler.sample(bqm, num_reads=chains, num_sweeps=sweeps, seed=0))
    plain = median_time(lambda: plain_numpy_gibbs(W, a, b, chains, sweeps))
    flops = 4 * n_v * n_h * chains * sweeps
    peak = (matmul_rate(n_h, n_v, chains) + matmul_rate(n_v, n_h, chains)) / 2
    one = median_time(lambda: sampler.sample(bqm, num_reads=chains, num_sweeps=1, seed=0), repeat=7)
    eleven = median_time(lambda: sampler.sample(bqm, num_reads=chains, num_sweeps=11, seed=0), repeat=7)
    fixed = one - (eleven - one) / 10
    print(f"## GibbsSampler, RBM {n_v}×{n_h}, {chains} chains × {sweeps} sweeps; float32 matmul rate of these "
          f"shapes {peak:.0f} GFLOP/s ({machine()}, one BLAS thread)")
    print("| loop | time | GFLOP/s | fraction of matmul rate | time / plain loop's |")
    print("|---|---|---|---|---|")
    for name, seconds in (("plain numpy loop", plain), ("qbm GibbsSampler.sample (whole call)", ours)):
        rate = flops / seconds / 1e9
        print(f"| {name} | {seconds:.3f} s | {rate:.0f} | {rate / peak:.0%} | {seconds / plain:.2f}× |")
    print(f"\nfixed cost per call (plan, energies from the dense form, SampleSet): {fixed * 1e3:.1f} ms = "
          f"{fixed / ours:.1%} of the {sweeps}-sweep call")
    print("\n| RBM, 1000 chains × 100 sweeps | loop | drawing the uniforms | share |")
    print("|---|---|---|---|")
    from qbm.samplers.gibbs import _uniform_words

    for n_v, n_h in ((16, 8), (64, 16)):
        bqm = qbm.RBM(n_v, n_h, random_state=0).to_bqm()
        loop = median_time(lambda: sampler.sample(bqm, num_reads=1000, num_sweeps=100, seed=0), repeat=7) - \
            median_time(lambda: sampler.sample(bqm, num_reads=1000, num_sweeps=1, seed=0), repeat=7)
        words = np.random.SFC64(0)

        def draw_all(words=words, n_v=n_v, n_h=n_h):
            for _ in range(99):   # each draw freed at once, as in the loop
                _uniform_words(words, (n_h, 1000))
                _uniform_words(words, (n_v, 1000))
        draws = median_time(draw_all, repeat=7)
        print(f"| {n_v}×{n_h} | {loop * 1e3:.1f} ms | {draws * 1e3:.1f} ms | {draws / loop:.0%} |")


def epoch_seconds(fit, repeat: int = 3) -> float:
    return statistics.median(fit() for _ in range(repeat))


def training_section() -> None:
    digits = qbm.datasets.load_digits()[0]
    mnist = qbm.datasets.load_mnist()[0]
    print("\n## training time per epoch against scikit-learn's BernoulliRBM (plain SGD, same data, rate, batch; "
          "median of 3)")
    print("| data, RBM, batch | qbm CD-1 | qbm PCD | scikit-learn (PCD) | CD-1 / sklearn | PCD / sklearn |")
    print("|---|---|---|---|---|---|")
    for name, data, (n_v, n_h), batch, rate, epochs in (
            ("digits, 64×16, 10", digits, (64, 16), 10, 0.1, 10),
            ("MNIST-5k, 784×500, 100", mnist, (784, 500), 100, 0.05, 2)):
        def ours(phase):
            def fit():
                model = qbm.RBM(n_v, n_h, random_state=0)
                start = time.perf_counter()
                qbm.train(model, data, phase(), epochs=epochs, batch_size=batch, learning_rate=rate,
                          random_state=0, progress=False)
                return (time.perf_counter() - start) / epochs
            return epoch_seconds(fit)

        def theirs():
            estimator = BernoulliRBM(n_components=n_h, learning_rate=rate, batch_size=batch, n_iter=epochs,
                                     random_state=0)
            start = time.perf_counter()
            estimator.fit(data)
            return (time.perf_counter() - start) / epochs

        cd, pcd = ours(qbm.CD), ours(lambda: qbm.PCD(batch, fast_rate=0))
        sk = epoch_seconds(theirs)
        print(f"| {name} | {cd * 1e3:.1f} ms | {pcd * 1e3:.1f} ms | {sk * 1e3:.1f} ms | {cd / sk:.2f}× | "
              f"{pcd / sk:.2f}× |", flush=True)


def cd1_section() -> None:
    """The library's fixed cost per step, where it shows most: CD-1 on a small RBM, small batches."""
    digits = qbm.datasets.load_digits()[0]
    epochs, runs = 5, 9
    print("\n## CD-1 epoch against scikit-learn's BernoulliRBM: binarised digits, RBM 64×16, batch 10, plain SGD at "
          f"a constant rate 0.1, {epochs} epochs a fit; {runs} runs interleaved, one BLAS thread")

    def ours():
        model = qbm.RBM(64, 16, random_state=0)
        start = time.perf_counter()
        qbm.train(model, digits, qbm.CD(), epochs=epochs, batch_size=10, learning_rate=0.1, schedule="constant",
                  random_state=0, progress=False)
        return (time.perf_counter() - start) / epochs

    def theirs():
        estimator = BernoulliRBM(n_components=16, learning_rate=0.1, batch_size=10, n_iter=epochs, random_state=0)
        start = time.perf_counter()
        estimator.fit(digits)
        return (time.perf_counter() - start) / epochs

    ours(), theirs()   # warm caches and imports on both sides
    times = [(ours(), theirs()) for _ in range(runs)]
    ratios = sorted(a / b for a, b in times)
    print("| qbm CD-1 epoch (median) | scikit-learn epoch (median) | qbm / scikit-learn: median | range |")
    print("|---|---|---|---|")
    print(f"| {statistics.median(a for a, _ in times) * 1e3:.2f} ms | {statistics.median(b for _, b in times) * 1e3:.2f} ms "
          f"| {statistics.median(ratios):.2f}× | {ratios[0]:.2f}–{ratios[-1]:.2f}× |", flush=True)


class _SampleTimer:
    """Replaces a phase's ``sampler.sample`` with itself timed."""

    def __init__(self, phase: qbm.SamplerPhase) -> None:
        self.seconds, inner = 0.0, phase.sampler.sample

        def sample(*args, **kwargs):
            start = time.perf_counter()
            answer = inner(*args, **kwargs)
            self.seconds += time.perf_counter() - start
            return answer
        phase.sampler.sample = sample


def sampler_phase_section() -> None:
    digits = qbm.datasets.load_digits()[0]
    mnist = qbm.datasets.load_mnist()[0]
    cases = [
        ("neal (100 reads × 100 sweeps)", (64, 16), digits,
         lambda: qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=100, num_sweeps=100)),
        ("GibbsSampler (100 reads × 100 sweeps, importance weights)", (64, 16), digits,
         lambda: qbm.make_phase("gibbs", num_reads=100, num_sweeps=100)),
        ("mock QPU, `qpu_phase` defaults (100 reads)", (64, 16), digits,
         lambda: qbm.qpu_phase(100, sampler=mock_qpu(8))),
        ("GibbsSampler (200 reads × 100 sweeps, importance weights)", (784, 500), mnist,
         lambda: qbm.make_phase("gibbs", num_reads=200, num_sweeps=100)),
    ]
    print("\n## SamplerPhase step: time outside the sampler's own `sample` call (batch 50, 10 steps after one "
          "warm-up)")
    print("| sampler | RBM | step | outside the sampler |")
    print("|---|---|---|---|")
    for name, (n_v, n_h), data, make in cases:
        phase = make()
        timer = _SampleTimer(phase)
        trainer = qbm.Trainer(qbm.RBM(n_v, n_h, random_state=0), phase, batch_size=50, learning_rate=0.01,
                              random_state=0, progress=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trainer.step(data[:50])
            timer.seconds = 0.0
            start = time.perf_counter()
            for step in range(10):
                trainer.step(data[50 * step:50 * step + 50])
            total = time.perf_counter() - start
        print(f"| {name} | {n_v}×{n_h} | {total / 10 * 1e3:.1f} ms | {1 - timer.seconds / total:.0%} |", flush=True)


def ais_section() -> None:
    n_v, n_h, chains, temperatures = 784, 500, 300, 1000
    rbm = qbm.RBM(n_v, n_h, weights=np.random.default_rng(0).normal(0, 0.1, (n_v, n_h)))
    seconds = median_time(lambda: qbm.metrics.ais_log_partition(rbm, num_reads=chains, betas=temperatures,
                                                                 random_state=0), repeat=3) / temperatures
    flops = 4 * n_v * n_h * chains
    peak = (matmul_rate(n_h, n_v, chains) + matmul_rate(n_v, n_h, chains)) / 2
    print(f"\n## AIS, RBM {n_v}×{n_h}, {chains} chains; float32 matmul rate of these shapes {peak:.0f} GFLOP/s "
          f"({machine()}, one BLAS thread)")
    print("| per temperature | GFLOP/s | fraction of matmul rate | 30,000 temperatures |")
    print("|---|---|---|---|")
    print(f"| {seconds * 1e3:.2f} ms | {flops / seconds / 1e9:.0f} | {flops / seconds / 1e9 / peak:.0%} | "
          f"{30_000 * seconds:.0f} s |")


def torch_section() -> None:
    try:
        import torch
    except ImportError:
        print("\n## torch stand-in: not run (torch is not installed; `pip install torch==2.13.0`)")
        return
    torch.set_num_threads(1)
    print(f"\n## block-Gibbs loop, numpy against torch {torch.__version__} on the CPU (float32, 10 sweeps, "
          "one thread)")
    print("| RBM × chains | numpy | torch | torch / numpy | numpy GFLOP/s | torch GFLOP/s |")
    print("|---|---|---|---|---|---|")
    for n_v, n_h, chains in ((784, 500, 1000), (784, 4096, 1000), (784, 500, 10000)):
        rng = np.random.default_rng(0)
        W = rng.normal(0, 0.01, (n_v, n_h)).astype(np.float32)
        a, b = np.zeros((n_v, 1), np.float32), np.zeros((n_h, 1), np.float32)
        sweeps = 10
        numpy_time = median_time(lambda: plain_numpy_gibbs(W, a, b, chains, sweeps), repeat=3)
        tW, ta, tb = torch.from_numpy(W), torch.from_numpy(a), torch.from_numpy(b)
        generator = torch.Generator().manual_seed(0)

        def torch_gibbs():
            v = (torch.rand((n_v, chains), generator=generator) < 0.5).float()
            for _ in range(sweeps):
                h = (torch.rand((n_h, chains), generator=generator) < torch.sigmoid(tW.T @ v + tb)).float()
                v = (torch.rand((n_v, chains), generator=generator) < torch.sigmoid(tW @ h + ta)).float()
            return v
        torch_time = median_time(torch_gibbs, repeat=3)
        flops = 4 * n_v * n_h * chains * sweeps
        print(f"| {n_v}×{n_h} × {chains} | {numpy_time:.3f} s | {torch_time:.3f} s | {torch_time / numpy_time:.2f}× | "
              f"{flops / numpy_time / 1e9:.0f} | {flops / torch_time / 1e9:.0f} |", flush=True)


if __name__ == "__main__":
    run_parts(__file__, {"gibbs": gibbs_section, "training": training_section, "cd1": cd1_section,
                         "phase": sampler_phase_section, "ais": ais_section, "torch": torch_section})
