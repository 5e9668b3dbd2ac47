"""The documentation holds together: every Python block of the README runs, the README's headline figures are the
ones in the results files it names, and the whole site builds with warnings as errors (nitpicky cross-references,
the gallery executed, every code cell of the guides run, an error in one failing the build)."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDES = [DOCS / "quickstart.md", *sorted((DOCS / "guides").glob("*.md"))]
FENCE = re.compile(r"^```(python|\{code-cell\} ipython3)\n(.*?)^```", re.M | re.S)


def python_blocks(path: Path) -> list[str]:
    return [match.group(2) for match in FENCE.finditer(path.read_text())]


def run_blocks(path: Path, folder: Path, monkeypatch) -> None:
    """Every Python block of ``path`` in order, in one namespace, in ``folder``, with non-interactive plotting."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": "__docs__"}
    for number, block in enumerate(python_blocks(path), start=1):
        try:
            exec(compile(block, f"{path.name}, block {number}", "exec"), namespace)
        except Exception as error:
            raise AssertionError(f"{path.relative_to(ROOT)}, Python block {number} fails: {error!r}") from error


def test_the_readme_is_a_guide_of_at_most_250_lines_with_the_two_set_up_commands_first():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= 250
    commands = [line for line in lines[:12] if line.startswith("python3 -m venv")]
    assert len(commands) == 2 and "qbm train" in commands[0] and "pytest" in commands[1]
    assert not [line for line in lines if line.startswith("|")], "measurement tables live in the docs, not the README"


@pytest.mark.slow
def test_every_python_block_of_the_readme_runs(tmp_path, monkeypatch):
    assert len(python_blocks(ROOT / "README.md")) >= 4
    run_blocks(ROOT / "README.md", tmp_path, monkeypatch)


def test_every_guide_with_code_is_executed_by_the_build():
    """The build runs a guide's ``{code-cell}`` blocks where its header names it a notebook; a plain ``python``
    fence would be shown and never run."""
    for guide in GUIDES:
        text = guide.read_text()
        assert "```python" not in text, f"{guide.name}: a plain python block the build does not run"
        if python_blocks(guide):
            assert text.startswith("---\nfile_format: mystnb\n"), f"{guide.name}: code cells the build does not run"


def test_the_readme_headline_figures_are_those_of_the_results_files_it_names():
    """A figure in "How good, how fast" that its results file no longer holds is a stale figure."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## How good, how fast"):text.index("## Documentation")]
    items = [item for item in re.split(r"\n- ", section)[1:]]
    assert len(items) >= 3
    for item in items:
        files = re.findall(r"\(benchmarks/results/([\w.]+\.json)\)", item)
        assert files, f"a headline without its results file: {item[:60]!r}"
        stored = " ".join((ROOT / "benchmarks" / "results" / name).read_text() for name in files)
        stored = stored.replace("\\u2212", "-")
        for figure in re.findall(r"[−-]?\d+\.\d+%?", item):
            assert figure.replace("−", "-") in stored, f"{figure} is not in {', '.join(files)}"


def test_every_results_file_names_its_command_commit_and_machine():
    for path in sorted((ROOT / "benchmarks" / "results").glob("*.json")):
        parts = json.loads(path.read_text())["parts"]
        assert parts, path.name
        for name, record in parts.items():
            assert record["command"].startswith(f"python benchmarks/{path.stem}.py"), (path.name, name)
            assert re.fullmatch(r"[0-9a-f]{40}", record["commit"]) and record["machine"] and record["tables"]


@pytest.mark.slow
def test_the_documentation_builds_without_warnings(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html",
                             str(DOCS), str(tmp_path / "html")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-6000:]
    assert not list((DOCS / "guides").glob("*.npz")), "the guides' cells wrote into the source tree"
    html = tmp_path / "html"
    train_page = (html / "api" / "generated" / "qbm.train.html").read_text()
    assert 'id="qbm.train"' in train_page                      # documented under the name the guides use
    assert len(list((html / "api" / "generated").glob("*.html"))) > 120   # a page per public object
    gallery = (html / "auto_examples" / "index.html").read_text()
    assert gallery.count("sphx-glr-thumbcontainer") >= 5
    assert list((html / "_images").glob("sphx_glr_plot_training_phases_001.png"))
    training = (html / "guides" / "training.html").read_text()
    assert "api/generated/qbm.train.html" in training            # names in the guides link to their pages
    assert "Measured by" in (html / "benchmarks.html").read_text()
    assert "cell_output" in (html / "quickstart.html").read_text()           # the guides' cells ran in the build
    assert (html / "notebooks" / "03_mnist_features.html").read_text().count("<img") >= 2   # stored outputs shown
