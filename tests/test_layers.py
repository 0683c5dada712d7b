"""teachkit's imports run one way: each module imports only its own layer or lower ones.

The layers, lowest first, as ``docs/design.md`` lists them: foundation, core maths, contracts,
engine, generic plots, case plugins, orchestration, applications. Every import statement of
every module counts: at the top, inside functions and under ``if TYPE_CHECKING`` alike (a
type-only import of a higher layer is still a dependency on it), and so do the case modules the
registry imports by name (:data:`teachkit.registry.BUILTIN`). The graph must also have no cycle,
within a layer included.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "teachkit"

#: The layers, lowest first; a module belongs to the first layer one of whose prefixes it
#: equals or starts with (``prefix.``).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "teachkit.errors",
            "teachkit.checks",
            "teachkit._random",
            "teachkit.files",
            "teachkit.posterior",
            "teachkit.simulation",
            "teachkit.compiled",
            "teachkit.fitmeta",
            "teachkit.progress",
        ),
    ),
    (
        "core maths",
        (
            "teachkit.covariance",
            "teachkit.lkj",
            "teachkit.mvn",
            "teachkit.ecdf",
            "teachkit.demos",
            "teachkit.kernels",
            "teachkit.group_predictive",
        ),
    ),
    (
        "contracts",
        ("teachkit.models", "teachkit.cases.base", "teachkit.figure_entry"),
    ),
    (
        "engine",
        (
            "teachkit.samplers",
            "teachkit.inference",
            "teachkit.loo",
            "teachkit.loo_advice",
            "teachkit.store",
            "teachkit.records",
        ),
    ),
    ("generic plots", ("teachkit.plots",)),
    ("case plugins", ("teachkit.cases", "teachkit.core_figures")),
    (
        "orchestration",
        (
            "teachkit.registry",
            "teachkit.pipeline",
            "teachkit.recovery",
            "teachkit.calibration",
            "teachkit.leave_group_out",
            "teachkit.figures",
        ),
    ),
    (
        "applications",
        (
            "teachkit.cli",
            "teachkit.explorer",
            "teachkit.datasets",
            "teachkit.simulate",
            "teachkit.lectures",
            "teachkit.__main__",
            "teachkit",
        ),
    ),
)


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    out = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def layer_of(module: str) -> int:
    """The index of ``module``'s layer in :data:`LAYERS`."""
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(f"{p}.") for p in prefixes):
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/design.md")


def imports(path: Path, module: str, known: Iterable[str]) -> set[str]:
    """The teachkit modules ``path`` imports, at any depth of its syntax tree."""
    known = set(known)
    is_package = path.name == "__init__.py"
    base = module.split(".") if is_package else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                prefix = ".".join([*base[: len(base) - node.level + 1], node.module or ""])
            else:
                prefix = node.module or ""
            prefix = prefix.rstrip(".")
            # "from teachkit.cli import maths" imports the module teachkit.cli.maths
            targets = [f"{prefix}.{alias.name}" for alias in node.names] + [prefix]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
                break
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the teachkit modules it imports (the registry's built-in cases included)."""
    modules = module_names(root)
    graph = {name: imports(path, name, modules) for name, path in modules.items()}
    graph["teachkit.registry"] |= set(_builtin_case_modules(modules["teachkit.registry"]))
    return graph


def _builtin_case_modules(registry: Path) -> list[str]:
    """The module names in the registry's ``BUILTIN`` mapping (imported by name)."""
    for node in ast.walk(ast.parse(registry.read_text(encoding="utf-8"))):
        if isinstance(node, ast.AnnAssign | ast.Assign) and "BUILTIN" in ast.unparse(node):
            value = node.value
            if isinstance(value, ast.Dict):
                return [v.value for v in value.values if isinstance(v, ast.Constant)]
    raise AssertionError("teachkit.registry has no BUILTIN mapping")


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a higher layer, as ``a (layer) -> b (layer)``."""
    out = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if layer_of(target) > layer_of(module):
                out.append(
                    f"{module} ({LAYERS[layer_of(module)][0]}) -> "
                    f"{target} ({LAYERS[layer_of(target)][0]})"
                )
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_module_is_in_a_layer() -> None:
    for module in module_names():
        layer_of(module)


def test_no_module_imports_a_higher_layer() -> None:
    assert upward_imports(import_graph()) == []


def test_the_import_graph_has_no_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_layers_are_listed_in_the_design_page() -> None:
    design = (PACKAGE.parent / "docs" / "design.md").read_text(encoding="utf-8")
    for name, prefixes in LAYERS:
        assert name in design
        for prefix in prefixes:
            assert f"`{prefix}" in design or f"`{prefix.replace('.', '/')}" in design, prefix


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        ("teachkit.store", "from teachkit.pipeline import fit_model", "engine"),
        ("teachkit.covariance", "    from teachkit.plots import style", "core maths"),
        ("teachkit.cases.base", "if TYPE_CHECKING:\n    import teachkit.registry", "contracts"),
    ],
)
def test_an_upward_import_anywhere_in_a_module_is_caught(
    tmp_path: Path, module: str, line: str, expected: str
) -> None:
    """A copy of the package with one import added to one module fails the layering check."""
    import shutil

    copy = tmp_path / "teachkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy.joinpath(*module.split(".")[1:]).with_suffix(".py")
    text = target.read_text(encoding="utf-8")
    if line.startswith("    "):  # inside a function
        text += f"\n\ndef _added() -> None:\n{line}\n"
    else:
        text += f"\n{line}\n"
    target.write_text(text, encoding="utf-8")
    found = upward_imports(import_graph(copy))
    assert len(found) == 1 and found[0].startswith(f"{module} ({expected}) -> ")


def test_a_cycle_is_caught() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
