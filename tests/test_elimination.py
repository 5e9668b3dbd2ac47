"""Exact values of sparse models by variable elimination, against enumeration and dwave-samplers."""
import dimod
import dwave.graphs
import networkx as nx
import numpy as np
import pytest
from dwave.samplers import TreeDecompositionSampler
from hypothesis import given, settings
from hypothesis import strategies as st

import qbm
from qbm.convert import qubo_matrix
from qbm.exact.elimination import (MAX_TREEWIDTH, eliminated_draws, eliminated_log_partition, eliminated_marginals,
                             elimination_order)


def graph_model(graph: nx.Graph, scale: float = 1.0, seed: int = 0) -> qbm.BoltzmannMachine:
    """A visible BM on ``graph`` (nodes relabelled 0..n-1 in a shuffled order) with N(0, scale²) parameters."""
    rng = np.random.default_rng(seed)
    nodes = list(graph)
    label = dict(zip(nodes, rng.permutation(len(nodes)).tolist()))
    edges = np.array(sorted((min(label[u], label[v]), max(label[u], label[v])) for u, v in graph.edges))
    return qbm.BoltzmannMachine(len(nodes), edges=edges, weights=rng.normal(0, scale, len(edges)),
                                biases=rng.normal(0, scale, len(nodes)))


def ocean_log_z(model: qbm.BoltzmannMachine, beta: float = 1.0, marginals: bool = False):
    """dwave-samplers' elimination with qbm's order (its own min-fill order can exceed its width limit)."""
    Q, _ = model.to_qubo()
    order = elimination_order(Q).order.tolist()
    return TreeDecompositionSampler().sample(model.to_bqm(), beta=beta, marginals=marginals, elimination_order=order)


def pegasus_strip(cells: int) -> nx.Graph:
    chip = dwave.graphs.pegasus_graph(16, nice_coordinates=True)
    return chip.subgraph([v for v in chip if v[1] < 1 and v[2] < cells]).copy()


def zephyr_region(rows: int) -> nx.Graph:
    chip = dwave.graphs.zephyr_graph(6, coordinates=True)
    return chip.subgraph([v for v in chip if v[1] < 2 * rows + 1 and v[4] < 1]).copy()


@pytest.mark.parametrize("graph", [nx.grid_2d_graph(6, 6), nx.grid_2d_graph(9, 11), nx.grid_2d_graph(12, 12),
                                   pegasus_strip(6), zephyr_region(2), zephyr_region(6)],
                         ids=["lattice 6x6", "lattice 9x11", "lattice 12x12", "pegasus 1x6 cells", "zephyr 5x1", "zephyr 13x1"])
def test_log_partition_agrees_with_tree_decomposition_sampler(graph):
    model = graph_model(graph)
    for beta in (1.0, 0.3):
        ours = qbm.log_partition(model, beta)
        theirs = ocean_log_z(model, beta).info["log_partition_function"]
        assert abs(ours - theirs) <= 1e-9 * max(1.0, abs(theirs))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 14), density=st.floats(0.0, 0.5), scale=st.sampled_from([0.5, 3.0, 40.0]),
       seed=st.integers(0, 2 ** 16))
def test_sparse_random_graphs_match_brute_force(n, density, scale, seed):
    rng = np.random.default_rng(seed)
    Q = np.triu(rng.normal(0, scale, (n, n)) * (rng.random((n, n)) < density), 1) + np.diag(rng.normal(0, scale, n))
    states, _, p = qbm.distribution(Q)
    pairs = np.argwhere(np.triu(np.ones((n, n)), 1))
    means, pair_means = eliminated_marginals(Q, pairs)
    log_z = eliminated_log_partition(Q, 0.5)
    assert log_z == pytest.approx(qbm.log_partition(Q) - 0.5, rel=1e-12, abs=1e-10)
    np.testing.assert_allclose(means, p @ states, atol=1e-10)
    second = (states * p[:, None]).T @ states
    np.testing.assert_allclose(pair_means, second[pairs[:, 0], pairs[:, 1]], atol=1e-10)


