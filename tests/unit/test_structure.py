"""The shape of hrdd's code: modules import forward only, and none grows past a size a reader
can hold (issue 15, "one step per module, forward only")."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "hrdd"

MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80

# Modules allowed over MAX_MODULE_LINES for now, each with why. Shrink this list; never grow it.
OVERSIZED: set[str] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, known: set[str], *, type_checking: bool = False) -> set[str]:
    """The hrdd modules ``name`` imports anywhere in its code (top level or inside a function),
    except under ``if TYPE_CHECKING:``, which never runs (unless ``type_checking``)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node) and not type_checking:
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])]
                )
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # from package import module
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    # Importing hrdd.x.y runs the package hrdd.x (its __init__) first: that is an edge too.
    return {m for m in found if m in known and m != name}


def _graph(*, type_checking: bool = False) -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known, type_checking=type_checking) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph``, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: being visited, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check below can fail: a graph with a cycle is reported, one without is not."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_import_reader_sees_imports_inside_functions(tmp_path: Path) -> None:
    """An import inside a function is an edge (it hides a cycle, it does not break it); one
    under ``if TYPE_CHECKING:`` is not (it never runs)."""
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import hrdd.b\ndef f():\n    from hrdd.a import x\n"
    )
    assert _imports("hrdd.m", module, {"hrdd.a", "hrdd.b"}) == {"hrdd.a"}
    assert _imports("hrdd.m", module, {"hrdd.a", "hrdd.b"}, type_checking=True) == {"hrdd.a", "hrdd.b"}


def test_no_import_cycle() -> None:
    """hrdd's modules import one another forward only: no module imports, directly or through
    others, a module that imports it, not even from inside a function."""
    graph = _graph()
    assert len(graph) > 40, "the modules were not found"
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph) or [])}"


def test_no_import_cycle_even_for_the_type_checker() -> None:
    """Not even the imports made for type annotations only (``if TYPE_CHECKING:``) go in a
    circle: a module that needs another's types sits after it."""
    graph = _graph(type_checking=True)
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph) or [])}"


def test_no_module_over_the_size_limit() -> None:
    """No module over MAX_MODULE_LINES lines, except those listed (with why) in OVERSIZED; a
    listed module that shrank below the limit must leave the list."""
    sizes = {
        p.relative_to(SRC).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")
    }
    over = {name for name, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert over - OVERSIZED == set(), f"modules over {MAX_MODULE_LINES} lines: {sorted(over - OVERSIZED)}"
    assert OVERSIZED - over == set(), f"no longer over the limit, remove from OVERSIZED: {sorted(OVERSIZED - over)}"


# Functions allowed over MAX_FUNCTION_LINES ("hrdd/x.py:name": why): declarative tables only.
LONG_FUNCTIONS_ALLOWED: dict[str, str] = {}


def _long_functions(root: Path) -> list[str]:
    """Every function (or method) under ``root`` longer than MAX_FUNCTION_LINES, as
    ``path:line name (n lines)``, with its path relative to ``root.parent``."""
    long: list[str] = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(root.parent).as_posix()}:{node.lineno} {node.name} ({lines} lines)")
    return long


def test_the_function_measure_finds_a_long_function(tmp_path: Path) -> None:
    """The check below can fail: a function one line over the limit is found, one at it is not."""
    package = tmp_path / "pkg"
    package.mkdir()
    body = "".join(f"    x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES - 1))
    (package / "m.py").write_text(f"def short():\n{body}\n\ndef long():\n{body}    x = 0\n")
    assert _long_functions(package) == [f"pkg/m.py:{MAX_FUNCTION_LINES + 3} long ({MAX_FUNCTION_LINES + 1} lines)"]


def test_no_function_over_the_size_limit() -> None:
    """No function over MAX_FUNCTION_LINES lines, except declarative tables listed (with why) in
    LONG_FUNCTIONS_ALLOWED; an allowed function
    that shrank below the limit must leave the list."""
    # "hrdd/x.py:12 name (n lines)" -> "hrdd/x.py:name", the key of LONG_FUNCTIONS_ALLOWED.
    named = {f"{entry.split(':')[0]}:{entry.split(' ')[1]}": entry for entry in _long_functions(PACKAGE)}
    over = [entry for key, entry in named.items() if key not in LONG_FUNCTIONS_ALLOWED]
    assert over == [], f"functions over {MAX_FUNCTION_LINES} lines (split them by step):\n" + "\n".join(over)
    stale = sorted(set(LONG_FUNCTIONS_ALLOWED) - set(named))
    assert stale == [], f"no longer over the limit, remove from LONG_FUNCTIONS_ALLOWED: {stale}"
