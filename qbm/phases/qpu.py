"""A negative phase drawn from a D-Wave QPU (or any structured sampler), in one line: the recipe of layers.

>>> from qbm.samplers.testing import mock_qpu
>>> qpu_phase(20, sampler=mock_qpu(3)).num_reads
20
"""
from __future__ import annotations

from typing import Any

import dimod

from .divergence import DivergenceGuard
from ..samplers.composites import GibbsPostProcessingComposite, PersistentReverseAnnealComposite
from ..samplers.qpu import QPUSampler
from .._validation import check_count
from .sampler import SamplerPhase

__all__ = ["qpu_phase"]


def qpu_phase(num_reads: int = 100, *, sampler: dimod.Sampler | None = None, embedding=None,
              chain_strength=None, calibrate: bool = True, calibrate_every: int = 10,
              postprocess_sweeps: int = 100, spin_reversal_transforms: int = 0, copies: int | str = 1,
              reverse_anneal=False, divergence_guard: DivergenceGuard | None | str = "default",
              **sample_kwargs: Any) -> SamplerPhase:
    """A negative phase drawn from a D-Wave QPU (or any structured sampler), in one line.

    ``sampler=None`` opens ``DWaveSampler`` from the Leap configuration (a clear
    :class:`~qbm.samplers.qpu.QPUConfigurationError` if there is none); pass
    ``MockDWaveSampler(...)`` or :func:`qbm.samplers.testing.mock_qpu` to run the same
    path offline.  The sampler is built in layers, each a keyword to turn off:

    - :class:`~qbm.samplers.qpu.QPUSampler` — embedding reuse, scaling, calibration of
      the hardware's β (``calibrate``, ``calibrate_every``), ``spin_reversal_transforms``
      gauges against per-qubit biases;
    - ``reverse_anneal``: ``True`` (default schedule) or a schedule — persistent chains
      on the annealer (:class:`~qbm.samplers.composites.PersistentReverseAnnealComposite`);
    - ``postprocess_sweeps`` Gibbs sweeps from every hardware sample that finish the
      anneal at the model's β, with importance weights
      (:class:`~qbm.samplers.composites.GibbsPostProcessingComposite`; 0 turns it off):
      what keeps the gradient honest under freeze-out, control errors and a hardware
      β too low for the model;
    - ``divergence_guard``: warns when training runs away on samples hotter than the model.

    Parameters
    ----------
    num_reads : int
        Reads per call.
    sampler : dimod structured sampler, optional
        ``DWaveSampler`` from the Leap configuration by default.
    embedding : mapping, optional
        Logical variable → chain of qubits (found once with minorminer by default).
    chain_strength : float or callable, optional
        See :class:`~qbm.samplers.qpu.QPUSampler`.
    calibrate : bool
        Track the hardware's β and scale the problem to the model's.
    calibrate_every : int
        Calls between updates of the scale.
    postprocess_sweeps : int
        Gibbs sweeps per hardware sample (0: none).
    spin_reversal_transforms : int
        Gauges per call (0: none).
    copies : int or "auto"
        Copies of the model programmed side by side in one call (see
        :class:`~qbm.samplers.qpu.QPUSampler`): ``"auto"`` as many as the chip holds,
        which pays the programming time once for all of them.
    reverse_anneal : bool or list of [time, s]
        Persistent reverse annealing, with the default or the given schedule.
    divergence_guard : DivergenceGuard or None
        The runaway detector; the default one warns.
    **sample_kwargs
        Passed to the sampler on every call (e.g. ``annealing_time``).

    Returns
    -------
    SamplerPhase

    Examples
    --------
    >>> from qbm.samplers.testing import mock_qpu
    >>> phase = qpu_phase(20, sampler=mock_qpu(3))
    >>> type(phase.sampler).__name__, type(phase.sampler.child).__name__
    ('GibbsPostProcessingComposite', 'QPUSampler')
    """
    chain: dimod.Sampler = QPUSampler(sampler, embedding=embedding, chain_strength=chain_strength,
                                      calibrate=calibrate, calibrate_every=calibrate_every,
                                      spin_reversal_transforms=spin_reversal_transforms, copies=copies)
    if reverse_anneal is not False and reverse_anneal is not None:
        chain = PersistentReverseAnnealComposite(chain, anneal_schedule=None if reverse_anneal is True
                                                 else reverse_anneal)
    if check_count(postprocess_sweeps, "postprocess_sweeps", minimum=0):
        chain = GibbsPostProcessingComposite(chain, num_sweeps=postprocess_sweeps)
    return SamplerPhase(chain, num_reads=num_reads, divergence_guard=divergence_guard, **sample_kwargs)
