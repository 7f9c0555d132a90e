"""Rooms a newcomer can find: the shape of bot/ is held here, not in a wiki."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
FILE_LINES_MAX = 400
FUNCTION_LINES_MAX = 60


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(BOT.rglob("*.py")):
        yield path, ast.parse(path.read_text(), filename=str(path))


def functions(tree: ast.Module) -> Iterator[ast.FunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            yield node


def is_one_literal(function: ast.FunctionDef) -> bool:
    """A layout that is a single literal (after its docstring) may run long."""
    body = [
        node
        for node in function.body
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]
    return (
        len(body) == 1
        and isinstance(body[0], ast.Return)
        and isinstance(body[0].value, ast.Dict | ast.List | ast.Call)
    )


def test_no_file_in_bot_runs_past_400_lines() -> None:
    long = {
        str(path.relative_to(BOT)): lines
        for path, _ in modules()
        if (lines := len(path.read_text().splitlines())) > FILE_LINES_MAX
    }
    assert not long


def test_no_function_runs_past_60_lines() -> None:
    long = {
        f"{path.relative_to(BOT)}:{function.name}": lines
        for path, tree in modules()
        for function in functions(tree)
        if (lines := (function.end_lineno or 0) - function.lineno + 1) > FUNCTION_LINES_MAX
        and not is_one_literal(function)
    }
    assert not long


def test_no_module_imports_another_modules_private_names() -> None:
    private = {
        f"{path.relative_to(BOT)}: {node.module}.{alias.name}"
        for path, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    }
    assert not private


# Bolt passes a listener what it asks for by name, reading only its positional
# parameters (slack_bolt.util.utils.get_arg_names_of_callable): a listener
# cannot make them keyword-only, and is never called positionally anyway.
BOLT_ARGUMENTS = {
    "ack",
    "body",
    "client",
    "command",
    "context",
    "event",
    "respond",
    "shortcut",
    "view",
    "db",
    "outbox",
    "actor",
    "now",
    "installations",  # what the app's middleware puts on the context
}


def test_functions_of_more_than_two_parameters_name_them() -> None:
    """Past two parameters (self and cls not counted), the rest are keyword-only."""
    positional = set()
    for path, tree in modules():
        for function in functions(tree):
            args = function.args
            named = [a for a in [*args.posonlyargs, *args.args] if a.arg not in ("self", "cls")]
            if {a.arg for a in named} <= BOLT_ARGUMENTS:
                continue
            if len(named) + len(args.kwonlyargs) > 2 and len(named) > 2:
                positional.add(f"{path.relative_to(BOT)}:{function.name}")
    assert not positional
