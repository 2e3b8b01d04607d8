"""Every string the window can show, read from the source, and what must never be in one.

The window shows the strings of gkdesk/ui and the Chinese messages of the core and the
operation layer (errors, warnings, summaries, report lines). None of them may name a
command-line flag, a ``gkdesk`` command or an internal field name: a clerk cannot type
a flag into a window, and ``acked_seq`` means nothing to anyone at a township office.
The CLI's own texts (gkdesk/cli) and the selftest's console output are not shown in the window.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

CJK = re.compile(r"[\u4e00-\u9fff]")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
COMMAND = re.compile(r"\bgkdesk\s+(?:[a-z][a-z-]+)")
FIELD = re.compile(r"(?<![\w./\\%{-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w(])")

SHOWN_BY_WINDOW_EXCLUDED = ("gkdesk/cli/", "gkdesk/selftest/", "gkdesk/migrations/")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    what: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} in “{self.text[:80]}”"


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                ids.add(id(first.value))
    return ids


def shown_strings(root: Path) -> list[tuple[str, int, str]]:
    """(file, line, text) of every Chinese string the window may show."""
    out: list[tuple[str, int, str]] = []
    for path in sorted((root / "gkdesk").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(SHOWN_BY_WINDOW_EXCLUDED) or rel == "gkdesk/cli/hints.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
                if CJK.search(text):
                    out.append((rel, node.lineno, text))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                    and CJK.search(node.value):
                out.append((rel, node.lineno, node.value))
    return out


def findings(root: Path) -> list[Finding]:
    found: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    for rel, line, text in shown_strings(root):
        for what, rx in (("命令行参数", FLAG), ("命令", COMMAND), ("内部字段名", FIELD)):
            m = rx.search(text)
            if m and (rel, line, what) not in seen:
                seen.add((rel, line, what))
                found.append(Finding(rel, line, f"{what} {m.group(0)}", text))
    return found
