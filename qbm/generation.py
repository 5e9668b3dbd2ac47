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
from .sampling.boundary import boltzmann_samples, states_from_sampleset
from .samplers.gibbs import GibbsSampler
from .typing import RandomLike
from ._memory import check_allocation
from ._validation import check_binary, check_count, parse_clamp
from ._random import check_random_state
from .models.kinds import is_rbm

__all__ = ["generate", "parse_clamp"]


def generate(model: Model, clamp=None, num_reads: int = 100, *, start=None, sampler: dimod.Sampler | None = None,
             num_sweeps: int = 1000, random_state: RandomLike = None, **sample_kwargs: Any) -> np.ndarray:
    """Visible states drawn from ``p(v_free | v_clamped)``, clamped values in place.

    ``clamp`` is a mapping ``{visible index: 0 or 1}`` or a length-``n_visible`` array
    with NaN for the free units (``None``: nothing clamped, plain samples of the model).
    The clamped model is the BQM ``model.to_bqm()`` with those variables fixed; it is
    handed to ``sampler`` — by default :class:`~qbm.samplers.GibbsSampler` at β = 1 —
    through :func:`qbm.sampling.boltzmann_samples` (so simulated annealing ends at β = 1)
    with ``num_reads`` (and ``num_sweeps`` where the sampler takes it);
    hidden units are sampled and left out of the result.  Returns an ``int8`` array ``(num_reads, n_visible)``.

    ``start`` gives the chains somewhere to begin other than the sampler's own choice (uniformly
    random states for Gibbs): rows of visible states, typically training data, of which
    ``num_reads`` are drawn at random (each row at most once while there are enough), clamped
    units overwritten; an RBM's hidden units start from ``p(h | v)``, a general BM's at random.
    Chains that begin where the data is reach a multimodal model's own distribution far sooner
    than chains from random states, which settle in the first basin they find.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model to sample.
    clamp : mapping or array-like, optional
        ``{visible index: 0 or 1}``, or a length-``n_visible`` array with NaN for free units.
    num_reads : int
        Number of rows to return.
    start : array-like of shape (n_rows, n_visible), optional
        0/1 visible rows the chains start from; passed to the sampler as ``initial_states``.
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
        if start is not None:
            if "initial_states" not in sampler.parameters:
                raise ValueError(f"start needs a sampler that takes initial_states (GibbsSampler, neal); "
                                 f"{type(sampler).__name__} does not")
            sample_kwargs["initial_states"] = _initial_states(model, start, fixed, bqm, num_reads, rng)
        sampleset = boltzmann_samples(sampler, bqm, num_reads, rng, **sample_kwargs)
        free = np.array(sorted(bqm.variables))
        drawn, counts = states_from_sampleset(sampleset.relabel_variables(
            {label: position for position, label in enumerate(free)}, inplace=False), len(free))
        rows = np.repeat(np.arange(len(drawn)), counts.astype(np.int64))
        if len(rows) != num_reads:  # a sampler that aggregates or drops reads: draw rows by count
            rows = rng.choice(len(drawn), size=num_reads, p=counts / counts.sum())
        states[:, free] = drawn[rows]
    return states[:, :model.n_visible]


def _initial_states(model: Model, start, fixed: dict, bqm: dimod.BinaryQuadraticModel, num_reads: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, list]:
    """``num_reads`` chain starts over the free variables of ``bqm``, drawn from the rows of ``start``."""
    rows = check_binary(start, "start", ndim=2, width=model.n_visible)
    if not len(rows):
        raise ValueError("start must hold at least one row")
    visible = rows[rng.choice(len(rows), size=num_reads, replace=num_reads > len(rows))]
    visible[:, list(fixed)] = list(fixed.values())
    if is_rbm(model):
        hidden = model.sample_hidden(visible, rng, check_input=False)
    else:
        hidden = rng.integers(0, 2, size=(num_reads, model.n_units - model.n_visible))
    units = np.concatenate([visible, hidden], axis=1).astype(np.int8)
    free = sorted(bqm.variables)
    return units[:, free], free
