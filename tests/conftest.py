"""Shared brute-force references: independent of the code under test."""
import itertools
import os
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per core this process may use, its affinity capped by a cgroup CPU quota."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            cores = min(cores, max(1, int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return cores


def pytest_configure(config):
    """Under pytest-xdist the workers share the cores: one BLAS thread each, in them and in what they start."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = "1"
        threadpool_limits(1)


def all_bit_states(n):
    """Every state of n bits, unit 0 most significant, as an (2**n, n) float array."""
    return np.array(list(itertools.product([0, 1], repeat=n)), dtype=float).reshape(-1, n)


def brute_energy(biases, couplings, state):
    """E(s) = -(Σ b_i s_i + Σ_{i<j} w_ij s_i s_j) from a dict {(i, j): w}, one state at a time."""
    energy = -sum(b * s for b, s in zip(biases, state))
    for (i, j), w in couplings.items():
        energy -= w * state[i] * state[j]
    return energy


def rbm_couplings(rbm):
    return {(i, rbm.n_visible + j): rbm.weights[i, j]
            for i in range(rbm.n_visible) for j in range(rbm.n_hidden)}


def rbm_biases(rbm):
    return np.concatenate([rbm.visible_bias, rbm.hidden_bias])


def bm_couplings(bm):
    return {(int(i), int(j)): w for (i, j), w in zip(bm.edges, bm.weights)}


def total_variation(states, weights, probabilities):
    """TV distance between weighted 0/1 rows (unit 0 most significant) and an exact table."""
    indices = np.asarray(states).astype(np.int64) @ (2 ** np.arange(np.shape(states)[1] - 1, -1, -1))
    empirical = np.bincount(indices, weights=weights, minlength=len(probabilities)) / np.sum(weights)
    return 0.5 * np.abs(empirical - probabilities).sum()


def sampleset_total_variation(sampleset, probabilities):
    """TV distance of a BINARY SampleSet labelled 0..n-1 (columns put in label order) from an exact table."""
    states = sampleset.record.sample[:, np.argsort(list(sampleset.variables))]
    return total_variation(states, sampleset.record.num_occurrences, probabilities)


def assert_energies(sampleset, bqm):
    """Every sample's energy is the BQM's, to 1e-7: dimod's ``assert_sampleset_energies`` in one vectorised call."""
    np.testing.assert_allclose(sampleset.record.energy, bqm.energies(sampleset), rtol=0, atol=1e-7)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
