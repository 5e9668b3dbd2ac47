import json
import re
import warnings
from dataclasses import asdict

import numpy as np
import pytest

import qbm
from conftest import all_bit_states
from qbm.cli import main
from qbm.cli.convert import read_model
from qbm.cli.train import FIXED_DEFAULTS, RECIPES


def test_train_writes_model_history_summary_and_plots(tmp_path, capsys):
    out = tmp_path / "run"
    status = main(["train", "--size", "3", "--hidden", "4", "--phase", "exact", "--epochs", "5",
                   "--num-reads", "50", "--output", str(out), "--quiet"])
    assert status == 0
    for name in ("learning_curve.png", "samples.png", "filters.png"):
        assert (out / name).read_bytes()[:4] == b"\x89PNG"
    model = qbm.load(out / "model.npz")
    assert (model.n_visible, model.n_hidden) == (9, 4)
    history = json.loads((out / "history.json").read_text())["epochs"]
    summary = json.loads((out / "summary.json").read_text())
    assert [record["epoch"] for record in history] == [1, 2, 3, 4, 5]
    data = qbm.datasets.bars_and_stripes(3)
    assert summary["kl_data_to_model"] == pytest.approx(qbm.metrics.kl_divergence(model, data))
    assert summary["log_likelihood"] == pytest.approx(qbm.log_likelihood(model, data))
    assert "kl_data_to_model" in capsys.readouterr().out


def test_same_seed_same_model(tmp_path):
    for name in ("a", "b"):
        main(["train", "--size", "3", "--hidden", "3", "--phase", "pcd", "--epochs", "4", "--seed", "3",
              "--output", str(tmp_path / name), "--quiet"])
    a, b = qbm.load(tmp_path / "a" / "model.npz"), qbm.load(tmp_path / "b" / "model.npz")
    assert np.array_equal(a.weights, b.weights)


def test_csv_and_npy_data_files(tmp_path):
    rows = qbm.datasets.bars_and_stripes(2)
    np.save(tmp_path / "rows.npy", rows)
    np.savetxt(tmp_path / "rows.csv", rows, delimiter=",", fmt="%d")
    for name in ("rows.npy", "rows.csv"):
        assert main(["train", "--data", str(tmp_path / name), "--hidden", "2", "--phase", "cd", "--epochs", "2",
                     "--output", str(tmp_path / name.replace(".", "_")), "--quiet"]) == 0


