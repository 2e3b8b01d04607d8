"""Count what the operation layer is meant to remove from the faces (issue 11's figures).

- backup call sites: calls of ``create_backup``/``restore_backup`` (or a Workspace's
  ``backup``/``change(backup=…)``) per layer;
- the operator and the data directory handed around by the faces: ``operator=`` keywords
  and ``.operator`` reads, ``data_dir=`` keywords and ``.data_dir`` reads in gkdesk/cli and
  gkdesk/ui.

Usage: python scripts/layer_counts.py [TREE]   (default: this checkout)
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path


def layer(rel: Path) -> str:
    parts = rel.parts
    if len(parts) > 2 and parts[1] in {"cli", "ui", "app", "selftest", "models"}:
        return parts[1]
    return "core"


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    backups: Counter[str] = Counter()
    operator: Counter[str] = Counter()
    data_dir: Counter[str] = Counter()
    for path in sorted((root / "gkdesk").rglob("*.py")):
        rel = path.relative_to(root)
        if rel.as_posix() in {"gkdesk/backups.py", "gkdesk/app/workspace.py"}:
            continue
        where = layer(rel)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
                if name in {"create_backup", "restore_backup"}:
                    backups[where] += 1
                if name == "change" and any(k.arg == "backup" for k in node.keywords):
                    backups[where] += 1
                if name == "backup" and isinstance(fn, ast.Attribute) and fn.value.__class__ is ast.Name \
                        and getattr(fn.value, "id", "") == "ws":
                    backups[where] += 1
                for k in node.keywords:
                    if k.arg == "operator":
                        operator[where] += 1
                    if k.arg == "data_dir":
                        data_dir[where] += 1
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                if node.attr == "operator":
                    operator[where] += 1
                if node.attr == "data_dir":
                    data_dir[where] += 1
    faces = ("cli", "ui")
    print("backup call sites:", sum(backups.values()), dict(sorted(backups.items())))
    print("operator passed/read by the faces:", sum(operator[f] for f in faces),
          {f: operator[f] for f in faces})
    print("data_dir passed/read by the faces:", sum(data_dir[f] for f in faces),
          {f: data_dir[f] for f in faces})


if __name__ == "__main__":
    main()
