"""The operation layer: one function per clerk action, shared by the CLI and the window.

``Workspace`` (:mod:`gkdesk.app.workspace`) owns the store, the data directory, the
operator and the audit log. Each capability has a module here (``app.payouts``,
``app.catalogue`` …) whose functions take a Workspace and plain values, take the backup a
destructive step needs, run the transaction and return a typed result
(:class:`gkdesk.app.results.Outcome`). Errors are :class:`gkdesk.errors.GkError` with a
code and a :class:`gkdesk.hints.Hint`. Neither face adds logic of its own: the CLI parses
and prints, the window asks and shows. See ``docs/ARCHITECTURE.md``.
"""

from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace

__all__ = ["Outcome", "Workspace"]
