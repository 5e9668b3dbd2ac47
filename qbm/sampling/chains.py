"""The RBM chain kernels: one block-Gibbs sweep and the layer statistics every RBM path shares.

CD, PCD (fast weights included), parallel tempering, label-unit classification and generation
all advance RBM chains with :func:`gibbs_sweep` and turn visible rows into statistics with
:func:`rbm_statistics` / :func:`rbm_gradient`.  The kernels read three arrays (anything with
``weights``, ``visible_bias`` and ``hidden_bias``: an :class:`~qbm.models.RBM` or
:class:`RBMParameters`), check nothing and loop over no unit or row: they are the hot path.
They run on any array backend (:mod:`qbm.backend`): NumPy arrays with a
``numpy.random.Generator``, or device arrays with a :class:`~qbm.backend.DeviceRandom`.

>>> import numpy as np
>>> params = RBMParameters(np.zeros((3, 2)), np.zeros(3), np.zeros(2))
>>> v, h = gibbs_sweep(params, np.ones((4, 3)), np.random.default_rng(0))
>>> v.shape, h.shape
((4, 3), (4, 2))
"""
from __future__ import annotations

from typing import NamedTuple, Protocol

import numpy as np

from ..backend import DeviceRandom, bernoulli, namespace, sigmoid, total

__all__ = ["RBMParameters", "gibbs_sweep", "visible_draw", "run_chains", "hidden_probabilities", "rbm_statistics", "rbm_gradient"]


class RBMParameters(NamedTuple):
    """An RBM's three arrays without the model around them: what a Gibbs sweep reads (PCD's fast weights add here).

    Parameters
    ----------
    weights : ndarray of shape (n_visible, n_hidden)
    visible_bias : ndarray of shape (n_visible,)
    hidden_bias : ndarray of shape (n_hidden,)

    Examples
    --------
    >>> import numpy as np
    >>> RBMParameters(np.zeros((2, 1)), np.zeros(2), np.zeros(1)).weights.shape
    (2, 1)
    """
    weights: np.ndarray
    visible_bias: np.ndarray
    hidden_bias: np.ndarray


class _Layers(Protocol):
    weights: np.ndarray
    visible_bias: np.ndarray
    hidden_bias: np.ndarray


def hidden_probabilities(rbm: _Layers, v: np.ndarray, beta: float | np.ndarray = 1.0) -> np.ndarray:
    """``p_β(h_j = 1 | v) = σ(β (b_j + vᵀW_:j))`` of every row.

    Parameters
    ----------
    rbm : RBM or RBMParameters
        The arrays.
    v : ndarray of shape (n_rows, n_visible)
        Visible states (or probabilities).
    beta : float or ndarray of shape (n_rows, 1)
        One inverse temperature, or one per row.

    Returns
    -------
    ndarray of shape (n_rows, n_hidden)

    Examples
    --------
    >>> import numpy as np
    >>> hidden_probabilities(RBMParameters(np.ones((1, 1)), np.zeros(1), np.zeros(1)), np.ones((1, 1)), 0.0)
    array([[0.5]])
    """
    field = _dot(v, rbm.weights)
    field += rbm.hidden_bias
    if not (type(beta) is float and beta == 1.0):   # the common case skips a product by one, which changes no bit
        field *= beta
    return sigmoid(field, overwrite=True)


