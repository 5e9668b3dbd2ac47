"""The phase kit: every rule of the phase contract (:mod:`qbm.phases.base`) checked on small models."""
from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import numpy as np

from ..exact import expectations
from ..models import EnergyModel
from ..phases import Phase
from ..models.kinds import is_quantum
from ..quantum import ExactQuantumPhase
from ..training import Trainer
from ._models import small_batch, small_models
from ._report import fail, host_arrays

__all__ = ["check_phase"]

_REFUSALS = (TypeError, ValueError, NotImplementedError)
_BURN_IN_CALLS = 10          # persistent chains start anywhere: calls left out of the comparison with exact values
_BATCHES = 6                 # batch means: a standard error that holds for correlated calls
_NOISE_FLOOR = 0.03          # absolute tolerance on an expectation (every statistic lies in [0, 1] or [-1, 1])
_STANDARD_ERRORS = 4.0


def check_phase(phase: Phase, model: EnergyModel | None = None, *, batch=None, random_state: int = 0,
                num_calls: int = 60) -> None:
    """Check ``phase`` against the phase contract; an ``AssertionError`` names the first rule it breaks.

    With ``model=None`` the kit tries the small models of :func:`small_models` — a non-square RBM, a fully
    visible BM, a BM with hidden units and a quantum BM — and checks every one the phase handles; a model
    kind it does not handle must be refused with a ``TypeError`` or ``ValueError`` that says why, or a
    ``NotImplementedError`` (any other exception is a crash), and at least one kind must be handled.  On each handled
    model:

    1. ``statistics`` and ``gradient`` give every parameter of the model, with its shape, finite (arrays on a
       device backend are read back to the host);
    2. neither changes the model or the batch, and ``gradient``'s arrays are fresh (not the model's own);
    3. the same ``random_state`` gives the same numbers, call after call;
    4. ``state_dict`` is a flat dict of numbers and numeric arrays, and a training run resumed from a
       checkpoint equals the run without the interruption, bit for bit;
    5. the parameters in ``phase.fixed_parameters`` have a zero gradient; where the phase claims to sample
       the model (``samples_model = True``: every sampling phase of the package, not CD's), the mean
       statistics of the others over ``num_calls`` calls agree with the exact expectations at ``phase.beta``
       within sampling noise (four standard errors of batch means, plus 0.03).

    Parameters
    ----------
    phase : Phase
        The phase; it is copied for every check, never changed.
    model : model, optional
        One model to check on (it must be handled); the small models of each kind by default.
    batch : array-like of shape (n_rows, n_visible), optional
        Data rows for ``model`` (e.g. one-hot labels for a label phase); fixed 0/1 rows by default.
    random_state : int
        Seed of every stream the kit uses.
    num_calls : int
        Calls averaged in the comparison with exact expectations.

    Raises
    ------
    AssertionError
        Naming the phase, the model and the rule.

    Examples
    --------
    >>> import qbm
    >>> check_phase(qbm.PCD(num_chains=50))
    >>> class Hot(qbm.phases.Phase):            # claims to sample the model, and samples it at β/2
    ...     samples_model = True
    ...     def statistics(self, model, batch, random_state=None):
    ...         return qbm.exact.expectations(model, beta=0.5)
    >>> check_phase(Hot(), qbm.RBM(3, 2, weights=[[2.0, -2.0]] * 3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: Hot() on the RBM: statistics disagree with the exact expectations at beta=1.0, which ...
    """
    if not isinstance(phase, Phase):
        fail(f"{type(phase).__name__} is not a qbm Phase (subclass qbm.phases.Phase and write statistics)")
    models = small_models() if model is None else {type(model).__name__: model}
    handled = []
    for kind, candidate in models.items():
        rows = small_batch(candidate) if batch is None or model is None else np.asarray(batch, dtype=np.float64)
        if _handles(phase, kind, candidate, rows, required=model is not None):
            handled.append(kind)
            _check_on(phase, kind, candidate, rows, random_state, num_calls)
    if not handled:
        fail(f"{phase!r} handles none of the small models ({', '.join(models)})")


def _fresh(phase: Phase) -> Phase:
    """A copy of ``phase`` as it was given: every check starts from the same state."""
    try:
        return copy.deepcopy(phase)
    except Exception as exc:  # noqa: BLE001 - whatever stops a copy, the kit says so
        fail(f"{phase!r} cannot be copied (copy.deepcopy: {type(exc).__name__}: {exc}); the kit runs every check "
             "on a fresh copy")


def _handles(phase: Phase, kind: str, model, rows: np.ndarray, required: bool) -> bool:
    """Whether ``phase`` takes ``model`` (its statistics, then its gradient); a refusal must be a clear one."""
    trial = _fresh(phase)
    for method in ("statistics", "gradient"):
        try:
            values = getattr(trial, method)(model.copy(), rows, random_state=0)
        except _REFUSALS as exc:
            if required:
                fail(f"{phase!r} refused the model given, a {type(model).__name__}: {exc}")
            if not str(exc).strip() and not isinstance(exc, NotImplementedError):
                fail(f"{phase!r} on the {kind} raised a bare {type(exc).__name__} in {method}; a refusal must say "
                     f"why (e.g. that it takes no {type(model).__name__})")
            return False
        except Exception as exc:  # noqa: BLE001 - anything else is a crash, reported as the kit's failure
            fail(f"{phase!r} on the {kind} crashed in {method} with {type(exc).__name__}: {exc} (handle the model, "
                 f"or refuse it with a TypeError naming {type(model).__name__})")
        _check_values(values, model, f"{phase!r} on the {kind}: {method}")
    return True


