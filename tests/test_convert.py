import dimod
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import qbm
from conftest import all_bit_states

finite = st.floats(-10, 10, allow_nan=False, width=64)


def square(n_max=6):
    return st.integers(1, n_max).flatmap(lambda n: arrays(np.float64, (n, n), elements=finite))


@settings(max_examples=60, deadline=None)
@given(square(), finite)
def test_qubo_to_ising_keeps_every_energy(Q, offset):
    h, J, ising_offset = qbm.qubo_to_ising(Q, offset)
    x = all_bit_states(Q.shape[0])
    assert np.allclose(J, np.triu(J, 1))
    expected = np.einsum("ki,ij,kj->k", x, Q, x) + offset
    assert np.allclose(qbm.energies((h, J, ising_offset), 2 * x - 1), expected)
    assert np.allclose(qbm.energies(Q, x) + offset, expected)


@settings(max_examples=60, deadline=None)
@given(square(), finite)
def test_ising_round_trip_is_the_folded_qubo(Q, offset):
    Q_back, offset_back = qbm.ising_to_qubo(*qbm.qubo_to_ising(Q, offset))
    folded = np.triu(Q) + np.tril(Q, -1).T
    assert np.allclose(Q_back, folded)
    assert np.isclose(offset_back, offset)


@settings(max_examples=40, deadline=None)
@given(square(5), finite)
def test_dense_forms_agree_with_dimod(Q, offset):
    bqm = dimod.BinaryQuadraticModel.from_qubo({(i, j): Q[i, j] for i in range(len(Q)) for j in range(len(Q))}, offset)
    for i in range(len(Q)):
        bqm.add_variable(i)
    x = all_bit_states(len(Q))
    reference = bqm.energies((x, range(len(Q))))
    ising = qbm.as_bqm(qbm.qubo_to_ising(Q, offset))
    assert np.allclose(ising.energies((2 * x - 1, range(len(Q)))), reference)
    dense, dense_offset, labels = qbm.qubo_matrix(bqm)
    assert np.allclose(qbm.energies(dense, x[:, labels]) + dense_offset, reference)


def test_dict_forms_delegate_to_dimod():
    Q = {(0, 0): -1.0, (0, 1): 2.0, (1, 1): -1.0}
    assert qbm.qubo_to_ising(Q, 0.5) == dimod.qubo_to_ising(Q, 0.5)
    h, J = {"a": 1.0}, {("a", "b"): -0.5}
    assert qbm.ising_to_qubo(h, J, 1.0) == dimod.ising_to_qubo(h, J, 1.0)


@settings(max_examples=40, deadline=None)
@given(arrays(np.int8, st.tuples(st.integers(0, 4), st.integers(1, 5)), elements=st.integers(0, 1)))
def test_bits_spins_round_trip(bits):
    spins = qbm.bits_to_spins(bits)
    assert set(np.unique(spins)) <= {-1, 1}
    assert np.array_equal(qbm.spins_to_bits(spins), bits)


def test_state_conversions_reject_other_values():
    with pytest.raises(ValueError, match="bits must contain only 0 and 1"):
        qbm.bits_to_spins([0, 2])
    with pytest.raises(ValueError, match="spins must contain only -1 and \\+1"):
        qbm.spins_to_bits([0, 1])


def test_as_bqm_accepts_every_form():
    Q = np.array([[-1.0, 2.0], [0.0, -1.0]])
    h, J, offset = qbm.qubo_to_ising(Q)
    x = all_bit_states(2)
    reference = qbm.energies(Q, x)
    forms = [(Q, 0.0), (Q.tolist(), 0.0), ((h, J), offset), ((h, J, offset), 0.0),
             ({(0, 0): -1.0, (1, 1): -1.0, (0, 1): 2.0}, 0.0)]
    for form, missing_offset in forms:
        bqm = qbm.as_bqm(form, "BINARY")
        assert bqm.vartype is dimod.BINARY
        assert np.allclose(bqm.energies((x, [0, 1])) + missing_offset, reference)
    rbm = qbm.RBM(2, 1, random_state=0)
    assert qbm.as_bqm(rbm) == rbm.to_bqm()
    spin = qbm.as_bqm(Q, vartype="SPIN")
    assert spin.vartype is dimod.SPIN and np.allclose(spin.energies((2 * x - 1, [0, 1])), reference)


def test_energies_follow_bqm_variable_order():
    bqm = dimod.BinaryQuadraticModel({"b": 1.0, "a": -2.0}, {}, 0.0, "BINARY")
    assert list(bqm.variables) == ["b", "a"]
    assert np.allclose(qbm.energies(bqm, [[1, 0], [0, 1]]), [1.0, -2.0])


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: qbm.qubo_to_ising(np.ones((2, 3))), ValueError, "Q must be a square matrix"),
        (lambda: qbm.qubo_to_ising(np.ones(3)), ValueError, "Q must be 2-D"),
        (lambda: qbm.qubo_to_ising([[np.nan]]), ValueError, "Q must contain only finite"),
        (lambda: qbm.qubo_to_ising([[1.0]], offset=np.inf), ValueError, "offset must be finite"),
        (lambda: qbm.ising_to_qubo([0.0], [[1.0]]), ValueError, "J must have a zero diagonal"),
        (lambda: qbm.ising_to_qubo([0.0, 1.0, 2.0], np.zeros((2, 2))), ValueError, "h must have shape"),
        (lambda: qbm.as_bqm("nonsense"), TypeError, "expected a BinaryQuadraticModel"),
        (lambda: qbm.as_bqm((1, 2, 3, 4)), ValueError, "tuple of 4"),
        (lambda: qbm.as_bqm([[1.0]], vartype="INTEGER"), ValueError, "vartype must be"),
        (lambda: qbm.energies(np.eye(2), [[0, 2]]), ValueError, "states must contain only 0 and 1"),
        (lambda: qbm.energies(np.eye(2), [[0, 1, 1]]), ValueError, "states must have 2 columns"),
        (lambda: qbm.energies((np.zeros(2), np.zeros((2, 2))), [[0, 1]]), ValueError, "only -1 and \\+1"),
        (lambda: qbm.energies(dimod.BQM({0: 1.0}, {}, 0, "SPIN"), [[0]]), ValueError, "only -1 and \\+1"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
