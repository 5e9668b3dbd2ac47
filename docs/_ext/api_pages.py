"""The API reference: a page per public module and per public object, each object under one name.

An object exported in several places (``qbm.train`` is ``qbm.training.train`` and
``qbm.training.trainer.train``) is documented once, under its *canonical* name: the one in
``qbm.__all__`` if it is there, otherwise the shortest public module path that exports it.
A reference to it by any of its public paths resolves to that page, and an inline literal
in a guide that names a public object (```qbm.train```, ```PCD```) links to it too.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from pathlib import Path

from docutils import nodes

import qbm

SKIPPED = ("qbm.cli",)


@functools.cache
def public_modules() -> tuple[str, ...]:
    names = ["qbm"] + [info.name for info in pkgutil.walk_packages(qbm.__path__, "qbm.")]
    return tuple(name for name in names if not any(part.startswith("_") for part in name.split("."))
                 and not name.startswith(SKIPPED) and not _moved(name))


def _moved(module_name: str) -> bool:
    """A deprecated path that re-exports a moved module (its page is the new module's)."""
    return "__moved_to__" in vars(importlib.import_module(module_name))


@functools.cache
def canonical_names() -> dict[tuple[int, str], str]:
    """``(id(object), its name) -> canonical dotted name`` for every public object (filling ``_objects``)."""
    homes: dict[tuple[int, str], list[str]] = {}
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            if isinstance(value, type(qbm)):
                continue
            homes.setdefault((id(value), name), []).append(module_name)
            _objects.setdefault((id(value), name), value)

    def rank(key, module_name):
        value_module = getattr(_objects[key], "__module__", "") or ""
        return (module_name != "qbm", module_name.count("."), not value_module.startswith(module_name), module_name)

    return {key: f"{min(modules, key=lambda m: rank(key, m))}.{key[1]}" for key, modules in homes.items()}


_objects: dict[tuple[int, str], object] = {}


def host_module(value, canonical: str) -> str:
    """The module page that lists an object: where it is defined, if that is public."""
    defined = getattr(value, "__module__", None) or ""
    if defined in public_modules() and defined.startswith("qbm"):
        return defined
    return canonical.rsplit(".", 1)[0]


def write_pages(folder: Path) -> None:
    """``folder/index.rst`` and one ``folder/<module>.rst`` per public module (autosummary makes the rest)."""
    canonical = canonical_names()
    listed: dict[str, list[str]] = {name: [] for name in public_modules()}
    for key, name in canonical.items():
        listed[host_module(_objects[key], name)].append(name)
    folder.mkdir(exist_ok=True)
    pages = []
    for module_name, names in listed.items():
        title = f"``{module_name}``"
        lines = [title, "=" * len(title), "", f".. automodule:: {module_name}", "   :no-members:", ""]
        by_parent: dict[str, list[str]] = {}
        for name in sorted(names, key=str.lower):
            by_parent.setdefault(name.rsplit(".", 1)[0], []).append(name.rsplit(".", 1)[1])
        for parent, members in by_parent.items():
            lines += [f".. currentmodule:: {parent}", "", ".. autosummary::", "   :toctree: generated",
                      "   :nosignatures:", ""]
            lines += [f"   {member}" for member in members] + [""]
        _write_if_changed(folder / f"{module_name}.rst", "\n".join(lines) + "\n")
        pages.append(module_name)
    index = ["API reference", "=============", "",
             "Every public object has its own page, under the name the guides use (``qbm.train``, not",
             "``qbm.training.trainer.train``); each module's page lists what it defines.", "",
             ".. toctree::", "   :maxdepth: 1", ""] + [f"   {page}" for page in pages]
    _write_if_changed(folder / "index.rst", "\n".join(index) + "\n")


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def _canonical_target(target: str, module: str | None) -> str | None:
    """The canonical name of the object ``target`` names (``qbm.models.RBM``, or ``RBM`` seen from
    ``module``), or None."""
    canonical = canonical_names()
    for path in ([target] if target.startswith("qbm.") else []) + ([f"{module}.{target}"] if module else []):
        owner, _, attribute = path.rpartition(".")
        parts = attribute.split(".")
        try:
            value = importlib.import_module(owner)
        except ImportError:
            # a method or attribute: qbm.models.RBM.energy
            owner, _, cls = owner.rpartition(".")
            try:
                value = getattr(importlib.import_module(owner), cls)
            except (ImportError, AttributeError):
                continue
            found = canonical.get((id(value), cls))
            if found and hasattr(value, attribute):
                return f"{found}.{attribute}"
            continue
        value = getattr(value, parts[0], None)
        if value is not None and (found := canonical.get((id(value), parts[0]))):
            return found
    return None


def resolve_other_paths(app, env, node, contnode):
    """A reference to a qbm object by another of its public paths resolves to its canonical page."""
    if node.get("refdomain") != "py":
        return None
    target = _canonical_target(node["reftarget"], node.get("py:module"))
    if target is None or target == node["reftarget"]:
        return None
    return env.domains["py"].resolve_xref(env, node["refdoc"], app.builder, "obj", target, node, contnode)


_NAME = re.compile(r"^(qbm(?:\.\w+)+|[A-Z]\w+)(?:\(.*\))?$")


def link_inline_names(app, doctree, docname):
    """An inline literal that names a public object (``qbm.train``, ``qbm.PCD(100)``, ``PCD``) links to its page."""
    if docname.startswith(("api/", "auto_examples/")):
        return
    objects = app.env.domains["py"].objects
    short = {}
    for full in canonical_names().values():
        short.setdefault(full.rsplit(".", 1)[1], []).append(full)
    for literal in list(doctree.findall(nodes.literal)):
        if isinstance(literal.parent, (nodes.reference, nodes.literal_block)) or "xref" in literal.get("classes", []):
            continue
        match = _NAME.match(literal.astext())
        if not match:
            continue
        name = match.group(1)
        target = _canonical_target(name, None) if name.startswith("qbm.") else (
            short[name][0] if len(short.get(name, [])) == 1 else None)
        if target is None or target not in objects:
            continue
        entry = objects[target]
        uri = app.builder.get_relative_uri(docname, entry.docname) + "#" + entry.node_id
        reference = nodes.reference("", "", internal=True, refuri=uri, reftitle=target)
        literal.replace_self(reference)
        reference += literal


def setup(app):
    app.connect("missing-reference", resolve_other_paths)
    app.connect("doctree-resolved", link_inline_names)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