def gibbs_sweep(rbm: _Layers, v: np.ndarray, random_state: np.random.Generator,
                beta: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One sweep v → h → v of every chain (row), at β = 1 or at a column ``beta`` of one β per chain.

    Parameters
    ----------
    rbm : RBM or RBMParameters
        The arrays.
    v : ndarray of shape (n_chains, n_visible)
        The chains' visible states.
    random_state : numpy.random.Generator or qbm.backend.DeviceRandom
        The random stream (a DeviceRandom for device arrays).
    beta : ndarray of shape (n_chains, 1), optional
        One inverse temperature per chain; 1 for all by default.

    Returns
    -------
    v : ndarray of shape (n_chains, n_visible)
        The new visible states (0/1 as floats).
    h : ndarray of shape (n_chains, n_hidden)
        The hidden states drawn on the way.

    Examples
    --------
    See the module's example.
    """
    hidden_field = _product(v, rbm.weights, random_state)
    hidden_field += rbm.hidden_bias
    if beta is not None:
        hidden_field *= beta
    h = bernoulli(sigmoid(hidden_field, overwrite=True), random_state)
    return visible_draw(rbm, h, random_state, beta), h


def visible_draw(rbm: _Layers, h: np.ndarray, random_state, beta: np.ndarray | float | None = None, *,
                 base: np.ndarray | None = None, dtype=None) -> np.ndarray:
    """``v ~ p_β(v | h)`` for every row: the sweep's second half.

    With ``base``, the field is annealed importance sampling's tempered marginal
    ``β (W h + a) + (1 - β) base``, between an RBM without couplings (visible biases ``base``) at
    β = 0 and the model at β = 1.

    Parameters
    ----------
    rbm : RBM or RBMParameters
        The arrays.
    h : ndarray of shape (n_chains, n_hidden)
        Hidden states.
    random_state : numpy.random.Generator or qbm.backend.DeviceRandom
        The random stream (a DeviceRandom for device arrays).
    beta : float or ndarray of shape (n_chains, 1), optional
        One inverse temperature, or one per chain; 1 for all by default.
    base : ndarray of shape (n_visible,), optional
        The base's visible biases of a tempered marginal (``beta`` a float).
    dtype : dtype, optional
        The draws' dtype (:func:`qbm.backend.bernoulli`).

    Returns
    -------
    ndarray of shape (n_chains, n_visible)

    Examples
    --------
    >>> import numpy as np
    >>> visible_draw(RBMParameters(np.zeros((2, 1)), np.full(2, 50.0), np.zeros(1)), np.ones((1, 1)),
    ...              np.random.default_rng(0))
    array([[1., 1.]])
    """
    visible_field = _product(h, rbm.weights.T, random_state)
    visible_field += rbm.visible_bias
    if beta is not None:
        visible_field *= beta
    if base is not None:
        visible_field += (1 - beta) * base
    return bernoulli(sigmoid(visible_field, overwrite=True), random_state, dtype)


def _product(a, b, random_state):
    """``a @ b``, in the device backend's product precision where the stream says which backend."""
    return random_state.backend.matmul(a, b) if isinstance(random_state, DeviceRandom) else _dot(a, b)


def _dot(a, b):
    """``a @ b``; for NumPy operands ``np.dot``, the same BLAS product at half the call's cost on small arrays."""
    return np.dot(a, b) if isinstance(a, np.ndarray) else a @ b


def run_chains(rbm: _Layers, visible: np.ndarray, k: int, random_state: np.random.Generator) -> np.ndarray:
    """``k`` alternating Gibbs sweeps v → h → v, all chains at once.

    Parameters
    ----------
    rbm : RBM or RBMParameters
        The arrays.
    visible : ndarray of shape (n_chains, n_visible)
        Where the chains start.
    k : int
        Sweeps.
    random_state : numpy.random.Generator or qbm.backend.DeviceRandom
        The random stream.

    Returns
    -------
    ndarray of shape (n_chains, n_visible)
        The final visible states.

    Examples
    --------
    >>> import numpy as np
    >>> params = RBMParameters(np.zeros((3, 2)), np.full(3, 50.0), np.zeros(2))   # every unit on
    >>> run_chains(params, np.zeros((2, 3)), 2, np.random.default_rng(0))
    array([[1., 1., 1.],
           [1., 1., 1.]])
    """
    v = visible
    for _ in range(k):
        v, _ = gibbs_sweep(rbm, v, random_state)
    return v


def rbm_statistics(rbm, v: np.ndarray, beta: float = 1.0) -> dict[str, np.ndarray]:
    """Statistics of visible rows with the hidden layer summed out exactly (``p_β(h | v)``).

    Parameters
    ----------
    rbm : RBM
        The model.
    v : ndarray of shape (n_rows, n_visible)
        Visible rows, already checked.
    beta : float
        Inverse temperature of the hidden conditional.

    Returns
    -------
    dict of str -> ndarray
        ``⟨∂(-E)/∂θ⟩`` by parameter name.

    Examples
    --------
    >>> import qbm
    >>> rbm_statistics(qbm.RBM(2, 1, weights=[[0.0], [0.0]]), np.array([[1.0, 0.0]]))["hidden_bias"]
    array([0.5])
    """
    h = hidden_probabilities(rbm, v, beta)
    if isinstance(v, np.ndarray):
        return rbm.sufficient_statistics(np.concatenate([v, h], axis=1), check_input=False)
    xp, scale = namespace(v), 1.0 / v.shape[0]   # device arrays: the same means, in the backend's namespace
    return {"weights": (v * scale).T @ h, "visible_bias": xp.mean(v, axis=0), "hidden_bias": xp.mean(h, axis=0)}


def rbm_gradient(v_data: np.ndarray, h_data: np.ndarray, v_model: np.ndarray,
                 h_model: np.ndarray) -> dict[str, np.ndarray]:
    """Data-side minus model-side statistics of an RBM, rows of each side equally weighted, in place
    where it can be: the training step's hot path.

    Parameters
    ----------
    v_data, h_data : ndarray of shape (n_data, n_visible) and (n_data, n_hidden)
        The data rows and their hidden probabilities.
    v_model, h_model : ndarray of shape (n_model, n_visible) and (n_model, n_hidden)
        The chains and their hidden probabilities.

    Returns
    -------
    dict of str -> ndarray
        The gradient by parameter name.

    Examples
    --------
    >>> ones = np.ones((1, 1))
    >>> rbm_gradient(ones, ones, np.zeros((1, 1)), np.zeros((1, 1)))["weights"]
    array([[1.]])
    """
    xp = namespace(v_data)
    data_scale, model_scale = 1.0 / v_data.shape[0], 1.0 / v_model.shape[0]
    # both sides' products in one: [v_d; v_m]ᵀ [h_d / n_d; -h_m / n_m], one pass over the weight matrix
    weights = _dot(xp.concat([v_data, v_model]).T, xp.concat([h_data * data_scale, h_model * -model_scale]))
    visible = total(v_data, axis=0)
    visible *= data_scale
    visible -= total(v_model, axis=0) * model_scale
    hidden = total(h_data, axis=0)
    hidden *= data_scale
    hidden -= total(h_model, axis=0) * model_scale
    return {"weights": weights, "visible_bias": visible, "hidden_bias": hidden}
