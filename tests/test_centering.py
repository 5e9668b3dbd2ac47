"""The centred parametrisation: exact as a change of coordinates, and better PCD training."""
import numpy as np
import pytest

import qbm
from qbm.training.centering import centred_gradient, uncentred_step, unit_offsets
from conftest import all_bit_states


def centred_to_model(model, centred, offsets):
    """The model whose own parameters express the centred coordinates ``centred``."""
    if isinstance(model, qbm.RBM):
        W, c_v, c_h = centred
        o_v, o_h = offsets[:model.n_visible], offsets[model.n_visible:]
        return qbm.RBM(model.n_visible, model.n_hidden, weights=W, visible_bias=c_v - W @ o_h,
                       hidden_bias=c_h - W.T @ o_v)
    w, c = centred
    i, j = model.edges[:, 0], model.edges[:, 1]
    biases = c - np.bincount(i, w * offsets[j], minlength=model.n_units) - \
        np.bincount(j, w * offsets[i], minlength=model.n_units)
    return qbm.BoltzmannMachine(model.n_visible, model.n_hidden, edges=model.edges, weights=w, biases=biases)


@pytest.mark.parametrize("kind", ["rbm", "bm"])
def test_centred_gradient_is_the_log_likelihood_gradient_in_centred_coordinates(kind):
    rng = np.random.default_rng(0)
    data = all_bit_states(4)[[1, 5, 6, 9, 12, 15]]
    if kind == "rbm":
        model = qbm.RBM(4, 2, weights=rng.normal(0, 0.5, (4, 2)), visible_bias=rng.normal(0, 0.5, 4),
                        hidden_bias=rng.normal(0, 0.5, 2))
    else:
        model = qbm.BoltzmannMachine(4, 1, weights=rng.normal(0, 0.5, 10), biases=rng.normal(0, 0.5, 5))
    offsets = unit_offsets(model, data) + rng.normal(0, 0.1, model.n_units)   # any offsets will do
    raw = qbm.gradient(qbm.ExactPhase(), model, data)
    centred = centred_gradient(model, raw, offsets)
    names = model.parameter_names
    # the centred coordinates of the model: invert centred_to_model
    if kind == "rbm":
        o_v, o_h = offsets[:4], offsets[4:]
        coordinates = [model.weights, model.visible_bias + model.weights @ o_h, model.hidden_bias + model.weights.T @ o_v]
    else:
        i, j = model.edges[:, 0], model.edges[:, 1]
        coordinates = [model.weights, model.biases + np.bincount(i, model.weights * offsets[j], minlength=5)
                       + np.bincount(j, model.weights * offsets[i], minlength=5)]
    for position, name in enumerate(names):
        numeric = np.zeros_like(coordinates[position])
        for index in np.ndindex(numeric.shape):
            values = []
            for sign in (1, -1):
                shifted = [c.copy() for c in coordinates]
                shifted[position][index] += sign * 1e-5
                values.append(qbm.log_likelihood(centred_to_model(model, shifted, offsets), data))
            numeric[index] = (values[0] - values[1]) / 2e-5
        assert np.allclose(numeric, centred[name], atol=1e-6), name


def test_an_uncentred_step_is_the_centred_step_in_the_models_own_parameters():
    rng = np.random.default_rng(1)
    model = qbm.RBM(3, 2, weights=rng.normal(0, 1, (3, 2)), visible_bias=rng.normal(0, 1, 3))
    offsets = rng.random(5)
    steps = {"weights": rng.normal(0, 0.1, (3, 2)), "visible_bias": rng.normal(0, 0.1, 3),
             "hidden_bias": rng.normal(0, 0.1, 2)}
    o_v, o_h = offsets[:3], offsets[3:]
    before = [model.weights, model.visible_bias + model.weights @ o_h, model.hidden_bias + model.weights.T @ o_v]
    after = [b + s for b, s in zip(before, (steps["weights"], steps["visible_bias"], steps["hidden_bias"]))]
    uncentred_step(model, steps, offsets)
    expected = centred_to_model(model, after, offsets)
    for name in model.parameter_names:
        assert np.allclose(getattr(model, name) + steps[name], getattr(expected, name))


@pytest.mark.slow
def test_centring_trains_pcd_better_on_bars_and_stripes():
    data = qbm.datasets.bars_and_stripes(4)
    kl = {}
    for centering in (False, True):
        runs = []
        for seed in (0, 1):
            rbm = qbm.RBM(16, 8, random_state=seed)
            qbm.train(rbm, data, qbm.PCD(200, k=10), epochs=1500, batch_size=len(data), learning_rate=0.02,
                      optimizer="adam", random_state=seed, progress=False, centering=centering)
            runs.append(qbm.metrics.kl_divergence(rbm, data))
        kl[centering] = max(runs)
    assert kl[True] < kl[False] - 0.1
