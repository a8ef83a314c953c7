"""The package's layering: every import points down the pipeline, and nothing imports in a
cycle. A module may import from its own stage or a stage below it, never above (in-function
imports included: a lazy import that reaches up is still a backward dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "pipeline"

#: Stages from the bottom up. Stages on one level must not import each other.
LAYERS: list[set[str]] = [
    {
        "errors",
        "atomic",
        "structured",
        "paths",
        "lazy",
        "__init__",
        "__main__",
    },  # top-level modules: the base
    {"page"},
    {"site"},
    {"glossary"},
    {"mt", "tm"},
    {"align"},
    {"check"},
    {"translate"},
    {"review", "score"},
    {"cli"},
]
#: What the top-level package and ``python -m vien`` may import (the library's public face).
ROOT_MAY_IMPORT = {"page", "site", "mt", "cli", "errors", "atomic", "structured", "lazy"}


def _stage(module: str) -> str:
    """``page.parse`` -> ``page``; ``errors`` -> ``errors``; the package itself -> ``__init__``."""
    return module.split(".")[0] if module else "__init__"


def _level(stage: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if stage in layer)


def _module_of(path: Path) -> str:
    rel = path.relative_to(PKG).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module relative to the package) for every relative import."""
    module = _module_of(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if module == "__init__":
        package = []
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            target = [*base, *(node.module.split(".") if node.module else [])]
            if node.module:
                out.append((node.lineno, ".".join(target)))
            else:  # from . import a, b: each name is a module, or a name of the package
                for a in node.names:
                    sub = PKG.joinpath(*target, a.name)
                    is_module = sub.is_dir() or sub.with_suffix(".py").is_file()
                    out.append((node.lineno, ".".join([*target, a.name] if is_module else target)))
        elif isinstance(node, ast.Import):
            for a in node.names:
                assert not a.name.startswith(("vien", "pipeline")), (
                    f"{path}:{node.lineno}: absolute import of the package itself"
                )
    return out


MODULES = sorted(PKG.rglob("*.py"))


def test_every_stage_is_placed() -> None:
    stages = {_stage(_module_of(p)) for p in MODULES}
    placed = set().union(*LAYERS)
    assert stages <= placed, f"stages with no layer: {stages - placed}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_point_down(path: Path) -> None:
    here = _stage(_module_of(path))
    wrong = []
    for line, target in _imports(path):
        there = _stage(target)
        if here == there or there in {"errors", "atomic", "structured", "paths", "lazy"}:
            continue
        if here in {"__init__", "__main__"}:
            ok = there in ROOT_MAY_IMPORT
        else:
            ok = _level(there) < _level(here)
        if not ok:
            wrong.append(f"{path.relative_to(PKG)}:{line} ({here}) imports {target} ({there})")
    assert not wrong, "imports that point up the pipeline or sideways:\n" + "\n".join(wrong)


def test_no_import_cycle_between_modules() -> None:
    graph: dict[str, set[str]] = {}
    names = {_module_of(p) for p in MODULES}
    for p in MODULES:
        deps = set()
        for _, target in _imports(p):
            while target and target not in names:  # `from .x import name`: x is the module
                target = target.rpartition(".")[0]
            if target:
                deps.add(target)
        graph[_module_of(p)] = deps - {_module_of(p)}
    seen: dict[str, int] = {}  # 1: on the stack, 2: done

    def visit(node: str, stack: list[str]) -> None:
        seen[node] = 1
        for dep in sorted(graph.get(node, ())):
            # a package's __init__ re-exporting its own modules is not a cycle
            if node == dep.rpartition(".")[0] or dep == node.rpartition(".")[0]:
                continue
            if seen.get(dep) == 1:
                pytest.fail("import cycle: " + " -> ".join([*stack, node, dep]))
            if dep not in seen:
                visit(dep, [*stack, node])
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node, [])


def test_the_layering_test_catches_an_upward_import(tmp_path: Path) -> None:
    page = tmp_path / "page"
    page.mkdir()
    bad = page / "bad.py"
    bad.write_text("from ..check.run import check\n")
    global PKG
    saved, PKG = PKG, tmp_path
    try:
        with pytest.raises(AssertionError, match="point up"):
            test_imports_point_down(bad)
    finally:
        PKG = saved
