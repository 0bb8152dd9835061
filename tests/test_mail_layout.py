"""The mail package imports downwards only: no circle among its modules, no officebot module
imported inside a function, and nothing from the batch (which stands above mail)."""

import ast
from pathlib import Path

import pytest

MAIL = Path(__file__).resolve().parents[1] / "officebot" / "mail"
MODULES = sorted(p.stem for p in MAIL.glob("*.py") if p.stem != "__init__")


def _imports(path: Path):
    """(module-level officebot imports, function-level officebot imports) of one file."""
    tree = ast.parse(path.read_text("utf-8"))
    top, inner = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = ("mail." if node.level == 1 else "") + (node.module or "")
            names = {base} if node.module else {f"mail.{a.name}" for a in node.names}
            where = top if node in tree.body or any(
                node in getattr(t, "body", []) for t in tree.body if isinstance(t, ast.Try)) \
                else inner
            where.update(names)
    return top, inner


@pytest.mark.parametrize("name", MODULES)
def test_no_function_level_import_of_officebot_and_none_of_the_batch(name):
    top, inner = _imports(MAIL / f"{name}.py")
    assert not inner, f"{name} imports {sorted(inner)} inside a function"
    assert "batch" not in top and "cli" not in top and "launcher" not in top


def test_no_circle_among_the_mail_modules():
    graph = {m: {i.split(".", 1)[1] for i in _imports(MAIL / f"{m}.py")[0]
                 if i.startswith("mail.")} for m in MODULES}
    done, stack = set(), []

    def visit(m):
        assert m not in stack, " -> ".join(stack + [m])
        if m in done:
            return
        stack.append(m)
        for n in graph.get(m, ()):
            visit(n)
        stack.pop()
        done.add(m)
    for m in MODULES:
        visit(m)
    assert graph["addresses"] == set() and "run" not in set().union(*graph.values())
