"""Hostile inputs generated over the public entry points that take data: every entry point below meets every kind
of bad array (empty, ragged, NaN, inf, strings, complex, objects, the wrong rank or width, a scalar, None) and the
valid oddities (float16, bool, read-only, Fortran-ordered).  The property is the same for all: a finite answer, or
a ``TypeError``/``ValueError`` naming the argument; never another exception, never a warning.  A new entry point is
one line of ``ENTRY_POINTS``; a new kind one line of ``KINDS``."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import qbm
from qbm.sklearn import RBMClassifier, RBMTransformer

MODEL = qbm.RBM(4, 2, random_state=0)
GRAPH = qbm.BoltzmannMachine(4, random_state=0)
ROWS = qbm.datasets.bars_and_stripes(2)


def _read_only(rows: np.ndarray) -> np.ndarray:
    rows = rows.copy()
    rows.setflags(write=False)
    return rows


KINDS = {   # name: (value, whether it is valid)
    "empty list": ([], False), "no rows": (np.zeros((0, 4)), False), "a row of nothing": ([[]], False),
    "ragged rows": ([[1, 0, 1, 0], [1]], False), "NaN": (np.full((2, 4), np.nan), False),
    "inf": (np.full((2, 4), np.inf), False), "strings": (np.array([["a"] * 4]), False),
    "complex": (np.ones((2, 4)) * 1j, False), "objects": (np.array([[{}] * 4], dtype=object), False),
    "3-D": (np.zeros((2, 2, 4)), False), "a scalar": (3.0, False), "None": (None, False),
    "the wrong width": (np.zeros((2, 5)), False), "values above 1": (np.full((2, 4), 2.5), False),
    "float16": (ROWS.astype(np.float16), True), "bool": (ROWS.astype(bool), True),
    "read-only": (_read_only(ROWS), True), "Fortran order": (np.asfortranarray(ROWS), True),
}

ENTRY_POINTS = {   # name: (the argument's name, the call)
    "log_likelihood": ("data", lambda x: qbm.log_likelihood(MODEL, x)),
    "log_likelihood of a graph BM": ("data", lambda x: qbm.log_likelihood(GRAPH, x)),
    "kl_divergence": ("target", lambda x: qbm.metrics.kl_divergence(MODEL, x)),
    "pseudo_log_likelihood": ("data", lambda x: qbm.metrics.pseudo_log_likelihood(MODEL, x)),
    "reconstruction_error": ("data", lambda x: qbm.metrics.reconstruction_error(MODEL, x)),
    "ais_log_likelihood": ("data", lambda x: qbm.metrics.ais_log_likelihood(MODEL, x, num_reads=5, betas=10)),
    "train": ("data", lambda x: qbm.train(MODEL.copy(), x, qbm.CD(), epochs=1, progress=False)),
    "RBM weights": ("weights", lambda x: qbm.RBM(4, 2, weights=x)),
    "BoltzmannMachine biases": ("biases", lambda x: qbm.BoltzmannMachine(2, 2, biases=x)),
    "generate start": ("start", lambda x: qbm.generate(MODEL, start=x, num_reads=2)),
    "energy": ("states", lambda x: MODEL.energy(x)),
    "free_energy": ("v", lambda x: MODEL.free_energy(x)),
    "hidden_probabilities": ("v", lambda x: MODEL.hidden_probabilities(x)),
}
SKLEARN = {   # scikit-learn's estimators answer in scikit-learn's words (check_estimator holds them to those)
    "RBMTransformer.fit": lambda x: RBMTransformer(n_components=2, n_iter=1, random_state=0).fit(x),
    "RBMClassifier.fit": lambda x: RBMClassifier(n_components=2, n_iter=1, random_state=0).fit(
        x, np.arange(len(x)) % 2 if np.ndim(x) == 2 else [0]),
}


def _finite(answer) -> bool:
    values = answer.values() if isinstance(answer, dict) else [answer]
    try:
        return all(np.all(np.isfinite(np.asarray(value, dtype=float))) for value in values)
    except (TypeError, ValueError):
        return True   # a model, an estimator or a history: not a number to check


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_entry_point_answers_or_names_its_argument(entry, kind):
    argument, call = ENTRY_POINTS[entry]
    value, valid = KINDS[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            answer = call(value)
        except (TypeError, ValueError) as error:
            assert argument in str(error), f"{entry} on {kind}: {type(error).__name__}: {error}"
            assert not valid or argument in str(error), f"{entry} refused valid input ({kind}): {error}"
            return
    assert _finite(answer), f"{entry} on {kind} answered {answer!r}"


@pytest.mark.parametrize("kind", [kind for kind, (_, valid) in KINDS.items()
                                  if not valid and kind != "the wrong width"])   # an estimator fits any width
@pytest.mark.parametrize("entry", list(SKLEARN))
def test_the_estimators_refuse_bad_arrays_as_scikit_learn_does(entry, kind):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises((TypeError, ValueError)):
            SKLEARN[entry](KINDS[kind][0])
