"""The centring trick: the gradient taken in a parametrisation centred on unit offsets.

Montavon & Müller (2012), "Deep Boltzmann machines and the centering trick"; Melchior,
Fischer & Wiskott (2016), "How to center deep Boltzmann machines".  With offsets ``o``
the energy is written ``E = -(Σ_i c_i (s_i - o_i) + Σ_{ij} w_ij (s_i - o_i)(s_j - o_j))``,
the same family of distributions, but the coordinates ``(w, c)`` decouple the couplings
from the biases: the gradient of a coupling becomes
``⟨(s_i - o_i)(s_j - o_j)⟩_data - ⟨…⟩_model``.  The optimiser steps in these coordinates and
the step is mapped back onto the model's own biases, ``Δb_i = Δc_i - Σ_j Δw_ij o_j``.
Offsets of ½ make it the ±1 (spin) parametrisation; the data's mean is the usual choice for
visible units.

>>> import numpy as np, qbm
>>> rbm = qbm.RBM(2, 1, random_state=0)
>>> grads = {"weights": np.ones((2, 1)), "visible_bias": np.ones(2), "hidden_bias": np.ones(1)}
>>> centred_gradient(rbm, grads, np.full(3, 0.5))["weights"].ravel().tolist()
[0.0, 0.0]
"""
from __future__ import annotations

import numpy as np

from ..models import RBM, BoltzmannMachine
from ..models.kinds import is_rbm

__all__ = ["centred_gradient", "uncentred_step", "unit_offsets"]


def unit_offsets(model: RBM | BoltzmannMachine, data: np.ndarray) -> np.ndarray:
    """The offsets of every unit: the data's mean for visible units, ½ for hidden ones.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : ndarray of shape (n_rows, n_visible)
        The training rows.

    Returns
    -------
    ndarray of shape (n_units,)

    Examples
    --------
    >>> import qbm
    >>> unit_offsets(qbm.RBM(2, 1), np.array([[1.0, 0.0], [1.0, 1.0]])).tolist()
    [1.0, 0.5, 0.5]
    """
    return np.concatenate([np.asarray(data, dtype=np.float64).mean(axis=0), np.full(model.n_hidden, 0.5)])


def centred_gradient(model: RBM | BoltzmannMachine, grads: dict[str, np.ndarray],
                     offsets: np.ndarray) -> dict[str, np.ndarray]:
    """The gradient in centred coordinates: couplings corrected, biases (and anything else) as they are.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    grads : dict of str -> ndarray
        Data side minus model side for each parameter.
    offsets : ndarray of shape (n_units,)
        The unit offsets, on the gradient's backend (an RBM's on any; a BM's on NumPy).

    Returns
    -------
    dict of str -> ndarray

    Examples
    --------
    See the module's example.
    """
    out = dict(grads)
    if is_rbm(model):
        visible, hidden = offsets[:model.n_visible], offsets[model.n_visible:]
        out["weights"] = grads["weights"] - visible[:, None] * grads["hidden_bias"][None, :] \
            - grads["visible_bias"][:, None] * hidden[None, :]
    else:
        i, j = model.edges[:, 0], model.edges[:, 1]
        out["weights"] = grads["weights"] - offsets[i] * grads["biases"][j] - offsets[j] * grads["biases"][i]
    return out


def uncentred_step(model: RBM | BoltzmannMachine, steps: dict[str, np.ndarray], offsets: np.ndarray) -> None:
    """Map a step taken in centred coordinates onto the model's own biases, in place.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    steps : dict of str -> ndarray
        The step of each parameter in centred coordinates; the bias entries are corrected.
    offsets : ndarray of shape (n_units,)
        The unit offsets.

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(2, 1)
    >>> steps = {"weights": np.ones((2, 1)), "visible_bias": np.zeros(2), "hidden_bias": np.zeros(1)}
    >>> uncentred_step(rbm, steps, np.full(3, 0.5)); steps["hidden_bias"].tolist()
    [-1.0]
    """
    couplings = steps["weights"]
    if is_rbm(model):
        steps["visible_bias"] = steps["visible_bias"] - couplings @ offsets[model.n_visible:]
        steps["hidden_bias"] = steps["hidden_bias"] - couplings.T @ offsets[:model.n_visible]
    else:
        i, j = model.edges[:, 0], model.edges[:, 1]
        steps["biases"] = steps["biases"] - np.bincount(i, couplings * offsets[j], minlength=model.n_units) \
            - np.bincount(j, couplings * offsets[i], minlength=model.n_units)