def test_marginals_agree_with_tree_decomposition_sampler():
    model = graph_model(nx.grid_2d_graph(8, 8), seed=3)
    ocean = ocean_log_z(model, marginals=True).info
    ours = qbm.exact.expectations(model)
    np.testing.assert_allclose(ours["biases"], [ocean["variable_marginals"][i] for i in range(model.n_units)],
                               atol=1e-10)
    ocean_pairs = [ocean["interaction_marginals"][(i, j) if (i, j) in ocean["interaction_marginals"] else (j, i)]
                   for i, j in model.edges.tolist()]
    np.testing.assert_allclose(ours["weights"], [pair[(1, 1)] for pair in ocean_pairs], atol=1e-10)


def test_expectations_past_the_table_limit_match_the_gradient_of_log_z():
    """⟨x_i x_j⟩ = ∂ log Z / ∂w_ij: finite differences of an eliminated log Z on a 40-unit ladder."""
    model = graph_model(nx.ladder_graph(20), seed=5)
    expected = qbm.exact.expectations(model)
    step = 1e-5
    for index in (0, 17, len(model.edges) - 1):
        up, down = model.copy(), model.copy()
        up.weights[index] += step
        down.weights[index] -= step
        assert (qbm.log_partition(up) - qbm.log_partition(down)) / (2 * step) == pytest.approx(
            expected["weights"][index], abs=1e-7)


def test_zero_weight_edges_still_get_their_pair_means():
    model = graph_model(nx.grid_2d_graph(6, 6), seed=1)
    model.weights[:] = 0.0                    # independent units: ⟨x_i x_j⟩ = ⟨x_i⟩⟨x_j⟩
    expected = qbm.exact.expectations(model)
    means = 1 / (1 + np.exp(-model.biases))
    np.testing.assert_allclose(expected["biases"], means, atol=1e-12)
    np.testing.assert_allclose(expected["weights"], means[model.edges[:, 0]] * means[model.edges[:, 1]], atol=1e-12)


def test_draws_follow_the_exact_distribution():
    rng = np.random.default_rng(0)
    Q = qubo_matrix(graph_model(nx.cycle_graph(10), scale=1.5).to_bqm())[0]
    states, _, p = qbm.distribution(Q)
    draws = eliminated_draws(Q, 200_000, rng)
    index = draws.astype(np.int64) @ (1 << np.arange(9, -1, -1))
    frequencies = np.bincount(index, minlength=2 ** 10) / len(draws)
    total_variation = 0.5 * np.abs(frequencies - p).sum()
    assert total_variation < 0.02      # about 0.01 expected from 200,000 draws over 1,024 states


def test_exact_sampler_draws_a_large_lattice_by_elimination():
    model = graph_model(nx.grid_2d_graph(10, 10), scale=0.7, seed=2)
    samples = qbm.ExactSampler().sample(model.to_bqm(), num_reads=20_000, seed=4).record.sample
    means = qbm.exact.expectations(model)["biases"]
    standard_errors = np.sqrt(means * (1 - means) / len(samples)) + 1e-12
    assert np.max(np.abs(samples.mean(axis=0) - means) / standard_errors) < 5.0


def test_same_seed_same_draws():
    model = graph_model(nx.grid_2d_graph(7, 6), seed=8)
    first, second = (qbm.ExactSampler().sample(model.to_bqm(), num_reads=50, seed=3).record.sample for _ in range(2))
    np.testing.assert_array_equal(first, second)


def test_visible_model_likelihood_and_kl_past_enumeration():
    model = graph_model(nx.grid_2d_graph(8, 8), seed=4)
    rng = np.random.default_rng(0)
    data = (rng.random((30, model.n_units)) < 0.5).astype(np.int8)
    log_z = ocean_log_z(model).info["log_partition_function"]
    expected = np.mean(-model.energy(data)) - log_z
    assert qbm.log_likelihood(model, data) == pytest.approx(expected, abs=1e-9)
    kl = qbm.metrics.kl_divergence(model, data)
    assert kl == pytest.approx(-np.log(30) - expected, abs=1e-9)   # 30 distinct rows, each 1/30
    assert qbm.exact.exactly_computable(model)
    assert qbm.metrics.likelihood_report(model, data) == {"log_likelihood": pytest.approx(expected, abs=1e-9)}


