"""Scale and calibration: the divisor that fits a problem into the hardware's ranges, and the running
estimate of the hardware's β that the scale follows.

>>> ranges = HardwareRanges({"h_range": (-4.0, 4.0), "j_range": (-1.0, 1.0), "extended_j_range": (-2.0, 1.0)})
>>> ranges.h_range, ranges.strongest_chain
(4.0, 2.0)
>>> calibration = Calibration(memory=0.9)
>>> calibration.track(3.0, information=1.0); calibration.qpu_beta
3.0
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping

import dimod
import numpy as np
from dwave.embedding.chain_strength import uniform_torque_compensation

from ...typing import Embedding

__all__ = ["HardwareRanges", "Calibration", "check_chain_strength", "scaled_embedding"]


class HardwareRanges:
    """A child's programmable ranges: ``h``, ``J`` and the extended ``J`` that chains may use.

    Parameters
    ----------
    properties : mapping
        The child's ``properties`` (``h_range``, ``j_range``, ``extended_j_range``; ±1 where absent).
    """

    def __init__(self, properties: Mapping) -> None:
        h_range = _hardware_range(properties, "h_range", (-1.0, 1.0))
        self.h_range = max(-h_range[0], h_range[1])
        j_range = _hardware_range(properties, "j_range", (-1.0, 1.0))
        self.j_extended = _hardware_range(properties, "extended_j_range", j_range)
        self.strongest_chain = -self.j_extended[0]  # Ising chain coupling at the edge of the range, per unit scale

    def minimum_scale(self, embedded: dimod.BinaryQuadraticModel) -> float:
        """Smallest divisor that brings the embedded problem's Ising h and J into the hardware's ranges
        (negative couplings, such as chains, may use the extended J range).

        Parameters
        ----------
        embedded : dimod.BinaryQuadraticModel
            The problem as programmed on the qubits.

        Returns
        -------
        float
        """
        h, (_, _, J), _ = embedded.spin.to_numpy_vectors()
        low, high = self.j_extended
        needed = [np.abs(h).max(initial=0.0) / self.h_range,
                  np.clip(J, 0, None).max(initial=0.0) / high,
                  np.clip(-J, 0, None).max(initial=0.0) / -low]
        return max(max(needed), 1e-12)


class Calibration:
    """The hardware's β relative to the programmed problem, as an information-weighted running mean.

    Parameters
    ----------
    memory : float
        Fraction of the past estimates' information kept at each new estimate.

    Attributes
    ----------
    qpu_beta : float or None
        The running estimate.
    target_beta : float or None
        The estimate the scale follows, refreshed every ``calibrate_every`` calls (:meth:`refresh`).
    """

    def __init__(self, memory: float) -> None:
        self.memory = memory
        self.information = 0.0   # Fisher information behind qpu_beta
        self.qpu_beta: float | None = None
        self.target_beta: float | None = None

    def track(self, measured: float, information: float) -> None:
        """Fold one estimate of the hardware's β into the running mean.

        Parameters
        ----------
        measured : float
            β of the hardware, measured on one call.
        information : float
            The estimate's Fisher information.
        """
        self.information = self.memory * self.information + information
        if self.qpu_beta is None or self.information <= 0:
            self.qpu_beta = measured
        else:
            self.qpu_beta += information / self.information * (measured - self.qpu_beta)

    def refresh(self, calls: int, every: int) -> None:
        """Let the scale follow the running estimate: on the first call and every ``every`` calls."""
        if self.target_beta is None or calls % every == 0:
            self.target_beta = self.qpu_beta

    def state_dict(self) -> dict[str, np.ndarray]:
        """The estimate and its information, NaN for none yet."""
        return {"information": np.array(self.information),
                "qpu_beta": np.array(np.nan if self.qpu_beta is None else self.qpu_beta),
                "target_beta": np.array(np.nan if self.target_beta is None else self.target_beta)}

    def load_state_dict(self, state: Mapping) -> None:
        """Restore what :meth:`state_dict` returned."""
        self.information = float(state["information"])
        self.qpu_beta, self.target_beta = (None if np.isnan(state[name]) else float(state[name])
                                           for name in ("qpu_beta", "target_beta"))


def _hardware_range(properties: Mapping, name: str, default) -> tuple[float, float]:
    """A child's ``(low, high)`` property, with ``low < 0 < high``: anything else is a child that cannot be
    programmed, said as such instead of a division by zero later."""
    value = properties.get(name, default)
    try:
        low, high = (float(x) for x in value)
    except (TypeError, ValueError):
        raise ValueError(f"the child's {name} must be a pair (low, high) of numbers, got {value!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < 0 < high):
        raise ValueError(f"the child's {name} must have low < 0 < high, got {value!r}")
    return low, high


def check_chain_strength(value):
    """``value`` if it is None, a callable ``f(bqm, embedding)`` or a finite positive number."""
    if value is not None and not callable(value):
        try:
            strength = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"chain_strength must be a number, a callable or None, got {value!r}") from None
        if not (np.isfinite(strength) and strength > 0):
            raise ValueError(f"chain_strength must be a finite positive number, got {value!r}")
    return value


def scaled_embedding(bqm: dimod.BinaryQuadraticModel, embedding: Embedding, adjacency: dict, ranges: HardwareRanges,
                     chain_strength, target_beta: float | None, embed_bqm: Callable):
    """The scale of one call, the least scale that fits, the chain strength and the embedded problem (unscaled).

    With ``chain_strength=None`` the chains are as stiff as the range allows, and never weaker than Ocean's
    torque-compensation heuristic: the logical problem alone sets the scale, the chain follows it.  A
    ``target_beta`` (calibrating) raises the scale to the hardware's β where the ranges allow, and warns
    where they do not.

    Parameters
    ----------
    bqm : dimod.BinaryQuadraticModel
        The logical problem.
    embedding : dict
        Variable → chain of qubits.
    adjacency : dict
        The chip's working graph.
    ranges : HardwareRanges
        The chip's ranges.
    chain_strength : None, float or callable
        The sampler's setting.
    target_beta : float or None
        The hardware's β the scale follows; None when not calibrating.
    embed_bqm : callable
        Ocean's ``embed_bqm`` or a function of the same signature.

    Returns
    -------
    (float, float, float, dimod.BinaryQuadraticModel)
    """
    if chain_strength is None:
        chain_free = embed_bqm(bqm, embedding, adjacency, chain_strength=0.0)
        needed_chain = uniform_torque_compensation(bqm, embedding)
        minimum_scale = max(ranges.minimum_scale(chain_free), needed_chain / ranges.strongest_chain)
    else:
        chain_strength = chain_strength(bqm, embedding) if callable(chain_strength) else float(chain_strength)
        embedded = embed_bqm(bqm, embedding, adjacency, chain_strength=chain_strength)
        minimum_scale = ranges.minimum_scale(embedded)
    scale = minimum_scale
    if target_beta is not None:
        scale = max(minimum_scale, target_beta)
        if minimum_scale > target_beta:
            warnings.warn(f"the model needs a scale of {minimum_scale:.3g} to fit the hardware's ranges but the "
                          f"hardware's β is about {target_beta:.3g}: samples come out at β ≈ "
                          f"{target_beta / minimum_scale:.2f} of the model's", RuntimeWarning, stacklevel=5)
    if chain_strength is None:
        chain_strength = ranges.strongest_chain * scale
        embedded = embed_bqm(bqm, embedding, adjacency, chain_strength=chain_strength)
    return scale, minimum_scale, chain_strength, embedded
