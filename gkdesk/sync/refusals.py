"""refused.jsonl: the packages this installation refused, kept outside the database.

A refusal changes nothing in the database (that is the point), so its record lives in a
small bounded file beside it, for the 同步 page's history. Entries never quote values
from the file: reasons and names are cut and stripped of control codes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkdesk.models.base import utcnow
from gkdesk.store import Store
from gkdesk.sync.container import clean

if TYPE_CHECKING:
    from gkdesk.sync.importer import PackageReport

REFUSED_LOG_MAX = 1024 * 1024  # refused.jsonl is cut to its newer half above this


def log_refusal(store: Store, rep: PackageReport) -> None:
    """Refusals never touch the database; their times are UTC like the package history.
    Each entry is bounded (reasons and names cut, nothing unvalidated from the file), and
    the log is kept under ~1 MB."""
    d = Path(store.data_dir) / "sync"
    d.mkdir(parents=True, exist_ok=True)
    p = d / "refused.jsonl"
    entry = {"at": utcnow().isoformat(timespec="seconds"), **rep.to_dict()}
    entry["reason"] = clean(entry["reason"], 400)
    entry["file"] = clean(entry["file"], 120)
    entry["sender_name"] = clean(entry["sender_name"], 64)
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    try:
        if p.exists() and p.stat().st_size + len(line) > REFUSED_LOG_MAX:
            keep = p.read_bytes()[-REFUSED_LOG_MAX // 2:]
            keep = keep[keep.find(b"\n") + 1:]
            tmp = p.with_name(p.name + ".tmp")
            tmp.write_bytes(keep)
            os.replace(tmp, p)
        with open(p, "a", encoding="utf-8") as f:
            f.write(line)
    except OSError:
        pass  # the refusal is reported to the clerk either way; the log is a convenience


def refused_history(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    p = Path(store.data_dir) / "sync" / "refused.jsonl"
    if not p.exists():
        return []
    out = []
    for x in reversed(p.read_text(encoding="utf-8", errors="replace").splitlines()[-limit:]):
        try:
            out.append(json.loads(x))
        except json.JSONDecodeError:
            continue
    return out
