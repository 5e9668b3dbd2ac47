"""Samples that look like the data: the class histogram of a trained model's samples against the data's.

    python benchmarks/bench_samples.py [digits] [mnist] [mixing] [recipes]

Each model is the command's default run, ``qbm train --data D --seed S`` (digits: RBM 64×16,
PCD with fast weights, 200 epochs; MNIST: RBM 784×200, 20 epochs). A logistic regression
(``LogisticRegression(max_iter=2000)``) fitted on the same binarised images with their labels
names the class of every sample; the reference is its histogram on the training data itself,
so that its own errors count on both sides. The distance is the total variation
``½ Σ_c |p_samples(c) − p_data(c)|`` over the ten classes, for 1,000 samples drawn by:

exact        independent draws of the model (digits only: its 16 hidden units enumerated):
             how far the model itself is from the data
generate     ``qbm.generate(model, num_reads=1000)``: block-Gibbs chains from random states,
             1,000 sweeps at β = 1 (also what ``qbm sample`` and the pictures use)
from data    ``qbm.generate(model, start=images)``: 1,000 block-Gibbs sweeps from 1,000 training
             rows (what ``qbm sample --start`` and the pictures of ``qbm train`` draw)
tempering    ``qbm.ParallelTempering(1000 chains, 10 temperatures from β = 0.05)``, 1,000 sweeps,
             its β = 1 chains (MNIST: 200 chains × 20 temperatures)

``mixing`` tells the model's fault from the sampler's on MNIST: block-Gibbs chains from 1,000
training rows, measured after each of MIXING_SWEEPS. Chains that start where the data is and
drift away from its class histogram the longer they run show a model whose own distribution
puts its mass elsewhere; chains that stay close show a sampler that had not mixed.

``recipes`` trains MNIST RBMs 784×200 by candidate recipes (each the command's earlier
recipe, 200 persistent chains, with one thing changed) at RECIPE_SEEDS and measures each
model three ways: chains from 1,000 training rows after 1,000 and 5,000 sweeps, and chains
from random states after 5,000 sweeps; where the three disagree the chains have not mixed,
and the random starts show the spurious basins. Each model's log-likelihood on the training
data, as ``qbm train`` reports it (RAISE below, forward AIS above), says what a recipe costs
in fit. Two runs at a time, one core each; about 1 h 45 min on 2 cores.
"""
from __future__ import annotations

import statistics

import numpy as np
from sklearn.linear_model import LogisticRegression

import qbm
from _harness import interval_cell, machine, run_parts, train_command, with_bounds_warnings
from qbm.sampling.chains import run_chains

SEEDS = (0, 1, 2)
NUM_SAMPLES = 1000
SWEEPS = 1000
MIXING_SWEEPS = (10, 100, 1000, 5000)
RECIPE_SEEDS = (0, 1, 2, 3, 4)
LONG_SWEEPS = 5000
MNIST_BEFORE = dict(hidden=200, epochs=20, batch_size=20, learning_rate=0.01,
                    pcd=dict(num_chains=200, k=1, fast_rate=0.05))   # `qbm train --data mnist` before 500 chains
RECIPES = {   # name: what changes from MNIST_BEFORE
    "PCD(200 chains, k = 1, fast weights 0.05), Adam 0.01, 20 epochs: the default before": {},
    "fast weights 0.1": {"pcd": dict(num_chains=200, k=1, fast_rate=0.1)},
    "fast weights 0.2": {"pcd": dict(num_chains=200, k=1, fast_rate=0.2)},
    "k = 5": {"pcd": dict(num_chains=200, k=5, fast_rate=0.05)},
    "Adam 0.003, 50 epochs": {"learning_rate": 0.003, "epochs": 50},
    "500 chains: `qbm train --data mnist` now": {"pcd": dict(num_chains=500, k=1, fast_rate=0.05)},
}


def default_model(data: str, seed: int) -> qbm.RBM:
    """The model of ``qbm train --data DATA --seed SEED``, run as a command."""
    return train_command(["--data", data, "--seed", str(seed)]).model


