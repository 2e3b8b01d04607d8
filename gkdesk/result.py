"""Result objects returned by core operations.

Every operation returns what it changed plus located warnings/errors, so the
CLI can print JSON and the window can refresh only what changed (Anki's
``OpChanges`` idea).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

# Job contract shared by core and UI: report(fraction 0..1, message), cancelled() -> bool.
Report = Callable[[float, str], None]
IsCancelled = Callable[[], bool]


def no_report(fraction: float, message: str) -> None:
    """Default progress sink for callers that do not display progress."""


def never_cancelled() -> bool:
    return False


@dataclass(frozen=True)
class Problem:
    """A warning or error located in an input file (row = the number the spreadsheet shows)."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def describe(self) -> str:
        where = []
        if self.file:
            where.append(f"文件“{self.file}”")
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”列")
        prefix = " ".join(where)
        return f"{prefix}:{self.message}" if prefix else self.message


@dataclass
class OpResult:
    """What an operation did. ``changes`` names the kinds of data touched (e.g. {"villages"})."""

    status: str = "ok"
    changes: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["changes"] = sorted(self.changes)
        d["warnings"] = [w.to_dict() for w in self.warnings]
        d["errors"] = [e.to_dict() for e in self.errors]
        return d
