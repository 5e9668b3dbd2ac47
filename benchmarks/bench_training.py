"""Training quality, side by side: qbm phases vs scikit-learn's BernoulliRBM.

    python benchmarks/bench_training.py [digits] [bars] [bm] [peers] [mnist]

digits  8×8 digits binarised at 0.5, split train_test_split(test_size=0.2, random_state=0),
        RBM with 16 hidden units, exact test log-likelihood; BernoulliRBM(n_components=16,
        learning_rate=0.1, n_iter=50, batch_size=10) against qbm PCD, SamplerPhase over neal
        and exact gradients.  Median over seeds 0, 1, 2.
bars    bars-and-stripes 4×4 (30 patterns), RBM with 8 hidden units, exact KL(data ‖ model)
        for each phase (Adam, full batch, linearly decaying rate; the rate that suits each phase).
bm      a general BM with hidden–hidden couplings vs a fully visible BM on bars-and-stripes 3×3,
        exact log-likelihood per epoch, sampler-based positive and negative phases.
peers   qbm CD-1 / PCD against BernoulliRBM with the same optimiser (SGD), rate and batch: time per
        epoch and log-likelihood, exact on digits (16 hidden), on MNIST-5k (500 hidden) an interval from
        both sides of the mnist part's AIS.
mnist   CD-1 against persistent chains (PCD with qbm's defaults, weight decay, parallel tempering) on the
        peers' MNIST budget, the test log-likelihood as an interval from both sides of an AIS strong enough
        for PCD, the train log-likelihood by forward AIS; seeds 0, 1, 2.
"""
from __future__ import annotations

import statistics
import time
import warnings

import neal
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.neural_network import BernoulliRBM

import qbm
from _harness import interval_cell, machine, run_parts, with_bounds_warnings
from qbm.metrics import REPORT_RAISE_ROWS

SEEDS = (0, 1, 2)


def timed(run):
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def median_row(results):
    values, seconds = zip(*results)
    return statistics.median(values), statistics.median(seconds), values


def digits() -> None:
    X, _ = qbm.datasets.load_digits()
    train, test = train_test_split(X, test_size=0.2, random_state=0)
    odds = np.clip(train.mean(axis=0), 0.01, 0.99)
    data_bias = np.log(odds / (1 - odds))

    def sklearn_run(seed):
        rbm, seconds = timed(lambda: BernoulliRBM(n_components=16, learning_rate=0.1, n_iter=50, batch_size=10,
                                                  random_state=seed).fit(train))
        model = qbm.RBM(64, 16, weights=rbm.components_.T, visible_bias=rbm.intercept_visible_,
                        hidden_bias=rbm.intercept_hidden_)
        return qbm.log_likelihood(model, test), seconds

    def qbm_run(seed, phase, epochs, batch_size, learning_rate):
        model = qbm.RBM(64, 16, visible_bias=data_bias, random_state=seed)
        _, seconds = timed(lambda: qbm.train(model, train, phase, epochs=epochs, batch_size=batch_size,
                                             learning_rate=learning_rate, optimizer="adam",
                                             schedule="linear", random_state=seed, progress=False))
        return qbm.log_likelihood(model, test), seconds

    def defaults_run(seed, phase, centering=False):
        """The issue's recipe with qbm's defaults: no schedule given (``train`` decays linearly)."""
        model = qbm.RBM(64, 16, visible_bias=data_bias, random_state=seed)
        _, seconds = timed(lambda: qbm.train(model, train, phase, epochs=100, batch_size=20, learning_rate=0.01,
                                             optimizer="adam", random_state=seed, progress=False,
                                             centering=centering))
        return qbm.log_likelihood(model, test), seconds

    rows = [
        ("scikit-learn BernoulliRBM (PCD-1, SGD 0.1, 50 epochs, batch 10)", sklearn_run),
        ("qbm PCD() (100 chains, k=1, fast weights at 0.05), Adam 0.01, 100 epochs, batch 20, defaults otherwise "
         "(no schedule given)", lambda s: defaults_run(s, qbm.PCD())),
        ("qbm PCD(fast_rate=0): plain PCD, same", lambda s: defaults_run(s, qbm.PCD(fast_rate=0))),
        ("qbm ParallelTempering(10 chains × 10 temperatures), centring, same",
         lambda s: defaults_run(s, qbm.ParallelTempering(10), centering=True)),
        ("qbm PCD(100 chains, k=1), fast weights (fast_rate 0.1), same",
         lambda s: defaults_run(s, qbm.PCD(100, fast_rate=0.1))),
        ("qbm PCD(50 chains, k=1, fast_rate=0), Adam 0.01, 50 epochs, batch 10",
         lambda s: qbm_run(s, qbm.PCD(50, fast_rate=0), 50, 10, 0.01)),
        ("qbm SamplerPhase(neal, 20 reads × 50 sweeps, β 0.05→1), Adam 0.01, 80 epochs, batch 10",
         lambda s: qbm_run(s, qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=20, num_sweeps=50),
                           80, 10, 0.01)),
        ("qbm ExactPhase (exact model side), Adam 0.02, 30 epochs, batch 50 — seed 0 only",
         lambda s: qbm_run(s, qbm.ExactPhase(), 30, 50, 0.02)),
    ]
    print(f"## digits 8×8, RBM 64×16, exact test log-likelihood (nats), median over seeds {SEEDS} ({machine()})")
    print("| method | test LL | per seed | time | time / scikit-learn |")
    print("|---|---|---|---|---|")
    reference = None
    for name, run in rows:
        seeds = SEEDS[:1] if "seed 0 only" in name else SEEDS
        value, seconds, values = median_row([run(seed) for seed in seeds])
        reference = reference or seconds
        print(f"| {name} | {value:.3f} | {', '.join(f'{v:.2f}' for v in values)} | {seconds:.2f} s | "
              f"{seconds / reference:.1f}× |", flush=True)


