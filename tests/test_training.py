import numpy as np
import pytest

import qbm
from qbm.training.checkpoint import read_checkpoint
from qbm.samplers import GibbsSampler


@pytest.fixture
def bars():
    return qbm.datasets.bars_and_stripes(3)


def run(data, phase, epochs, path=None, resume=False, seed=0, **options):
    rbm = qbm.RBM(9, 4, random_state=1)
    history = qbm.train(rbm, data, phase, epochs=epochs, batch_size=4, learning_rate=0.05, optimizer="adam",
                        random_state=seed, checkpoint_path=path, resume=resume, progress=False, **options)
    return rbm, history


def test_training_with_exact_gradients_lowers_kl(bars):
    rbm = qbm.RBM(9, 6, random_state=0)
    before = qbm.metrics.kl_divergence(rbm, bars)
    history = qbm.train(rbm, bars, qbm.ExactPhase(), epochs=200, batch_size=14, learning_rate=0.1,
                        optimizer="adam", random_state=0, progress=False,
                        metrics={"kl": lambda m: qbm.metrics.kl_divergence(m, bars)})
    assert history["kl"][-1] < 0.5 * before
    assert history["kl"][-1] == pytest.approx(qbm.metrics.kl_divergence(rbm, bars))
    assert [r["epoch"] for r in history.epochs] == list(range(1, 201))


@pytest.mark.parametrize("phase_factory", [lambda: qbm.PCD(20), lambda: qbm.CD(1),
                                           lambda: qbm.SamplerPhase(GibbsSampler(), num_reads=20, num_sweeps=5),
                                           lambda: qbm.ParallelTempering(num_chains=10, betas=3)],
                         ids=["pcd", "cd", "gibbs", "tempering"])
def test_resume_from_checkpoint_is_bit_identical(tmp_path, bars, phase_factory):
    straight, _ = run(bars, phase_factory(), epochs=6)
    path = tmp_path / "run.ckpt.npz"

    def interrupt(trainer, record):
        if record["epoch"] == 4:   # after epoch 3's checkpoint, before epoch 4's
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(bars, phase_factory(), epochs=6, path=path, callbacks=[interrupt])
    resumed, history = run(bars, phase_factory(), epochs=6, path=path, resume=True)
    for name, value in straight.parameters().items():
        assert value.tobytes() == resumed.parameters()[name].tobytes(), name
    assert [r["epoch"] for r in history.epochs] == [1, 2, 3, 4, 5, 6]


def test_same_seed_same_model(bars):
    a, _ = run(bars, qbm.PCD(10), epochs=2, seed=4)
    b, _ = run(bars, qbm.PCD(10), epochs=2, seed=4)
    c, _ = run(bars, qbm.PCD(10), epochs=2, seed=5)
    assert np.array_equal(a.weights, b.weights) and not np.array_equal(a.weights, c.weights)


