"""The small models every kit runs on, and the conformance check of a model itself."""
from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import dimod
import numpy as np

from ..models import EnergyModel, load, model_arrays, model_from_arrays
from ..models.rbm import RBM
from ..models.graph import BoltzmannMachine
from ..models.kinds import is_quantum
from ..quantum import MAX_QUANTUM_UNITS, QuantumBoltzmannMachine, hamiltonian
from ._report import fail

__all__ = ["small_models", "small_batch", "check_model"]

_ENUMERATED_STATES = 12   # units up to which every state is checked; random states past it


def small_models() -> dict[str, EnergyModel]:
    """One small model of each kind, with parameters large enough that a wrong answer shows.

    Returns
    -------
    dict of str -> model
        ``"RBM 3×2"`` (non-square), ``"fully visible BM"``, ``"BM with hidden units"`` and
        ``"quantum BM"``, each with fixed parameters of order one.

    Examples
    --------
    >>> sorted(small_models())
    ['BM with hidden units', 'RBM 3×2', 'fully visible BM', 'quantum BM']
    """
    rng = np.random.default_rng(20261208)
    rbm = RBM(3, 2, weights=rng.normal(0.0, 1.0, (3, 2)), visible_bias=rng.normal(0.0, 0.5, 3),
              hidden_bias=rng.normal(0.0, 0.5, 2))
    visible = BoltzmannMachine(4, weights=rng.normal(0.0, 0.8, 6), biases=rng.normal(0.0, 0.5, 4))
    hidden = BoltzmannMachine(3, 2, weights=rng.normal(0.0, 0.8, 10), biases=rng.normal(0.0, 0.5, 5))
    quantum = QuantumBoltzmannMachine(3, n_hidden=1, edges=[(0, 1), (1, 2), (0, 3), (1, 3), (2, 3)],
                                      weights=rng.normal(0.0, 0.8, 5), biases=rng.normal(0.0, 0.5, 4),
                                      transverse_field=np.full(4, 0.5))
    return {"RBM 3×2": rbm, "fully visible BM": visible, "BM with hidden units": hidden, "quantum BM": quantum}


def small_batch(model: EnergyModel, rows: int = 6) -> np.ndarray:
    """Fixed 0/1 data rows for ``model``'s visible units.

    Parameters
    ----------
    model : model
        Any model.
    rows : int
        Rows.

    Returns
    -------
    ndarray of shape (rows, n_visible)

    Examples
    --------
    >>> small_batch(small_models()["RBM 3×2"]).shape
    (6, 3)
    """
    return np.random.default_rng(7).integers(0, 2, (rows, model.n_visible)).astype(np.float64)


def check_model(model: EnergyModel) -> None:
    """Check a model against the model contract: parameters, the file codec and every energy form.

    - ``parameters()`` holds every name of ``parameter_names``, finite, and ``copy()`` is equal and independent;
    - the codec round trip (``model_arrays`` → ``model_from_arrays``, and ``save`` → ``qbm.load``) gives the
      same type and the same parameters bit for bit;
    - a classical model's energy equals its QUBO's, its Ising form's and its BQM's on every state (random
      states past 12 units), and ``to_bqm(beta)`` is ``beta`` times the energy;
    - a quantum model's Hamiltonian has the classical energies on its diagonal, and the classical forms are
      refused (its transverse fields would be dropped).

    Parameters
    ----------
    model : RBM, BoltzmannMachine, QuantumBoltzmannMachine or another EnergyModel
        The model to check.

    Raises
    ------
    AssertionError
        Naming the rule that failed.

    Examples
    --------
    >>> import qbm
    >>> check_model(qbm.RBM(3, 2, random_state=0))
    """
    if not isinstance(model, EnergyModel):
        fail(f"{type(model).__name__} is not a qbm model (qbm.models.EnergyModel)")
    name = type(model).__name__
    parameters = model.parameters()
    for key in model.parameter_names:
        if key not in parameters:
            fail(f"{name}.parameters() lacks {key!r}")
        if not np.all(np.isfinite(parameters[key])):
            fail(f"{name}'s {key} are not finite")
    _check_copy(model)
    _check_codec(model)
    states = _states(model)
    if is_quantum(model):
        _check_quantum_forms(model, states)
        return
    energy = np.asarray(model.energy(states), dtype=np.float64)
    if energy.shape != (len(states),):
        fail(f"{name}.energy of {len(states)} states has shape {energy.shape}")
    _check_classical_forms(model, states, energy)


