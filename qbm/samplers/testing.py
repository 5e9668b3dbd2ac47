"""Run the QPU path offline: a mock D-Wave sampler whose "hardware" samples at a hidden β.

A real QPU samples ``exp(-β_qpu · E_programmed)`` with an unknown ``β_qpu``.
:func:`mock_qpu` builds ``dwave.system.testing.MockDWaveSampler`` (the chip's graph and
properties) with a :class:`HiddenTemperatureSampler` substitute that does just that,
so embedding, scaling, calibration and unembedding can be exercised and measured.

>>> import qbm
>>> from qbm.samplers import QPUSampler
>>> qpu = QPUSampler(mock_qpu(3, HiddenTemperatureSampler(beta=3.0)))
>>> info = qpu.sample(qbm.RBM(4, 2, random_state=0, weights=[[1.0, -1.0]] * 4).to_bqm(), num_reads=2000, seed=0).info
>>> abs(info["beta_eff"] * info["scale"] - 3.0) < 0.5   # the hidden β, recovered from the samples
True
"""
from __future__ import annotations

import dimod

from ..utils import RandomLike, check_beta, check_count, check_random_state

__all__ = ["HiddenTemperatureSampler", "mock_qpu"]

_METHODS = ("exact", "anneal", "gibbs")


class HiddenTemperatureSampler(dimod.Sampler):
    """Samples of the programmed BQM at inverse temperature ``beta``, a fresh stream per call.

    ``method="exact"``: exact Boltzmann samples (problems of up to ~30 qubits) — an
    ideal equilibrium sampler; ``"anneal"``: neal annealed from β = 0.1 to ``beta`` over
    ``num_sweeps`` sweeps, which, like an annealer, freezes chains early; ``"gibbs"``:
    Gibbs chains at fixed ``beta`` for ``num_sweeps`` sweeps (fine without chains).
    """

    parameters = {"num_reads": []}
    properties: dict = {}

    def __init__(self, beta: float = 3.0, method: str = "exact", num_sweeps: int = 300,
                 seed: RandomLike = 7) -> None:
        if method not in _METHODS:
            raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
        self.beta = check_beta(beta)
        self.method = method
        self.num_sweeps = check_count(num_sweeps, "num_sweeps")
        self.rng = check_random_state(seed, "seed")

    def sample(self, bqm: dimod.BinaryQuadraticModel, num_reads: int = 10, **hardware_options) -> dimod.SampleSet:
        seed = int(self.rng.integers(2 ** 31 - 1))
        if self.method == "exact":
            from ..exact import ExactSampler

            return ExactSampler().sample(bqm, num_reads=num_reads, beta=self.beta, seed=seed)
        if self.method == "anneal":
            import neal

            return neal.SimulatedAnnealingSampler().sample(bqm, num_reads=num_reads, num_sweeps=self.num_sweeps,
                                                           beta_range=(0.1, self.beta), seed=seed)
        from .gibbs import GibbsSampler

        return GibbsSampler().sample(bqm, num_reads=num_reads, num_sweeps=self.num_sweeps, beta=self.beta, seed=seed)


def mock_qpu(topology_shape: int = 4, hardware: dimod.Sampler | None = None, topology_type: str = "pegasus"):
    """``MockDWaveSampler`` of the given topology whose samples come from ``hardware``
    (by default exact samples at a hidden β = 3)."""
    from dwave.system.testing import MockDWaveSampler

    return MockDWaveSampler(topology_type=topology_type, topology_shape=[topology_shape],
                            substitute_sampler=hardware or HiddenTemperatureSampler(),
                            exact_solver_cutoff=0, parameter_warnings=False)

