import json

import numpy as np
import pytest

import qbm
from qbm.cli import main


def test_train_writes_model_history_and_summary(tmp_path, capsys):
    out = tmp_path / "run"
    status = main(["train", "--size", "3", "--hidden", "4", "--phase", "exact", "--epochs", "5",
                   "--reads", "50", "--output", str(out), "--quiet"])
    assert status == 0
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
    (["--data", "{bad}"], "must hold a 2-D array of 0/1 values"),
    (["--data", "{txt}"], "must end in .npy or .csv"),
    (["--hidden", "0"], "n_hidden must be at least 1"),
    (["--learning-rate", "-1"], "learning_rate must be a finite positive"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    bad = tmp_path / "bad.csv"
    bad.write_text("0,1\n2,1\n")
    txt = tmp_path / "rows.txt"
    txt.write_text("0,1\n")
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.npz").write_bytes(b"previous model")
    args = [a.format(bad=bad, txt=txt) for a in args]
    status = main(["train", "--epochs", "1", "--output", str(out), "--quiet", *args])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("qbm: error:") and message in err and len(err.strip().splitlines()) == 1
    assert (out / "model.npz").read_bytes() == b"previous model"