def _check_copy(model) -> None:
    twin = model.copy()
    if type(twin) is not type(model):
        fail(f"{type(model).__name__}.copy() is a {type(twin).__name__}")
    for key in model.parameter_names:
        mine, theirs = getattr(model, key), getattr(twin, key)
        if not np.array_equal(mine, theirs):
            fail(f"{type(model).__name__}.copy() changed {key}")
        if np.shares_memory(mine, theirs):
            fail(f"{type(model).__name__}.copy() shares {key} with the original")


def _check_codec(model) -> None:
    name = type(model).__name__
    again = model_from_arrays(model_arrays(model))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.npz"
        model.save(path)
        loaded = load(path)
    for how, rebuilt in (("model_arrays/model_from_arrays", again), ("save/load", loaded)):
        if type(rebuilt) is not type(model):
            fail(f"{name} came back from {how} as a {type(rebuilt).__name__}")
        if (rebuilt.n_visible, rebuilt.n_hidden) != (model.n_visible, model.n_hidden):
            fail(f"{name} came back from {how} with {rebuilt.n_visible}+{rebuilt.n_hidden} units, "
                 f"not {model.n_visible}+{model.n_hidden}")
        for key in model.parameter_names:
            if not np.array_equal(getattr(rebuilt, key), getattr(model, key)):
                fail(f"{name}'s {key} changed through {how}")


def _states(model) -> np.ndarray:
    n = model.n_units
    if n <= _ENUMERATED_STATES:
        return ((np.arange(2 ** n)[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.float64)
    return np.random.default_rng(0).integers(0, 2, (256, n)).astype(np.float64)


def _check_classical_forms(model, states: np.ndarray, energy: np.ndarray) -> None:
    name = type(model).__name__
    Q, offset = model.to_qubo()
    forms = {"to_qubo": np.einsum("si,ij,sj->s", states, np.asarray(Q), states) + offset}
    h, J, ising_offset = model.to_ising()
    spins = 2 * states - 1
    forms["to_ising"] = spins @ np.asarray(h) + np.einsum("si,ij,sj->s", spins, np.asarray(J), spins) + ising_offset
    bqm = model.to_bqm()
    if bqm.vartype is not dimod.BINARY or set(bqm.variables) != set(range(model.n_units)):
        fail(f"{name}.to_bqm() must be BINARY over the unit indices 0..{model.n_units - 1}")
    forms["to_bqm"] = bqm.energies((states.astype(np.int8), list(range(model.n_units))))
    forms["to_bqm(beta=2)"] = model.to_bqm(2.0).energies((states.astype(np.int8), list(range(model.n_units)))) / 2
    scale = 1e-9 * max(1.0, float(np.abs(energy).max()))
    for form, values in forms.items():
        worst = float(np.abs(np.asarray(values) - energy).max())
        if worst > scale:
            fail(f"{name}.{form} disagrees with {name}.energy by {worst:.3g} on some state")
    copied = copy.deepcopy(model)
    for key in model.parameter_names:
        getattr(copied, key)[...] = 0.0
    if not np.all(copied.energy(states) == 0.0):
        fail(f"{name} with every parameter zero has non-zero energies")


def _check_quantum_forms(model, states: np.ndarray) -> None:
    name = type(model).__name__
    classical = BoltzmannMachine(model.n_visible, model.n_hidden, model.edges, weights=model.weights,
                                 biases=model.biases)
    energy = classical.energy(states)
    if model.n_units <= MAX_QUANTUM_UNITS:
        diagonal = np.diag(hamiltonian(model))
        worst = float(np.abs(diagonal - energy).max())
        if worst > 1e-9 * max(1.0, float(np.abs(energy).max())):
            fail(f"{name}'s Hamiltonian diagonal disagrees with its classical energies by {worst:.3g}")
    for form, argument in (("energy", (states,)), ("to_bqm", ()), ("to_qubo", ()), ("to_ising", ())):
        try:
            getattr(model, form)(*argument)
        except TypeError:
            continue
        fail(f"{name}.{form}() answers for Γ = 0 instead of refusing")
