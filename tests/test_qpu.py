"""The QPU path end to end, offline: MockDWaveSampler whose samples are Boltzmann samples
of the programmed problem at a hidden inverse temperature BETA_HIDDEN."""

import warnings

import dimod
import networkx as nx
import numpy as np
import pytest

import qbm
from qbm.samplers import (QPUConfigurationError, QPUSampler, load_embedding, native_embedding,
                          save_embedding)
from qbm.sampling import beta_information, effective_beta
from qbm.samplers.testing import HiddenTemperatureSampler, MockAnnealer
from qbm.samplers.testing import mock_qpu as qbm_mock_qpu

BETA_HIDDEN = 3.0


def mock_qpu(shape=4, substitute=None):
    """Annealing hardware by default (single-spin Gibbs at a fixed β mixes too slowly once chains form)."""
    return qbm_mock_qpu(shape, substitute or MockAnnealer(BETA_HIDDEN))


@pytest.fixture(scope="module")
def qpu():
    return mock_qpu()


@pytest.mark.filterwarnings("ignore:.*chains broke")
def test_embedded_rbm_end_to_end(qpu):
    rbm = qbm.RBM(16, 8, random_state=0)
    sampler = QPUSampler(qpu)
    phase = qbm.SamplerPhase(sampler, num_reads=200)
    for step in range(3):
        stats = phase.statistics(rbm, None, random_state=step)
        rbm.weights += 0.01
    assert sampler.embedding_searches == 1
    assert sorted(sampler.embedding) == list(range(24))
    assert max(len(chain) for chain in sampler.embedding.values()) > 1
    info = phase.step_info()
    assert 0.0 <= info["chain_break_fraction"] <= 1.0 and info["scale"] == info["minimum_scale"]
    assert stats["weights"].shape == (16, 8)


