"""The ``phase-registry`` directive: the table of registered phases, read from the registry itself."""
from __future__ import annotations

from sphinx.util.docutils import SphinxDirective


class PhaseRegistryDirective(SphinxDirective):
    def run(self):
        import qbm.quantum  # noqa: F401  (registers the quantum phases)
        from qbm.phases import phase_entry, phase_names

        lines = ["| name | trains | what it does |", "|---|---|---|"]
        for name in phase_names():
            entry = phase_entry(name)
            lines.append(f"| `{name}` | {entry.model} models | {entry.summary.replace('|', '/')} |")
        return self.parse_text_to_nodes("\n".join(lines))


def setup(app):
    app.add_directive("phase-registry", PhaseRegistryDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
