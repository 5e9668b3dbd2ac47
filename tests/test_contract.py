"""The one phase contract, the one registry, the one codec, and quantum models classical code cannot misread."""
import ast
import pathlib

import numpy as np
import pytest

import qbm
import qbm.classification
from qbm import quantum
from qbm.phases import LabelPhase, PHASE_NAMES, make_phase, phase_entry, phase_names, register_phase
from qbm.quantum import QuantumBoltzmannMachine
from qbm.samplers.testing import mock_qpu
from conftest import all_bit_states
from test_models import random_bm, random_rbm

PACKAGE = pathlib.Path(qbm.__file__).parent


# -- one contract ----------------------------------------------------------------------------------------------

class ExactModelSide(qbm.Phase):
    """A phase written from the contract's documentation alone: the model side, nothing else."""

    def statistics(self, model, batch, random_state=None):
        return qbm.exact.expectations(model)


@pytest.mark.parametrize("make_model", [lambda rng: random_rbm(rng, 4, 3), lambda rng: random_bm(rng, 4, 0, 1.0)],
                         ids=["rbm", "fully-visible-bm"])
def test_a_phase_written_from_the_documentation_trains_like_the_exact_one(make_model):
    rng = np.random.default_rng(3)
    data = all_bit_states(4)[[1, 6, 9, 14, 15]]
    model = make_model(rng)
    assert_same(qbm.gradient(ExactModelSide(), model, data), qbm.gradient(qbm.ExactPhase(), model, data), 1e-12)
    mine, theirs = model.copy(), model.copy()
    for trained, phase in ((mine, ExactModelSide()), (theirs, qbm.ExactPhase())):
        qbm.train(trained, data, phase, epochs=3, batch_size=2, learning_rate=0.1, random_state=0, progress=False)
    for name in model.parameter_names:
        assert np.array_equal(getattr(mine, name), getattr(theirs, name))


def test_label_phase_moves_the_fast_weights_of_its_generative_pcd():
    rbm = qbm.RBM(3 + 2, 4, random_state=0)
    rows = qbm.classification.with_labels(np.array([[1, 0, 1], [0, 1, 0]]), np.array([0, 1]), 2)
    inner = qbm.PCD(10, fast_rate=0.1)
    trainer = qbm.Trainer(rbm, LabelPhase(inner, n_classes=2, generative_weight=0.5), learning_rate=0.1,
                          random_state=0, progress=False)
    for _ in range(3):
        trainer.step(rows)
    assert inner.fast is not None and np.linalg.norm(inner.fast["weights"]) > 0.01


def test_label_phase_gradient_is_its_data_side_minus_its_model_side():
    rbm = random_rbm(np.random.default_rng(2), 3 + 2, 3)
    rows = qbm.classification.with_labels(np.array([[1, 0, 1], [0, 1, 1]]), np.array([0, 1]), 2)
    phase = LabelPhase(qbm.ExactPhase(), n_classes=2, generative_weight=0.3)
    data_side, model_side = phase.data_statistics(rbm, rows), phase.statistics(rbm, rows)
    assert_same(phase.gradient(rbm, rows), {k: data_side[k] - model_side[k] for k in data_side}, 1e-12)


