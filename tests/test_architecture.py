"""The tree shows the layers of DESIGN.md and keeps them: imports go down the table of ``qbm._layers``, no module
reaches into another's private names, modules and classes stay small, and at most ten public modules lie loose
at the top of the package.  Every check reads the source with ``ast``; nothing here imports a moved path."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from qbm._layers import LAYERS, WING, layer_of, rank_of

PACKAGE = Path(__file__).resolve().parents[1] / "qbm"
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 300
MAX_LOOSE_PUBLIC_MODULES = 10


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


SOURCES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def parsed(module: str) -> ast.Module:
    return ast.parse(SOURCES[module].read_text(encoding="utf-8"))


def is_moved(module: str) -> bool:
    """A deprecated path that re-exports a moved module."""
    return "__moved_to__" in SOURCES[module].read_text(encoding="utf-8")


def imports(module: str) -> list[tuple[int, str, list[str]]]:
    """``(line, imported module, names)`` of every import in ``module``, lazy ones included."""
    tree, is_package = parsed(module), SOURCES[module].name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names if alias.name.startswith("qbm")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("qbm"):
                found.append((node.lineno, target, [alias.name for alias in node.names]))
    return found


def is_submodule(package: str, name: str) -> bool:
    return f"{package}.{name}" in SOURCES


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_every_module_sits_in_one_layer_and_imports_only_its_own_or_lower_layers(module):
    here = rank_of(module)
    for line, target, names in imports(module):
        targets = [f"{target}.{name}" for name in names if is_submodule(target, name)] or [target]
        for imported in targets:
            assert rank_of(imported) <= here, (f"{module}:{line} imports {imported} ({layer_of(imported)}), "
                                               f"a layer above {layer_of(module)}")
            if layer_of(imported) == WING and layer_of(module) not in (WING, "faces"):
                pytest.fail(f"{module}:{line} imports the quantum wing ({imported}); only the faces may")


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_module_imports_or_reaches_into_another_modules_private_names(module):
    tree = parsed(module)
    imported_modules = {}
    for line, target, names in imports(module):
        for name in names:
            if name.startswith("_") and not name.startswith("__") and not is_submodule(target, name):
                pytest.fail(f"{module}:{line} imports the private name {name} of {target}")
            if is_submodule(target, name):
                imported_modules[name] = f"{target}.{name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in imported_modules and node.attr.startswith("_") and not node.attr.startswith("__"):
            pytest.fail(f"{module}:{node.lineno} reaches {imported_modules[node.value.id]}.{node.attr}")


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_modules_and_classes_are_small(module):
    lines = SOURCES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines (at most {MAX_MODULE_LINES})"
    for node in ast.walk(parsed(module)):
        if isinstance(node, ast.ClassDef):
            size = node.end_lineno - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"{module}.{node.name} has {size} lines (at most {MAX_CLASS_LINES})"


def test_at_most_ten_public_modules_lie_loose_at_the_top():
    loose = [path.stem for path in PACKAGE.glob("*.py")
             if not path.stem.startswith("_") and not is_moved(f"qbm.{path.stem}")]
    assert len(loose) <= MAX_LOOSE_PUBLIC_MODULES, sorted(loose)


def test_the_layer_table_names_only_modules_that_exist():
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            assert prefix == "qbm.__init__" or prefix in SOURCES, f"{layer} names {prefix}, which is not a module"


def test_the_check_catches_an_upward_import(tmp_path):
    """The rule itself can fail: a model module importing a phase is an upward import."""
    assert rank_of("qbm.phases.base") > rank_of("qbm.models.rbm")
    assert layer_of("qbm.quantum.exact") == WING and layer_of("qbm.metrics.kl") != "faces"


MODEL_CLASSES = {"RBM", "BoltzmannMachine", "GraphModel", "QuantumBoltzmannMachine"}


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_model_kinds_are_told_apart_in_one_place(module):
    """Layers ask qbm.models.kinds (the kind a class declares), never isinstance of a model class."""
    for node in ast.walk(parsed(module)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance" and len(node.args) == 2:
            classes = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
            named = {getattr(c, "id", getattr(c, "attr", None)) for c in classes} & MODEL_CLASSES
            assert not named, f"{module}:{node.lineno} tests isinstance of {sorted(named)}; ask qbm.models.kinds"
