"""Several copies of a model on one chip: packing, gauges undone, the same distribution as one copy,
per-copy reports and the QPU time they save."""

import dimod
import networkx as nx
import numpy as np
import pytest

import qbm
from qbm.samplers import QPUSampler
from qbm.samplers.qpu._embedding import covers
from qbm.samplers.testing import HiddenTemperatureSampler, mock_qpu
from qbm.samplers.qpu import pack_copies
from qbm.sampling.temperature import effective_beta, effective_betas, local_excitations


def _disjoint(copies):
    qubits = [q for copy in copies for chain in copy.values() for q in chain]
    return len(qubits) == len(set(qubits))


@pytest.mark.parametrize("topology", ["pegasus", "zephyr", "chimera"])
def test_translated_copies_are_disjoint_and_each_realises_the_graph(topology):
    chip = mock_qpu(6, topology_type=topology)
    adjacency = {q: set(neighbours) for q, neighbours in chip.adjacency.items()}
    bqm = qbm.RBM(6, 4, random_state=0).to_bqm()
    copies = pack_copies(list(bqm.quadratic), list(bqm.variables), adjacency, seed=0,
                         topology=chip.properties["topology"])
    assert len(copies) >= 8
    assert _disjoint(copies)
    assert all(covers(copy, bqm, adjacency) for copy in copies)


def test_copies_on_a_graph_of_no_known_topology_are_searched():
    grid = nx.grid_2d_graph(12, 12)
    adjacency = {q: set(grid[q]) for q in grid}
    triangle_free = dimod.BinaryQuadraticModel({}, {(0, 1): 1.0, (1, 2): 1.0, (2, 3): 1.0, (3, 0): 1.0}, 0.0, "SPIN")
    copies = pack_copies(list(triangle_free.quadratic), list(triangle_free.variables), adjacency, seed=0, limit=10)
    assert len(copies) == 10 and _disjoint(copies)
    assert all(covers(copy, triangle_free, adjacency) for copy in copies)


def test_copies_sample_the_boltzmann_distribution_at_the_submitted_scale():
    """Equilibrium hardware at a hidden β: every path's samples follow exp(-β/scale E). Strong biases of both
    signs: undoing a copy's gauge wrongly would flip its marginals."""
    rbm = qbm.RBM(4, 2, random_state=0, visible_bias=[1.5, -1.5, 0.5, -0.5], hidden_bias=[1.0, -1.0],
                  weights=np.random.default_rng(0).normal(0, 0.5, (4, 2)))
    bqm = rbm.to_bqm()
    states = qbm.exact.distribution(rbm)[0]
    for copies in (1, "auto"):
        sampler = QPUSampler(mock_qpu(4, HiddenTemperatureSampler(beta=2.0, seed=1)), copies=copies)
        answer = sampler.sample(bqm, num_reads=4000, seed=0)
        assert answer.record.num_occurrences.sum() == 4000
        samples = dimod.as_samples(answer)[0][np.repeat(np.arange(len(answer)), answer.record.num_occurrences)]
        _, _, probabilities = qbm.exact.distribution(rbm, beta=2.0 / answer.info["scale"])
        expected = probabilities @ states
        assert np.all(np.abs(samples.mean(axis=0) - expected) < 4 * np.sqrt(expected * (1 - expected) / 4000) + 1e-3)
        assert np.any(np.abs(expected - 0.5) > 0.2)     # marginals far from a half: the check has teeth
        if copies == "auto":
            assert answer.info["copies"] > 4
            assert len(answer.info["copy_beta_eff"]) == len(answer.info["copy_chain_break_fraction"]) \
                == answer.info["copies"]


def test_copies_cut_the_qpu_time_per_sample_and_keep_the_count():
    bqm = qbm.RBM(6, 3, random_state=0).to_bqm()
    times = {}
    for copies in (1, 4, "auto"):
        sampler = QPUSampler(mock_qpu(6), copies=copies)
        answer = sampler.sample(bqm, num_reads=101, seed=0)
        assert answer.record.num_occurrences.sum() == 101
        times[copies] = answer.info["qpu_access_time"]
    assert times["auto"] < times[4] < times[1]