class FailingSampler(qbm.ExactSampler):
    def __init__(self, fail_on_call):
        super().__init__()
        self.calls, self.fail_on_call = 0, fail_on_call

    def sample(self, bqm, **kwargs):
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("sampler failed")
        return super().sample(bqm, **kwargs)


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_failure_mid_epoch_leaves_last_checkpoint_intact(tmp_path, bars, error, monkeypatch):
    path = tmp_path / "run.ckpt.npz"
    steps_per_epoch = -(-len(bars) // 4)
    sampler = FailingSampler(fail_on_call=2 * steps_per_epoch + 2)
    if error is KeyboardInterrupt:
        original = sampler.sample

        def interrupt(bqm, **kwargs):
            if sampler.calls + 1 == sampler.fail_on_call:
                raise KeyboardInterrupt
            return original(bqm, **kwargs)

        monkeypatch.setattr(sampler, "sample", interrupt)
    with pytest.raises(error):
        run(bars, qbm.SamplerPhase(sampler, num_reads=20), epochs=4, path=path)
    before = path.read_bytes()
    assert read_checkpoint(path)[3]["epochs_done"] == 2 and path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.ckpt.npz"]


def test_history_counts_sampler_calls_and_exports(bars):
    _, history = run(bars, qbm.SamplerPhase(qbm.ExactSampler(), num_reads=10), epochs=2)
    assert history["sampler_calls"] == [4, 4]
    assert history.to_csv().splitlines()[0].startswith("epoch,seconds,sampler_calls")
    assert history.wall_time > 0


def test_general_bm_trains_with_sampler_phases():
    data = qbm.datasets.bars_and_stripes(2)
    bm = qbm.BoltzmannMachine(4, 2, random_state=0)
    before = qbm.log_likelihood(bm, data)
    qbm.train(bm, data, qbm.SamplerPhase(qbm.ExactSampler(), num_reads=200, clamped_reads=50), epochs=40,
              batch_size=6, learning_rate=0.1, optimizer="adam", schedule="constant", random_state=0, progress=False)
    assert qbm.log_likelihood(bm, data) > before + 0.5


def test_the_default_schedule_decays_linearly_over_the_run(bars):
    history = qbm.train(qbm.RBM(9, 4, random_state=0), bars, qbm.CD(), epochs=4, learning_rate=0.2, progress=False)
    assert history["learning_rate"] == pytest.approx([0.2, 0.15, 0.1, 0.05])
    with pytest.raises(ValueError, match="schedule must be 'linear', 'constant' or a callable"):
        qbm.Trainer(qbm.RBM(9, 4), qbm.CD(), schedule="cosine")


def test_sgd_momentum_and_weight_decay_and_schedule(bars):
    rbm = qbm.RBM(9, 4, random_state=0)
    history = qbm.train(rbm, bars, qbm.ExactPhase(), epochs=3, batch_size=14, learning_rate=0.1, momentum=0.5,
                        weight_decay=1e-3, schedule=lambda epoch: 0.5 ** epoch, random_state=0, progress=False)
    assert history["learning_rate"] == [0.1, 0.05, 0.025]


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(data=np.zeros((3, 5))), ValueError, "data must have 9 columns"),
    (dict(data=np.zeros(9)), ValueError, "data must be 2-D"),
    (dict(data=np.full((2, 9), np.nan)), ValueError, "finite"),
    (dict(data=np.full((2, 9), 2.0)), ValueError, r"values in \[0, 1\]"),
    (dict(data=np.zeros((0, 9))), ValueError, "at least one row"),
    (dict(optimizer="rmsprop"), ValueError, "optimizer must be"),
    (dict(learning_rate=0), ValueError, "learning_rate must be a finite positive"),
    (dict(momentum=1.0), ValueError, r"momentum must be in \[0, 1\)"),
    (dict(batch_size=0), ValueError, "batch_size must be at least 1"),
    (dict(phase="pcd"), TypeError, "phase must be a qbm Phase"),
    (dict(resume=True), ValueError, "resume=True needs a checkpoint_path"),
])
def test_bad_input_is_named(bars, kwargs, error, message):
    options = dict(data=bars, phase=qbm.CD())
    options.update(kwargs)
    data, phase = options.pop("data"), options.pop("phase")
    with pytest.raises(error, match=message):
        qbm.train(qbm.RBM(9, 2), data, phase, epochs=1, progress=False, **options)


def test_general_bm_rejects_probabilities():
    with pytest.raises(ValueError, match="only 0 and 1"):
        qbm.train(qbm.BoltzmannMachine(2), [[0.5, 1.0]], qbm.ExactPhase(), epochs=1, progress=False)


def test_corrupt_checkpoint_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.npz"
    path.write_bytes(b"not a checkpoint")
    trainer = qbm.Trainer(qbm.RBM(2, 1), qbm.CD(), progress=False)
    with pytest.raises(ValueError, match="not a readable qbm checkpoint"):
        trainer.load_checkpoint(path)


def test_progress_lines_when_stderr_is_not_a_terminal(bars, capsys, monkeypatch):
    monkeypatch.setattr(qbm.training.progress._LineProgress, "interval", 0.0)
    qbm.train(qbm.RBM(9, 4, random_state=0), bars, qbm.CD(), epochs=3, random_state=0,
              metrics={"kl": lambda m: qbm.metrics.kl_divergence(m, bars)})
    lines = capsys.readouterr().err.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["1/3", "2/3", "3/3"]
    assert all(" kl " in line and "s left" in line for line in lines)
