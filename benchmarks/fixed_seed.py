"""Fixed-seed results of every path a re-layout could disturb, as a hash per result.

``python benchmarks/fixed_seed.py record benchmarks/fixed_seed.json`` writes one SHA-256 of the
float64 bytes of each result; ``python benchmarks/fixed_seed.py check benchmarks/fixed_seed.json``
recomputes them and exits 1 naming every result whose bits changed.  Run ``record`` before a change
that must not move a number and ``check`` after it.
"""
from __future__ import annotations

import hashlib
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

import qbm
from qbm.datasets import bars_and_stripes


def _digest(value) -> str:
    if isinstance(value, dict):
        return hashlib.sha256("".join(_digest(value[k]) for k in sorted(value)).encode()).hexdigest()
    return hashlib.sha256(np.ascontiguousarray(np.asarray(value, dtype=np.float64)).tobytes()).hexdigest()


def _trained(phase, epochs: int = 5, model=None, **settings) -> np.ndarray:
    model = qbm.RBM(16, 8, random_state=0) if model is None else model
    qbm.train(model, bars_and_stripes(4), phase, epochs=epochs, batch_size=8, learning_rate=0.05,
              random_state=1, progress=False, **settings)
    return np.concatenate([np.ravel(getattr(model, name)) for name in model.parameter_names])


def _lattice(side: int) -> qbm.BoltzmannMachine:
    index = np.arange(side * side).reshape(side, side)
    edges = [(a, b) for a, b in zip(index[:, :-1].ravel(), index[:, 1:].ravel())]
    edges += [(a, b) for a, b in zip(index[:-1].ravel(), index[1:].ravel())]
    rng = np.random.default_rng(3)
    return qbm.BoltzmannMachine(side * side, edges=edges, weights=rng.normal(0, 0.5, len(edges)),
                                biases=rng.normal(0, 0.2, side * side))


def _mock_qpu() -> np.ndarray:
    from qbm.samplers.testing import mock_qpu

    phase = qbm.qpu_phase(20, sampler=mock_qpu(3), postprocess_sweeps=5, divergence_guard=None)
    model = qbm.RBM(9, 3, random_state=0)
    qbm.train(model, bars_and_stripes(3), phase, epochs=2, batch_size=7, learning_rate=0.05, random_state=1,
              progress=False)
    return np.concatenate([np.ravel(getattr(model, name)) for name in model.parameter_names])


def _bm_hidden_exact() -> np.ndarray:
    model = qbm.BoltzmannMachine(4, n_hidden=2, edges=[(i, j) for i in range(6) for j in range(i + 1, 6)],
                                 random_state=0)
    data = bars_and_stripes(2)
    qbm.train(model, data, qbm.SamplerPhase(qbm.ExactSampler(), num_reads=50), epochs=3, batch_size=3,
              learning_rate=0.05, random_state=1, progress=False)
    return np.concatenate([np.ravel(getattr(model, name)) for name in model.parameter_names])


def _gibbs_samples() -> np.ndarray:
    bqm = qbm.RBM(8, 4, random_state=2).to_bqm()
    answer = qbm.GibbsSampler().sample(bqm, num_reads=50, num_sweeps=20, seed=5)
    return np.asarray(answer.record.sample)


def _ais() -> np.ndarray:
    rbm = qbm.RBM(20, 10, random_state=4)
    rbm.weights *= 50
    return np.asarray(qbm.metrics.ais_log_partition(rbm, num_reads=20, betas=300, random_state=6))


def _quantum_gradient() -> dict:
    from qbm.quantum import QuantumBoltzmannMachine

    model = QuantumBoltzmannMachine(4, n_hidden=1, edges=[(0, 1), (1, 2), (2, 3), (3, 4), (0, 4)],
                                    transverse_field=0.5, random_state=0)
    data = bars_and_stripes(2)
    return qbm.gradient(qbm.make_phase("quantum-bound"), model, data, random_state=0)


RESULTS: dict[str, Callable[[], object]] = {
    "train cd": lambda: _trained(qbm.CD()),
    "train pcd": lambda: _trained(qbm.PCD(20)),
    "train tempering": lambda: _trained(qbm.ParallelTempering(num_chains=10)),
    "train pcd centring adam": lambda: _trained(qbm.PCD(20), centering=True, optimizer="adam"),
    "train neal": lambda: _trained(qbm.make_phase("neal", num_reads=20, num_sweeps=10), epochs=2),
    "train bm hidden exact sampler": _bm_hidden_exact,
    "gibbs samples": _gibbs_samples,
    "log Z dense rbm": lambda: qbm.log_partition(qbm.RBM(20, 12, random_state=1)),
    "log Z dense bm": lambda: qbm.log_partition(qbm.BoltzmannMachine(14, random_state=1)),
    "log Z lattice 12x12": lambda: qbm.log_partition(_lattice(12)),
    "ais": _ais,
    "mock qpu": _mock_qpu,
    "quantum gradient": _quantum_gradient,
}


def fingerprints() -> dict[str, str]:
    out = {}
    for name, result in RESULTS.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[name] = _digest(result())
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "check"):
        print(__doc__)
        return 2
    path = Path(argv[1])
    now = fingerprints()
    if argv[0] == "record":
        path.write_text(json.dumps(now, indent=1) + "\n")
        print(f"recorded {len(now)} results in {path}")
        return 0
    before = json.loads(path.read_text())
    changed = [name for name in before if now.get(name) != before[name]]
    for name in before:
        print(f"{'CHANGED' if name in changed else 'same   '}  {name}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
