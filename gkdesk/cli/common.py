"""What every CLI command shares: the open store, the operator, output and exit codes.

Exit codes: 0 ok; 1 the input was rejected (nothing stored); 2 usage error or
unreadable input. Handlers return an int or None (= 0) and raise :class:`GkError`
for the clerk-facing failures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gkdesk.errors import GkError

if TYPE_CHECKING:  # the parser is built before any command runs: keep SQLAlchemy out of it
    from sqlalchemy.orm import Session

    from gkdesk.app.workspace import Workspace
    from gkdesk.store import Store

Handler = Callable[["CliContext", argparse.Namespace], "int | None"]


def bilingual(zh: str, en: str) -> str:
    """Help text in both languages: clerks read the Chinese, the county's IT person may not."""
    return f"{zh} / {en}"


def lazy(module: str, name: str) -> Handler:
    """A handler that imports its module only when the command runs.

    Building the parser must stay cheap (``gkdesk payouts import`` is timed against a bare
    file read), so command modules register light wrappers and keep the core out until used.
    """

    def run(ctx: CliContext, args: argparse.Namespace) -> int | None:
        import importlib

        return getattr(importlib.import_module(module), name)(ctx, args)

    run.__name__ = name
    return run


def json_parent() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help=bilingual("以 JSON 输出结果", "print the result as JSON"))
    return p


def add_command(sub: argparse._SubParsersAction, name: str, zh: str, en: str, handler: Handler,
                json_output: bool = True) -> argparse.ArgumentParser:
    """Register a subcommand whose handler is ``handler(ctx, args)``."""
    parents = [json_parent()] if json_output else []
    p = sub.add_parser(name, help=bilingual(zh, en), description=bilingual(zh, en), parents=parents)
    p.set_defaults(handler=handler)
    return p


@dataclass
class CliContext:
    """One command's run: its arguments and, opened on first use, the :class:`Workspace`."""

    args: argparse.Namespace
    _ws: Workspace | None = field(default=None, init=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def ws(self) -> Workspace:
        """The open data directory; every clerk action goes through it (``gkdesk.app``)."""
        if self._ws is None:
            from gkdesk.app.workspace import Workspace

            self._ws = Workspace.open(self.args.data_dir, database_url=self.args.database_url,
                                      operator=self.args.operator)
        return self._ws

    @property
    def operator(self) -> str:
        if self.args.operator:
            return str(self.args.operator)
        if self._ws is not None:
            return self._ws.operator
        from gkdesk import audit

        return audit.default_operator()

    @property
    def store(self) -> Store:
        return self.ws.store

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.store.session() as s:
            yield s

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()

    def emit(self, payload: dict[str, Any] | list[Any], text: str | None = None) -> None:
        """Print ``payload`` as JSON with --json, else ``text`` (or a readable fallback)."""
        if self.json:
            print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        elif text is not None:
            print(text)
        else:
            print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))

    def error(self, message: str) -> None:
        print(message, file=sys.stderr)

    def fail(self, exc: GkError) -> int:
        """Print a clerk-facing refusal (with the flag or command that fixes it) and return its exit code."""
        from gkdesk.cli.hints import with_hint

        message = with_hint(exc.message, exc.hint, exc.hint_args)
        if self.json:
            payload: dict[str, Any] = {"status": "error", "code": exc.code, "message": message}
            if exc.hint:
                payload["hint"] = str(exc.hint)
            print(json.dumps(payload, ensure_ascii=False, default=str))
        self.error(message)
        return exc.exit_code


def table(rows: list[list[Any]], headers: list[str]) -> str:
    """A plain text table that lines up CJK text (wide characters count double)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for k, r in enumerate(cells):
        lines.append("  ".join(c + " " * (widths[i] - width(c)) for i, c in enumerate(r)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