@pytest.mark.parametrize("args, message", [
    (["--data", "missing.csv"], "no data file"),
    (["--phase", "annealer"], "invalid choice: 'annealer'"),
    (["--data", "{bad}"], "must hold 0/1 values; found"),
    (["--data", "{txt}"], "must end in .npy, .csv or .txt"),
    (["--hidden", "0"], "--hidden is 0; an RBM needs at least one hidden unit"),
    (["--learning-rate", "-1"], "--learning-rate is -1.0; expected a finite positive number"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    bad = tmp_path / "bad.csv"
    bad.write_text("0,1\n2,1\n")
    txt = tmp_path / "rows.dat"
    txt.write_text("0,1\n")
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.npz").write_bytes(b"previous model")
    args = [a.format(bad=bad, txt=txt) for a in args]
    status = main(["train", "--epochs", "1", "--output", str(out), "--force", "--quiet", *args])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("qbm: error:") and message in err and len(err.strip().splitlines()) == 1
    assert (out / "model.npz").read_bytes() == b"previous model"


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model")
    rbm = qbm.RBM(9, 3, random_state=0)
    qbm.train(rbm, qbm.datasets.bars_and_stripes(3), qbm.ExactPhase(), epochs=30, batch_size=14,
              learning_rate=0.1, optimizer="adam", progress=False, random_state=0)
    rbm.save(folder / "model.npz")
    return rbm, folder / "model.npz"


def test_sample_clamps_units_and_writes_rows(saved_model, tmp_path, capsys):
    rbm, path = saved_model
    assert main(["sample", str(path), "--clamp", "0=1", "--clamp", "4=0", "--num-reads", "6"]) == 0
    printed = np.array([line.split() for line in capsys.readouterr().out.strip().splitlines()], dtype=int)
    assert printed.shape == (6, 9) and np.all(printed[:, 0] == 1) and np.all(printed[:, 4] == 0)
    for sampler in ("gibbs", "exact", "neal"):
        out = tmp_path / f"{sampler}.npy"
        assert main(["sample", str(path), "--sampler", sampler, "--num-reads", "5", "--sweeps", "50",
                     "--output", str(out)]) == 0
        assert np.load(out).shape == (5, 9)


def test_sample_starts_the_chains_from_the_rows_of_start(tmp_path, capsys):
    """A model whose every visible pattern is its own basin: one sweep from --start's rows returns those rows."""
    rbm = qbm.RBM(9, 9, weights=20.0 * np.eye(9), visible_bias=np.full(9, -10.0), hidden_bias=np.full(9, -10.0))
    rbm.save(tmp_path / "model.npz")
    rows = qbm.datasets.bars_and_stripes(3)
    np.savetxt(tmp_path / "rows.csv", rows, fmt="%d", delimiter=",")
    for start in (str(tmp_path / "rows.csv"), "bars-and-stripes"):
        assert main(["sample", str(tmp_path / "model.npz"), "--start", start, "--num-reads", str(len(rows)),
                     "--sweeps", "1", "--output", str(tmp_path / "drawn.npy")]) == 0
        assert sorted(map(tuple, np.load(tmp_path / "drawn.npy"))) == sorted(map(tuple, rows.astype(int)))
    capsys.readouterr()
    assert main(["sample", str(tmp_path / "model.npz"), "--start", "digits"]) == 2
    assert "--start 'digits' has 64 columns; the model has 9 visible units" in capsys.readouterr().err
    assert main(["sample", str(tmp_path / "model.npz"), "--start", "bars-and-stripes", "--sampler", "exact"]) == 2
    assert "initial_states" in capsys.readouterr().err
    qbm.quantum.QuantumBoltzmannMachine(9, transverse_field=1.0).save(tmp_path / "quantum.npz")
    assert main(["sample", str(tmp_path / "quantum.npz"), "--start", "bars-and-stripes"]) == 2
    assert "--start: a quantum Boltzmann machine is drawn exactly" in capsys.readouterr().err


def test_sample_starts_from_the_runs_training_data_by_default(tmp_path, capsys):
    """In a qbm train folder the chains begin at the run's data (--start random opts out); elsewhere at random."""
    rbm = qbm.RBM(9, 9, weights=20.0 * np.eye(9), visible_bias=np.full(9, -10.0), hidden_bias=np.full(9, -10.0))
    rows = {tuple(row) for row in qbm.datasets.bars_and_stripes(3).astype(int)}
    run, loose = tmp_path / "run", tmp_path / "loose"
    for folder in (run, loose):
        folder.mkdir()
        rbm.save(folder / "model.npz")
    settings = {**FIXED_DEFAULTS, **asdict(RECIPES["bars-and-stripes"]), "size": 3}   # a run.json as qbm train writes it
    (run / "run.json").write_text(json.dumps(settings))

    def drawn(folder, *options) -> set:
        assert main(["sample", str(folder / "model.npz"), "--num-reads", "64", "--sweeps", "1", "--output",
                     str(tmp_path / "drawn.npy"), *options]) == 0
        return set(map(tuple, np.load(tmp_path / "drawn.npy")))

    assert drawn(run) == rows                        # every pattern its own basin: the chains stay at the data
    assert not drawn(run, "--start", "random") <= rows
    assert not drawn(loose) <= rows
    assert drawn(run, "--sampler", "exact") and drawn(run, "--sampler", "neal") <= rows
    (run / "run.json").write_text(json.dumps({**settings, "data": str(tmp_path / "gone.npy")}))
    capsys.readouterr()
    assert main(["sample", str(run / "model.npz")]) == 2
    err = capsys.readouterr().err
    assert "gone.npy" in err and "give --start DATA, or --start random" in err
    (run / "run.json").write_text(json.dumps({**settings, "size": 0}))
    assert main(["sample", str(run / "model.npz")]) == 2
    assert "run.json has size 0; expected a positive integer" in capsys.readouterr().err


def test_evaluate_reports_exact_measures(saved_model, tmp_path, capsys):
    rbm, path = saved_model
    rows = qbm.datasets.bars_and_stripes(3)
    np.save(tmp_path / "rows.npy", rows)
    assert main(["evaluate", str(path), str(tmp_path / "rows.npy")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["log_likelihood"] == pytest.approx(qbm.log_likelihood(rbm, rows))
    assert report["kl_data_to_model"] == pytest.approx(qbm.metrics.kl_divergence(rbm, rows))
    assert report["pseudo_log_likelihood"] == pytest.approx(qbm.metrics.pseudo_log_likelihood(rbm, rows))


def test_a_warning_is_one_line_on_stderr(saved_model, tmp_path, capsys, monkeypatch):
    """What the library warns of (an anneal too short for the model, sides that cross) reaches the user as one line,
    without Python's file and source line; the run still ends with its report."""
    def warning_report(model, data, random_state=None):
        warnings.warn("log_likelihood_bounds: the anneal is too short", RuntimeWarning, stacklevel=2)
        return {"log_likelihood": -1.0}

    monkeypatch.setattr(qbm.metrics, "likelihood_report", warning_report)
    _, path = saved_model
    np.save(tmp_path / "rows.npy", qbm.datasets.bars_and_stripes(3))
    assert main(["evaluate", str(path), str(tmp_path / "rows.npy")]) == 0
    captured = capsys.readouterr()
    assert captured.err == "qbm: warning: log_likelihood_bounds: the anneal is too short\n"
    assert json.loads(captured.out)["log_likelihood"] == -1.0


def test_convert_round_trip_keeps_every_energy(tmp_path, capsys):
    rng = np.random.default_rng(0)
    Q = np.triu(rng.normal(0, 1, (5, 5)))
    terms = [[i, j, Q[i, j]] for i in range(5) for j in range(i, 5)]
    (tmp_path / "q.json").write_text(json.dumps({"Q": terms, "offset": 0.25}))
    assert main(["convert", str(tmp_path / "q.json"), "--to", "ising", "--output", str(tmp_path / "i.coo")]) == 0
    assert main(["convert", str(tmp_path / "i.coo"), "--to", "ising", "--output", str(tmp_path / "i.json")]) == 0
    assert main(["convert", str(tmp_path / "i.json"), "--to", "qubo", "--output", str(tmp_path / "back.json")]) == 0
    ising = json.loads((tmp_path / "i.json").read_text())
    h = np.zeros(5)
    J = np.zeros((5, 5))
    for i, value in ising["h"]:
        h[i] = value
    for i, j, value in ising["J"]:
        J[i, j] = value
    bits = all_bit_states(5)
    expected = np.einsum("ni,ij,nj->n", bits, Q, bits) + 0.25
    assert np.allclose(qbm.energies((h, J, ising["offset"]), 2 * bits - 1), expected)
    back = json.loads((tmp_path / "back.json").read_text())
    Q_back = np.zeros((5, 5))
    for i, j, value in back["Q"]:
        Q_back[i, j] += value
    assert np.allclose(Q_back, Q) and back["offset"] == pytest.approx(0.25)


def test_convert_example_prints_the_two_variable_table(capsys):
    assert main(["convert", "--example"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "|" in line][1:]
    energies = [float(row.split("|")[1]) for row in rows]
    ising = [float(row.split("|")[3]) for row in rows]
    probabilities = [float(row.split("|")[4]) for row in rows]
    assert energies == ising == [0.0, -1.0, -1.0, 0.0]
    assert probabilities == pytest.approx(qbm.distribution(np.array([[-1.0, 2.0], [0.0, -1.0]]))[2], abs=1e-4)


@pytest.mark.parametrize("argv, message", [
    (["sample", "{missing}"], "no model file"),
    (["sample", "{model}", "--clamp", "3"], "--clamp takes UNIT=VALUE"),
    (["sample", "{model}", "--clamp", "40=1"], "visible unit indices 0..8"),
    (["sample", "{model}", "--sampler", "qpu-magic"], "invalid choice"),
    (["evaluate", "{model}", "{wide}"], "data must have 9 columns"),
    (["evaluate", "{model}", "{missing}"], "no data file"),
    (["convert", "{missing}", "--to", "ising"], "no input file"),
    (["convert", "{bad_json}", "--to", "ising"], "not a QUBO or Ising JSON file"),
    (["convert", "{model}", "--to", "qubo"], "must end in .json, .coo or .txt"),
    (["convert", "{bad_json}"], "--to ising|qubo"),
    (["train", "--phase", "qpu", "--epochs", "1", "--output", "{out}"], "dwave config create"),
])
def test_bad_input_to_every_command_is_one_line(saved_model, tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.delenv("DWAVE_API_TOKEN", raising=False)
    (tmp_path / "dwave.conf").write_text("[defaults]\n")
    monkeypatch.setenv("DWAVE_CONFIG_FILE", str(tmp_path / "dwave.conf"))
    np.save(tmp_path / "wide.npy", np.zeros((3, 12)))
    (tmp_path / "bad.json").write_text('{"x": 1}')
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.npz").write_bytes(b"previous model")
    names = {"missing": tmp_path / "nothing.npz", "model": saved_model[1], "wide": tmp_path / "wide.npy",
             "bad_json": tmp_path / "bad.json", "out": out}
    status = main([a.format(**names) for a in argv])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("qbm: error:") and message in err and len(err.strip().splitlines()) == 1
    assert (out / "model.npz").read_bytes() == b"previous model"


@pytest.mark.parametrize("command", ["train", "sample", "evaluate", "convert"])
def test_every_command_has_help(capsys, command):
    assert main([command, "--help"]) == 0
    assert f"usage: qbm {command}" in capsys.readouterr().out


@pytest.mark.slow
def test_evaluate_falls_back_to_ais_past_enumeration(tmp_path, capsys):
    rbm = qbm.RBM(36, 36, random_state=0)
    rbm.save(tmp_path / "big.npz")
    rows = np.random.default_rng(0).integers(0, 2, (5, 36))
    np.save(tmp_path / "rows.npy", rows)
    assert main(["evaluate", str(tmp_path / "big.npz"), str(tmp_path / "rows.npy"), "--seed", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    bounds = qbm.metrics.log_likelihood_bounds(rbm, rows, num_reads=100, betas=10_000, raise_reads=10,
                                               random_state=3)   # five rows: RAISE from each
    assert "log_likelihood" not in report
    assert report["log_likelihood_ais"] == pytest.approx(bounds["upper"])
    assert report["log_partition_ais_standard_error"] == pytest.approx(bounds["upper_se"])
    assert report["log_likelihood_raise"] == pytest.approx(bounds["lower"])
    assert report["log_likelihood_raise_standard_error"] == pytest.approx(bounds["lower_se"])


@pytest.mark.parametrize("phase, hidden", [("quantum-exact", 0), ("quantum-bound", 2), ("quantum-trotter", 2),
                                           ("quantum-path-integral", 0)])
def test_train_and_evaluate_a_quantum_boltzmann_machine(tmp_path, capsys, phase, hidden):
    out = tmp_path / "qbm"
    assert main(["train", "--size", "2", "--hidden", str(hidden), "--transverse-field", "0.8", "--phase", phase,
                 "--epochs", "3", "--num-reads", "20", "--sweeps", "20", "--output", str(out), "--quiet"]) == 0
    model = qbm.load(out / "model.npz")
    assert type(model).__name__ == "QuantumBoltzmannMachine" and model.n_hidden == hidden
    data = qbm.datasets.bars_and_stripes(2)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["log_likelihood"] == pytest.approx(qbm.quantum.log_likelihood(model, data))
    capsys.readouterr()
    assert main(["evaluate", str(out / "model.npz"), "bars-and-stripes", "--size", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kl_data_to_model"] == pytest.approx(qbm.quantum.kl_divergence(model, data))


def test_the_path_integral_phase_refuses_a_field_on_the_hidden_units_only(tmp_path, capsys):
    out = tmp_path / "qrbm"
    assert main(["train", "--size", "2", "--hidden", "2", "--transverse-field", "0.8", "--phase",
                 "quantum-path-integral", "--epochs", "2", "--output", str(out), "--quiet"]) == 2
    assert "--phase quantum-trotter" in capsys.readouterr().err and not out.exists()


def test_a_run_is_never_replaced_without_force(tmp_path, capsys):
    out = tmp_path / "run"
    common = ["train", "--size", "2", "--hidden", "2", "--phase", "exact", "--epochs", "2", "--quiet", "--output", str(out)]
    assert main(common) == 0
    first = (out / "model.npz").read_bytes()
    assert main(common + ["--hidden", "3"]) == 2
    assert "--force" in capsys.readouterr().err and (out / "model.npz").read_bytes() == first
    assert main(common + ["--hidden", "3", "--force"]) == 0
    assert qbm.load(out / "model.npz").n_hidden == 3


def test_data_files_with_a_header_and_whitespace_tables(tmp_path):
    (tmp_path / "rows.csv").write_text("p0,p1,p2\n0,1,1\n1,0,0\n")
    (tmp_path / "rows.txt").write_text("0 1 1\n1 0 0\n")
    for name in ("rows.csv", "rows.txt"):
        out = tmp_path / name.replace(".", "-")
        assert main(["train", "--data", str(tmp_path / name), "--hidden", "2", "--phase", "exact", "--epochs", "1",
                     "--quiet", "--output", str(out)]) == 0
        assert qbm.load(out / "model.npz").n_visible == 3


def test_convert_example_writes_a_file_for_the_documented_round_trip(tmp_path, capsys):
    problem, ising, back = tmp_path / "problem.json", tmp_path / "ising.json", tmp_path / "back.json"
    assert main(["convert", "--example", "--output", str(problem)]) == 0
    assert main(["convert", str(problem), "--to", "ising", "--output", str(ising)]) == 0
    assert main(["convert", str(ising), "--to", "qubo", "--output", str(back)]) == 0
    original, returned = (read_model(path) for path in (problem, back))
    assert original == returned
    assert np.allclose(qbm.convert.qubo_matrix(original)[0], [[-1.0, 2.0], [0.0, -1.0]])


def test_the_summary_of_a_cd_run_counts_gibbs_steps(tmp_path):
    out = tmp_path / "cd"
    assert main(["train", "--size", "2", "--hidden", "2", "--phase", "cd", "--epochs", "3", "--batch-size", "4",
                 "--quiet", "--output", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["gibbs_steps"] == 3 * 2 and "sampler_calls" not in summary   # 6 rows in batches of 4: 2 steps


def _history_without_times(folder):
    epochs = json.loads((folder / "history.json").read_text())["epochs"]
    return [{key: value for key, value in record.items() if key != "seconds"} for record in epochs]


def _interrupt_after_three_epochs(monkeypatch) -> None:
    """Make the next run's per-epoch measure raise KeyboardInterrupt in its fourth epoch."""
    measure = qbm.cli.train._per_epoch_measures

    def interrupting_measures(model, data):
        kl = measure(model, data)["kl"]
        calls = iter(range(100))
        return {"kl": lambda m: kl(m) if next(calls) < 3 else (_ for _ in ()).throw(KeyboardInterrupt)}

    monkeypatch.setattr(qbm.cli.train, "_per_epoch_measures", interrupting_measures)


@pytest.mark.parametrize("options", [["--phase", "neal"], ["--phase", "pcd"], ["--phase", "tempering", "--centering"]])
def test_an_interrupted_run_resumes_to_the_uninterrupted_result(tmp_path, capsys, monkeypatch, options):
    monkeypatch.setattr(qbm.cli.train, "CHECKPOINT_SECONDS", 0.0)   # a checkpoint after every epoch
    settings = ["train", "--size", "3", "--hidden", "3", *options, "--epochs", "6", "--num-reads", "20",
                "--sweeps", "10", "--seed", "5", "--quiet"]
    assert main(settings + ["--output", str(tmp_path / "whole")]) == 0
    measure = qbm.cli.train._per_epoch_measures
    _interrupt_after_three_epochs(monkeypatch)
    interrupted = tmp_path / "interrupted"
    assert main(settings + ["--output", str(interrupted)]) == 130
    err = capsys.readouterr().err
    assert f"qbm train --resume {interrupted}" in err and "stopped during epoch 4" in err
    assert not (interrupted / "model.npz").exists() and (interrupted / "checkpoint.npz").exists()
    assert main(["train", "--output", str(interrupted)] + settings[1:]) == 2           # not replaced unasked
    assert "--resume" in capsys.readouterr().err

    monkeypatch.setattr(qbm.cli.train, "_per_epoch_measures", measure)
    assert main(["train", "--resume", str(interrupted), "--quiet"]) == 0
    assert "resumed at epoch 3" in capsys.readouterr().out
    whole, resumed = (np.load(tmp_path / name / "model.npz") for name in ("whole", "interrupted"))
    assert all(np.array_equal(whole[key], resumed[key]) for key in whole.files)
    assert _history_without_times(tmp_path / "whole") == _history_without_times(interrupted)
    assert not (interrupted / "checkpoint.npz").exists()


def test_a_run_stored_before_the_centering_setting_resumes_without_centring(tmp_path, monkeypatch):
    monkeypatch.setattr(qbm.cli.train, "CHECKPOINT_SECONDS", 0.0)
    settings = ["train", "--size", "3", "--hidden", "2", "--phase", "tempering", "--epochs", "5", "--num-reads", "10",
                "--seed", "2", "--quiet"]
    assert main(settings + ["--no-centering", "--output", str(tmp_path / "plain")]) == 0
    assert main(settings + ["--output", str(tmp_path / "centred")]) == 0   # the bars-and-stripes recipe centres
    measure = qbm.cli.train._per_epoch_measures
    _interrupt_after_three_epochs(monkeypatch)
    old = tmp_path / "old"
    assert main(settings + ["--no-centering", "--output", str(old)]) == 130
    stored = json.loads((old / "run.json").read_text())
    del stored["centering"]                       # as written before the setting existed
    (old / "run.json").write_text(json.dumps(stored))
    monkeypatch.setattr(qbm.cli.train, "_per_epoch_measures", measure)
    assert main(["train", "--resume", str(old), "--quiet"]) == 0
    plain, centred, resumed = (np.load(tmp_path / name / "model.npz") for name in ("plain", "centred", "old"))
    assert np.array_equal(plain["weights"], resumed["weights"])
    assert not np.allclose(centred["weights"], resumed["weights"])
    assert json.loads((old / "summary.json").read_text())["centering"] is False


def test_fast_rate_sets_the_fast_weights_of_pcd_and_a_run_stored_before_it_resumes_at_the_default(tmp_path,
                                                                                                   monkeypatch, capsys):
    from qbm.cli.train import PCD_FAST_RATE

    monkeypatch.setattr(qbm.cli.train, "CHECKPOINT_SECONDS", 0.0)
    settings = ["train", "--size", "4", "--hidden", "4", "--phase", "pcd", "--epochs", "5", "--num-reads", "20",
                "--quiet"]
    for rate in (0.0, PCD_FAST_RATE):
        assert main(settings + ["--fast-rate", str(rate), "--output", str(tmp_path / str(rate))]) == 0
    assert json.loads((tmp_path / "0.0" / "summary.json").read_text())["phase"] == "PCD(num_chains=20, k=1)"
    _interrupt_after_three_epochs(monkeypatch)
    old = tmp_path / "old"
    assert main(settings + ["--output", str(old)]) == 130
    stored = json.loads((old / "run.json").read_text())
    del stored["fast_rate"]                       # as written before the setting existed
    (old / "run.json").write_text(json.dumps(stored))
    monkeypatch.undo()
    assert main(["train", "--resume", str(old), "--quiet"]) == 0
    plain, default, resumed = (np.load(tmp_path / name / "model.npz") for name in ("0.0", str(PCD_FAST_RATE), "old"))
    assert np.array_equal(default["weights"], resumed["weights"])
    assert not np.allclose(plain["weights"], resumed["weights"])
    capsys.readouterr()
    assert main(["train", "--phase", "cd", "--fast-rate", "0.1", "--output", str(tmp_path / "cd")]) == 2
    assert "--fast-rate sets the fast weights of --phase pcd; phase cd has none" in capsys.readouterr().err


@pytest.mark.parametrize("signal_name, status", [("SIGINT", 130), ("SIGTERM", 143)])
def test_ctrl_c_and_sigterm_print_the_resume_command(tmp_path, signal_name, status):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "run"
    # as from a terminal: a shell's background job (as CI may be) would pass SIGINT on ignored
    process = subprocess.Popen([sys.executable, "-m", "qbm.cli", "train", "--size", "3", "--hidden", "3", "--phase",
                                "cd", "--epochs", "1000000", "--output", str(out), "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert process.stdout.readline().startswith("qbm train:")      # training has begun
        time.sleep(0.5)
        process.send_signal(getattr(signal, signal_name))
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == status, err
    assert f"continue it with: qbm train --resume {out}" in err
    assert (out / "checkpoint.npz").exists() and json.loads((out / "run.json").read_text())["phase"] == "cd"
    assert not (out / ".qbm-lock").exists()


@pytest.fixture
def sigint_as_from_a_terminal():
    """SIGINT raising KeyboardInterrupt, as Python sets it up under a terminal; a shell's background job (as CI may
    be) starts with SIGINT ignored, and the command leaves an ignored SIGINT ignored."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("signal_name, status, word", [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated")])
@pytest.mark.usefixtures("sigint_as_from_a_terminal")
def test_a_signal_that_numpy_turns_into_an_error_still_ends_the_run_as_that_signal(monkeypatch, capsys, signal_name,
                                                                                     status, word):
    import os
    import signal

    from qbm.cli import convert as convert_command

    def run_that_a_c_call_interrupts(args):
        try:
            os.kill(os.getpid(), getattr(signal, signal_name))   # the handler runs as the call returns
        except BaseException as exc:   # as numpy does inside a comparison
            raise TypeError("Cannot compare structured arrays unless they have a common dtype") from exc

    monkeypatch.setattr(convert_command, "run", run_that_a_c_call_interrupts)
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    assert main(["convert", "--example"]) == status
    assert capsys.readouterr().err == f"qbm: {word}\n"
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
    monkeypatch.undo()
    assert main(["convert", "--example"]) == 0   # the next run in the same process starts with no signal pending


def test_a_failed_force_leaves_the_finished_run_as_it_was(tmp_path):
    out = tmp_path / "run"
    assert main(["train", "--phase", "cd", "--epochs", "5", "--output", str(out), "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for bad in (["--sweeps", "-1"], ["--phase", "gibbs", "--sweeps", "0"], ["--num-reads", "1000000000"],
                ["--learning-rate", "0"]):
        assert main(["train", *bad, "--epochs", "5", "--force", "--output", str(out), "--quiet"]) == 2
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_interrupted_force_keeps_the_old_results_and_resumes_the_new_run(tmp_path, monkeypatch):
    from qbm.cli import train as train_command

    out = tmp_path / "run"
    assert main(["train", "--phase", "cd", "--epochs", "3", "--output", str(out), "--quiet"]) == 0
    old_model = (out / "model.npz").read_bytes()
    original = train_command.Trainer.fit

    def interrupted(self, data, epochs):
        original(self, data, 2)
        raise KeyboardInterrupt

    monkeypatch.setattr(train_command.Trainer, "fit", interrupted)
    assert main(["train", "--phase", "cd", "--epochs", "4", "--force", "--output", str(out), "--quiet"]) == 130
    assert (out / "model.npz").read_bytes() == old_model and (out / "run.next.json").exists()
    monkeypatch.setattr(train_command.Trainer, "fit", original)
    assert main(["train", "--resume", str(out), "--quiet"]) == 0
    assert json.loads((out / "run.json").read_text())["epochs"] == 4 and not (out / "run.next.json").exists()
    assert len(json.loads((out / "history.json").read_text())["epochs"]) == 4


@pytest.mark.slow
def test_two_runs_into_one_folder_one_wins_the_other_is_refused_naming_the_holder(tmp_path):
    import subprocess
    import sys

    for attempt in range(3):
        out = tmp_path / f"run{attempt}"
        command = [sys.executable, "-m", "qbm.cli", "train", "--size", "3", "--hidden", "3", "--phase", "cd",
                   "--epochs", "300", "--output", str(out), "--quiet"]
        processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2)]
        results = [process.communicate(timeout=120) for process in processes]
        assert sorted(process.returncode for process in processes) == [0, 2], results
        refused = next(err for (_, err), process in zip(results, processes) if process.returncode == 2)
        assert re.search(r"in use by another qbm train \(process \d+\)|already holds a run", refused), refused
        assert main(["evaluate", str(out / "model.npz"), "bars-and-stripes", "--size", "3"]) == 0
        assert sorted(p.name for p in out.iterdir()) == sorted(["model.npz", "history.json", "history.csv",
                                                                "summary.json", "learning_curve.png", "samples.png",
                                                                "filters.png", "run.json"])


@pytest.mark.parametrize("argv, message", [
    (["--resume", "{finished}"], "that run is finished"),
    (["--resume", "{empty}"], "is not an interrupted qbm train run"),
    (["--resume", "{finished}", "--epochs", "9"], "do not give --epochs with it"),
    (["--resume", "{finished}", "--force"], "do not give --force with it"),
    (["--resume", "{finished}", "--no-centering"], "do not give --centering with it"),
])
def test_resume_refuses_what_it_cannot_continue(tmp_path, capsys, argv, message):
    finished, empty = tmp_path / "finished", tmp_path / "empty"
    empty.mkdir()
    assert main(["train", "--size", "2", "--hidden", "2", "--phase", "cd", "--epochs", "1", "--quiet",
                 "--output", str(finished)]) == 0
    capsys.readouterr()
    assert main(["train"] + [arg.format(finished=finished, empty=empty) for arg in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qbm: error:") and message in err and len(err.strip().splitlines()) == 1


def test_each_data_set_has_its_own_defaults_stated_in_help(tmp_path, capsys, monkeypatch):
    from qbm.cli.train import RECIPES

    monkeypatch.setenv("COLUMNS", "400")   # no line breaks inside a data set's name
    assert main(["train", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for name, recipe in RECIPES.items():
        assert f"{recipe.hidden} for {name}" in text and f"{recipe.epochs} for {name}" in text
        assert f"{recipe.phase} for {name}" in text and f"{recipe.centering} for {name}" in text
        assert f"{recipe.fast_rate} for {name}" in text and f"{recipe.num_reads} for {name}" in text
    out = tmp_path / "digits"
    assert main(["train", "--data", "digits", "--epochs", "1", "--quiet", "--output", str(out)]) == 0
    settings = json.loads((out / "run.json").read_text())
    digits = RECIPES["digits"]
    assert (settings["hidden"], settings["phase"], settings["batch_size"], settings["learning_rate"],
            settings["centering"], settings["fast_rate"], settings["num_reads"]) == \
        (digits.hidden, digits.phase, digits.batch_size, digits.learning_rate, digits.centering, digits.fast_rate,
         digits.num_reads)
    assert qbm.load(out / "model.npz").n_hidden == digits.hidden


@pytest.mark.parametrize("size, hidden, phase, rate", [
    (4, None, "exact-gradient", 0.1),   # the default model: 8 hidden units enumerated each step
    (4, 30, "exact-gradient", 0.1),     # 16 visible units, the smaller layer, enumerated instead
    (5, 17, "tempering", 0.05),         # 17 units in the smaller layer: sampled instead
])
def test_bars_and_stripes_takes_the_exact_gradient_where_a_step_can_enumerate(tmp_path, size, hidden, phase, rate):
    from qbm.cli.train import EXACT_GRADIENT_UNITS

    out = tmp_path / "run"
    args = ["train", "--size", str(size), "--epochs", "1", "--quiet", "--output", str(out)]
    assert main(args + ([] if hidden is None else ["--hidden", str(hidden)])) == 0
    settings = json.loads((out / "run.json").read_text())
    assert (settings["phase"], settings["learning_rate"], settings["centering"]) == (phase, rate, True)
    assert (min(size * size, settings["hidden"]) <= EXACT_GRADIENT_UNITS) == (phase == "exact-gradient")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["phase"].startswith("ExactPhase" if phase == "exact-gradient" else "ParallelTempering")


@pytest.mark.parametrize("options, phase, rate", [
    (["--phase", "cd"], "cd", 0.05), (["--phase", "exact-gradient"], "exact-gradient", 0.1),
    (["--phase", "cd", "--learning-rate", "0.3"], "cd", 0.3), (["--transverse-field", "1"], "quantum-exact", 0.05)])
def test_bars_and_stripes_takes_the_rate_of_the_phase_given(tmp_path, options, phase, rate):
    out = tmp_path / "run"
    assert main(["train", "--size", "2", "--hidden", "2", "--epochs", "1", "--quiet", "--output", str(out),
                 *options]) == 0
    settings = json.loads((out / "run.json").read_text())
    assert (settings["phase"], settings["learning_rate"]) == (phase, rate)


@pytest.fixture
def drawn(monkeypatch):
    """The figures qbm.plots would write, kept for inspection."""
    figures = []
    monkeypatch.setattr(qbm.plots, "_save", lambda figure, path: figures.append(figure))
    return figures


def test_learning_curve_names_the_measure_its_unit_and_the_run(drawn):
    records = [{"epoch": e, "kl": 2.0 / e, "log_likelihood": -3.0 / e} for e in range(1, 6)]
    qbm.plots.learning_curve(records, ["kl", "log_likelihood"], "unused.png", title="B&S · RBM 16×8 · phase neal",
                             labels=qbm.cli.train.MEASURE_LABELS, log_scale=True)
    figure, = drawn
    kl_axes, ll_axes = figure.axes
    assert kl_axes.get_ylabel() == "KL(data ‖ model), nats" and kl_axes.get_yscale() == "log"
    assert ll_axes.get_ylabel() == "log-likelihood, nats per example" and ll_axes.get_yscale() == "symlog"
    assert figure.get_suptitle() == "B&S · RBM 16×8 · phase neal"
    assert list(kl_axes.lines[0].get_ydata()) == [record["kl"] for record in records]


def test_learning_curve_chooses_its_axes_from_the_values(drawn):
    """A KL falling over decades gets a log axis (its late epochs show); a log-likelihood a linear axis zoomed
    past the first tenth of the run; epochs are whole numbers; the note says how the run ended."""
    records = [{"epoch": e, "kl": 5.0 / e ** 2, "log_likelihood": -50.0 / e - 10} for e in range(1, 101)]
    qbm.plots.learning_curve(records, ["kl", "log_likelihood"], "unused.png", note="end of run: KL 0.0005")
    figure, = drawn
    kl_axes, ll_axes = figure.axes
    assert kl_axes.get_yscale() == "log" and ll_axes.get_yscale() == "linear"
    assert ll_axes.get_ylim()[0] > -50.0 / 1 - 10                  # the first epochs run off the bottom
    assert ll_axes.get_ylim()[0] <= min(r["log_likelihood"] for r in records[10:])
    ticks = kl_axes.xaxis.get_major_locator()()
    assert np.allclose(ticks, np.round(ticks))
    assert figure.get_supxlabel() == "end of run: KL 0.0005"


def test_image_tiles_each_have_a_frame_and_a_bar_says_black_is_one(drawn):
    images = qbm.datasets.bars_and_stripes(3)[:7]              # 3×3 tiles, some all white or all black
    qbm.plots.image_grid(images, "unused.png", columns=4)
    figure, = drawn
    *tile_axes, colour_bar = figure.axes
    shown = [ax for ax in tile_axes if ax.images]
    assert len(tile_axes) == 8 and len(shown) == 7 and not tile_axes[7].axison   # the empty slot draws nothing
    tiles = np.array([ax.images[0].get_array()[:, :, 0] for ax in shown])
    assert np.allclose(1 - tiles.reshape(7, 9), images)          # grey levels: 0 white, 1 black
    assert all(ax.spines["top"].get_visible() for ax in shown)   # every tile framed on its own
    assert [label.get_text() for label in colour_bar.get_yticklabels()] == ["0 (white)", "1 (black)"]


def test_clamped_pixels_are_drawn_in_blue(drawn):
    images = np.array([[1, 1, 0, 0], [0, 1, 1, 0]], dtype=float)
    qbm.plots.image_grid(images, "unused.png", clamped=[True, False, False, False])
    pixels = drawn[0].axes[0].images[0].get_array()
    red, green, blue = pixels[0, 0, :3]
    assert blue > red + 0.2 and np.allclose(pixels[0, 1, :3], 0.0)   # the clamped black pixel is blue, the free one black
    assert drawn[0].get_supxlabel().startswith("clamped pixels in blue")


@pytest.mark.parametrize("count, layout", [(16, (4, 4)), (20, (4, 5)), (50, (5, 10)), (7, (3, 3))])
def test_grids_are_full_lines_where_a_layout_allows(drawn, count, layout):
    qbm.plots.image_grid(np.zeros((count, 4)), "unused.png")
    rows, columns = drawn[0].axes[0].get_subplotspec().get_gridspec().get_geometry()
    assert (rows, columns) == layout


def test_filters_use_a_diverging_map_centred_on_zero_with_a_colour_bar(drawn):
    weights = np.array([[0.5, -2.0, 1.0, 0.0], [0.3, 0.2, -0.1, 0.4]])
    qbm.plots.image_grid(weights, "unused.png", symmetric=True)
    figure, = drawn
    *image_axes, colour_bar = figure.axes
    limit = np.percentile(np.abs(weights), 99)                  # a few extreme weights do not set the scale
    assert np.allclose(colour_bar.get_ylim(), (-limit, limit))
    assert "RdBu_r" in [collection.get_cmap().name for collection in colour_bar.collections]
    assert colour_bar.get_ylabel() == "weight"


def test_sample_draws_a_png_grid_for_square_images(saved_model, tmp_path, capsys):
    png = tmp_path / "samples.png"
    assert main(["sample", str(saved_model[1]), "--num-reads", "12", "--png", str(png)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG" and "12 samples drawn" in capsys.readouterr().out
    wide = tmp_path / "wide.npz"
    qbm.RBM(10, 2, random_state=0).save(wide)
    assert main(["sample", str(wide), "--png", str(png)]) == 2
    assert "not a square number" in capsys.readouterr().err


def test_the_default_run_folder_is_ignored_by_git():
    from pathlib import Path

    ignored = (Path(__file__).parents[1] / ".gitignore").read_text().split()
    assert f"{qbm.cli.train.DEFAULT_OUTPUT}/" in ignored


def test_version_is_the_installed_distributions(capsys):
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"qbm {version('qbm')}" == f"qbm {qbm.__version__}"


def test_resume_at_the_last_epoch_with_a_history_that_lacks_the_measure_finishes_the_run(tmp_path, monkeypatch):
    from qbm.cli import train as train_command

    out = tmp_path / "run"
    original = train_command.Trainer.fit

    def stopped_after_the_last_epoch(self, data, epochs):
        original(self, data, epochs)
        self.save_checkpoint(out / "checkpoint.npz")
        raise KeyboardInterrupt

    monkeypatch.setattr(train_command.Trainer, "fit", stopped_after_the_last_epoch)
    assert main(["train", "--size", "2", "--hidden", "2", "--phase", "cd", "--epochs", "3", "--output", str(out),
                 "--quiet"]) == 130
    monkeypatch.setattr(train_command.Trainer, "fit", original)
    arrays = dict(np.load(out / "checkpoint.npz"))
    loop = json.loads(str(arrays["loop"]))
    loop["history"] = [{key: value for key, value in record.items() if key != "kl"} for record in loop["history"]]
    arrays["loop"] = np.array(json.dumps(loop))
    np.savez(out / "checkpoint.npz", **arrays)
    assert main(["train", "--resume", str(out), "--quiet"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    model = qbm.load(out / "model.npz")
    assert summary["kl_data_to_model"] == pytest.approx(qbm.metrics.kl_divergence(model, qbm.datasets.bars_and_stripes(2)))
    assert not (out / "checkpoint.npz").exists()
