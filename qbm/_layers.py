"""The layers of the package, bottom to top: the one table that the architecture test reads.

A module belongs to the entry with the longest prefix of its name; it may import modules of its own
layer and of the layers below, never above.  The quantum wing stands beside the classical layers
from models to phases: only the faces import it.

>>> layer_of("qbm.exact.elimination"), layer_of("qbm.cli.train"), layer_of("qbm")
('exact', 'faces', 'faces')
"""
from __future__ import annotations

__all__ = ["LAYERS", "WING", "layer_of", "rank_of"]

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundations", ("qbm._deprecation", "qbm._files", "qbm._layers", "qbm._memory", "qbm._numerics",
                     "qbm._random", "qbm._sampler_args", "qbm._state", "qbm._validation", "qbm.typing",
                     "qbm.graphs", "qbm.backend")),
    ("conversion", ("qbm.convert",)),
    ("models", ("qbm.models",)),
    ("exact", ("qbm.exact",)),
    ("sampling", ("qbm.sampling",)),
    ("samplers", ("qbm.samplers",)),
    ("phases", ("qbm.phases",)),
    ("quantum", ("qbm.quantum",)),
    ("training and metrics", ("qbm.training", "qbm.metrics")),
    ("faces", ("qbm.sklearn", "qbm.generation", "qbm.classification", "qbm.datasets", "qbm.plots", "qbm.cli",
               "qbm.testing", "qbm.__init__",
               # deprecated paths of moved modules: each re-exports its new home lazily
               "qbm.ais", "qbm.boundary", "qbm.centering", "qbm.chains", "qbm.divergence", "qbm.elimination",
               "qbm.layer_sums", "qbm.temperature")),
)
"""``(layer, module prefixes)`` from the bottom up."""

WING = "quantum"
"""The layer that only the faces (and the wing itself) may import."""


def _owner(module: str) -> tuple[int, str]:
    module = "qbm.__init__" if module == "qbm" else module   # the package's own face, not a prefix of every module
    best = (-1, -1, "")
    for rank, (layer, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), rank, layer)
    if best[1] < 0:
        raise KeyError(f"{module} is in no layer of qbm._layers.LAYERS")
    return best[1], best[2]


def layer_of(module: str) -> str:
    """The layer a dotted module name belongs to (a ``KeyError`` for a module no entry covers)."""
    return _owner(module)[1]


def rank_of(module: str) -> int:
    """The layer's position from the bottom (0: foundations)."""
    return _owner(module)[0]