class ClassHistogram:
    """A classifier's class histogram of images, and its total variation from the data's."""

    def __init__(self, images: np.ndarray, labels: np.ndarray) -> None:
        self.classifier = LogisticRegression(max_iter=2000).fit(images, labels)
        self.reference = self.histogram(images)

    def histogram(self, images: np.ndarray) -> np.ndarray:
        return np.bincount(self.classifier.predict(images), minlength=10) / len(images)

    def distance(self, histogram: np.ndarray) -> float:
        return 0.5 * float(np.abs(histogram - self.reference).sum())

    @staticmethod
    def largest(histogram: np.ndarray) -> str:
        """The largest class and its share, as ``"7: 0.18"``."""
        top = int(np.argmax(histogram))
        return f"{top}: {histogram[top]:.2f}"


def training_rows(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """NUM_SAMPLES distinct training rows, the starting states of chains from the data."""
    return images[rng.choice(len(images), NUM_SAMPLES, replace=False)].astype(float)


def tempering_samples(model: qbm.RBM, chains: int, temperatures: int, seed: int) -> np.ndarray:
    phase = qbm.ParallelTempering(chains, betas=temperatures, lowest_beta=0.05)
    rng = np.random.default_rng(seed)
    for _ in range(SWEEPS):
        phase.statistics(model, None, rng)
    return phase.replicas[-chains:, :model.n_visible]


def samplers(images: np.ndarray, exact: bool, chains: int, temperatures: int) -> dict:
    """Each way of drawing NUM_SAMPLES rows of a model: (model, seed) -> samples."""
    ways = {"exact draws": lambda model, seed: qbm.generate(model, num_reads=NUM_SAMPLES, sampler=qbm.ExactSampler(),
                                                            random_state=seed)} if exact else {}
    ways["`qbm.generate` (Gibbs from random states, 1,000 sweeps)"] = (
        lambda model, seed: qbm.generate(model, num_reads=NUM_SAMPLES, num_sweeps=SWEEPS, random_state=seed))
    ways["`qbm sample --start` (Gibbs from 1,000 training rows, 1,000 sweeps)"] = (
        lambda model, seed: qbm.generate(model, num_reads=NUM_SAMPLES, start=images, num_sweeps=SWEEPS,
                                         random_state=seed))
    ways[f"ParallelTempering({chains} chains × {temperatures} temperatures), 1,000 sweeps"] = (
        lambda model, seed: tempering_samples(model, chains, temperatures, seed))
    return ways


def measure(data: str, images: np.ndarray, labels: np.ndarray, seeds, exact: bool, chains: int,
            temperatures: int) -> None:
    measure_of = ClassHistogram(images, labels)
    ways = samplers(images, exact, chains, temperatures)
    distances = {name: [] for name in ways}
    largest = {name: [] for name in ways}
    for seed in seeds:
        model = default_model(data, seed)
        for name, draw in ways.items():
            histogram = measure_of.histogram(draw(model, seed))
            distances[name].append(measure_of.distance(histogram))
            largest[name].append(measure_of.largest(histogram))
    print(f"## {data}: total variation between the class histogram of {NUM_SAMPLES:,} samples and the data's, "
          f"classes by LogisticRegression(max_iter=2000) fitted on the data; `qbm train --data {data} --seed S`, "
          f"seeds {', '.join(map(str, seeds))} ({machine()})")
    print("| samples | median TV | per seed | largest class per seed (the data's largest: "
          f"{measure_of.reference.max():.2f}) |")
    print("|---|---|---|---|")
    for name in ways:
        print(f"| {name} | {statistics.median(distances[name]):.3f} | "
              f"{', '.join(f'{d:.3f}' for d in distances[name])} | {', '.join(largest[name])} |", flush=True)


def digits() -> None:
    images, labels = qbm.datasets.load_digits()
    measure("digits", images, labels, SEEDS, exact=True, chains=1000, temperatures=10)


def mnist() -> None:
    images, labels = qbm.datasets.load_mnist()
    measure("mnist", images, labels, SEEDS, exact=False, chains=200, temperatures=20)


def mixing() -> None:
    images, labels = qbm.datasets.load_mnist()
    measure_of = ClassHistogram(images, labels)
    print(f"## mnist: total variation from the data's class histogram of block-Gibbs chains from {NUM_SAMPLES:,} "
          f"training rows, after each number of sweeps (largest class, mean pixel: the data's {images.mean():.3f}); "
          f"`qbm train --data mnist --seed S` ({machine()})")
    print("| seed | " + " | ".join(f"{sweeps:,} sweeps" for sweeps in MIXING_SWEEPS) + " |")
    print("|---|" + "---|" * len(MIXING_SWEEPS))
    for seed in SEEDS:
        model, rng = default_model("mnist", seed), np.random.default_rng(seed)
        rows = training_rows(images, rng)
        cells, done = [], 0
        for sweeps in MIXING_SWEEPS:
            rows, done = run_chains(model, rows, sweeps - done, rng), sweeps
            histogram = measure_of.histogram(rows)
            cells.append(f"{measure_of.distance(histogram):.3f} ({measure_of.largest(histogram)}; {rows.mean():.3f})")
        print(f"| {seed} | " + " | ".join(cells) + " |", flush=True)


def _recipe_run(name: str, seed: int) -> dict:
    """Train one MNIST model by ``RECIPES[name]`` and measure its samples three ways."""
    from threadpoolctl import threadpool_limits

    recipe = {**MNIST_BEFORE, **RECIPES[name]}
    images, labels = qbm.datasets.load_mnist()
    with threadpool_limits(1):   # two runs at a time, one core each
        model = qbm.RBM(images.shape[1], recipe["hidden"], random_state=seed)
        history = qbm.train(model, images, qbm.PCD(**recipe["pcd"]), epochs=recipe["epochs"],
                            batch_size=recipe["batch_size"], learning_rate=recipe["learning_rate"], optimizer="adam",
                            schedule="linear", random_state=seed, progress=False)
        measure_of = ClassHistogram(images, labels)
        short = qbm.generate(model, num_reads=NUM_SAMPLES, start=images, num_sweeps=SWEEPS, random_state=seed)
        long = qbm.generate(model, num_reads=NUM_SAMPLES, start=short, num_sweeps=LONG_SWEEPS - SWEEPS,
                            random_state=seed)
        random = qbm.generate(model, num_reads=NUM_SAMPLES, num_sweeps=LONG_SWEEPS, random_state=seed)
        likelihood, likelihood_warnings = with_bounds_warnings(   # the report of `qbm train`
            lambda: qbm.metrics.likelihood_report(model, images, random_state=seed))
    return {"distances": [measure_of.distance(measure_of.histogram(rows)) for rows in (short, long, random)],
            "ink": float(random.mean()), "lower": likelihood["log_likelihood_raise"],
            "upper": likelihood["log_likelihood_ais"],
            "warnings": likelihood_warnings, "seconds": history.wall_time}


def recipes() -> None:
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(name, seed) for name in RECIPES for seed in RECIPE_SEEDS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        runs = dict(zip(jobs, pool.map(_recipe_run, *zip(*jobs))))
    images, _ = qbm.datasets.load_mnist()
    print(f"## MNIST recipes: total variation from the data's class histogram (LogisticRegression(max_iter=2000) "
          f"fitted on the data) of {NUM_SAMPLES:,} samples of an RBM 784×200 trained on MNIST-5k (batch 20, linear "
          f"decay), each recipe the earlier default with one thing changed; median over seeds "
          f"{', '.join(map(str, RECIPE_SEEDS))}, one core per run ({machine()})")
    print(f"| recipe | from training rows, {SWEEPS:,} sweeps | per seed | from training rows, {LONG_SWEEPS:,} sweeps "
          f"| per seed | from random states, {LONG_SWEEPS:,} sweeps | per seed | mean pixel from random states (the "
          f"data's {images.mean():.3f}) | log-likelihood, RAISE to AIS | per seed | training time |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in RECIPES:
        done = [runs[name, seed] for seed in RECIPE_SEEDS]
        cells = []
        for column in range(3):
            values = [run["distances"][column] for run in done]
            cells += [f"{statistics.median(values):.3f}", ", ".join(f"{v:.3f}" for v in values)]
        print(f"| {name} | " + " | ".join(cells) + f" | {statistics.median(run['ink'] for run in done):.3f} | "
              f"{statistics.median(run['lower'] for run in done):.2f} to "
              f"{statistics.median(run['upper'] for run in done):.2f} | {', '.join(map(interval_cell, done))} | "
              f"{statistics.median(run['seconds'] for run in done):.0f} s |", flush=True)


if __name__ == "__main__":
    run_parts(__file__, {"digits": digits, "mnist": mnist, "mixing": mixing, "recipes": recipes})
