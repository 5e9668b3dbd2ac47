"""What a training run recorded: per-epoch and per-step records, as JSON and CSV.

>>> History(epochs=[{"epoch": 1, "seconds": 0.5}]).wall_time
0.5
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["History"]


@dataclass
class History:
    """What a training run recorded.

    Parameters
    ----------
    epochs : list of dict
        One record per epoch: ``epoch``, ``seconds``, ``sampler_calls``, ``learning_rate``,
        every metric, and the epoch means of the phase's step information (``mean_beta_eff``...).
    steps : list of dict
        One record per step of the phase's information (a QPU's ``scale``, ``beta_eff``,
        ``chain_break_fraction``, ``qpu_access_time``...), where the phase reports any.

    Examples
    --------
    >>> History(epochs=[{"epoch": 1, "seconds": 0.5}])["seconds"]
    [0.5]
    """

    epochs: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)

    def __getitem__(self, key: str) -> list:
        """All values of one column, e.g. ``history["test_ll"]``."""
        return [record.get(key) for record in self.epochs]

    @property
    def wall_time(self) -> float:
        """Total training seconds."""
        return float(sum(record["seconds"] for record in self.epochs))

    def step_means(self, first: int) -> dict[str, float]:
        """The mean of every step record's finite numbers since step record ``first``, as ``mean_<name>``.

        Parameters
        ----------
        first : int
            Index of the first step record counted.

        Returns
        -------
        dict of str -> float

        Examples
        --------
        >>> History(steps=[{"step": 1, "epoch": 1, "beta_eff": 2.0}, {"step": 2, "epoch": 1, "beta_eff": 4.0}]).step_means(0)
        {'mean_beta_eff': 3.0}
        """
        steps = self.steps[first:]
        means = {}
        for key in dict.fromkeys(k for step in steps for k in step if k not in ("step", "epoch")):
            values = [step[key] for step in steps if key in step and np.isfinite(step[key])]
            if values:
                means[f"mean_{key}"] = float(np.mean(values))
        return means

    def to_json(self) -> str:
        """Both record lists as indented JSON."""
        return json.dumps({"epochs": self.epochs, "steps": self.steps}, indent=1)

    def to_csv(self) -> str:
        """The per-epoch records as CSV, one column per key."""
        columns = list(dict.fromkeys(key for record in self.epochs for key in record))
        lines = [",".join(columns)]
        lines += [",".join(_csv_value(record.get(key, "")) for key in columns) for record in self.epochs]
        return "\n".join(lines) + "\n"


def _csv_value(value: Any) -> str:
    return f"{value:.10g}" if isinstance(value, float) else str(value)