def test_gauges_beyond_the_copies_take_more_calls():
    bqm = qbm.RBM(4, 2, random_state=0).to_bqm()
    sampler = QPUSampler(mock_qpu(4), copies=3, spin_reversal_transforms=7)
    answer = sampler.sample(bqm, num_reads=30, seed=0)
    assert sampler.calls == 3 and answer.record.num_occurrences.sum() == 30
    assert len(answer.info["copy_beta_eff"]) == 9


def test_reverse_anneal_through_copies_starts_every_copy_from_the_state():
    from qbm.samplers.composites import PersistentReverseAnnealComposite

    bqm = qbm.RBM(4, 2, random_state=0).to_bqm()
    sampler = PersistentReverseAnnealComposite(QPUSampler(mock_qpu(4), copies="auto"))
    sampler.sample(bqm, num_reads=20, seed=0)
    answer = sampler.sample(bqm, num_reads=20, seed=1)
    assert answer.info["initial_state"] is not None and answer.record.num_occurrences.sum() == 20


def test_copies_survive_a_checkpoint():
    bqm = qbm.RBM(4, 2, random_state=0).to_bqm()
    sampler = QPUSampler(mock_qpu(4), copies="auto")
    sampler.sample(bqm, num_reads=20, seed=0)
    again = QPUSampler(mock_qpu(4), copies="auto")
    again.load_state_dict(sampler.state_dict())
    assert again.copy_embeddings == sampler.copy_embeddings and len(again.copy_embeddings) > 1


@pytest.mark.parametrize("copies", [0, -1, 1.5, "many", None])
def test_bad_copies_name_the_argument(copies):
    with pytest.raises((TypeError, ValueError), match="copies"):
        QPUSampler(mock_qpu(3), copies=copies)


def test_effective_betas_are_oceans_estimate_group_by_group():
    rbm = qbm.RBM(5, 3, random_state=0, weights=np.random.default_rng(1).normal(0, 1, (5, 3)))
    bqm = rbm.to_bqm()
    groups = [qbm.ExactSampler().sample(bqm, num_reads=300, beta=beta, seed=0) for beta in (0.5, 1.0, 3.0)]
    flips = np.stack([np.repeat(local_excitations(bqm, g), g.record.num_occurrences, axis=0) for g in groups])
    assert effective_betas(flips) == pytest.approx([effective_beta(bqm, g) for g in groups], rel=1e-6)
    ground = -np.abs(flips[:1]) - 0.1      # every flip costs energy: a set of ground states
    assert effective_betas(ground)[0] == np.inf


def _chip(shape):
    chip = mock_qpu(shape)
    adjacency = {q: set() for q in chip.nodelist}
    for u, v in chip.edgelist:
        adjacency[u].add(v)
        adjacency[v].add(u)
    return chip, adjacency


def test_a_search_over_regions_without_couplings_finds_nothing_instead_of_failing_in_minorminer():
    _, adjacency = _chip(3)
    bqm = qbm.RBM(4, 2, random_state=0).to_bqm()
    copies = pack_copies(list(bqm.quadratic), list(bqm.variables), adjacency, seed=0)   # no topology: regions only
    used = [q for copy in copies for chain in copy.values() for q in chain]
    assert len(copies) >= 12 and len(used) == len(set(used)) and all(covers(copy, bqm, adjacency) for copy in copies)


def test_a_first_copy_off_the_chip_is_refused_naming_its_qubits():
    _, adjacency = _chip(2)
    with pytest.raises(ValueError, match="not on the chip's working graph: \\[99999\\]"):
        pack_copies([(0, 1)], [0, 1], adjacency, first={0: (99999,), 1: (next(iter(adjacency)),)})


@pytest.mark.parametrize("n_visible, n_hidden", [(3, 3), (4, 2)])
def test_the_room_translations_leave_is_filled_by_the_search(n_visible, n_hidden):
    chip, adjacency = _chip(3)
    bqm = qbm.RBM(n_visible, n_hidden, random_state=0).to_bqm()
    edges, variables = list(bqm.quadratic), list(bqm.variables)
    searched = pack_copies(edges, variables, adjacency, seed=0)
    translated = pack_copies(edges, variables, adjacency, seed=0, topology=chip.properties["topology"])
    assert len(translated) >= len(searched) - 1 >= 12
    used = [q for copy in translated for chain in copy.values() for q in chain]
    assert len(used) == len(set(used)) and all(covers(copy, bqm, adjacency) for copy in translated)
