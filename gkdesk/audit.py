"""Recording who did what; every mutating core operation calls :func:`record`."""

from __future__ import annotations

import getpass
import json
import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk.models.audit import AuditEntry


def default_operator() -> str:
    """The operator for this run: ``GKDESK_OPERATOR``, else the OS user name."""
    env = os.environ.get("GKDESK_OPERATOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - exotic platforms
        return "未知"


# Chinese labels for audit actions; feature modules add theirs (ACTION_LABELS["payouts.import"] = "导入发放清册").
ACTION_LABELS: dict[str, str] = {
    "init": "初始化",
    "township.update": "修改本乡镇信息",
    "village.add": "添加村(社区)",
    "village.import": "导入村(社区)名单",
    "calendar.set_year": "录入节假日安排",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def local_time(utc: datetime) -> datetime:
    """Stored timestamps are naive UTC; clerks read local time."""
    return utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def record(session: Session, operator: str, action: str, target: str = "", **detail: Any) -> None:
    session.add(AuditEntry(operator=operator or "未知", action=action, target=target,
                           detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else ""))


def recent(session: Session, limit: int = 200) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