def test_native_graph_bm_recovers_hidden_temperature():
    qpu = mock_qpu(substitute=HiddenTemperatureSampler(BETA_HIDDEN, method="gibbs", num_sweeps=100))
    chip = qpu.to_networkx_graph()
    qubits = list(nx.bfs_tree(chip, sorted(chip.nodes)[len(chip) // 2]).nodes)[:40]  # a connected patch
    bm = qbm.BoltzmannMachine.from_graph(chip.subgraph(qubits), hidden=qubits[::4], random_state=0)
    rng = np.random.default_rng(1)
    bm.weights[:] = rng.normal(0, 1.0, len(bm.weights))
    bm.biases[:] = rng.normal(0, 0.5, bm.n_units)
    sampler = QPUSampler(qpu, embedding=native_embedding(bm.node_labels))
    sampleset = sampler.sample(bm.to_bqm(), num_reads=2000, seed=0)
    assert sampler.embedding_searches == 0
    assert sampleset.info["chain_break_fraction"] == 0.0
    recovered = sampleset.info["beta_eff"] * sampleset.info["scale"]
    assert abs(recovered - BETA_HIDDEN) / BETA_HIDDEN < 0.10


def test_embedded_rbm_at_equilibrium_recovers_hidden_temperature():
    rbm = qbm.RBM(9, 6, weights=np.random.default_rng(0).normal(0, 0.5, (9, 6)))
    sampler = QPUSampler(mock_qpu(3, HiddenTemperatureSampler(BETA_HIDDEN)))
    info = sampler.sample(rbm.to_bqm(), num_reads=4000, seed=0).info
    assert max(len(chain) for chain in sampler.embedding.values()) > 1
    assert info["chain_break_fraction"] < 0.01
    assert abs(info["beta_eff"] * info["scale"] - BETA_HIDDEN) / BETA_HIDDEN < 0.10


@pytest.mark.parametrize("chain_strength", [None, 3.0])
def test_embedded_rbm_temperature_estimate_under_annealing(qpu, chain_strength):
    rbm = qbm.RBM(9, 6, weights=np.random.default_rng(0).normal(0, 0.5, (9, 6)))
    sampler = QPUSampler(qpu, chain_strength=chain_strength)
    info = sampler.sample(rbm.to_bqm(), num_reads=2000, seed=0).info
    recovered = info["beta_eff"] * info["scale"]
    # an annealer freezes stiff chains early: the logical samples look hotter than the hardware
    assert 1.0 < recovered < BETA_HIDDEN
    if chain_strength is None:  # default chains sit at the edge of the extended J range
        assert info["chain_strength"] == pytest.approx(2.0 * info["scale"])
    else:  # a chain of Ising strength 3 needs scale 3 / |extended J range| = 1.5
        assert info["scale"] == pytest.approx(chain_strength / 2.0)


def test_calibration_targets_the_models_own_beta():
    rbm = qbm.RBM(9, 6, weights=np.random.default_rng(0).normal(0, 0.5, (9, 6)))
    sampler = QPUSampler(mock_qpu(3, HiddenTemperatureSampler(BETA_HIDDEN)), calibrate=True,
                         calibrate_every=1)
    first = sampler.sample(rbm.to_bqm(), num_reads=2000, seed=0).info
    assert sampler.calls == 2  # one uncalibrated probe, then the calibrated call returned
    later = [sampler.sample(rbm.to_bqm(), num_reads=2000, seed=k).info for k in range(1, 4)]
    assert all(info["scale"] > info["minimum_scale"] for info in [first] + later)
    assert sampler.qpu_beta == pytest.approx(BETA_HIDDEN, rel=0.05)
    assert later[-1]["beta_eff"] == pytest.approx(1.0, abs=0.1)


def test_beta_information_is_the_inverse_variance_of_the_estimate():
    rbm = qbm.RBM(9, 6, weights=np.random.default_rng(0).normal(0, 1.0, (9, 6)))
    bqm = rbm.to_bqm()
    samplesets = [qbm.ExactSampler().sample(bqm, num_reads=300, seed=k) for k in range(40)]
    estimates = [effective_beta(bqm, ss) for ss in samplesets]
    predicted = np.mean([beta_information(bqm, ss, 1.0) for ss in samplesets]) ** -0.5
    assert np.std(estimates) == pytest.approx(predicted, rel=0.35)


def test_calibration_warns_when_the_model_is_colder_than_the_hardware_can_reach(qpu):
    rbm = qbm.RBM(9, 6, weights=np.random.default_rng(0).normal(0, 0.5, (9, 6)))
    sampler = QPUSampler(qpu, calibrate=True)
    sampler.sample(rbm.to_bqm(), num_reads=500, seed=0)
    with pytest.warns(RuntimeWarning, match="samples come out at β"):
        sampler.sample(rbm.to_bqm(beta=100.0), num_reads=50, seed=1)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*samples come out at")
def test_training_through_the_equilibrium_mock():
    """Through ideal hardware at a hidden β, uncalibrated samples stall training; calibrated ones train, and the
    defaults (calibration and post-processing) train level with exact samples. Medians of seeds 0-2: single
    runs of 150 epochs spread by about ±0.2 nats."""
    data = qbm.datasets.bars_and_stripes(3)
    phases = {
        "exact": lambda: qbm.SamplerPhase(qbm.ExactSampler(), num_reads=200),
        "calibrated": lambda: qbm.qpu_phase(200, sampler=mock_qpu(3, HiddenTemperatureSampler(BETA_HIDDEN)),
                                            calibrate_every=1, postprocess_sweeps=0),
        "uncalibrated": lambda: qbm.qpu_phase(200, sampler=mock_qpu(3, HiddenTemperatureSampler(BETA_HIDDEN)),
                                              calibrate=False, postprocess_sweeps=0),
        "defaults": lambda: qbm.qpu_phase(200, sampler=mock_qpu(3, HiddenTemperatureSampler(BETA_HIDDEN)),
                                          calibrate_every=1),
    }
    kl = {name: [] for name in phases}
    for seed in (0, 1, 2):
        for name, make in phases.items():
            phase, rbm = make(), qbm.RBM(9, 6, random_state=seed)
            history = qbm.train(rbm, data, phase, epochs=150, batch_size=len(data), learning_rate=0.05,
                                optimizer="adam", random_state=seed, progress=False)
            kl[name].append(qbm.metrics.kl_divergence(rbm, data))
            if name != "exact":
                qpu = phase.sampler if name != "defaults" else phase.sampler.child
                assert qpu.embedding_searches == 1
                assert len(history.steps) == 150
                assert all({"chain_break_fraction", "beta_eff", "qpu_access_time"} <= set(step)
                           for step in history.steps)
    median = {name: float(np.median(values)) for name, values in kl.items()}
    # uncalibrated, the QPU samples near-ground states of a near-zero model and learning stalls
    assert median["uncalibrated"] > max(median["calibrated"], median["defaults"]) + 0.2
    assert median["calibrated"] < median["exact"] + 0.2
    assert abs(median["defaults"] - median["exact"]) < 0.2


def test_embedding_round_trip_avoids_a_new_search(qpu, tmp_path):
    rbm = qbm.RBM(6, 3, random_state=0)
    first = QPUSampler(qpu)
    first.sample(rbm.to_bqm(), num_reads=10, seed=0)
    save_embedding(first.embedding, tmp_path / "embedding.json")
    again = QPUSampler(qpu, embedding=load_embedding(tmp_path / "embedding.json"))
    again.sample(rbm.to_bqm(), num_reads=10, seed=0)
    assert again.embedding_searches == 0 and again.embedding == first.embedding


def test_chain_break_warning(qpu):
    rbm = qbm.RBM(16, 8, weights=3.0 * np.random.default_rng(0).choice([-1.0, 1.0], (16, 8)))
    with pytest.warns(RuntimeWarning, match="chains broke"):
        QPUSampler(qpu, chain_strength=0.01, chain_break_warning=0.0).sample(rbm.to_bqm(), num_reads=50, seed=0)


def test_missing_credentials_is_a_clear_error_before_any_work(tmp_path, monkeypatch):
    monkeypatch.delenv("DWAVE_API_TOKEN", raising=False)
    empty = tmp_path / "dwave.conf"
    empty.write_text("[defaults]\n")
    monkeypatch.setenv("DWAVE_CONFIG_FILE", str(empty))
    with pytest.raises(QPUConfigurationError, match="dwave config create"):
        qbm.qpu_phase(100)


def test_child_must_be_structured():
    with pytest.raises(TypeError, match="structured sampler"):
        QPUSampler(qbm.ExactSampler())


@pytest.mark.parametrize("vartype", ["BINARY", "SPIN"])
def test_effective_beta_is_oceans_maximum_pseudolikelihood_estimate(vartype):
    from dwave.system.temperatures import maximum_pseudolikelihood_temperature

    rng = np.random.default_rng(5)
    labels = [f"q{i}" for i in range(15)]
    bqm = dimod.BinaryQuadraticModel({v: rng.normal() for v in labels},
                                     {(u, v): rng.normal() for i, u in enumerate(labels) for v in labels[i + 1:]
                                      if rng.random() < 0.3}, 0.7, vartype)
    sampleset = qbm.GibbsSampler().sample(bqm, num_reads=40, num_sweeps=20, beta=0.7, seed=2).aggregate()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        temperature, _ = maximum_pseudolikelihood_temperature(
            bqm, sampleset, sample_weights=np.asarray(sampleset.record.num_occurrences, dtype=float))
    assert effective_beta(bqm, sampleset) == pytest.approx(1 / temperature, rel=1e-9)


def test_a_qpu_state_keeps_every_label_kind_apart_and_round_trips():
    bqm = dimod.BinaryQuadraticModel({0: 0.1, "0": -0.2, (1, "a"): 0.3}, {(0, "0"): 0.5, ("0", (1, "a")): -0.4}, 0.0,
                                     "BINARY")
    sampler = QPUSampler(mock_qpu(3))
    sampler.sample(bqm, num_reads=5, seed=0)
    again = QPUSampler(mock_qpu(3))
    again.load_state_dict(sampler.state_dict())
    assert again.embedding == sampler.embedding and len(again.embedding) == 3   # 0 and "0" stay two chains


def test_a_state_from_another_chip_re_embeds_with_a_warning_naming_the_missing_qubits():
    large = QPUSampler(mock_qpu(4))
    large.sample(qbm.RBM(30, 20, random_state=0).to_bqm(), num_reads=5, seed=0)
    small = QPUSampler(mock_qpu(2))
    with pytest.warns(RuntimeWarning, match="qubits this chip does not have"):
        small.load_state_dict(large.state_dict())
    assert small.embedding is None
    answer = small.sample(qbm.RBM(3, 2, random_state=0).to_bqm(), num_reads=5, seed=0)
    assert int(answer.record.num_occurrences.sum()) == 5 and small.embedding_searches == large.embedding_searches + 1
