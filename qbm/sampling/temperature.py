"""How hot a set of samples is: the maximum-pseudolikelihood β of samples against a BQM, and its information.

One computation of the flip energies (:func:`local_excitations`) serves the estimate
(:func:`effective_beta`, Ocean's estimator) and its Fisher information (:func:`beta_information`),
which the QPU calibration, the Gibbs post-processing and the divergence guard read.
"""
from __future__ import annotations

import warnings

import dimod
import numpy as np

from ..graphs import symmetric_matrix
from .._numerics import sigmoid

__all__ = ["effective_beta", "effective_betas", "beta_information", "local_excitations"]


def effective_beta(bqm: dimod.BinaryQuadraticModel, sampleset: dimod.SampleSet) -> float:
    """Maximum-pseudolikelihood inverse temperature of ``sampleset`` w.r.t. ``bqm`` (Ocean's estimator).

    NaN for a BQM without biases (every temperature fits it equally).

    Parameters
    ----------
    bqm : dimod.BinaryQuadraticModel
        The model the samples are compared with.
    sampleset : dimod.SampleSet
        Samples over ``bqm``'s variables.

    Returns
    -------
    float
        β relative to ``bqm``: 1 for samples of ``exp(-E_bqm)``.

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(6, 4, random_state=0, weights=np.ones((6, 4)) * 0.5)
    >>> samples = qbm.ExactSampler().sample(rbm.to_bqm(), num_reads=4000, beta=2.0, seed=0)
    >>> round(effective_beta(rbm.to_bqm(), samples), 1)
    2.0
    """
    from dwave.system.temperatures import maximum_pseudolikelihood_temperature

    if not any(bqm.linear.values()) and not any(bqm.quadratic.values()):
        return float("nan")  # a problem without energy says nothing about temperature
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            temperature, _ = maximum_pseudolikelihood_temperature(
                en1=local_excitations(bqm, sampleset),
                sample_weights=np.asarray(sampleset.record.num_occurrences, dtype=float))
        except ZeroDivisionError:  # the estimate sits at β = 0: samples as if uniformly random
            return 0.0
    return float(np.inf) if temperature == 0 else float(1.0 / temperature)


def effective_betas(excitations: np.ndarray) -> np.ndarray:
    """The maximum-pseudolikelihood β of several groups of samples at once (one estimate per group).

    The estimate of :func:`effective_beta` — the root of ``Σ ΔE σ(-β ΔE)`` over each
    group's samples and units, ``ΔE`` the energy a flip costs — by bisection on ``log β``, all groups together: what the
    QPU sampler reports for every copy of a model on the chip.  ``inf`` for a group
    whose every flip costs energy (ground states), 0 for one sitting below β = 0.

    Parameters
    ----------
    excitations : ndarray of shape (n_groups, n_samples, n_units)
        :func:`local_excitations` of each group's samples (``-ΔE``).

    Returns
    -------
    ndarray of shape (n_groups,)

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(6, 4, random_state=0, weights=np.ones((6, 4)) * 0.5)
    >>> samples = qbm.ExactSampler().sample(rbm.to_bqm(), num_reads=4000, beta=2.0, seed=0)
    >>> flips = local_excitations(rbm.to_bqm(), samples).reshape(4, 1000, 10)
    >>> effective_betas(flips).round(1)
    array([2. , 1.9, 2. , 2. ])
    """
    flips = -np.asarray(excitations, dtype=float).reshape(len(excitations), -1)   # ΔE of each flip

    def slope(beta: np.ndarray) -> np.ndarray:   # d/dβ of the log pseudo-likelihood, decreasing in β
        return np.sum(flips * sigmoid(-beta[:, None] * flips), axis=1)

    low, high = np.full(len(flips), np.log(1e-8)), np.full(len(flips), np.log(1e8))
    for _ in range(80):
        middle = (low + high) / 2
        rising = slope(np.exp(middle)) > 0
        low, high = np.where(rising, middle, low), np.where(rising, high, middle)
    betas = np.exp((low + high) / 2)
    betas[np.all(flips >= 0, axis=1)] = np.inf     # every flip costs energy: no finite β fits better
    betas[(slope(np.full(len(flips), 1e-8)) <= 0) | ~np.any(flips, axis=1)] = 0.0
    return betas


def local_excitations(bqm: dimod.BinaryQuadraticModel, sampleset: dimod.SampleSet) -> np.ndarray:
    """Energy of flipping each spin of each sample, ``2 s_i (h_i + Σ_j J_ij s_j)``: Ocean's
    ``effective_field(..., current_state_energy=True)`` by one sparse product instead of a loop over samples.

    Parameters
    ----------
    bqm : dimod.BinaryQuadraticModel
        The model.
    sampleset : dimod.SampleSet
        Samples over ``bqm``'s variables.

    Returns
    -------
    ndarray of shape (n_samples, n_variables)
        Columns in the sampleset's variable order.

    Examples
    --------
    >>> import dimod
    >>> bqm = dimod.BinaryQuadraticModel({0: 1.0}, {}, 0.0, "SPIN")
    >>> local_excitations(bqm, dimod.SampleSet.from_samples([{0: 1}], "SPIN", energy=[1.0]))
    array([[2.]])
    """
    spins, labels = dimod.as_samples(sampleset)
    spin_bqm = bqm if bqm.vartype is dimod.SPIN else bqm.change_vartype(dimod.SPIN, inplace=False)
    if bqm.vartype is dimod.BINARY:
        spins = 2 * spins - 1
    h, (rows, cols, values), _ = spin_bqm.to_numpy_vectors(variable_order=labels)
    couplings = symmetric_matrix(len(h), rows, cols, values)
    spins = spins.astype(np.float64)
    return 2 * spins * (h + (couplings @ spins.T).T)


def beta_information(bqm: dimod.BinaryQuadraticModel, sampleset: dimod.SampleSet, beta: float) -> float:
    """Fisher information about β in the pseudo-likelihood of ``sampleset`` under ``exp(-β E_bqm)``.

    ``Σ_samples Σ_i ΔE_i² p_i (1 - p_i)`` with ``ΔE_i`` the energy of flipping unit ``i``
    and ``p_i = σ(β ΔE_i)``: the inverse variance of the maximum pseudo-likelihood
    estimate of β, large when the samples' local fields are strong and not saturated.

    Parameters
    ----------
    bqm : dimod.BinaryQuadraticModel
        The model.
    sampleset : dimod.SampleSet
        Samples over ``bqm``'s variables.
    beta : float
        The β at which the information is evaluated.

    Returns
    -------
    float

    Examples
    --------
    >>> import qbm
    >>> bqm = qbm.RBM(4, 2, random_state=0).to_bqm()
    >>> beta_information(bqm, qbm.ExactSampler().sample(bqm, num_reads=10, seed=0), 1.0) < 1e-2  # a near-zero model
    True
    """
    flip = local_excitations(bqm, sampleset)
    p = sigmoid(beta * flip)
    per_sample = np.sum(flip ** 2 * p * (1 - p), axis=1)
    return float(per_sample @ np.asarray(sampleset.record.num_occurrences, dtype=float))