def test_sharp_lattice_is_exact():
    """Couplings of scale 50: every table spans hundreds of nats, summed in log space."""
    model = graph_model(nx.grid_2d_graph(5, 6), scale=50.0, seed=6)
    Q, _ = model.to_qubo()
    assert eliminated_log_partition(Q, 0.0) == pytest.approx(qbm.log_partition(Q), rel=1e-13)


def test_lattice_orders_stay_near_the_side_length():
    """Min-fill alone passes 25 on a 20×20 lattice; the chosen order must not, whatever the labels."""
    for seed in (0, 1):
        model = graph_model(nx.grid_2d_graph(20, 20), seed=seed)
        assert elimination_order(model.to_qubo()[0]).width <= 21


def test_disconnected_and_isolated_units():
    graph = nx.disjoint_union(nx.grid_2d_graph(6, 6), nx.empty_graph(5))
    model = graph_model(graph, seed=9)
    Q, _ = model.to_qubo()
    parts = [qbm.log_partition(Q[np.ix_(c, c)]) for c in map(sorted, nx.connected_components(nx.Graph(Q != 0)))]
    assert eliminated_log_partition(Q, 0.0) == pytest.approx(sum(parts), rel=1e-13)


def test_too_wide_names_the_treewidth():
    dense = qbm.BoltzmannMachine(45, random_state=0)
    with pytest.raises(ValueError, match="45 units enumerated .*treewidth at least 44"):
        qbm.log_partition(dense)
    with pytest.raises(ValueError, match="treewidth at least 44"):
        qbm.ExactSampler().sample(dense.to_bqm(), num_reads=2)
    assert not qbm.exact.exactly_computable(dense)
    lattice = graph_model(nx.grid_2d_graph(26, 26))      # treewidth 26: wider than elimination handles
    with pytest.raises(ValueError, match=f"elimination of width at most {MAX_TREEWIDTH}"):
        qbm.exact.expectations(lattice)


def test_expectations_of_a_bm_between_table_and_enumeration_limits():
    """25–34 units were past the table of qbm.distribution; a sparse BM of 30 units is now exact."""
    model = graph_model(nx.grid_2d_graph(5, 6), seed=10)
    ocean = ocean_log_z(model, marginals=True).info
    np.testing.assert_allclose(qbm.exact.expectations(model)["biases"],
                               [ocean["variable_marginals"][i] for i in range(30)], atol=1e-10)


def test_bqm_and_ising_forms_route_the_same_way():
    model = graph_model(nx.grid_2d_graph(7, 7), seed=11)
    bqm = model.to_bqm()
    h, J, offset = model.to_ising()
    reference = qbm.log_partition(model)
    assert qbm.log_partition(bqm) == pytest.approx(reference, rel=1e-13)
    assert qbm.log_partition(bqm.change_vartype(dimod.SPIN, inplace=False)) == pytest.approx(reference, rel=1e-13)
    assert qbm.log_partition((h, J, offset)) == pytest.approx(reference, rel=1e-13)


def _path_log_partition(biases, weights):
    """log Z of a path BM by a forward pass in log space, written apart from the elimination code."""
    alpha = np.array([0.0, biases[0]])                       # log weight of s_0 = 0, 1
    for i in range(1, len(biases)):
        alpha = np.array([np.logaddexp(alpha[0], alpha[1]),   # s_i = 0
                          np.logaddexp(alpha[0], alpha[1] + weights[i - 1]) + biases[i]])
    return float(np.logaddexp(alpha[0], alpha[1]))


def test_a_path_past_1023_units_has_its_exact_log_partition():
    """2**enumerated overflowed a float past 1,023 units: the planner compares costs in log2."""
    n = 1100
    bm = qbm.BoltzmannMachine(n, edges=[(i, i + 1) for i in range(n - 1)], random_state=0)
    bm.weights[:] = np.random.default_rng(1).normal(0.0, 1.0, n - 1)
    bm.biases[:] = np.random.default_rng(2).normal(0.0, 0.5, n)
    assert qbm.log_partition(bm) == pytest.approx(_path_log_partition(bm.biases, bm.weights), rel=1e-12)
