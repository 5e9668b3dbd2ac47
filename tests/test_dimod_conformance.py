"""Every qbm sampler passes dimod's shared sampler tests (small BQMs of every vartype, empty ones included)."""
import unittest

import dimod.testing
import pytest
import neal

import qbm
from qbm.samplers import GibbsSampler, QPUSampler
from qbm.samplers.composites import GibbsPostProcessingComposite, PersistentReverseAnnealComposite
from qbm.samplers.testing import HiddenTemperatureSampler, MockAnnealer, mock_qpu


@dimod.testing.load_sampler_bqm_tests(qbm.ExactSampler)
class TestExactSampler(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(GibbsSampler)
class TestGibbsSampler(unittest.TestCase):
    pass


@pytest.mark.filterwarnings("ignore:All bqm biases are zero")  # neal, the child, on the empty problems
@dimod.testing.load_sampler_bqm_tests(lambda: GibbsPostProcessingComposite(neal.SimulatedAnnealingSampler(),
                                                                           num_sweeps=5))
class TestGibbsPostProcessingComposite(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(MockAnnealer)
class TestMockAnnealer(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(lambda: QPUSampler(mock_qpu(2)))
class TestQPUSampler(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(lambda: PersistentReverseAnnealComposite(QPUSampler(mock_qpu(2))))
class TestPersistentReverseAnnealComposite(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(HiddenTemperatureSampler)
class TestHiddenTemperatureSampler(unittest.TestCase):
    pass


def test_parameters_are_per_instance():
    first, second = GibbsSampler(), GibbsSampler()
    first.parameters["extra"] = []
    assert "extra" not in second.parameters
