"""The ``benchmark`` directive: tables rendered from a benchmark's results file, never pasted.

In a MyST page::

    ```{benchmark} bench_training digits
    ```

renders every table the part ``digits`` of ``benchmarks/bench_training.py`` stored in
``benchmarks/results/bench_training.json``, with its notes and pictures, under a line naming
the command that measured it, the commit, the date and the machine. ``:tables: 1, 3`` keeps
some of them (counted from 1). A missing file or part is an error of the docs build.
"""
from __future__ import annotations

import json
from pathlib import Path

from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def provenance(record: dict) -> str:
    """One line saying where the figures come from."""
    commit = record["commit"][:10] + (" with local changes" if record.get("modified") else "")
    seconds = record["seconds"]
    took = "" if seconds is None else f"; {seconds / 60:.0f} min" if seconds >= 120 else f"; {seconds:.0f} s"
    return (f"Measured by `{record['command']}` at commit `{commit}` on {record['date']} "
            f"({record['machine']}{took}).")


def render(record: dict, keep: list[int] | None = None, *, images: str = "") -> str:
    """A part of a results file as MyST markdown: provenance, then each table with its notes."""
    lines = [provenance(record), ""]
    lines += [*record.get("notes", []), ""]
    for number, table in enumerate(record["tables"], start=1):
        if keep and number not in keep:
            continue
        if table["title"]:
            lines += [f"**{table['title']}**", ""]
        if table["columns"]:
            lines.append("| " + " | ".join(map(_cell, table["columns"])) + " |")
            lines.append("|" + "---|" * len(table["columns"]))
            lines += ["| " + " | ".join(map(_cell, row)) + " |" for row in table["rows"]]
            lines.append("")
        lines += [*table["notes"], ""]
    for picture in record.get("figures", []):
        lines += [f"![{Path(picture).stem}]({images}{picture})", ""]
    return "\n".join(lines)


def load_part(script: str, part: str | None) -> dict:
    path = RESULTS / f"{script}.json"
    if not path.exists():
        raise ValueError(f"no results file {path}: run `python benchmarks/{script}.py`")
    parts = json.loads(path.read_text())["parts"]
    name = part or next(iter(parts))
    if name not in parts:
        raise ValueError(f"{path.name} has no part {name!r} (it has {', '.join(parts)}): "
                         f"run `python benchmarks/{script}.py {name}`")
    return parts[name]


class BenchmarkDirective(SphinxDirective):
    required_arguments = 1
    optional_arguments = 1
    option_spec = {"tables": directives.unchanged}

    def run(self):
        script, part = self.arguments[0], (self.arguments[1] if len(self.arguments) > 1 else None)
        try:
            record = load_part(script, part)
        except ValueError as error:
            raise self.error(str(error)) from None
        keep = [int(n) for n in self.options["tables"].replace(",", " ").split()] if "tables" in self.options else None
        self.env.note_dependency(str(RESULTS / f"{script}.json"))
        depth = len(Path(self.env.docname).parts) - 1
        text = render(record, keep, images="../" * (depth + 1))
        return self.parse_text_to_nodes(text)


def setup(app):
    app.add_directive("benchmark", BenchmarkDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