def bars() -> None:
    data = qbm.datasets.bars_and_stripes(4)
    epochs = 3000
    phases = {  # name: (phase factory, Adam learning rate that suits it best)
        "ExactPhase (exact gradient)": (lambda: qbm.ExactPhase(), 0.1),
        "SamplerPhase(ExactSampler, 1000 reads)": (lambda: qbm.SamplerPhase(qbm.ExactSampler(), num_reads=1000), 0.2),
        "SamplerPhase(neal, 200 reads × 100 sweeps, β 0.05→1 linear)":
            (lambda: qbm.SamplerPhase(neal.SimulatedAnnealingSampler(), num_reads=200, num_sweeps=100,
                                      beta_schedule_type="linear"), 0.05),
        "SamplerPhase(GibbsSampler, 200 reads × 100 sweeps, β 0.05→1)":
            (lambda: qbm.SamplerPhase(qbm.GibbsSampler(), num_reads=200, num_sweeps=100, beta_range=(0.05, 1.0)),
             0.1),
        "SamplerPhase(GibbsSampler, same anneal, importance_weights=True)":
            (lambda: qbm.SamplerPhase(qbm.GibbsSampler(), num_reads=200, num_sweeps=100, beta_range=(0.05, 1.0),
                                      importance_weights=True), 0.1),
        "PCD(200 chains, k=10) — baseline": (lambda: qbm.PCD(200, k=10, fast_rate=0), 0.1),
    }
    print(f"## bars-and-stripes 4×4, RBM 16×8, exact KL(data ‖ model) in nats; Adam, full batch, "
          f"{epochs} epochs, linear decay; median over seeds {SEEDS}")
    checkpoints = (1, 100, 300, 1000, 3000)
    print("| phase | rate | " + " | ".join(f"epoch {c}" for c in checkpoints) + " | final per seed | time |")
    print("|---|---|" + "---|" * (len(checkpoints) + 2))
    for name, (make, rate) in phases.items():
        curves, times = [], []
        for seed in SEEDS:
            model = qbm.RBM(16, 8, random_state=seed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the QPU row warns when the model outgrows the hardware's β
                history, seconds = timed(lambda: qbm.train(
                    model, data, make(), epochs=epochs, batch_size=len(data), learning_rate=rate,
                    optimizer="adam", schedule="linear", random_state=seed, progress=False,
                    metrics={"kl": lambda m: qbm.metrics.kl_divergence(m, data)}))
            curves.append(history["kl"])
            times.append(seconds)
        median_curve = np.median(np.array(curves), axis=0)
        print(f"| {name} | {rate} | " + " | ".join(f"{median_curve[c - 1]:.3f}" for c in checkpoints) + " | "
              + ", ".join(f"{curve[-1]:.3f}" for curve in curves) + f" | {statistics.median(times):.1f} s |",
              flush=True)


def general_bm() -> None:
    data = qbm.datasets.bars_and_stripes(3)
    epochs = 300
    n = 9
    hidden = 3
    visible_edges = [(i, j) for i in range(n) for j in range(i + 1, n)]
    edges = visible_edges + [(i, n + k) for i in range(n) for k in range(hidden)] + \
        [(n + a, n + b) for a in range(hidden) for b in range(a + 1, hidden)]
    models = {
        "fully visible BM (9 units, complete)": lambda s: qbm.BoltzmannMachine(n, random_state=s),
        "BM with 3 hidden units, hidden–hidden couplings": lambda s: qbm.BoltzmannMachine(
            n, hidden, np.array(edges), random_state=s),
    }
    print(f"## general BM on bars-and-stripes 3×3: exact train log-likelihood, SamplerPhase(ExactSampler, "
          f"500 reads, 50 clamped reads), Adam 0.05, full batch, {epochs} epochs; median over seeds {SEEDS}")
    checkpoints = (0, 10, 30, 100, 300)
    print("| model | " + " | ".join(f"epoch {c}" for c in checkpoints) + " | time |")
    print("|---|" + "---|" * (len(checkpoints) + 1))
    for name, make in models.items():
        curves, times = [], []
        for seed in SEEDS:
            model = make(seed)
            start = qbm.log_likelihood(model, data)
            history, seconds = timed(lambda: qbm.train(
                model, data, qbm.SamplerPhase(qbm.ExactSampler(), num_reads=500, clamped_reads=50), epochs=epochs,
                batch_size=len(data), learning_rate=0.05, optimizer="adam", schedule="linear",
                random_state=seed, progress=False, metrics={"ll": lambda m: qbm.log_likelihood(m, data)}))
            curves.append([start] + history["ll"])
            times.append(seconds)
        median_curve = np.median(np.array(curves), axis=0)
        print(f"| {name} | " + " | ".join(f"{median_curve[c]:.3f}" for c in checkpoints)
              + f" | {statistics.median(times):.1f} s |", flush=True)
    print(f"(the data's own entropy, the best possible: {-np.log(len(data)):.3f})")


def mnist_split() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MNIST-5k split 4000 / 1000 (stratified, seed 0), and the AIS base: the training pixels' log-odds."""
    X, y = qbm.datasets.load_mnist()
    train, test = train_test_split(X, test_size=0.2, random_state=0, stratify=y)
    odds = np.clip(train.mean(axis=0), 1e-3, 1 - 1e-3)
    return train, test, np.log(odds / (1 - odds))


def peers() -> None:
    """Same optimiser, constant rate, batch and epochs for every row; only where the negative statistics come from
    differs."""
    def sklearn_rbm(train, hidden, rate, epochs, seed):
        rbm, seconds = timed(lambda: BernoulliRBM(n_components=hidden, learning_rate=rate, n_iter=epochs,
                                                  batch_size=10, random_state=seed).fit(train))
        return qbm.RBM(train.shape[1], hidden, weights=rbm.components_.T, visible_bias=rbm.intercept_visible_,
                       hidden_bias=rbm.intercept_hidden_), seconds / epochs

    def qbm_rbm(train, hidden, rate, epochs, seed, phase):
        model = qbm.RBM(train.shape[1], hidden, random_state=seed)
        history = qbm.train(model, train, phase, epochs=epochs, batch_size=10, learning_rate=rate,
                            schedule="constant", random_state=seed, progress=False)   # as BernoulliRBM
        return model, history.wall_time / epochs

    def rows(hidden):
        return {"scikit-learn BernoulliRBM (PCD, 10 chains)": sklearn_rbm,
                "qbm CD-1": lambda *a: qbm_rbm(*a, qbm.CD(1)),
                "qbm PCD (10 chains, k=1)": lambda *a: qbm_rbm(*a, qbm.PCD(10, fast_rate=0))}

    X, _ = qbm.datasets.load_digits()
    train, test = train_test_split(X, test_size=0.2, random_state=0)
    print(f"## peers on digits: RBM 64×16, SGD 0.1, batch 10, 50 epochs; exact test log-likelihood; "
          f"median over seeds {SEEDS} ({machine()})")
    print("| method | test LL | time / epoch | time / scikit-learn's |")
    print("|---|---|---|---|")
    reference = None
    for name, fit in rows(16).items():
        runs = [fit(train, 16, 0.1, 50, seed) for seed in SEEDS]
        ll = statistics.median(qbm.log_likelihood(model, test) for model, _ in runs)
        per_epoch = statistics.median(seconds for _, seconds in runs)
        reference = reference or per_epoch
        print(f"| {name} | {ll:.3f} | {1000 * per_epoch:.1f} ms | {per_epoch / reference:.2f}× |", flush=True)

    train, _, _ = mnist_split()
    trained = {name: fit(train, 500, 0.05, 10, 0) for name, fit in rows(500).items()}
    intervals = _read_on_two_cores([(model, 1) for model, _ in trained.values()])
    print("\n## peers on MNIST-5k: RBM 784×500, SGD 0.05, batch 10, 10 epochs, seed 0; test log-likelihood as RAISE "
          "(20 test rows × 10 runs) to forward AIS (300 chains), 30,000 temperatures from the training marginals")
    print("| method | test LL, RAISE to AIS | AIS train LL | s.e. RAISE / AIS | time / epoch | time / scikit-learn's |")
    print("|---|---|---|---|---|---|")
    reference = None
    for (name, (_, per_epoch)), interval in zip(trained.items(), intervals):
        reference = reference or per_epoch
        print(f"| {name} | {interval_cell(interval)} | {interval['train_upper']:.2f} | "
              f"{interval['lower_se']:.3g} / {interval['upper_se']:.3g} | {per_epoch:.2f} s | "
              f"{per_epoch / reference:.2f}× |", flush=True)


MNIST_ROWS = [  # name, phase factory, rate schedule, weight decay
    ("CD-1, constant rate (the peers' row)", lambda: qbm.CD(1), "constant", 0.0),
    ("CD-1, linear decay", lambda: qbm.CD(1), "linear", 0.0),
    ("PCD(100 chains, fast_rate=0): plain PCD, linear decay", lambda: qbm.PCD(100, fast_rate=0), "linear", 0.0),
    ("PCD(100 chains, fast_rate=0), linear decay, weight decay 1e-4", lambda: qbm.PCD(100, fast_rate=0),
     "linear", 1e-4),
    ("PCD(100 chains): qbm's defaults, fast weights at 0.05, linear decay", lambda: qbm.PCD(100), "linear", 0.0),
    ("ParallelTempering(10 chains × 10 temperatures, adaptive ladder), linear decay",
     lambda: qbm.ParallelTempering(10), "linear", 0.0),
]


def strong_interval(model, train, test, base, seed) -> dict:
    """The test log-likelihood as an interval (:func:`qbm.metrics.log_likelihood_bounds`): forward AIS above from
    300 chains, RAISE below from 20 test rows × 10 runs (its log Z applied to every test row), both over
    30,000 temperatures from the training marginals; the forward train log-likelihood; the warnings raised."""
    bounds, warnings_cell = with_bounds_warnings(lambda: qbm.metrics.log_likelihood_bounds(
        model, test, num_reads=300, betas=30_000, raise_reads=10, raise_rows=REPORT_RAISE_ROWS, random_state=seed,
        base_visible_bias=base))
    train_upper = bounds["upper"] + np.mean(-model.free_energy(train)) - np.mean(-model.free_energy(test))
    return {**bounds, "train_upper": float(train_upper),
            "warnings": warnings_cell}


def _interval_on_one_core(model: qbm.RBM, seed: int) -> dict:
    """:func:`strong_interval` of a model on the MNIST split, on one core."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return strong_interval(model, *mnist_split(), seed)


def _read_on_two_cores(jobs: list[tuple[qbm.RBM, int]]) -> list[dict]:
    """:func:`strong_interval` of each ``(model, seed)``, two models at a time, one core each."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=2) as pool:
        return list(pool.map(_interval_on_one_core, *zip(*jobs)))


def _mnist_run(row: int, seed: int) -> dict:
    """Train one model of ``MNIST_ROWS[row]`` and read it by :func:`strong_interval`, on one core."""
    from threadpoolctl import threadpool_limits

    _, make_phase, schedule, weight_decay = MNIST_ROWS[row]
    train, test, base = mnist_split()
    with threadpool_limits(1):   # two models at a time, one core each
        model, phase = qbm.RBM(784, 500, random_state=seed), make_phase()
        _, seconds = timed(lambda: qbm.train(model, train, phase, epochs=10, batch_size=10, learning_rate=0.05,
                                             schedule=schedule, weight_decay=weight_decay, random_state=seed,
                                             progress=False))
        result = strong_interval(model, train, test, base, seed + 1)
    swaps = phase.swap_acceptance if isinstance(phase, qbm.ParallelTempering) else None
    return {**result, "seconds": seconds,
            "swaps": None if swaps is None else f"{swaps.mean():.2f} (lowest pair {swaps.min():.2f})"}


def mnist_persistent() -> None:
    """CD-1 against persistent chains on the peers' MNIST budget, every row with the same optimiser, rate,
    batch and epochs, over three seeds, each model's test log-likelihood an interval from an AIS strong
    enough for sharp persistent-chain models (:func:`strong_interval`, about ten minutes a model on one core)."""
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(row, seed) for row in range(len(MNIST_ROWS)) for seed in SEEDS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        runs = dict(zip(jobs, pool.map(_mnist_run, *zip(*jobs))))
    print(f"## MNIST-5k, RBM 784×500, SGD 0.05, batch 10, 10 epochs; test log-likelihood as RAISE (20 test rows "
          f"× 10 runs) to forward AIS (300 chains), 30,000 temperatures from the training marginals; median over "
          f"seeds {SEEDS}, two models at a time, one core each ({machine()})")
    print("| method | test LL, RAISE to AIS | per seed | AIS train LL | largest s.e. RAISE / AIS | training time |")
    print("|---|---|---|---|---|---|")
    swaps = []
    for row, (name, *_) in enumerate(MNIST_ROWS):
        results = [runs[row, seed] for seed in SEEDS]
        per_seed = ", ".join(interval_cell(r) for r in results)
        print(f"| {name} | {statistics.median(r['lower'] for r in results):.2f} to "
              f"{statistics.median(r['upper'] for r in results):.2f} | {per_seed} | "
              f"{statistics.median(r['train_upper'] for r in results):.2f} | "
              f"{max(r['lower_se'] for r in results):.3g} / {max(r['upper_se'] for r in results):.3g} | "
              f"{statistics.median(r['seconds'] for r in results):.0f} s |", flush=True)
        swaps += [r["swaps"] for r in results if r["swaps"]]
    print(f"(parallel tempering's swap acceptance at the end, per seed: {', '.join(swaps)})")


if __name__ == "__main__":
    run_parts(__file__, {"digits": digits, "bars": bars, "bm": general_bm, "peers": peers, "mnist": mnist_persistent})
