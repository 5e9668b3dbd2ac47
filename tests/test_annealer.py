"""The unkind mock annealer and the remedies for what it does to training, against exact references."""
import itertools

import dimod
import numpy as np
import pytest
from dwave.cloud.testing.mocks import qpu_problem_timing_data

import qbm
from qbm.phases.divergence import DivergenceGuard, DivergenceWarning
from qbm.samplers import QPUSampler, native_embedding
from qbm.samplers.composites import (GibbsPostProcessingComposite, PersistentReverseAnnealComposite,
                                     reverse_anneal_schedule)
from qbm.samplers.testing import MockAnnealer, mock_qpu, qpu_access_time
from conftest import sampleset_total_variation

pytestmark = pytest.mark.filterwarnings("ignore:.*samples come out at")


def sharp_rbm():
    """Small enough to enumerate, sharp enough for an annealer to freeze out."""
    return qbm.RBM(6, 4, weights=np.random.default_rng(3).normal(0, 1.5, (6, 4)),
                   visible_bias=np.random.default_rng(4).normal(0, 0.5, 6))


def patch_of_chip(qpu, size):
    """Qubits of a connected patch of the mock chip, and the couplers among them."""
    import networkx as nx

    chip = qpu.to_networkx_graph()
    qubits = list(nx.bfs_tree(chip, sorted(chip.nodes)[len(chip) // 2]).nodes)[:size]
    return qubits, chip.subgraph(qubits)


# --- the mock hardware -------------------------------------------------------------------------

def test_same_seed_same_samples_and_a_persistent_bias_per_qubit():
    bqm = sharp_rbm().to_bqm().spin
    first, second = MockAnnealer(seed=1), MockAnnealer(seed=1)
    a, b = (hw.sample(bqm, num_reads=20).record for hw in (first, second))
    assert np.array_equal(a.sample, b.sample)
    bias = first.persistent_bias([3, 1, 2])
    assert np.array_equal(first.persistent_bias([2, 3]), bias[[2, 0]])  # fixed for the sampler's lifetime
    assert not np.allclose(MockAnnealer(seed=2).persistent_bias([3, 1, 2]), bias)


def test_control_errors_perturb_every_call_afresh():
    """An unbiased, uncoupled qubit is a fair coin on ideal hardware; fresh h noise makes calls disagree."""
    bqm = dimod.BinaryQuadraticModel({q: 0.0 for q in range(200)}, {}, 0.0, "SPIN")
    noisy = MockAnnealer(beta=20.0, h_noise=0.3, j_noise=0.0, qubit_bias=0.0, seed=0)
    means = np.array([noisy.sample(bqm, num_reads=50).record.sample.mean(axis=0) for _ in range(4)])
    assert np.mean(np.abs(means)) > 0.8                      # each call: every qubit follows its own error
    assert np.mean(means[0] * means[1] < 0) > 0.3            # and the errors change from call to call
    ideal = MockAnnealer(beta=20.0, h_noise=0.0, j_noise=0.0, qubit_bias=0.0, seed=0)
    assert np.mean(np.abs(ideal.sample(bqm, num_reads=400).record.sample.mean(axis=0))) < 0.15


def test_freeze_out_leaves_samples_away_from_the_hardware_temperature():
    """Exact at β = 3 would be the hidden temperature; a short anneal is measurably not."""
    rbm = sharp_rbm()
    bqm = rbm.to_bqm()
    probabilities = qbm.distribution(rbm, beta=3.0)[2]
    quick = MockAnnealer(beta=3.0, sweeps_per_microsecond=0.2, h_noise=0, j_noise=0, qubit_bias=0, seed=0)
    slow = MockAnnealer(beta=3.0, sweeps_per_microsecond=50, h_noise=0, j_noise=0, qubit_bias=0, seed=0)
    tv_quick = sampleset_total_variation(quick.sample(bqm, num_reads=4000), probabilities)
    tv_slow = sampleset_total_variation(slow.sample(bqm, num_reads=4000), probabilities)
    assert tv_slow < 0.08 < tv_quick


def clusters():
    """20 ferromagnetic 5-qubit cliques, each aligned at random: local minima behind barriers at β = 3."""
    couplings = {(5 * c + i, 5 * c + j): -1.0 for c in range(20) for i, j in itertools.combinations(range(5), 2)}
    bqm = dimod.BinaryQuadraticModel({q: 0.0 for q in range(100)}, couplings, 0.0, "SPIN")
    start = np.repeat(np.random.default_rng(0).choice([-1, 1], 20), 5)
    return bqm, start, dict(enumerate(start.tolist()))


def in_label_order(sampleset, n):
    return sampleset.record.sample[:, [sampleset.variables.index(q) for q in range(n)]]


@pytest.mark.parametrize("reverse_to, near", [(0.9, True), (0.2, False)])
def test_reverse_anneal_stays_near_with_a_shallow_leg_and_mixes_with_a_deep_one(reverse_to, near):
    bqm, start, initial_state = clusters()
    hardware = MockAnnealer(h_noise=0, j_noise=0, qubit_bias=0, seed=0)
    reads = hardware.sample(bqm, num_reads=50, initial_state=initial_state, reinitialize_state=True,
                            anneal_schedule=reverse_anneal_schedule(reverse_to))
    kept = np.mean(in_label_order(reads, 100) == start)  # fraction of qubits still at their initial value
    assert (kept > 0.95) if near else (abs(kept - 0.5) < 0.1)


def test_reverse_anneal_without_reinitialising_chains_the_reads():
    bqm, start, initial_state = clusters()
    hardware = MockAnnealer(h_noise=0, j_noise=0, qubit_bias=0, seed=0)
    reads = in_label_order(hardware.sample(bqm, num_reads=30, initial_state=initial_state, reinitialize_state=False,
                                           anneal_schedule=reverse_anneal_schedule(0.6)), 100)
    kept = np.mean(reads == start, axis=1)
    assert np.mean(reads[1:] == reads[:-1]) > 0.85           # each read a small step from the last
    assert kept[0] > 0.85 and np.mean(kept[-5:]) < 0.7        # which drift away from the start


def test_reverse_anneal_needs_an_initial_state():
    with pytest.raises(ValueError, match="initial_state"):
        MockAnnealer().sample(sharp_rbm().to_bqm(), anneal_schedule=reverse_anneal_schedule())


def test_qpu_access_time_follows_the_published_model():
    timing = qpu_problem_timing_data("advantage")
    properties = {"problem_timing_data": timing}
    one, many = (qpu_access_time(properties, 40, num_reads=n) for n in (1, 101))
    programming = timing["typical_programming_time"] + timing["default_programming_thermalization"]
    per_read = (many - one) / 100
    assert one == pytest.approx(programming + per_read)
    assert per_read > timing["default_annealing_time"] + timing["qpu_delay_time_per_sample"]  # + readout
    longer = qpu_access_time(properties, 40, num_reads=101, annealing_time=120.0)
    assert longer - many == pytest.approx(101 * 100.0)


def test_every_hardware_call_is_charged_and_spin_reversal_pays_per_gauge():
    bqm = sharp_rbm().to_bqm()
    plain = QPUSampler(mock_qpu(3))
    gauged = QPUSampler(mock_qpu(3), spin_reversal_transforms=4)
    one = plain.sample(bqm, num_reads=100, seed=0).info["qpu_access_time"]
    four = gauged.sample(bqm, num_reads=100, seed=0)
    assert four.record.num_occurrences.sum() == 100 and four.info["spin_reversal_transforms"] == 4
    timing = qpu_problem_timing_data("advantage")
    programming = timing["typical_programming_time"] + timing["default_programming_thermalization"]
    assert four.info["qpu_access_time"] == pytest.approx(one + 3 * programming, rel=0.02)
    assert gauged.qpu_access_time == pytest.approx(four.info["qpu_access_time"])


# --- the remedies ------------------------------------------------------------------------------

def test_spin_reversal_transforms_remove_a_planted_qubit_bias():
    """Free qubits (no h, no J) should be fair coins; a persistent bias makes them not, gauges undo it."""
    hardware = MockAnnealer(h_noise=0, j_noise=0, qubit_bias=0.3, seed=0)
    qpu = mock_qpu(4, hardware)
    qubits, _ = patch_of_chip(qpu, 60)
    bqm = dimod.BinaryQuadraticModel({i: 0.0 for i in range(60)}, {}, 0.0, "BINARY")
    means = {}
    for transforms in (0, 20):
        sampler = QPUSampler(qpu, embedding=native_embedding(qubits), spin_reversal_transforms=transforms)
        samples = sampler.sample(bqm, num_reads=2000, seed=0)
        means[transforms] = np.average(samples.record.sample, axis=0, weights=samples.record.num_occurrences)
    planted = hardware.persistent_bias(qubits)
    biased = np.corrcoef(means[0], -planted)[0, 1]  # a positive h pushes a spin down, i.e. the bit to 0
    assert biased > 0.8 and np.mean(np.abs(means[0] - 0.5)) > 0.2
    assert np.mean(np.abs(means[20] - 0.5)) < 0.06


def test_post_processing_moves_frozen_hardware_samples_to_the_exact_distribution():
    rbm = sharp_rbm()
    probabilities = qbm.distribution(rbm)[2]
    qpu = QPUSampler(mock_qpu(3), calibrate=True)
    raw = qpu.sample(rbm.to_bqm(), num_reads=4000, seed=0)
    processed = GibbsPostProcessingComposite(qpu, num_sweeps=20).sample(rbm.to_bqm(), num_reads=4000, seed=1)
    exact = qbm.ExactSampler().sample(rbm.to_bqm(), num_reads=4000, seed=2)  # the floor of 4000 samples
    floor, before, after = (sampleset_total_variation(s, probabilities) for s in (exact, raw, processed))
    assert after < floor + 0.02 and before > after + 0.05
    assert processed.info["postprocess_sweeps"] == 20 and "beta_eff" in processed.info


def test_post_processing_keeps_an_exact_sampler_exact():
    rbm = sharp_rbm()
    processed = GibbsPostProcessingComposite(qbm.ExactSampler(), num_sweeps=3)
    samples = processed.sample(rbm.to_bqm(), num_reads=20000, seed=0)
    assert sampleset_total_variation(samples, qbm.distribution(rbm)[2]) < 0.04
    assert set(processed.parameters) >= {"num_reads", "seed"} and processed.children[0] is processed.child


def test_persistent_reverse_anneal_starts_each_call_from_the_last_one():
    sampler = PersistentReverseAnnealComposite(QPUSampler(mock_qpu(3)))
    bqm = sharp_rbm().to_bqm()
    first = sampler.sample(bqm, num_reads=20, seed=0)
    assert first.info["initial_state"] is None
    kept = dict(sampler.state)
    second = sampler.sample(bqm, num_reads=20, seed=1)
    assert second.info["initial_state"] == kept
    assert any(kept == dict(zip(first.variables, row)) for row in first.record.sample.tolist())
    with pytest.raises(TypeError, match="reverse-annealing"):
        PersistentReverseAnnealComposite(qbm.ExactSampler())


# --- the divergence guard ----------------------------------------------------------------------

class TooHotSampler(dimod.Sampler):
    """Samples that get hotter as the couplings grow, as a QPU's do past its β: a constructed runaway."""

    parameters = {"num_reads": [], "seed": []}
    properties: dict = {}

    def sample(self, bqm, num_reads=10, seed=None):
        _, (_, _, couplings), _ = bqm.to_numpy_vectors()
        beta = min(1.0, 0.5 / max(np.abs(couplings).max(), 1e-9))
        return qbm.ExactSampler().sample(bqm, num_reads=num_reads, beta=beta, seed=seed)


def train_bars(sampler, epochs=400):
    data = qbm.datasets.bars_and_stripes(3)
    return qbm.train(qbm.RBM(9, 4, random_state=0), data, qbm.SamplerPhase(sampler, num_reads=100), epochs=epochs,
                     batch_size=len(data), learning_rate=0.05, optimizer="adam", random_state=0, progress=False)


def test_divergence_guard_fires_on_a_runaway():
    with pytest.warns(DivergenceWarning, match="post-process"):
        train_bars(TooHotSampler())


@pytest.mark.filterwarnings("error::qbm.phases.divergence.DivergenceWarning")
def test_divergence_guard_is_silent_on_healthy_training():
    train_bars(qbm.ExactSampler())


def test_divergence_guard_can_stop_training_and_survives_a_checkpoint():
    guard = DivergenceGuard(check_every=2, min_calls=4, action="raise")
    for call, norm in ((2, 1.0), (4, 1.1)):
        guard.record(call, norm, 0.5)
    again = DivergenceGuard(check_every=2, min_calls=4, action="raise")
    again.load_state_dict(guard.state_dict())
    assert again.records == guard.records and again.calls == guard.calls
    with pytest.raises(qbm.phases.divergence.DivergenceError, match="running away"):
        for call, norm in ((6, 2.0), (8, 3.0)):
            again.record(call, norm, 0.5)


# --- the default QPU phase ---------------------------------------------------------------------

def test_qpu_phase_layers_each_remedy_and_each_can_be_turned_off():
    phase = qbm.qpu_phase(10, sampler=mock_qpu(3), spin_reversal_transforms=2, reverse_anneal=True)
    post = phase.sampler
    assert isinstance(post, GibbsPostProcessingComposite)
    assert isinstance(post.child, PersistentReverseAnnealComposite)
    assert isinstance(post.child.child, QPUSampler) and post.child.child.spin_reversal_transforms == 2
    bare = qbm.qpu_phase(10, sampler=mock_qpu(3), postprocess_sweeps=0, divergence_guard=None)
    assert isinstance(bare.sampler, QPUSampler) and bare.divergence_guard is None
    stats = phase.statistics(sharp_rbm(), None, random_state=0)
    assert stats["weights"].shape == (6, 4) and phase.step_info()["qpu_access_time"] > 0
