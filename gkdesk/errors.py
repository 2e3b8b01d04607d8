"""Errors the core raises, each with a Chinese message meant for the clerk.

The CLI maps them onto exit codes (``exit_code``) and the window shows ``message``
in a dialog; neither needs to know the concrete type.
"""

from __future__ import annotations


class GkError(Exception):
    """Base of every error the clerk may see. ``message`` is Simplified Chinese."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputRejected(GkError):
    """The input was read but refused (validation failed); nothing was stored."""

    exit_code = 1


class UnreadableInput(GkError):
    """The input could not be read at all or is not what it claims to be."""

    exit_code = 2


class NotFound(GkError):
    """A named record (village, batch, backup …) does not exist."""

    exit_code = 1


class DatabaseTooNew(GkError):
    """The database was written by a newer gkdesk; we must not touch it."""

    exit_code = 2


class DatabaseCorrupt(GkError):
    """The database file fails its integrity check; offer a backup instead."""

    exit_code = 2


class NotInitialised(GkError):
    """The data directory has no township yet (run ``gkdesk init`` or the wizard)."""

    exit_code = 2


class CalendarMissing(GkError):
    """A working-day computation reached a year without holiday data.

    We refuse rather than guess Monday–Friday: a wrong deadline is worse than
    a visible gap that tells the clerk to enter the State Council notice.
    """

    exit_code = 1

    def __init__(self, year: int) -> None:
        super().__init__(f"待补充{year}年节假日安排")
        self.year = year


class Cancelled(GkError):
    """Long work was cancelled by the clerk; the transaction was rolled back."""

    exit_code = 1

    def __init__(self, message: str = "操作已取消,数据未改动") -> None:
        super().__init__(message)
