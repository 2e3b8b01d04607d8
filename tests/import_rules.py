"""The house rules of gkdesk's layers, read from the source (ast), not from a running import.

Layers (see docs/ARCHITECTURE.md):
    root        gkdesk/__init__, gkdesk/labels, gkdesk/hints: constants, import nothing
    models      SQLAlchemy tables and the labels they need
    core        every capability (catalogue, payouts, sync …), store, backups, workdays …
    app         the operation layer (Workspace, one function per clerk action)
    cli, ui     the two faces
    selftest    above both faces: the only code allowed to import the CLI and the window
An import is an edge from the importing module's layer to the imported module's layer;
every import counts, at module level, inside functions and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

FACES = {"cli", "ui"}

#: (from layer, to layer) pairs that must never appear.
FORBIDDEN: dict[tuple[str, str], str] = {
    ("core", "ui"): "the core must not import the window",
    ("core", "cli"): "the core must not import the command line",
    ("core", "app"): "the core must not import the operation layer above it",
    ("core", "selftest"): "the core must not import the selftest",
    ("models", "core"): "models must not import a capability",
    ("models", "app"): "models must not import the operation layer",
    ("models", "ui"): "models must not import the window",
    ("models", "cli"): "models must not import the command line",
    ("models", "selftest"): "models must not import the selftest",
    ("app", "ui"): "the operation layer must not import the window",
    ("app", "cli"): "the operation layer must not import the command line",
    ("app", "selftest"): "the operation layer must not import the selftest",
    ("cli", "ui"): "the command line must never need Qt",
    ("ui", "cli"): "the window must not import the command line",
    ("ui", "selftest"): "the window must not import the selftest above it",
}

QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    source: str
    target: str
    why: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.source} → {self.target} ({self.why})"


def module_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The layer of a gkdesk module name (None for modules outside gkdesk)."""
    parts = module.split(".")
    if parts[0] != "gkdesk":
        return None
    if len(parts) == 1 or parts[1] in {"labels", "hints"}:
        return "root"  # import-free modules every layer may use
    if parts[1] in {"cli", "ui", "app", "selftest", "models"}:
        return parts[1]
    if parts[1] in {"__main__"}:
        return "entry"
    if parts[1] == "migrations":
        return "core"
    return "core"


def _targets(node: ast.AST, current: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = current.split(".")
            if not is_package:
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            mod = ".".join(base + ([node.module] if node.module else []))
        else:
            mod = node.module or ""
        # `from gkdesk import backups` imports the module gkdesk.backups
        names = {f"{mod}.{a.name}" if mod in {"gkdesk", "gkdesk.app", "gkdesk.ui", "gkdesk.cli"} and a.name != "*"
                 else mod for a in node.names}
        return sorted(names)
    return []


def check_tree(root: Path) -> list[Violation]:
    """Every forbidden edge and every Qt import outside gkdesk/ui in the tree under ``root``."""
    out: list[Violation] = []
    for path in sorted((root / "gkdesk").rglob("*.py")):
        current = module_name(root, path)
        src_layer = layer_of(current)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for target in _targets(node, current, path.name == "__init__.py"):
                rel = path.relative_to(root).as_posix()
                line = getattr(node, "lineno", 0)
                if target.split(".")[0] in QT_PACKAGES and src_layer != "ui":
                    out.append(Violation(rel, line, str(src_layer), target, "only gkdesk/ui may import Qt"))
                    continue
                dst_layer = layer_of(target)
                if dst_layer is None or src_layer is None:
                    continue
                if src_layer == "root" and dst_layer != "root":
                    out.append(Violation(rel, line, src_layer, target, "the package root imports nothing"))
                why = FORBIDDEN.get((src_layer, dst_layer))
                if why:
                    out.append(Violation(rel, line, src_layer, target, why))
    return out
