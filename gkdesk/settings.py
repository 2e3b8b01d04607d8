"""Typed settings declared next to the code that uses them (Picard's Option idea).

Values live in the ``setting`` table so they are backed up with the data. Declare
an option once at module level (``FONT_SIZE = IntOption("ui.font_size", 12)``) and
read it with ``FONT_SIZE.get(session)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from gkdesk.models.setting import Setting

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T

    def parse(self, raw: str) -> T:
        return raw  # type: ignore[return-value]

    def dump(self, value: T) -> str:
        return str(value)

    def get(self, session: Session) -> T:
        row = session.get(Setting, self.key)
        if row is None:
            return self.default
        try:
            return self.parse(row.value)
        except (TypeError, ValueError):
            return self.default

    def set(self, session: Session, value: T) -> None:
        row = session.get(Setting, self.key)
        if row is None:
            session.add(Setting(key=self.key, value=self.dump(value)))
        else:
            row.value = self.dump(value)


class TextOption(Option[str]):
    pass


class IntOption(Option[int]):
    def parse(self, raw: str) -> int:
        return int(raw)


class BoolOption(Option[bool]):
    def parse(self, raw: str) -> bool:
        return raw in ("1", "true", "True")

    def dump(self, value: bool) -> str:
        return "1" if value else "0"


# Options of the foundation itself.
SELF_TOWNSHIP = TextOption("township.self_id", "")
OPERATOR = TextOption("ui.operator", "")
FONT_SIZE = IntOption("ui.font_size", 12)
