"""Generation by clamping: fix some visible units, sample the rest from the model.

>>> import qbm
>>> rbm = qbm.RBM(6, 3, random_state=0)
>>> samples = generate(rbm, clamp={0: 1, 5: 0}, num_reads=4, random_state=0)
>>> samples.shape, samples[:, 0].tolist(), samples[:, 5].tolist()
((4, 6), [1, 1, 1, 1], [0, 0, 0, 0])
"""
from __future__ import annotations

from typing import Any

import dimod
import numpy as np

from .models import Model, check_model
from .boundary import boltzmann_samples, states_from_sampleset
from .samplers.gibbs import GibbsSampler
from ._utils import RandomLike, check_allocation, check_count, check_random_state, parse_clamp

__all__ = ["generate", "parse_clamp"]


def generate(model: Model, clamp=None, num_reads: int = 100, *, sampler: dimod.Sampler | None = None,
             num_sweeps: int = 1000, random_state: RandomLike = None, **sample_kwargs: Any) -> np.ndarray:
    """Visible states drawn from ``p(v_free | v_clamped)``, clamped values in place.

    ``clamp`` is a mapping ``{visible index: 0 or 1}`` or a length-``n_visible`` array
    with NaN for the free units (``None``: nothing clamped, plain samples of the model).
    The clamped model is the BQM ``model.to_bqm()`` with those variables fixed; it is
    handed to ``sampler`` — by default :class:`~qbm.samplers.GibbsSampler` at β = 1 —
    through :func:`qbm.boundary.boltzmann_samples` (so simulated annealing ends at β = 1)
    with ``num_reads`` (and ``num_sweeps`` where the sampler takes it);
    hidden units are sampled and left out of the result.  Returns an ``int8`` array ``(num_reads, n_visible)``.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model to sample.
    clamp : mapping or array-like, optional
        ``{visible index: 0 or 1}``, or a length-``n_visible`` array with NaN for free units.
    num_reads : int
        Number of rows to return.
    sampler : dimod.Sampler, optional
        Any sampler; :class:`~qbm.samplers.GibbsSampler` by default.
    num_sweeps : int
        Sweeps, where the sampler takes them.
    random_state : int, numpy.random.Generator or None
        Seeds the sampler.
    **sample_kwargs
        Passed to ``sampler.sample``.

    Returns
    -------
    ndarray of int8, shape (num_reads, n_visible)

    Examples
    --------
    >>> import qbm
    >>> bm = qbm.BoltzmannMachine(3, weights=[5.0, 5.0, 5.0], biases=[-5.0, -5.0, -5.0])
    >>> generate(bm, clamp=[1, np.nan, np.nan], num_reads=3, sampler=qbm.ExactSampler(), random_state=0)
    array([[1, 1, 1],
           [1, 1, 1],
           [1, 1, 1]], dtype=int8)
    """
    model = check_model(model, quantum="qbm.quantum.generate")
    fixed = parse_clamp(clamp, model.n_visible)
    num_reads = check_count(num_reads, "num_reads")
    num_sweeps = check_count(num_sweeps, "num_sweeps")
    check_allocation(num_reads * model.n_units * 16.0, f"num_reads {num_reads} of {model.n_units} units")
    rng = check_random_state(random_state)
    bqm = model.to_bqm()
    bqm.fix_variables(fixed)
    states = np.zeros((num_reads, model.n_units), dtype=np.int8)
    states[:, list(fixed)] = list(fixed.values())
    if bqm.num_variables:
        if sampler is None:
            sampler = GibbsSampler()
        if "num_sweeps" in sampler.parameters:
            sample_kwargs.setdefault("num_sweeps", num_sweeps)
        sampleset = boltzmann_samples(sampler, bqm, num_reads, rng, **sample_kwargs)
        free = np.array(sorted(bqm.variables))
        drawn, counts = states_from_sampleset(sampleset.relabel_variables(
            {label: position for position, label in enumerate(free)}, inplace=False), len(free))
        rows = np.repeat(np.arange(len(drawn)), counts.astype(np.int64))
        if len(rows) != num_reads:  # a sampler that aggregates or drops reads: draw rows by count
            rows = rng.choice(len(drawn), size=num_reads, p=counts / counts.sum())
        states[:, free] = drawn[rows]
    return states[:, :model.n_visible]