def _check_on(phase: Phase, kind: str, model, rows: np.ndarray, seed: int, num_calls: int) -> None:
    where = f"{phase!r} on the {kind}"
    _check_outputs(phase, where, model, rows, seed)
    _check_reproducible(phase, where, model, rows, seed)
    _check_resume(phase, where, model, rows, seed)
    if getattr(phase, "samples_model", False):
        _check_against_exact(phase, where, model, rows, seed, num_calls)


def _check_values(values, model, where: str) -> dict[str, np.ndarray]:
    arrays = host_arrays(values, where)
    for name in model.parameter_names:
        if name not in arrays:
            fail(f"{where} lacks the statistics of {name!r} (it gave {sorted(arrays)})")
        expected = np.shape(getattr(model, name))
        if arrays[name].shape != expected:
            fail(f"{where}: {name} has shape {arrays[name].shape}, the model's {expected}")
        if not np.all(np.isfinite(arrays[name])):
            fail(f"{where}: {name} is not finite")
    return arrays


def _check_outputs(phase: Phase, where: str, model, rows: np.ndarray, seed: int) -> None:
    model, trial = model.copy(), _fresh(phase)
    before, rows_before = {name: getattr(model, name).copy() for name in model.parameter_names}, rows.copy()
    _check_values(trial.statistics(model, rows, random_state=seed), model, f"{where}: statistics")
    gradient = trial.gradient(model, rows, random_state=seed)
    _check_values(gradient, model, f"{where}: gradient")
    for name, value in before.items():
        if not np.array_equal(getattr(model, name), value):
            fail(f"{where}: statistics or gradient changed the model's {name}")
        if isinstance(gradient[name], np.ndarray) and np.shares_memory(gradient[name], getattr(model, name)):
            fail(f"{where}: gradient's {name} is the model's own array, not a fresh one")
    if not np.array_equal(rows, rows_before):
        fail(f"{where}: the batch changed")
    for name in getattr(phase, "fixed_parameters", ()):
        if np.any(host_arrays(gradient, where)[name] != 0):
            fail(f"{where}: {name} is held fixed (fixed_parameters) but its gradient is not zero")


def _check_reproducible(phase: Phase, where: str, model, rows: np.ndarray, seed: int) -> None:
    runs = []
    for _ in range(2):
        trial, rng = _fresh(phase), np.random.default_rng(seed)
        runs.append([host_arrays(trial.gradient(model.copy(), rows, random_state=rng), where) for _ in range(3)]
                    + [host_arrays(trial.statistics(model.copy(), rows, random_state=seed + 1), where)])
    for call, (first, second) in enumerate(zip(*runs)):
        for name in model.parameter_names:
            if not np.array_equal(first[name], second[name]):
                fail(f"{where}: the same random_state gave different {name} at call {call + 1} "
                     "(a stream other than random_state is used)")


def _check_resume(phase: Phase, where: str, model, rows: np.ndarray, seed: int) -> None:
    state = _fresh(phase).state_dict()
    if not isinstance(state, dict):
        fail(f"{where}: state_dict returned a {type(state).__name__}, not a dict")
    for key, value in state.items():
        if not isinstance(key, str) or np.asarray(value).dtype.kind not in "biuf":
            fail(f"{where}: state_dict entry {key!r} is not a number or numeric array ({type(value).__name__})")
    settings = {"batch_size": 2, "learning_rate": 0.05, "schedule": "constant", "random_state": seed,
                "progress": False}
    with tempfile.TemporaryDirectory() as folder:
        whole = Trainer(model.copy(), _fresh(phase), **settings)
        whole.fit(rows, 3)
        path = Path(folder) / "checkpoint.npz"
        first = Trainer(model.copy(), _fresh(phase), checkpoint_path=path, **settings)
        first.fit(rows, 1)
        resumed = Trainer(model.copy(), _fresh(phase), **settings)
        resumed.load_checkpoint(path)
        resumed.fit(rows, 3)
    for name in model.parameter_names:
        if not np.array_equal(getattr(whole.model, name), getattr(resumed.model, name)):
            fail(f"{where}: a run resumed from its checkpoint differs from the uninterrupted run in {name} "
                 "(state_dict / load_state_dict do not keep everything the phase carries between calls)")


def _check_against_exact(phase: Phase, where: str, model, rows: np.ndarray, seed: int, num_calls: int) -> None:
    beta = float(getattr(phase, "beta", 1.0))
    if is_quantum(model):
        exact = ExactQuantumPhase(beta=beta).statistics(model, None)
    else:
        exact = expectations(model, beta)
    trial, rng = _fresh(phase), np.random.default_rng(seed)
    for _ in range(_BURN_IN_CALLS):
        trial.statistics(model, rows, random_state=rng)
    calls = [host_arrays(trial.statistics(model, rows, random_state=rng), where) for _ in range(num_calls)]
    for name in (name for name in model.parameter_names if name not in getattr(phase, "fixed_parameters", ())):
        values = np.stack([call[name] for call in calls])
        batch_means = np.stack([part.mean(axis=0) for part in np.array_split(values, _BATCHES)])
        error = batch_means.std(axis=0, ddof=1) / np.sqrt(_BATCHES)
        gap = np.abs(values.mean(axis=0) - exact[name])
        worst = tuple(int(i) for i in np.unravel_index(np.argmax(gap - _STANDARD_ERRORS * error), gap.shape))
        if gap[worst] > _NOISE_FLOOR + _STANDARD_ERRORS * error[worst]:
            fail(f"{where}: statistics disagree with the exact expectations at beta={beta}, which it claims to "
                 f"sample ({name}{list(worst)}: {values.mean(axis=0)[worst]:.4f} over {num_calls} calls, exact "
                 f"{exact[name][worst]:.4f}, standard error {error[worst]:.4f})")
