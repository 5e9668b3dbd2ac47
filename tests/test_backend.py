"""Array backends against exact references: every hot path on array-api-strict (always), PyTorch on the
CPU where it is installed, and a GPU where one exists.  Distributions are compared with exact answers,
not bit for bit with NumPy: a device draws its own random numbers."""
import importlib.util
import os
import pickle
import subprocess
import sys
from pathlib import Path

import dimod
import numpy as np
import pytest

import qbm
from qbm import exact
from qbm.backend import Backend, get_backend, like, to_host
from qbm.metrics import ais_log_partition, kl_divergence
from conftest import assert_energies



def _gpu(module: str) -> bool:
    if importlib.util.find_spec(module) is None:
        return False
    if module == "torch":
        import torch
        return torch.cuda.is_available()
    try:
        import cupy
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:   # no driver
        return False


BACKENDS = ["array_api_strict",
            pytest.param("torch:cpu", marks=pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                                                                reason="PyTorch is not installed")),
            pytest.param("torch:cuda", marks=pytest.mark.skipif(not _gpu("torch"), reason="no CUDA device")),
            pytest.param("cupy", marks=pytest.mark.skipif(not _gpu("cupy"), reason="no CuPy GPU"))]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return get_backend(request.param)


def sharp_rbm(n_visible=6, n_hidden=4, seed=0, scale=1.5):
    rng = np.random.default_rng(seed)
    return qbm.RBM(n_visible, n_hidden, weights=rng.normal(0, scale, (n_visible, n_hidden)),
                   visible_bias=rng.normal(0, 1, n_visible), hidden_bias=rng.normal(0, 1, n_hidden))


def exact_table(bqm):
    states, _, probabilities = qbm.distribution(bqm)
    return states, probabilities


def ordered(sampleset, bqm):
    return sampleset.record.sample[:, [sampleset.variables.index(v) for v in bqm.variables]]


# ---------------------------------------------------------------------------------------------- resolution


@pytest.mark.parametrize("spec, error, message", [
    ("cuda", ValueError, "backend must name one of"),
    (3, TypeError, "backend must be a string"),
    ("numpy:cuda", ValueError, "CPU only"),
])
def test_bad_backends_are_named(spec, error, message):
    with pytest.raises(error, match=message):
        get_backend(spec)


def test_precision_is_checked_and_only_pytorch_changes_it():
    with pytest.raises(ValueError, match="precision must be one of"):
        get_backend("array_api_strict", precision="float16")
    with pytest.raises(ValueError, match="PyTorch setting"):
        get_backend("array_api_strict", precision="bfloat16")


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="CuPy is installed")
def test_a_missing_library_says_how_to_install_it():
    with pytest.raises(ImportError, match=r"qbm\[cupy\]"):
        get_backend("cupy")


def test_every_backend_keyword_refuses_a_bad_name():
    for build in (lambda: qbm.CD(backend="gpu"), lambda: qbm.PCD(backend="gpu"),
                  lambda: qbm.ParallelTempering(backend="gpu"), lambda: qbm.GibbsSampler(backend="gpu"),
                  lambda: ais_log_partition(qbm.RBM(3, 2), backend="gpu"),
                  lambda: exact.log_partition(qbm.RBM(3, 2), backend="gpu")):
        with pytest.raises(ValueError, match="backend must name one of"):
            build()


def test_the_exact_sums_on_a_device_take_an_rbm_only():
    with pytest.raises(TypeError, match="sums the layers of an RBM"):
        exact.log_partition(qbm.BoltzmannMachine(3, 0), backend="array_api_strict")


def test_arrays_travel_both_ways(backend):
    host = np.arange(6.0).reshape(2, 3)
    device = backend.asarray(host)
    assert device.dtype == backend.xp.float32
    assert np.array_equal(backend.to_numpy(device), host)
    assert np.array_equal(to_host(like(host, device)), host)


# ------------------------------------------------------------------------------------------------- sampler


