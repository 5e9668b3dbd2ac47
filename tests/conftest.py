"""Shared brute-force references: independent of the code under test."""
import itertools

import numpy as np
import pytest


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


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
