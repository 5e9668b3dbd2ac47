"""Every kit of qbm.testing over everything the registries hold, and the kits failing what they must fail.

The parametrisations read the registries at collection time (``PHASE_NAMES``, ``SAMPLER_NAMES``,
``BACKEND_NAMES``, the codec's model types), so a new registration is checked without a new test."""
from __future__ import annotations

import copy
import importlib.util
import re
import threading

import dimod
import numpy as np
import pytest

import qbm
from qbm.backend import BACKEND_NAMES
from qbm.models import registered_model_types
from qbm.phases import PHASE_NAMES, Phase, phase_entry
from qbm.samplers import SAMPLER_NAMES, make_sampler
from qbm.samplers.testing import HiddenTemperatureSampler
from qbm.testing import check_backend, check_model, check_phase, check_sampler, small_models

# settings a phase needs to meet the kit's tolerance; the registry's defaults otherwise
CHECK_SETTINGS = {
    # the Trotter BQM's slice links are stiff: at 100 sweeps its statistics are 0.06 off the exact ones
    "quantum-trotter": {"num_reads": 50, "num_sweeps": 1000},
}
# third-party samplers known to ignore unknown keyword arguments (dwave-samplers' simulated annealing)
LENIENT_KEYWORDS = {"neal"}


@pytest.mark.parametrize("name", list(PHASE_NAMES))
def test_every_registered_phase_passes_the_phase_kit(name):
    settings = {"num_reads": 100, "num_sweeps": 100, "slices": 16, **CHECK_SETTINGS.get(name, {})}
    check_phase(phase_entry(name).build_offline(**settings))


@pytest.mark.filterwarnings("ignore:All bqm biases are zero")   # neal on the empty BQMs
@pytest.mark.parametrize("name", SAMPLER_NAMES)
def test_every_registered_sampler_passes_the_sampler_kit_and_draws_boltzmann_samples(name):
    check_sampler(make_sampler(name), boltzmann=True, strict_keywords=name not in LENIENT_KEYWORDS)


@pytest.mark.parametrize("name", BACKEND_NAMES)
def test_every_installed_backend_passes_the_backend_kit(name):
    library = {"numpy": "numpy", "torch": "torch", "cupy": "cupy", "array_api_strict": "array_api_strict"}[name]
    if importlib.util.find_spec(library) is None:
        pytest.skip(f"{library} is not installed")
    check_backend(name)


@pytest.mark.parametrize("kind", list(small_models()))
def test_every_model_kind_passes_the_model_kit(kind):
    check_model(small_models()[kind])


def test_every_registered_model_type_has_a_small_model_for_the_kits():
    kinds = {type(model) for model in small_models().values()}
    assert set(registered_model_types()) <= kinds


# a phase written from the contract's page alone passes; broken ones fail, each for its own rule

class Enumerated(Phase):
    samples_model = True

    def statistics(self, model, batch, random_state=None):
        return qbm.exact.expectations(model, self.beta)


class Uniform(Phase):
    """A minimal phase with nothing but statistics: the uniform model's, for RBMs alone (the others fail to build)."""

    def statistics(self, model, batch, random_state=None):
        return qbm.exact.expectations(qbm.RBM(model.n_visible, model.n_hidden, weights=np.zeros_like(model.weights)))


@pytest.mark.parametrize("phase", [Enumerated(), Uniform()], ids=["Enumerated", "Uniform"])
def test_a_minimal_phase_written_from_the_contract_passes(phase):
    check_phase(phase)


class MissingParameter(Enumerated):
    def statistics(self, model, batch, random_state=None):
        return {k: v for k, v in super().statistics(model, batch).items() if k != "visible_bias"}


class WrongShape(Enumerated):
    def statistics(self, model, batch, random_state=None):
        stats = super().statistics(model, batch)
        return {**stats, "weights": stats["weights"].T}


class NotFinite(Enumerated):
    def statistics(self, model, batch, random_state=None):
        stats = super().statistics(model, batch)
        return {**stats, "weights": stats["weights"] * np.nan}


