"""The API reference builds with warnings as errors and nitpicky cross-references: a public object
without a docstring, a broken reST construct or a reference to a qbm name that does not exist fails."""
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.slow
def test_the_api_reference_builds_without_warnings(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html",
                             str(DOCS), str(tmp_path / "html")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]
    assert (tmp_path / "html" / "api.html").read_text().count('class="sig-name descname"') > 100
