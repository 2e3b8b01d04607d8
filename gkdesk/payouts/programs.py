"""Subsidy programs (补贴项目): a seeded list each township can extend."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.errors import InputRejected, NotFound
from gkdesk.hints import Hint
from gkdesk.models.payout import (
    KIND_AREA,
    KIND_LABELS,
    KIND_PERSON,
    KIND_PERSON_MONTH,
    PROGRAM_KINDS,
    Program,
)
from gkdesk.result import OpResult

# (name, kind, unit): programs seen on township payout lists (REFERENCE §5.2).
SEED_PROGRAMS = [
    ("耕地地力保护补贴", KIND_AREA, "亩"),
    ("实际种粮农民一次性补贴", KIND_AREA, "亩"),
    ("稻谷补贴", KIND_AREA, "亩"),
    ("玉米和大豆生产者补贴", KIND_AREA, "亩"),
    ("低保金", KIND_PERSON_MONTH, "人"),
    ("特困供养金", KIND_PERSON_MONTH, "人"),
    ("残疾人两项补贴", KIND_PERSON_MONTH, "人"),
    ("高龄津贴", KIND_PERSON_MONTH, "人"),
    ("临时救助", KIND_PERSON, "人"),
    ("退耕还林补助", KIND_AREA, "亩"),
]
# Added in 2026-12 (REAL-SOURCES §1): seeded on new installations and topped up on existing ones.
NEW_SEEDS = [
    ("低保边缘家庭救助", KIND_PERSON_MONTH, "人"),
    ("刚性支出困难家庭救助", KIND_PERSON, "人"),
    ("耕地地力保护和种粮大户补贴", KIND_AREA, "亩"),
    ("种粮大户补贴", KIND_AREA, "亩"),
    ("农机购置与应用补贴", KIND_PERSON, "台"),
    ("轮作补贴", KIND_AREA, "亩"),
    ("高油高蛋白大豆补贴", KIND_AREA, "亩"),
    ("草原生态保护补助奖励", KIND_AREA, "亩"),
]
# Official and older names clerks type → the program as the list names it.
ALIASES: dict[str, str] = {
    "城乡居民最低生活保障金": "低保金", "最低生活保障金": "低保金", "农村最低生活保障金": "低保金",
    "城市最低生活保障金": "低保金", "低保": "低保金", "最低生活保障": "低保金",
    "农村特困人员救助供养金": "特困供养金", "特困人员救助供养金": "特困供养金", "特困人员救助供养": "特困供养金",
    "特困供养": "特困供养金", "五保供养金": "特困供养金",
    "困难残疾人生活补贴和重度残疾人护理补贴": "残疾人两项补贴", "高龄老人津贴": "高龄津贴", "高龄补贴": "高龄津贴",
    "耕地建设与利用资金": "耕地地力保护补贴", "农机购置补贴": "农机购置与应用补贴",
    "低保边缘家庭": "低保边缘家庭救助", "刚性支出困难家庭": "刚性支出困难家庭救助",
    "一次性种粮补贴": "实际种粮农民一次性补贴",
}


def ensure_programs(session: Session) -> None:
    """Seed the program list for this township once (idempotent)."""
    t = township.current(session)
    have = set(session.scalars(select(Program.name).where(Program.township_id == t.id)))
    if not have:
        for i, (name, kind, unit) in enumerate(SEED_PROGRAMS):
            session.add(Program(township_id=t.id, name=name, kind=kind, unit=unit, sort_order=i))
    added = False
    for i, (name, kind, unit) in enumerate(NEW_SEEDS):
        if name not in have and not any(ALIASES.get(n) == name or ALIASES.get(name) == n for n in have):
            session.add(Program(township_id=t.id, name=name, kind=kind, unit=unit, sort_order=100 + i))
            added = True
    if added or not have:
        session.flush()


def programs(session: Session) -> list[Program]:
    ensure_programs(session)
    t = township.current(session)
    return list(session.scalars(select(Program).where(Program.township_id == t.id, Program.deleted_at.is_(None))
                                .order_by(Program.sort_order, Program.name)))


def find_program(session: Session, name: str) -> Program:
    """Exact name, else the one program whose name contains it (“种粮一次性补贴”)."""
    name = name.strip()
    items = programs(session)
    for p in items:
        if p.name == name:
            return p
    alias = ALIASES.get(name)
    for p in items:
        if alias and p.name == alias:
            return p
    partial = [p for p in items if name and name in p.name]
    if len(partial) == 1:
        return partial[0]
    known = "、".join(p.name for p in items)
    raise NotFound(f"没有名为“{name}”的补贴项目。现有项目:{known}。", hint=Hint.ADD_PROGRAM, name=name)


def add_program(session: Session, name: str, kind: str, unit: str, operator: str) -> OpResult:
    name = name.strip()
    if not name:
        raise InputRejected("补贴项目名称不能为空")
    if kind not in PROGRAM_KINDS:
        raise InputRejected(f"项目类型“{kind}”无效:应为{'、'.join(KIND_LABELS.values())}之一")
    if any(p.name == name for p in programs(session)):
        raise InputRejected(f"补贴项目“{name}”已存在")
    t = township.current(session)
    p = Program(township_id=t.id, name=name, kind=kind, unit=unit.strip() or ("亩" if kind == KIND_AREA else "人"),
                sort_order=len(SEED_PROGRAMS) + len(programs(session)))
    session.add(p)
    session.flush()
    audit.record(session, operator, "program.add", name, kind=kind, unit=p.unit)
    return OpResult(changes={"programs"}, counts={"programs": 1}, data={"program": program_dict(p)})


def rename_program(session: Session, ref: str, new_name: str, operator: str) -> OpResult:
    """Give a program another name; its batches keep pointing at it (by id)."""
    new_name = new_name.strip()
    if not new_name:
        raise InputRejected("补贴项目名称不能为空")
    p = find_program(session, ref)
    if new_name == p.name:
        return OpResult(status="unchanged", data={"program": program_dict(p), "old_name": p.name})
    if any(q.name == new_name for q in programs(session)):
        raise InputRejected(f"补贴项目“{new_name}”已存在")
    old = p.name
    p.name = new_name
    session.flush()
    audit.record(session, operator, "program.rename", new_name, old_name=old)
    return OpResult(status="renamed", changes={"programs"}, counts={"programs": 1},
                    data={"program": program_dict(p), "old_name": old})


def program_dict(p: Program) -> dict[str, str]:
    return {"id": p.id, "name": p.name, "kind": p.kind, "kind_label": KIND_LABELS[p.kind], "unit": p.unit}