class Unseeded(Phase):
    """Draws from a stream of its own instead of random_state."""

    samples_model = True

    def statistics(self, model, batch, random_state=None):
        rows = np.random.default_rng().integers(0, 2, (50, model.n_visible)).astype(float)
        return qbm.sampling.rbm_statistics(model, rows)


class Forgetful(Phase):
    """Persistent chains that state_dict does not keep."""

    samples_model = True

    def __init__(self):
        super().__init__()
        self.chains = None

    def statistics(self, model, batch, random_state=None):
        rng = np.random.default_rng(random_state)
        if self.chains is None:
            self.chains = rng.integers(0, 2, (200, model.n_visible)).astype(float)
        self.chains = qbm.sampling.run_chains(model, self.chains, 1, rng)
        return qbm.sampling.rbm_statistics(model, self.chains)


class TooHot(Enumerated):
    """The model's statistics at half its β."""

    def statistics(self, model, batch, random_state=None):
        return qbm.exact.expectations(model, 0.5 * self.beta)


class DataSide(Phase):
    """The data's own statistics as the model side: a gradient of zero."""

    samples_model = True

    def statistics(self, model, batch, random_state=None):
        return self.data_statistics(model, batch, random_state)


class Crashes(Enumerated):
    """Reads an attribute only RBMs have."""

    def statistics(self, model, batch, random_state=None):
        model.visible_bias.shape   # noqa: B018 - the crash on other models is the point
        return super().statistics(model, batch)


class MutatesModel(Enumerated):
    def statistics(self, model, batch, random_state=None):
        getattr(model, model.parameter_names[0])[...] *= 0.5
        return super().statistics(model, batch)


class HandsBackTheModel(Enumerated):
    def gradient(self, model, batch, random_state=None, *, check_input=True):
        return model.parameters()


RBM = qbm.RBM(3, 2, weights=[[1.5, -1.0], [0.5, 1.2], [-1.3, 0.8]], visible_bias=[0.2, -0.4, 0.1])


@pytest.mark.parametrize("phase, model, message", [
    (MissingParameter(), None, "lacks the statistics of 'visible_bias'"),
    (WrongShape(), RBM, "weights has shape (2, 3), the model's (3, 2)"),
    (NotFinite(), RBM, "weights is not finite"),
    (Unseeded(), RBM, "the same random_state gave different"),
    (Forgetful(), RBM, "resumed from its checkpoint differs"),
    (TooHot(), RBM, "disagree with the exact expectations"),
    (DataSide(), RBM, "disagree with the exact expectations"),
    (Crashes(), None, "crashed in statistics with AttributeError"),
    (MutatesModel(), RBM, "changed the model's"),
    (HandsBackTheModel(), RBM, "the model's own array"),
], ids=lambda value: type(value).__name__ if isinstance(value, Phase) else "")
def test_a_broken_phase_fails_the_kit_naming_its_rule(phase, model, message):
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_phase(phase, model)


def test_the_phase_kit_refuses_what_is_not_a_phase_and_a_phase_that_handles_nothing():
    with pytest.raises(AssertionError, match="not a qbm Phase"):
        check_phase(qbm.ExactSampler())

    class RefusesAll(Phase):
        def statistics(self, model, batch, random_state=None):
            raise TypeError(f"no {type(model).__name__} taken")

    with pytest.raises(AssertionError, match="handles none of the small models"):
        check_phase(RefusesAll())

    class RefusesMutely(Enumerated):
        def statistics(self, model, batch, random_state=None):
            if model.n_hidden == 0:
                raise ValueError
            return super().statistics(model, batch)

    with pytest.raises(AssertionError, match="bare ValueError in statistics; a refusal must say why"):
        check_phase(RefusesMutely())


def test_a_bare_not_implemented_error_is_a_refusal_and_a_phase_that_cannot_be_copied_is_told_so():
    class RBMsOnly(Enumerated):
        def statistics(self, model, batch, random_state=None):
            if not qbm.models.is_rbm(model):
                raise NotImplementedError
            return super().statistics(model, batch)

    check_phase(RBMsOnly())

    class Locked(Enumerated):
        def __init__(self):
            super().__init__()
            self.lock = threading.Lock()

    with pytest.raises(AssertionError, match="cannot be copied"):
        check_phase(Locked())


