"""The shape of the package: one-way imports, no cycle, modules and functions of readable size.

These tests read the source (``ast``) and ask Python for the import graph in a fresh interpreter, so
they hold on a clean checkout without importing anything heavy.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "accessmap"

#: Modules that may touch disk or the network, and the layer that only parses options.
IO_PACKAGES = ("accessmap.sources",)
#: Domain modules: pure (DataFrames/arrays in and out). They never import ``sources``.
DOMAIN = (
    "accessmap.territory",
    "accessmap.parks",
    "accessmap.network",
    "accessmap.catchments",
    "accessmap.supply",
    "accessmap.indicators",
    "accessmap.workforce",
    "accessmap.siting",
    "accessmap.options",
)
#: The presentation layer: what turns results into what a reader sees (French labels, figures,
#: report, exports, command line). Domain modules never import it: they return data, codes and
#: parameters (:mod:`accessmap.messages`), and the presentation layer words them.
PRESENTATION = (
    "accessmap.labels",
    "accessmap.columns",
    "accessmap.plots",
    "accessmap.report",
    "accessmap.registries",
    "accessmap.cli",
    "accessmap.app",
)
#: Modules ``sources`` may import: contracts and plumbing, nothing of the domain.
SOURCES_MAY_IMPORT = (
    "accessmap.sources",
    "accessmap.contracts",
    "accessmap.conventions",
    "accessmap.errors",
    "accessmap.messages",  # the French catalogue of errors and warnings (errors imports it)
    "accessmap.settings",
)
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every accessmap module a file imports, at any depth (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("accessmap"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.startswith("accessmap"):
                found.add(module)
                found.update(f"{module}.{a.name}" for a in node.names)
    return found


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _known(modules: set[str], names: set[str]) -> set[str]:
    """Map imported names to real modules (``from accessmap import x`` may name a module)."""
    out = set()
    for name in names:
        parts = name.split(".")
        while parts and ".".join(parts) not in modules:
            parts.pop()
        if parts:
            out.add(".".join(parts))
    return out


def _graph() -> dict[str, set[str]]:
    files = _sources()
    modules = {_module_name(p) for p in files}
    return {_module_name(p): _known(modules, _imports(p)) - {_module_name(p)} for p in files}


def test_sources_imports_no_domain_module() -> None:
    graph = _graph()
    bad = {
        module: sorted(
            dep for dep in deps if not any(dep.startswith(ok) for ok in SOURCES_MAY_IMPORT)
        )
        for module, deps in graph.items()
        if module.startswith(IO_PACKAGES)
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"sources/ must do I/O only and import no domain module: {bad}"


def test_domain_modules_never_import_sources() -> None:
    graph = _graph()
    bad = {
        module: sorted(dep for dep in deps if dep.startswith(IO_PACKAGES))
        for module, deps in graph.items()
        if module.startswith((*DOMAIN, "accessmap.plots"))  # figures are pure too
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"domain modules must not import sources (use accessmap.inputs): {bad}"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle among modules (a package's ``__init__`` re-exporting its children is not one)."""

    def edges(module: str) -> set[str]:
        # A child importing its own package's __init__ (or the reverse) is how re-exports work.
        return {
            d
            for d in graph.get(module, set())
            if not d.startswith(module + ".") and not module.startswith(d + ".")
        }

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges(node)):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, f"import cycle: {' -> '.join(cycle or [])}"


def test_cycle_detector_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_importing_the_package_does_no_work() -> None:
    code = (
        "import sys, json, accessmap, accessmap.cli;"
        "heavy = [m for m in ('osmnx', 'highspy', 'plotly', 'geopandas', 'duckdb') "
        "if m in sys.modules]; print(json.dumps(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_function_size(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_MODULE_LINES, f"{path.name}: {len(lines)} lines; split by concept"
    tree = ast.parse("\n".join(lines))
    long = [
        f"{node.name} ({size} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (size := _code_lines(node)) > MAX_FUNCTION_LINES
    ]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines of code: {long}"


def _code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function without its docstring (numpydoc docstrings are documentation)."""
    total = (node.end_lineno or node.lineno) - node.lineno + 1
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        total -= (first.end_lineno or first.lineno) - first.lineno + 1
    return total


def test_result_tables_are_named_in_the_application_layer_only() -> None:
    """The store's ``results_*`` tables are written by :mod:`accessmap.app` alone."""
    outside = [
        str(path.relative_to(PACKAGE))
        for path in _sources()
        if "results_" in path.read_text(encoding="utf-8")
        and path.relative_to(PACKAGE).parts[0] != "app"
    ]
    assert not outside, outside


def test_domain_modules_never_import_the_presentation_layer() -> None:
    """Domain and input modules return data and message codes; words and figures come later."""
    lower = (*DOMAIN, "accessmap.inputs", "accessmap.sources", "accessmap.contracts",
             "accessmap.conventions", "accessmap.professions", "accessmap.messages",
             "accessmap.errors", "accessmap.settings")  # fmt: skip
    bad = {
        str(path.relative_to(PACKAGE)): sorted(
            dep for dep in _imports(path) if dep.startswith(PRESENTATION)
        )
        for path in _sources()
        if _module_name(path).startswith(lower)
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"domain modules import the presentation layer: {bad}"


@pytest.mark.parametrize(
    ("layer", "above"),
    [
        ("accessmap.app", ("accessmap.cli",)),
        ("accessmap.diagnostic", ("accessmap.cli", "accessmap.app")),
        ("accessmap.inputs", ("accessmap.cli", "accessmap.app", "accessmap.diagnostic")),
        (DOMAIN, ("accessmap.cli", "accessmap.app", "accessmap.diagnostic")),
    ],
)
def test_layers_import_downwards_only(layer: str | tuple[str, ...], above: tuple[str, ...]) -> None:
    """cli → app → diagnostic → inputs → domain: no layer imports one above it."""
    bad = {
        module: sorted(dep for dep in deps if dep.startswith(above))
        for module, deps in _graph().items()
        if module.startswith(layer)
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"a layer imports one above it: {bad}"