def test_no_class_calls_another_objects_private_method():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                attr, owner = node.func.attr, node.func.value
                private = attr.startswith("_") and not attr.startswith("__")
                own = isinstance(owner, ast.Name) and owner.id in ("self", "cls") or (
                    isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super")
                if private and not own:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .{attr}()")
    assert offenders == []


# -- β on both sides ----------------------------------------------------------------------------------------------

def finite_difference(log_likelihood, model, beta, step=1e-6):
    """``(1/β) ∂ mean log p_β / ∂θ`` by central differences, parameter by parameter."""
    grads = {}
    for name in model.parameter_names:
        values = getattr(model, name)
        grad = np.zeros_like(values)
        for index in np.ndindex(values.shape):
            original = values[index]
            values[index] = original + step
            up = log_likelihood(model)
            values[index] = original - step
            down = log_likelihood(model)
            values[index] = original
            grad[index] = (up - down) / (2 * step) / beta
        grads[name] = grad
    return grads


BETA = 2.0


@pytest.mark.parametrize("kind", ["rbm", "bm-with-hidden", "qbm"])
def test_both_sides_of_a_phase_at_beta_are_those_of_p_beta(kind):
    rng = np.random.default_rng(11)
    if kind == "qbm":
        model = QuantumBoltzmannMachine(3, 1, transverse_field=[0.0, 0.3, 0.0, 0.8], random_state=1)
        model.weights[:] = rng.normal(0, 0.7, len(model.weights))
        model.biases[:] = rng.normal(0, 0.5, model.n_units)
        phase, ll = quantum.ExactQuantumPhase(beta=BETA), lambda m: quantum.log_likelihood(m, data, beta=BETA)
    else:
        model = random_rbm(rng, 3, 2, scale=0.7) if kind == "rbm" else random_bm(rng, 3, 2, density=1.0)
        phase, ll = qbm.ExactPhase(beta=BETA), lambda m: qbm.log_likelihood(m, data, beta=BETA)
    data = all_bit_states(3)[[1, 2, 5, 7, 7]]
    assert_same(phase.gradient(model, data), finite_difference(ll, model, BETA), 1e-6)


def test_a_sampler_phase_at_beta_takes_the_rbm_data_side_at_beta():
    rbm, data = random_rbm(np.random.default_rng(4), 2, 1), [[1, 0], [1, 1]]
    sampler_side = qbm.SamplerPhase(qbm.ExactSampler(), beta=BETA).data_statistics(rbm, data)
    assert_same(sampler_side, qbm.ExactPhase(beta=BETA).data_statistics(rbm, data), 1e-15)
    assert not np.allclose(sampler_side["hidden_bias"], qbm.ExactPhase().data_statistics(rbm, data)["hidden_bias"])


# -- quantum models: refused or dispatched, never answered for Γ = 0 ----------------------------------------------

@pytest.fixture
def qbm_model():
    return QuantumBoltzmannMachine(2, 1, transverse_field=[0.0, 0.0, 1.2], random_state=0)


CLASSICAL_ENTRY_POINTS = {
    "log_likelihood": (lambda m: qbm.log_likelihood(m, [[1, 0]]), "qbm.quantum.log_likelihood"),
    "log_partition": (lambda m: qbm.log_partition(m), "qbm.quantum.log_partition"),
    "distribution": (lambda m: qbm.distribution(m), "qbm.quantum.probabilities"),
    "expectations": (lambda m: qbm.exact.expectations(m), "qbm.quantum.expectations"),
    "metrics.log_likelihood": (lambda m: qbm.metrics.log_likelihood(m, [[1, 0]]), "qbm.quantum.log_likelihood"),
    "kl_divergence": (lambda m: qbm.metrics.kl_divergence(m, [[1, 0]]), "qbm.quantum.kl_divergence"),
    "likelihood_report": (lambda m: qbm.metrics.likelihood_report(m, [[1, 0]]), "qbm.quantum.log_likelihood"),
    "generate": (lambda m: qbm.generate(m, num_reads=2), "qbm.quantum.generate"),
    "ExactPhase": (lambda m: qbm.gradient(qbm.ExactPhase(), m, [[1, 0]]), "ExactQuantumPhase"),
    "SamplerPhase": (lambda m: qbm.gradient(qbm.SamplerPhase(qbm.ExactSampler()), m, [[1, 0]]), "TrotterPhase"),
    "ParallelTempering": (lambda m: qbm.gradient(qbm.ParallelTempering(5), m, [[1, 0]]), "ExactQuantumPhase"),
    "CD": (lambda m: qbm.gradient(qbm.CD(), m, [[1, 0]]), "ExactQuantumPhase"),
    "PCD": (lambda m: qbm.gradient(qbm.PCD(5), m, [[1, 0]]), "ExactQuantumPhase"),
    "as_bqm": (lambda m: qbm.as_bqm(m), "trotter_bqm"),
    "to_qubo": (lambda m: m.to_qubo(), "classical_part"),
}


@pytest.mark.parametrize("name", CLASSICAL_ENTRY_POINTS)
def test_classical_code_refuses_a_quantum_model_naming_what_answers_for_it(qbm_model, name):
    call, answer = CLASSICAL_ENTRY_POINTS[name]
    with pytest.raises(TypeError, match=answer):
        call(qbm_model)


def test_a_quantum_model_is_no_boltzmann_machine_but_its_classical_part_is(qbm_model):
    assert not isinstance(qbm_model, qbm.BoltzmannMachine)
    classical = qbm_model.classical_part()
    assert isinstance(classical, qbm.BoltzmannMachine)
    assert np.array_equal(classical.weights, qbm_model.weights) and np.array_equal(classical.biases, qbm_model.biases)


def test_quantum_samples_follow_the_quantum_marginal(qbm_model):
    qbm_model.weights[:] = [1.5, -2.0, 1.0]
    rows = quantum.generate(qbm_model, num_reads=20_000, random_state=0)
    p = quantum.probabilities(qbm_model)
    expected_means = [p[2] + p[3], p[1] + p[3]]   # visible states 00, 01, 10, 11
    assert np.allclose(rows.mean(axis=0), expected_means, atol=0.015)
    clamped = quantum.generate(qbm_model, clamp={0: 1}, num_reads=20_000, random_state=1)
    assert np.all(clamped[:, 0] == 1)
    assert abs(clamped[:, 1].mean() - p[3] / (p[2] + p[3])) < 0.015


# -- one registry -----------------------------------------------------------------------------------------------

def test_every_name_is_registered_once_and_builds_a_phase_of_its_kind():
    assert len(set(PHASE_NAMES)) == len(PHASE_NAMES)
    assert set(phase_names("classical")) | set(phase_names("quantum")) == set(PHASE_NAMES)
    assert type(make_phase("exact-gradient")) is qbm.ExactPhase
    assert type(make_phase("quantum-exact")) is quantum.ExactQuantumPhase
    assert set(quantum.QUANTUM_PHASE_NAMES) == set(phase_names("quantum"))
    for name in PHASE_NAMES:
        if name != "qpu":   # opens the Leap configuration
            assert isinstance(make_phase(name, num_reads=5, num_sweeps=2, slices=2), qbm.Phase), name
    with pytest.raises(ValueError, match="already registered"):
        register_phase("pcd", lambda reads, sweeps, slices: qbm.PCD(), "again")
    with pytest.raises(ValueError, match="choose one of .*tempering.*quantum-trotter"):
        make_phase("annealer")


def test_the_command_and_the_estimators_list_the_registry():
    from qbm.cli import build_parser
    from qbm.sklearn import RBMTransformer

    train = build_parser()._subparsers._group_actions[0].choices["train"]
    phase_option = next(action for action in train._actions if action.dest == "phase")
    assert list(phase_option.choices) == list(PHASE_NAMES)
    options = RBMTransformer._parameter_constraints["phase"][0].options
    assert options == set(phase_names("classical"))


# -- one codec: every registered phase resumes bit for bit ------------------------------------------------------

def phase_for(name):
    if name == "qpu":
        return qbm.qpu_phase(10, sampler=mock_qpu(3), postprocess_sweeps=2)
    return make_phase(name, num_reads=10, num_sweeps=3, slices=2)


def model_for(phase_name):
    if phase_entry(phase_name).model == "quantum":
        model = QuantumBoltzmannMachine.semi_restricted(4, 1, transverse_field=0.7, random_state=0)
        if phase_name == "quantum-path-integral":       # the sampler takes one field for every qubit
            model.transverse_field = np.full(model.n_units, 0.7)
        return model
    return qbm.RBM(4, 2, random_state=0)


CHECKPOINTED = [*PHASE_NAMES, "labels"]


@pytest.mark.parametrize("name", CHECKPOINTED)
def test_a_resumed_run_equals_an_uninterrupted_one(tmp_path, name):
    data = qbm.datasets.bars_and_stripes(2)
    if name == "labels":
        data = qbm.classification.with_labels(data[:, :2], (data[:, 2] > 0).astype(int), 2)

    def trainer():
        phase = LabelPhase(qbm.PCD(8, fast_rate=0.1), 2, 0.5) if name == "labels" else phase_for(name)
        model = qbm.RBM(4, 2, random_state=0) if name == "labels" else model_for(name)
        return qbm.Trainer(model, phase, batch_size=3, learning_rate=0.05, optimizer="adam", random_state=1,
                           progress=False)

    whole = trainer()
    whole.fit(data, 3)
    first = trainer()
    first.fit(data, 1)
    first.save_checkpoint(tmp_path / "checkpoint.npz")
    resumed = trainer()
    resumed.load_checkpoint(tmp_path / "checkpoint.npz")
    assert_same_state(resumed.phase.state_dict(), first.phase.state_dict())
    resumed.fit(data, 3)
    if name == "qpu":   # hardware draws from its own noise, as a real QPU does: the calibration is what resumes
        return
    for parameter in whole.model.parameter_names:
        assert np.array_equal(getattr(whole.model, parameter), getattr(resumed.model, parameter)), parameter
    assert [r["sampler_calls"] for r in whole.history.epochs] == [r["sampler_calls"] for r in resumed.history.epochs]


class NestedState(qbm.CD):
    def state_dict(self):
        return {"inner": {"chains": np.zeros(3)}}


def test_a_phase_state_that_is_not_flat_is_refused_when_written(tmp_path):
    trainer = qbm.Trainer(qbm.RBM(4, 2, random_state=0), NestedState(), progress=False)
    with pytest.raises(TypeError, match="'inner' is a dict"):
        trainer.save_checkpoint(tmp_path / "checkpoint.npz")
    assert not (tmp_path / "checkpoint.npz").exists()


def test_a_checkpoint_of_another_version_is_refused(tmp_path):
    path = tmp_path / "old.npz"
    np.savez(path, trainer=np.array("{}"), model_weights=np.zeros((4, 2)))
    with pytest.raises(ValueError, match="not a readable qbm checkpoint"):
        qbm.Trainer(qbm.RBM(4, 2), qbm.CD(), progress=False).load_checkpoint(path)


def assert_same_state(got, expected):
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert np.array_equal(np.asarray(got[name]), np.asarray(expected[name]), equal_nan=True), name


def assert_same(got, expected, atol):
    assert set(got) == set(expected)
    for name in expected:
        assert np.allclose(got[name], expected[name], atol=atol, rtol=0), (name, got[name], expected[name])


def test_qbm_sample_draws_a_saved_quantum_model_from_its_quantum_marginal(tmp_path):
    from qbm.cli import main

    qbm_model = QuantumBoltzmannMachine(2, transverse_field=1.0, weights=[2.5], biases=[0.8, -1.5])
    qbm_model.save(tmp_path / "model.npz")
    assert main(["sample", str(tmp_path / "model.npz"), "--num-reads", "20000", "--output",
                 str(tmp_path / "rows.npy")]) == 0
    rows = np.load(tmp_path / "rows.npy")
    p = quantum.probabilities(qbm_model)
    assert np.allclose(rows.mean(axis=0), [p[2] + p[3], p[1] + p[3]], atol=0.015)
    classical = qbm.exact.distribution(qbm_model.classical_part())[2]   # fully visible: P(v) itself
    assert not np.allclose([p[2] + p[3], p[1] + p[3]], [classical[2] + classical[3], classical[1] + classical[3]],
                           atol=0.03)   # the test can tell the two apart


@pytest.mark.parametrize("make, message", [
    (lambda: qbm.phases.divergence.DivergenceGuard(growth=-1.0), "growth must be a finite positive number"),
    (lambda: qbm.phases.divergence.DivergenceGuard(hot=float("nan")), "hot must be a finite positive number"),
    (lambda: qbm.samplers.composites.reverse_anneal_schedule(reverse_to=1.0), r"reverse_to must be in \[0, 1\)"),
    (lambda: qbm.datasets.load_digits(binarize=-0.5), "binarize must be a finite non-negative number"),
    (lambda: qbm.Trainer(qbm.RBM(2, 1), qbm.CD(), optimizer="adam", momentum=0.5), "momentum is an SGD setting"),
])
def test_settings_are_checked_where_they_are_given(make, message):
    with pytest.raises(ValueError, match=message):
        make()
