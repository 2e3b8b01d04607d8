"""Errors the core raises, each with a Chinese message meant for the clerk.

The CLI maps them onto exit codes (``exit_code``) and the window shows ``message``
in a dialog; neither needs to know the concrete type. ``code`` is a stable machine name
(``--json`` prints it); ``hint`` (:class:`gkdesk.hints.Hint`) says what would fix the
problem and is rendered by each face in its own words — a flag in the CLI, a button in the
window — so ``message`` itself never names a command or a flag.
"""

from __future__ import annotations

from typing import Any

from gkdesk.hints import Hint


class GkError(Exception):
    """Base of every error the clerk may see. ``message`` is Simplified Chinese."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, *, hint: Hint | None = None, code: str | None = None,
                 **hint_args: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.hint_args: dict[str, Any] = hint_args
        if code is not None:
            self.code = code


class InputRejected(GkError):
    """The input was read but refused (validation failed); nothing was stored."""

    exit_code = 1
    code = "rejected"


class UnreadableInput(GkError):
    """The input could not be read at all or is not what it claims to be."""

    exit_code = 2
    code = "unreadable"


class NotFound(GkError):
    """A named record (village, batch, backup …) does not exist."""

    exit_code = 1
    code = "not_found"


class DatabaseTooNew(GkError):
    """The database was written by a newer gkdesk; we must not touch it."""

    exit_code = 2
    code = "database_too_new"


class DatabaseCorrupt(GkError):
    """The database file fails its integrity check; offer a backup instead."""

    exit_code = 2
    code = "database_corrupt"


class NotInitialised(GkError):
    """The data directory has no township yet (the wizard or ``init`` sets one up)."""

    exit_code = 2
    code = "not_initialised"


class CalendarMissing(GkError):
    """A working-day computation reached a year without holiday data.

    We refuse rather than guess Monday–Friday: a wrong deadline is worse than
    a visible gap that tells the clerk to enter the State Council notice.
    """

    exit_code = 1
    code = "calendar_missing"

    def __init__(self, year: int) -> None:
        super().__init__(f"待补充{year}年节假日安排", hint=Hint.SET_HOLIDAYS, year=year)
        self.year = year


class Cancelled(GkError):
    """Long work was cancelled by the clerk; the transaction was rolled back."""

    exit_code = 1
    code = "cancelled"

    def __init__(self, message: str = "操作已取消,数据未改动") -> None:
        super().__init__(message)