def test_a_biased_sampler_inside_a_sampler_phase_fails_the_phase_kit():
    hot = qbm.SamplerPhase(HiddenTemperatureSampler(beta=0.5), num_reads=200)
    with pytest.raises(AssertionError, match="disagree with the exact expectations"):
        check_phase(hot, RBM)


# broken samplers

class _Wrapped(dimod.Sampler):
    """A correct sampler (GibbsSampler) with one thing broken by a subclass."""

    parameters = properties = None   # per instance, as dimod's reference samplers

    def __init__(self):
        self.inner = qbm.GibbsSampler()
        self.parameters = dict(self.inner.parameters)
        self.properties = {}

    def sample(self, bqm, **kwargs):
        return self.inner.sample(bqm, **kwargs)


class MiscountsReads(_Wrapped):
    def sample(self, bqm, num_reads=10, **kwargs):
        return super().sample(bqm, num_reads=num_reads + 1, **kwargs)


class WrongEnergies(_Wrapped):
    def sample(self, bqm, **kwargs):
        answer = super().sample(bqm, **kwargs)
        answer.record.energy[:] += 1.0
        return answer


class IgnoresSeed(_Wrapped):
    def sample(self, bqm, seed=None, **kwargs):
        return super().sample(bqm, seed=None, **kwargs)


class IgnoresUnknownKeywords(_Wrapped):
    def sample(self, bqm, **kwargs):
        return super().sample(bqm, **{k: v for k, v in kwargs.items() if k in self.parameters})


class DropsAVariable(_Wrapped):
    def sample(self, bqm, **kwargs):
        answer = super().sample(bqm, **kwargs)
        if bqm.num_variables < 2:
            return answer
        kept = list(answer.variables)[1:]
        return dimod.SampleSet.from_samples_bqm((answer.record.sample[:, 1:], kept), _without(bqm, kept))


class SpinsForBits(_Wrapped):
    def sample(self, bqm, **kwargs):
        return super().sample(bqm.spin, **kwargs)


def _without(bqm, kept):
    reduced = bqm.copy()
    for v in set(bqm.variables) - set(kept):
        reduced.fix_variable(v, 0 if bqm.vartype is dimod.BINARY else -1)
    return reduced


@pytest.mark.parametrize("sampler, boltzmann, message", [
    (MiscountsReads(), False, "num_occurrences count 11 reads"),
    (WrongEnergies(), False, "reported energies are not the BQM's"),
    (IgnoresSeed(), False, "the same seed gave different samples"),
    (IgnoresUnknownKeywords(), False, "silently ignored the unknown keyword"),
    (DropsAVariable(), False, "are not the BQM's"),
    (SpinsForBits(), False, "the answer is SPIN, the BQM BINARY"),
    (HiddenTemperatureSampler(beta=2.0), True, "do not follow exp(-E)"),
    (HiddenTemperatureSampler(beta=0.7), True, "do not follow exp(-E)"),
], ids=lambda value: type(value).__name__ if isinstance(value, dimod.Sampler) else "")
def test_a_broken_sampler_fails_the_kit_naming_its_rule(sampler, boltzmann, message):
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_sampler(sampler, boltzmann=boltzmann, strict_keywords=not isinstance(sampler, HiddenTemperatureSampler))


def test_a_sampler_at_the_right_temperature_passes_the_boltzmann_check():
    check_sampler(HiddenTemperatureSampler(beta=1.0), boltzmann=True, strict_keywords=False)


def test_a_model_whose_forms_disagree_fails_the_model_kit():
    broken = qbm.RBM(3, 2, random_state=0)
    right = broken.to_qubo
    broken.to_qubo = lambda beta=1.0: (right(beta)[0], right(beta)[1] + 0.5)   # an offset lost on the way
    with pytest.raises(AssertionError, match="to_qubo disagrees"):
        check_model(broken)


def test_a_model_whose_copy_shares_its_arrays_fails_the_model_kit():
    broken = qbm.BoltzmannMachine(3, random_state=0)
    broken.copy = lambda: copy.copy(broken)
    with pytest.raises(AssertionError, match="shares weights with the original"):
        check_model(broken)
