"""The shape every operation's result shares: what kinds of data changed.

Each capability's operations return their own dataclass (subclassing :class:`Outcome`)
with the figures a clerk cares about; ``changes`` names the kinds of data touched so the
window refreshes only the pages that show them (Anki's ``OpChanges``). ``summary()`` is
the Chinese sentence both faces print, written once next to the operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gkdesk.result import Problem


@dataclass
class Outcome:
    """Base of typed operation results."""

    changes: frozenset[str] = field(default=frozenset(), kw_only=True)
    warnings: list[Problem] = field(default_factory=list, kw_only=True)

    def summary(self) -> str:
        return "已完成"

    def warning_lines(self, limit: int | None = None) -> list[str]:
        shown = self.warnings if limit is None else self.warnings[:limit]
        lines = [w.describe() for w in shown]
        if limit is not None and len(self.warnings) > limit:
            lines.append(f"……另有 {len(self.warnings) - limit} 条")
        return lines

    def problems(self) -> list[dict[str, Any]]:
        return [w.to_dict() | {"file": w.file} for w in self.warnings]
