"""Generation by clamping: fix some visible units, sample the rest from the model.

>>> import qbm
>>> rbm = qbm.RBM(6, 3, random_state=0)
>>> samples = generate(rbm, clamp={0: 1, 5: 0}, num_reads=4, random_state=0)
>>> samples.shape, samples[:, 0].tolist(), samples[:, 5].tolist()
((4, 6), [1, 1, 1, 1], [0, 0, 0, 0])
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dimod
import numpy as np

from .models import Model
from .phases import boltzmann_samples, states_from_sampleset
from .samplers.gibbs import GibbsSampler
from ._utils import RandomLike, check_count, check_random_state

__all__ = ["generate", "parse_clamp"]


def generate(model: Model, clamp=None, num_reads: int = 100, *, sampler: dimod.Sampler | None = None,
             num_sweeps: int = 1000, random_state: RandomLike = None, **sample_kwargs: Any) -> np.ndarray:
    """Visible states drawn from ``p(v_free | v_clamped)``, clamped values in place.

    ``clamp`` is a mapping ``{visible index: 0 or 1}`` or a length-``n_visible`` array
    with NaN for the free units (``None``: nothing clamped, plain samples of the model).
    The clamped model is the BQM ``model.to_bqm()`` with those variables fixed; it is
    handed to ``sampler`` — by default :class:`~qbm.samplers.GibbsSampler` at β = 1 —
    through :func:`qbm.phases.boltzmann_samples` (so simulated annealing ends at β = 1)
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
    fixed = parse_clamp(clamp, model.n_visible)
    num_reads = check_count(num_reads, "num_reads")
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


def parse_clamp(clamp, n_visible: int) -> dict[int, int]:
    """``{visible index: 0 or 1}`` from a mapping, or from an array with NaN for free units.

    Parameters
    ----------
    clamp : mapping or array-like
        As in :func:`generate`.
    n_visible : int
        The model's number of visible units.

    Returns
    -------
    dict of int -> int

    Examples
    --------
    >>> parse_clamp([1, float("nan"), 0], 3)
    {0: 1, 2: 0}
    """
    if clamp is None:
        return {}
    if isinstance(clamp, Mapping):
        items = list(clamp.items())
    else:
        array = np.asarray(clamp, dtype=float)
        if array.shape != (n_visible,):
            raise ValueError(f"clamp must be a mapping or an array of length n_visible={n_visible} "
                             f"(NaN for free units), got shape {array.shape}")
        items = [(i, array[i]) for i in np.flatnonzero(~np.isnan(array))]
    fixed = {}
    for unit, value in items:
        if isinstance(unit, bool) or not isinstance(unit, (int, np.integer)) or not 0 <= unit < n_visible:
            raise ValueError(f"clamp keys must be visible unit indices 0..{n_visible - 1}, got {unit!r}")
        if value not in (0, 1):
            raise ValueError(f"clamp values must be 0 or 1, got {value!r} for unit {unit}")
        fixed[int(unit)] = int(value)
    return fixed
