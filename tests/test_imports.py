"""The import rules of docs/architecture.md, held on the source tree itself.

Every module under officebot/ is read with ``ast``; its imports are taken wherever they are
written (at module level and inside functions alike: an import moved into a function still
ties the two modules together), relative ones resolved. Modules are found in the tree, so a
module added, moved or split is under the rules at once.
"""

import ast
import functools
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[1] / "officebot"

# Circles other branches are taking apart (none now). Listed
# exactly: a new circle fails, and so does one of these once it is gone (delete it here).
KNOWN_CIRCLES: List[Set[str]] = [
]

# Pure rules and figures: values in, values out. No files, no workbook, no terminal.
PURE = ("officebot.rules", "officebot.kpis")
PURE_MAY_IMPORT = {"officebot.records", "officebot.values", "officebot.fields",
                   "officebot.messages", "officebot.settings", "officebot.errors"}
PURE_STDLIB = {"datetime", "typing", "dataclasses", "operator", "collections", "heapq", "math",
               "re", "functools", "itertools", "bisect", "enum", "unicodedata",
               "chinese_calendar"}
# Modules everything may stand on; they stand on nothing of officebot's but each other.
BASE = {"officebot.errors", "officebot.messages", "officebot.fields", "officebot.records",
        "officebot.values", "officebot.filenames", "officebot.privacy", "officebot.pdf",
        "officebot.files"}
# The writers (officebot/workbook/) are handed what the reading pass found: they never read
# the register themselves nor call what runs them.
WRITERS_NEVER = ("officebot.register", "officebot.check", "officebot.batch", "officebot.cli",
                 "officebot.launcher", "officebot.scheduler", "officebot.doctor",
                 "officebot.init")
# The reading side knows nothing of the writers, the letters or the mail.
READERS = ("officebot.xlsx", "officebot.register", "officebot.package")
READERS_NEVER = ("officebot.workbook", "officebot.batch", "officebot.check", "officebot.cli",
                 "officebot.letters", "officebot.mail")


def modules() -> Dict[str, Tuple[Path, bool]]:
    """Module name -> (file, is a package's __init__), for every .py under officebot/."""
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


MODULES = modules()


@functools.lru_cache(maxsize=None)
def imports_of(name: str) -> List[Tuple[str, int]]:
    """(imported module, line) for every import statement in module ``name``."""
    path, is_package = MODULES[name]
    package = name if is_package else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:  # `from . import letters` imports the module letters
                sub = f"{source}.{alias.name}"
                out.append((sub if sub in MODULES else source, node.lineno))
    return out


@functools.lru_cache(maxsize=None)
def graph() -> Dict[str, Set[str]]:
    """officebot's modules -> the officebot modules each imports."""
    return {name: {target for target, _ in imports_of(name)
                   if target in MODULES and target != name} for name in MODULES}


def circles(edges: Dict[str, Set[str]]) -> List[Set[str]]:
    """The groups of modules that import each other, directly or round a circle (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[Set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.add(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def offending(names, allowed) -> List[str]:
    """``module:line imports target`` for the imports of ``names`` that ``allowed`` refuses."""
    return [f"{name}:{line} imports {target}" for name in names
            for target, line in imports_of(name) if not allowed(name, target)]


def test_the_tree_is_found():
    assert {"officebot.cli", "officebot.rules", "officebot.workbook.summary"} <= set(MODULES)
    assert "officebot.settings" in graph()["officebot.rules"]


def test_the_circle_finder_finds_circles():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_round_a_circle():
    found = circles(graph())
    new = [sorted(c) for c in found if c not in KNOWN_CIRCLES]
    gone = [sorted(c) for c in KNOWN_CIRCLES if c not in found]
    assert new == [], f"import circles: {new}"
    assert gone == [], f"these circles are gone: delete them from KNOWN_CIRCLES: {gone}"


def test_cli_is_the_only_module_that_imports_click():
    assert offending(MODULES, lambda name, target: name == "officebot.cli"
                     or not under(target, ["click"])) == []


@pytest.mark.parametrize("name", PURE)
def test_rules_and_figures_are_pure(name):
    def allowed(_, target):
        if target.startswith("officebot"):
            return target in PURE_MAY_IMPORT
        return target.split(".")[0] in PURE_STDLIB
    assert offending([name], allowed) == []


def test_the_base_modules_stand_on_nothing_above_them():
    assert offending([m for m in MODULES if m in BASE], lambda _, target:
                     not target.startswith("officebot") or target in BASE) == []


def test_the_writers_never_read_the_register_nor_call_what_runs_them():
    writers = [m for m in MODULES if under(m, ["officebot.workbook"])]
    assert writers
    assert offending(writers, lambda _, target: not under(target, WRITERS_NEVER)) == []


def test_the_readers_know_nothing_of_writers_letters_or_mail():
    assert offending([m for m in READERS if m in MODULES],
                     lambda _, target: not under(target, READERS_NEVER)) == []
