"""Learning-rate schedules: the factor that multiplies the rate at each epoch.

``"linear"`` (the default of :func:`qbm.training.train`) decays the rate linearly to zero over the epochs of the
run; ``"constant"`` (or ``None``) keeps it; a callable ``schedule(epoch) -> factor`` is any other
(epochs count from 0).  Why the decay is the default: ``benchmarks/bench_training.py digits``.

>>> [schedule_factor("linear", epoch, 4) for epoch in range(4)]
[1.0, 0.75, 0.5, 0.25]
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["SCHEDULE_NAMES", "Schedule", "check_schedule", "schedule_factor"]

SCHEDULE_NAMES = ("linear", "constant")
Schedule = Callable[[int], float] | str | None


def check_schedule(schedule: Schedule) -> Schedule:
    """``schedule`` if it is a name of ``SCHEDULE_NAMES``, ``None`` or a callable; a clear error otherwise.

    Parameters
    ----------
    schedule : {"linear", "constant"}, callable or None
        What was passed.

    Returns
    -------
    str, callable or None

    Examples
    --------
    >>> check_schedule("cosine")
    Traceback (most recent call last):
    ...
    ValueError: schedule must be 'linear', 'constant' or a callable, got 'cosine'
    """
    if isinstance(schedule, str) and schedule not in SCHEDULE_NAMES:
        raise ValueError(f"schedule must be 'linear', 'constant' or a callable, got {schedule!r}")
    if not (schedule is None or isinstance(schedule, str) or callable(schedule)):
        raise TypeError(f"schedule must be 'linear', 'constant' or a callable, got {type(schedule).__name__}")
    return schedule


def schedule_factor(schedule: Schedule, epoch: int, total_epochs: int) -> float:
    """The factor of the learning rate at ``epoch`` of a run of ``total_epochs``.

    Parameters
    ----------
    schedule : {"linear", "constant"}, callable or None
        The schedule.
    epoch : int
        Epochs done (from 0).
    total_epochs : int
        The run's length (0: not known yet, as for a step outside ``fit``).

    Returns
    -------
    float

    Examples
    --------
    >>> schedule_factor(lambda epoch: 0.5 ** epoch, 2, 10)
    0.25
    """
    if schedule is None or schedule == "constant":
        return 1.0
    if schedule == "linear":
        return 1.0 - epoch / total_epochs if total_epochs else 1.0
    factor = schedule(epoch)
    try:
        factor = float(factor)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"schedule(epoch) must return a number, got {type(factor).__name__}") from exc
    if not np.isfinite(factor) or factor < 0:
        raise ValueError(f"schedule(epoch) must return a finite factor >= 0, got {factor} at epoch {epoch}")
    return factor