def sharp_graph(n=7, seed=3):
    rng = np.random.default_rng(seed)
    return qbm.BoltzmannMachine(n, weights=rng.normal(0, 1.0, n * (n - 1) // 2), biases=rng.normal(0, 1, n))


def second_moments(rows, weights=None):
    rows = np.asarray(rows, dtype=float)
    weights = np.full(len(rows), 1.0 / len(rows)) if weights is None else weights
    return (rows * weights[:, None]).T @ rows


@pytest.mark.parametrize("kind", ["rbm", "general", "spin"])
def test_gibbs_on_a_device_samples_the_exact_distribution(backend, kind):
    """⟨x_i x_j⟩ (the means on the diagonal) of 8000 chains within 0.025 of the exact ones (4.5 standard
    errors; sampling at a β 20 % off misses that on each of these models), at one β and one β per chain."""
    bqm = {"rbm": sharp_rbm().to_bqm(), "general": sharp_graph().to_bqm(), "spin": sharp_rbm().to_bqm().spin}[kind]
    states, probabilities = exact_table(bqm)
    reference = second_moments(states, probabilities)
    tolerance = 0.025 * (2 if bqm.vartype is dimod.SPIN else 1)
    sampler = qbm.GibbsSampler(backend=backend)
    for options in ({"num_sweeps": 60}, {"num_sweeps": 60, "beta": np.ones(8000)}):
        answer = sampler.sample(bqm, num_reads=8000, seed=1, **options)
        assert np.abs(second_moments(ordered(answer, bqm)) - reference).max() < tolerance
        assert_energies(answer, bqm)


def test_gibbs_on_a_device_weights_an_anneal_to_the_partition_function(backend):
    bqm = sharp_rbm(seed=2).to_bqm()
    bqm.offset = 0.0
    answer = qbm.GibbsSampler(backend=backend).sample(bqm, num_reads=4000, num_sweeps=200, beta_range=(0.01, 1.0),
                                                      importance_weights=True, seed=0)
    log_weight = answer.record.log_weight
    estimate = np.logaddexp.reduce(log_weight) - np.log(len(log_weight)) + bqm.num_variables * np.log(2)
    assert estimate == pytest.approx(qbm.log_partition(bqm), abs=0.05)


def test_gibbs_on_a_device_starts_from_given_states_and_repeats_with_its_seed(backend):
    frozen = qbm.RBM(6, 4, weights=np.full((6, 4), 50.0), visible_bias=np.full(6, -75.0), hidden_bias=np.full(4, -75.0))
    start = np.ones((3, 10), dtype=np.int8)
    sampler = qbm.GibbsSampler(backend=backend)
    out = sampler.sample(frozen.to_bqm(), initial_states=(start, range(10)), num_sweeps=3, seed=0)
    assert np.array_equal(out.record.sample, start)
    bqm = sharp_rbm().to_bqm()
    first, again = (sampler.sample(bqm, num_reads=50, num_sweeps=5, seed=4).record.sample for _ in range(2))
    assert np.array_equal(first, again)


# -------------------------------------------------------------------------------------------------- phases


def _host(statistics, backend):
    return {name: backend.to_numpy(value) for name, value in statistics.items()}


@pytest.mark.parametrize("phase", ["pcd", "tempering"])
def test_persistent_phases_on_a_device_reach_the_exact_expectations(backend, phase):
    rbm = sharp_rbm(seed=1)
    build = {"pcd": lambda: qbm.PCD(num_chains=4000, k=5, backend=backend),
             "tempering": lambda: qbm.ParallelTempering(num_chains=2000, betas=3, backend=backend)}[phase]
    chosen = build()
    rng = np.random.default_rng(0)
    for _ in range(10):
        chosen.statistics(rbm, None, random_state=rng)
    estimate = _host(chosen.statistics(rbm, None, random_state=rng), backend)
    reference = exact.expectations(rbm)
    for name, value in reference.items():
        assert np.allclose(estimate[name], value, atol=0.04), name


def test_cd_on_a_device_has_the_numpy_gradient_in_expectation(backend):
    rbm, rows = sharp_rbm(seed=4), np.array([[1, 0, 1, 0, 1, 0]] * 400 + [[0, 1, 1, 0, 0, 1]] * 400)
    device = _host(qbm.CD(k=2, backend=backend).gradient(rbm, rows, random_state=0), backend)
    host = qbm.CD(k=2).gradient(rbm, rows, random_state=0)
    for name in host:
        assert np.allclose(device[name], host[name], atol=0.05), name


def test_a_device_phase_keeps_its_state_through_a_checkpoint(backend, tmp_path):
    data = qbm.datasets.bars_and_stripes(3)

    def trainer(phase):
        return qbm.Trainer(qbm.RBM(9, 4, random_state=0), phase, batch_size=7, learning_rate=0.05, optimizer="adam",
                           schedule="constant", centering=True, progress=False, random_state=0)

    whole = trainer(qbm.PCD(num_chains=20, fast_rate=0.01, backend=backend))
    whole.fit(data, 4)
    first = trainer(qbm.PCD(num_chains=20, fast_rate=0.01, backend=backend))
    first.fit(data, 2)
    first.save_checkpoint(tmp_path / "run.npz")
    resumed = trainer(qbm.PCD(num_chains=20, fast_rate=0.01, backend=backend))
    resumed.load_checkpoint(tmp_path / "run.npz")
    resumed.fit(data, 4)
    assert np.array_equal(resumed.model.weights, whole.model.weights)


@pytest.mark.parametrize("phase", ["pcd", "tempering"])
def test_training_on_a_device_learns_as_well_as_on_numpy(backend, phase):
    """Bars and stripes 3×3, three seeds each side: the device's mean KL within 0.25 of NumPy's."""
    data = qbm.datasets.bars_and_stripes(3)

    def mean_kl(chosen_backend):
        kls = []
        for seed in range(3):
            rbm = qbm.RBM(9, 6, random_state=seed)
            build = qbm.PCD(num_chains=100, k=5, backend=chosen_backend) if phase == "pcd" else \
                qbm.ParallelTempering(num_chains=50, betas=4, backend=chosen_backend)
            qbm.Trainer(rbm, build, batch_size=7, learning_rate=0.05, optimizer="adam", schedule="constant",
                        centering=True, progress=False, random_state=seed).fit(data, 100)
            kls.append(kl_divergence(rbm, data))
        return np.mean(kls)

    start = kl_divergence(qbm.RBM(9, 6, random_state=0), data)
    on_device, on_numpy = mean_kl(backend), mean_kl(None)
    assert on_device < start - 1.0
    assert on_device < on_numpy + 0.25


def test_a_boltzmann_machine_with_tempering_on_a_device_keeps_its_parameters_on_the_host(backend):
    bm = qbm.BoltzmannMachine(6, 2, random_state=0)
    phase = qbm.ParallelTempering(num_chains=20, betas=3, backend=backend)
    qbm.Trainer(bm, phase, batch_size=2, learning_rate=0.05, progress=False, random_state=0).fit(
        np.array([[1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 0, 1]]), 2)
    assert isinstance(bm.weights, np.ndarray) and np.isfinite(bm.weights).all()


def test_a_restored_optimiser_moves_its_moments_to_the_device(backend):
    adam = qbm.training.optimizers.Adam()
    adam.direction("w", np.array([1.0, -2.0]), step=1)
    state = adam.state_dict()
    restored = qbm.training.optimizers.Adam()
    restored.load_state_dict(state)
    on_device = restored.direction("w", backend.asarray([1.0, -2.0]), step=2)
    expected = adam.direction("w", np.array([1.0, -2.0]), step=2)
    assert np.allclose(backend.to_numpy(on_device), expected, rtol=1e-5)


# ------------------------------------------------------------------------------------------ estimates, sums


def test_ais_on_a_device_estimates_the_exact_log_partition(backend):
    rbm = sharp_rbm(12, 8, seed=5, scale=1.0)
    estimate, error = ais_log_partition(rbm, num_reads=200, betas=1000, random_state=0, backend=backend)
    assert abs(estimate - exact.log_partition(rbm)) < 4 * error + 0.01


def test_ais_log_likelihood_takes_the_backend_along(backend):
    rbm, rows = sharp_rbm(10, 6, seed=6, scale=1.0), np.array([[1, 0] * 5, [0, 1] * 5])
    estimate, error = qbm.metrics.ais_log_likelihood(rbm, rows, num_reads=200, betas=500, random_state=0,
                                                     backend=backend)
    assert abs(estimate - exact.log_likelihood(rbm, rows)) < 4 * error + 0.01


@pytest.mark.parametrize("shape", [(5, 9), (11, 3), (14, 14)])
def test_exact_layer_sums_on_a_device_equal_numpys(backend, shape):
    rbm = sharp_rbm(*shape, seed=7, scale=2.0)
    assert exact.log_partition(rbm, 0.8, backend=backend) == pytest.approx(exact.log_partition(rbm, 0.8), abs=1e-9)
    on_device, on_numpy = exact.expectations(rbm, 0.8, backend=backend), exact.expectations(rbm, 0.8)
    for name, value in on_numpy.items():
        assert np.allclose(on_device[name], value, atol=1e-10), name


def test_a_backend_object_is_accepted_wherever_a_name_is():
    chosen = Backend("array_api_strict")
    assert qbm.PCD(backend=chosen).backend is chosen
    assert repr(qbm.CD(backend=chosen)) == "CD(k=1, backend=Backend('array_api_strict'))"


def test_a_backend_pickles_and_copies_by_name():
    chosen = get_backend("array_api_strict")
    assert pickle.loads(pickle.dumps(chosen)) == chosen
    assert pickle.loads(pickle.dumps(qbm.PCD(backend=chosen))).backend == chosen


@pytest.mark.slow
def test_the_gpu_benchmark_runs_every_part_at_toy_sizes():
    """bench_gpu.py is ready for a device: its smoke mode runs each part on array-api-strict and stores nothing."""
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_gpu.py"
    results = script.parent / "results" / "bench_gpu.json"
    before = results.read_text() if results.exists() else None
    env = {**os.environ, "QBM_GPU_SMOKE": "1", "QBM_GPU_BACKEND": "array_api_strict"}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    for title in ("# GibbsSampler", "# PCD(100 chains)", "# AIS", "# Where the device wins", "# Product precision"):
        assert title in out.stdout
    assert (results.read_text() if results.exists() else None) == before


def test_the_gpu_benchmark_says_why_it_stops_without_a_gpu():
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_gpu.py"
    env = {k: v for k, v in os.environ.items() if k not in ("QBM_GPU_SMOKE", "QBM_GPU_BACKEND")}
    env["QBM_GPU_BACKEND"] = "cupy" if importlib.util.find_spec("cupy") is None else "torch:cpu"
    out = subprocess.run([sys.executable, str(script), "gibbs"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode != 0 and ("needs a GPU library" in out.stderr or "sees none" in out.stderr)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="PyTorch is not installed")
def test_no_array_is_made_off_the_backends_device():
    """With PyTorch's default device set to "meta", any tensor a path makes without naming the backend's
    device lands there and breaks the first operation mixing it with the chains: what a GPU would catch."""
    import torch
    chosen = get_backend("torch:cpu")
    data = np.concatenate([qbm.datasets.bars_and_stripes(2)] * 2, axis=1)
    rbm = qbm.RBM(8, 5, random_state=0)
    torch.set_default_device("meta")
    try:
        for phase in (qbm.CD(backend=chosen), qbm.PCD(20, fast_rate=0.01, backend=chosen),
                      qbm.ParallelTempering(10, 3, backend=chosen)):
            qbm.Trainer(qbm.RBM(8, 5, random_state=0), phase, batch_size=3, optimizer="adam", centering=True,
                        progress=False, random_state=0).fit(data, 2)
        sampler = qbm.GibbsSampler(backend=chosen)
        sampler.sample(rbm.to_bqm(), num_reads=10, num_sweeps=5, beta_range=(0.1, 1), importance_weights=True, seed=0)
        sampler.sample(sharp_graph(6).to_bqm(), num_reads=10, num_sweeps=5, beta=np.ones(10), seed=0)
        ais_log_partition(rbm, num_reads=10, betas=20, random_state=0, backend=chosen)
        exact.expectations(rbm, backend=chosen)
        for precision in ("tf32", "bfloat16"):
            reduced = get_backend("torch:cpu", precision=precision)
            qbm.GibbsSampler(backend=reduced).sample(rbm.to_bqm(), num_reads=10, num_sweeps=5, seed=0)
            qbm.PCD(10, backend=reduced).gradient(rbm, data, random_state=0)
    finally:
        torch.set_default_device(None)


@pytest.mark.parametrize("precision", ["tf32", "bfloat16"])
@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="PyTorch is not installed")
def test_reduced_precision_products_keep_the_statistics_within_sampling_noise(precision):
    device = "cuda" if _gpu("torch") else "cpu"
    bqm = sharp_rbm().to_bqm()
    states, probabilities = exact_table(bqm)
    sampler = qbm.GibbsSampler(backend=get_backend(f"torch:{device}", precision=precision))
    answer = sampler.sample(bqm, num_reads=8000, num_sweeps=60, seed=1)
    assert np.abs(second_moments(ordered(answer, bqm)) - second_moments(states, probabilities)).max() < 0.025
    assert_energies(answer, bqm)   # the energies stay float64
