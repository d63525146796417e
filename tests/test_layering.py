"""The shape of the code: each package imports only the floors below it, and no modules import each other in a ring.

Floors, lowest first: the data (``geo``), the style catalogue (``style``), the view model
(``view``), the web map's layers (``layers``), pictures, slides and offline pages
(``briefing``), then the Streamlit helpers (``ui``) and the command line (``cli``) side by
side, the pages (``app_pages``) and the entry point (``app.py``). An import made inside a
function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BELOW = {
    "geo": set(),
    "style": {"geo"},
    "view": {"geo", "style"},
    "layers": {"geo", "style", "view"},
    "briefing": {"geo", "style", "view", "layers"},
    "ui": {"geo", "style", "view", "layers", "briefing"},
    "cli": {"geo", "style", "view", "briefing"},
    "app_pages": {"geo", "style", "view", "layers", "briefing", "ui"},
    "app": {"geo", "style", "view", "layers", "briefing", "ui", "app_pages"},
}
# Entry points that only hand over to a floor above: `python -m geo` runs the command line.
ENTRY_POINTS = {"geo/__main__.py": {"cli"}}


def _modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in BELOW:
        for path in sorted((ROOT / package).rglob("*.py")) if package != "app" else ():
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imported(path: Path, module: str) -> set[str]:
    """The project's modules that ``path`` imports, anywhere in it (``from x import y`` counts x.y when a module)."""
    names = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name in MODULES}


# A package's __init__ that gathers its own modules' names is no ring of concerns: leave those edges out.
GRAPH = {
    module: {
        name for name in _imported(path, module) if not (path.name == "__init__.py" and name.startswith(module + "."))
    }
    for module, path in MODULES.items()
}


def _floor(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_own_floor_and_those_below(module):
    relative = MODULES[module].relative_to(ROOT).as_posix()
    allowed = BELOW[_floor(module)] | {_floor(module)} | ENTRY_POINTS.get(relative, set())
    upward = sorted(name for name in GRAPH[module] if _floor(name) not in allowed)
    assert not upward, f"{relative} imports from a floor above it: {upward}"


def test_no_modules_import_each_other_in_a_ring():
    # Tarjan's strongly connected components: a component of more than one module is a ring.
    index, low, stack, on_stack, rings = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in GRAPH[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                rings.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not rings, f"modules that import each other: {rings}"


def test_no_module_is_over_600_lines():
    long = {
        MODULES[m].relative_to(ROOT).as_posix(): n
        for m in MODULES
        if (n := len(MODULES[m].read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long, long
