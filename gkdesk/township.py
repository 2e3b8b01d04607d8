"""Setting up the installation: the township (or county) and its villages and groups."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, func, select
from sqlalchemy.orm import Session

from gkdesk import audit, settings
from gkdesk.errors import InputRejected, NotFound, NotInitialised, UnreadableInput
from gkdesk.hints import Hint
from gkdesk.models.township import ROLE_TOWNSHIP, ROLES, Township, Village, VillageGroup
from gkdesk.result import OpResult, Problem

_CODE = re.compile(r"^\d{6,12}$")
MAX_GROUPS = 60

ROLE_LABELS = {"township": "乡镇(街道)", "county": "县(区)政务公开办"}


def current(session: Session) -> Township:
    """This installation's own township (or county office) row."""
    tid = settings.SELF_TOWNSHIP.get(session)
    t = session.get(Township, tid) if tid else None
    if t is None:
        raise NotInitialised("尚未设置本乡镇信息。", hint=Hint.INIT)
    return t


def is_initialised(session: Session) -> bool:
    tid = settings.SELF_TOWNSHIP.get(session)
    return bool(tid) and session.get(Township, tid) is not None


def init_installation(session: Session, name: str, code: str, county: str,
                      role: str = ROLE_TOWNSHIP, operator: str = "", supervision_phone: str = "") -> OpResult:
    name, code, county = name.strip(), code.strip(), county.strip()
    if is_initialised(session):
        t = current(session)
        raise InputRejected(f"本数据目录已设置为“{t.name}”({t.code}),不能重复初始化。", hint=Hint.NEW_DATA_DIR)
    if not name:
        raise InputRejected("乡镇名称不能为空")
    if not _CODE.match(code):
        raise InputRejected(f"行政区划代码“{code}”无效:应为 6 至 12 位数字")
    if role not in ROLES:
        raise InputRejected(f"角色“{role}”无效:应为 township 或 county")
    if session.scalar(select(Township).where(Township.code == code)) is not None:
        raise InputRejected(f"行政区划代码“{code}”已存在")
    t = Township(name=name, code=code, county_name=county, role=role, supervision_phone=supervision_phone)
    session.add(t)
    session.flush()
    settings.SELF_TOWNSHIP.set(session, t.id)
    if operator:
        settings.OPERATOR.set(session, operator)
    audit.record(session, operator, "init", t.code, name=name, county=county, role=role)
    return OpResult(changes={"township"}, data={"township": township_dict(t)})


def township_dict(t: Township) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "code": t.code, "county": t.county_name, "role": t.role,
            "supervision_phone": t.supervision_phone}


def update_township(session: Session, operator: str, *, name: str | None = None,
                    county: str | None = None, supervision_phone: str | None = None) -> OpResult:
    t = current(session)
    if name is not None:
        if not name.strip():
            raise InputRejected("乡镇名称不能为空")
        t.name = name.strip()
    if county is not None:
        t.county_name = county.strip()
    if supervision_phone is not None:
        t.supervision_phone = supervision_phone.strip()
    audit.record(session, operator, "township.update", t.code)
    return OpResult(changes={"township"}, data={"township": township_dict(t)})


def group_name(n: int) -> str:
    return f"{n}组"


def village_kind(name: str) -> str:
    return "社区" if name.endswith(("社区", "居委会")) else "村"


def villages(session: Session, include_deleted: bool = False, township_id: str | None = None) -> list[Village]:
    """This township's villages; the county passes ``township_id`` to read one of its townships."""
    q = select(Village).where(Village.township_id == (township_id or current(session).id))
    if not include_deleted:
        q = q.where(Village.deleted_at.is_(None))
    return list(session.scalars(q.order_by(Village.sort_order, Village.name)))


def find_village(session: Session, name: str) -> Village:
    t = current(session)
    v = session.scalar(select(Village).where(Village.township_id == t.id, Village.name == name.strip(),
                                             Village.deleted_at.is_(None)))
    if v is None:
        raise NotFound(f"找不到村(社区)“{name}”")
    return v


def village_dict(v: Village) -> dict[str, Any]:
    groups = [g for g in v.groups if g.deleted_at is None]
    return {"id": v.id, "name": v.name, "kind": v.kind, "code": v.code,
            "groups": len(groups), "group_names": [g.name for g in groups]}


def add_village(session: Session, name: str, groups: int = 0, operator: str = "", code: str = "",
                kind: str | None = None) -> OpResult:
    t = current(session)
    name = re.sub(r"\s+", "", name or "")
    if not name:
        raise InputRejected("村(社区)名称不能为空")
    if len(name) > 64:
        raise InputRejected(f"村(社区)名称“{name[:20]}…”过长")
    from gkdesk.payouts.places import names_group

    if names_group(name):
        raise InputRejected(f"“{name}”含村民小组,不能作为村(社区)名称:请添加它所属的村,并设置村民小组数")
    if not 0 <= groups <= MAX_GROUPS:
        raise InputRejected(f"村民小组数 {groups} 无效:应在 0 至 {MAX_GROUPS} 之间")
    if code and not _CODE.match(code):
        raise InputRejected(f"村(社区)代码“{code}”无效:应为 6 至 12 位数字")
    exists = session.scalar(select(Village).where(Village.township_id == t.id, Village.name == name,
                                                  Village.deleted_at.is_(None)))
    if exists is not None:
        raise InputRejected(f"村(社区)“{name}”已存在")
    order = (session.scalar(select(func.max(Village.sort_order)).where(Village.township_id == t.id)) or 0) + 1
    v = Village(township_id=t.id, name=name, code=code, kind=kind or village_kind(name), sort_order=order)
    session.add(v)
    session.flush()
    for n in range(1, groups + 1):
        session.add(VillageGroup(village_id=v.id, number=n, name=group_name(n)))
    session.flush()
    audit.record(session, operator, "village.add", name, groups=groups)
    return OpResult(changes={"villages"}, counts={"villages": 1, "groups": groups},
                    data={"village": village_dict(v)})


def ensure_groups(session: Session, village: Village, count: int) -> int:
    """Make sure groups 1..count exist; returns how many were added."""
    have = {g.number for g in village.groups if g.deleted_at is None}
    added = 0
    for n in range(1, count + 1):
        if n not in have:
            session.add(VillageGroup(village_id=village.id, number=n, name=group_name(n)))
            added += 1
    if added:
        session.flush()
        session.refresh(village)
    return added


VILLAGE_COLUMNS = {
    "name": ["村(社区)", "村（社区）", "村名", "村", "村(居)", "社区", "名称", "村(社区)名称", "村居名称", "行政村"],
    "groups": ["村民小组数", "组数", "小组数", "村民小组", "村民小组(个)"],
    "code": ["代码", "编码", "区划代码", "行政区划代码", "统计用区划代码"],
    "kind": ["类型", "村/社区"],
}


_NOT_A_VILLAGE = ("合计", "总计", "小计", "共计", "制表", "填表", "审核", "负责人", "注:", "注:", "说明", "备注")


def import_villages(session: Session, path: str | Path, operator: str = "") -> OpResult:
    """Import villages from a spreadsheet (columns 村名, 村民小组数, optional 代码/类型).

    All-or-nothing: any bad row rejects the whole file; villages already present are
    kept and only gain missing groups.
    """
    from gkdesk.sheets import find_header, read_workbook

    path = Path(path)
    sheets = read_workbook(path)
    match = sheet = None
    for sheet in sheets:
        match = find_header(sheet.rows, VILLAGE_COLUMNS, required=["name"])
        if match:
            break
    if match is None or sheet is None:
        raise UnreadableInput(f"文件“{path.name}”中找不到村(社区)名单的表头(需要“村名”或“村(社区)”列)")
    errors: list[Problem] = []
    parsed: list[tuple[str, int, str, str | None]] = []
    seen: set[str] = set()
    for i in range(match.row + 1, len(sheet.rows)):
        row = sheet.rows[i]
        excel_row = i + 1

        def cell(f: str, row: list[Any] = row) -> Any:
            c = match.columns.get(f)
            return row[c] if c is not None and c < len(row) else None

        name = re.sub(r"\s+", "", str(cell("name") or ""))
        if not name or name.startswith(_NOT_A_VILLAGE) or name.endswith(("合计", "总计", "小计")):
            continue  # totals, signatures and notes under the list
        groups_raw = cell("groups")
        groups = 0
        if groups_raw not in (None, ""):
            try:
                groups = int(float(str(groups_raw).strip()))
                if groups < 0 or groups > MAX_GROUPS or float(str(groups_raw)) != groups:
                    raise ValueError
            except ValueError:
                errors.append(Problem(f"村民小组数“{groups_raw}”不是 0 至 {MAX_GROUPS} 的整数", sheet.name,
                                      excel_row, match.labels.get("groups"), path.name))
                continue
        code = cell("code")
        code_s = "" if code in (None, "") else str(int(code) if isinstance(code, float) else code).strip()
        if code_s and not _CODE.match(code_s):
            errors.append(Problem(f"代码“{code_s}”应为 6 至 12 位数字", sheet.name, excel_row,
                                  match.labels.get("code"), path.name))
            continue
        if name in seen:
            errors.append(Problem(f"村(社区)“{name}”重复出现", sheet.name, excel_row,
                                  match.labels.get("name"), path.name))
            continue
        seen.add(name)
        kind = cell("kind")
        parsed.append((name, groups, code_s, str(kind).strip() if kind else None))
    if errors:
        raise InputRejected("导入被拒绝,未做任何改动:\n" + "\n".join(e.describe() for e in errors))
    if not parsed:
        raise UnreadableInput(f"文件“{path.name}”的工作表“{sheet.name}”中没有村(社区)数据")
    added = existing = groups_added = 0
    for name, groups, code, kind in parsed:
        try:
            v = find_village(session, name)
            existing += 1
            groups_added += ensure_groups(session, v, groups)
        except NotFound:
            add_village(session, name, groups, operator, code=code, kind=kind)
            added += 1
            groups_added += groups
    audit.record(session, operator, "village.import", path.name, added=added, existing=existing)
    return OpResult(changes={"villages"}, counts={"added": added, "existing": existing, "groups_added": groups_added})


# -- corrections: rename, merge, delete when unused, number of groups -----------------------

def _referencing(target: str) -> list[tuple[Any, Any]]:
    """(table, fk column) of every table pointing at ``target``.id, found from the metadata so
    that a feature added later is moved by a merge without anyone remembering to list it."""
    import gkdesk.models  # noqa: F401  (registers every table)
    from gkdesk.models.base import Base

    out = []
    for t in Base.metadata.sorted_tables:
        for fk in t.foreign_keys:
            if fk.column.table.name == target:
                out.append((t, fk.parent))
    return out


def _live(table: Any) -> Any:
    return table.c.deleted_at.is_(None) if "deleted_at" in table.c else None


def village_usage(session: Session, village: Village) -> dict[str, int]:
    """Live rows pointing at a village (payouts, postings, catalogue items …) by table, groups excluded."""
    from gkdesk.sync.labels import TABLE_LABELS

    counts: dict[str, int] = {}
    for table, col in _referencing("village"):
        if table.name == "village_group":
            continue
        q = select(func.count()).select_from(table).where(col == village.id)
        live = _live(table)
        if live is not None:
            q = q.where(live)
        n = session.scalar(q) or 0
        if n:
            counts[TABLE_LABELS.get(table.name, table.name)] = n
    return counts


def _check_new_name(session: Session, name: str, t: Township) -> str:
    from gkdesk.payouts.places import names_group

    name = re.sub(r"\s+", "", name or "")
    if not name:
        raise InputRejected("村(社区)名称不能为空")
    if len(name) > 64:
        raise InputRejected(f"村(社区)名称“{name[:20]}…”过长")
    if names_group(name):
        raise InputRejected(f"“{name}”含村民小组,不能作为村(社区)名称:村民小组请用“村民小组数”设置")
    if session.scalar(select(Village).where(Village.township_id == t.id, Village.name == name,
                                            Village.deleted_at.is_(None))) is not None:
        raise InputRejected(f"村(社区)“{name}”已存在")
    return name


def rename_village(session: Session, name: str, new_name: str, operator: str = "") -> OpResult:
    v = find_village(session, name)
    new = re.sub(r"\s+", "", new_name or "")
    if new == v.name:
        return OpResult(status="unchanged", data={"village": village_dict(v), "old_name": v.name})
    new = _check_new_name(session, new, current(session))
    old = v.name
    v.name = new
    v.kind = village_kind(new)
    session.flush()
    audit.record(session, operator, "village.rename", new, old_name=old)
    return OpResult(status="renamed", changes={"villages"}, counts={"villages": 1},
                    data={"village": village_dict(v), "old_name": old})


def merge_villages(session: Session, source: str, target: str, operator: str = "") -> OpResult:
    """Move every row that points at ``source`` onto ``target`` (groups by number), then remove ``source``."""
    from sqlalchemy import update

    from gkdesk.models.base import utcnow

    src, dst = find_village(session, source), find_village(session, target)
    if src.id == dst.id:
        raise InputRejected("不能把一个村(社区)合并到它自己")
    now = utcnow()
    src_groups = [g for g in src.groups if g.deleted_at is None]
    ensure_groups(session, dst, max([g.number for g in src_groups] + [0]))
    dst_by_no = {g.number: g.id for g in dst.groups if g.deleted_at is None}
    moved: dict[str, int] = {}
    for table, col in _referencing("village_group"):
        for g in src_groups:
            q = update(table).where(col == g.id).values({col.name: dst_by_no[g.number]})
            if "revision" in table.c:
                q = q.values(updated_at=now, revision=table.c.revision + 1)
            session.execute(q, execution_options={"synchronize_session": False})
    for table, col in _referencing("village"):
        if table.name == "village_group":
            continue
        unique = any(c.name == col.name for uc in table.constraints if uc.__class__.__name__ == "UniqueConstraint"
                     for c in uc.columns)
        live = _live(table)
        if unique and session.scalar(select(func.count()).select_from(table).where(col == dst.id)):
            # one row per village (e.g. a disclosure profile): the target keeps its own
            q = update(table).where(col == src.id)
            if live is not None:
                session.execute(q.where(live).values(deleted_at=now, updated_at=now, revision=table.c.revision + 1),
                                execution_options={"synchronize_session": False})
            continue
        q = update(table).where(col == src.id).values({col.name: dst.id})
        if "revision" in table.c:
            q = q.values(updated_at=now, revision=table.c.revision + 1)
        # an UPDATE yields a CursorResult, which carries rowcount
        res = cast(CursorResult[Any], session.execute(q, execution_options={"synchronize_session": False}))
        n = res.rowcount or 0
        if n:
            moved[table.name] = int(n)
    for g in src_groups:
        g.soft_delete()
    src.soft_delete()
    if "payout_batch" in {t.name for t, _c in _referencing("village")} or moved.get("payout"):
        _recount_batches(session)
    session.flush()
    session.expire_all()
    audit.record(session, operator, "village.merge", dst.name, merged=src.name, moved=moved)
    return OpResult(status="merged", changes={"villages", "payouts"} if moved.get("payout") else {"villages"},
                    counts={"rows": sum(moved.values())}, data={"source": src.name, "target": dst.name, "moved": moved})


def _recount_batches(session: Session) -> None:
    """Batches keep how many villages they cover: recount after a merge."""
    from gkdesk.models.payout import Payout, PayoutBatch

    for b in session.scalars(select(PayoutBatch).where(PayoutBatch.deleted_at.is_(None))):
        n = session.scalar(select(func.count(func.distinct(Payout.village_id))).where(
            Payout.batch_id == b.id, Payout.deleted_at.is_(None))) or 0
        if n != b.village_count:
            b.village_count = n


def delete_village(session: Session, name: str, operator: str = "") -> OpResult:
    """Remove a village that nothing points at (a typo, a village added by mistake)."""
    v = find_village(session, name)
    used = village_usage(session, v)
    if used:
        what = "、".join(f"{k}{n}条" for k, n in used.items())
        raise InputRejected(f"村(社区)“{v.name}”仍有数据({what}),不能删除;可先把它合并到正确的村(社区)")
    for g in v.groups:
        if g.deleted_at is None:
            g.soft_delete()
    v.soft_delete()
    session.flush()
    audit.record(session, operator, "village.delete", v.name)
    return OpResult(status="deleted", changes={"villages"}, counts={"villages": 1}, data={"name": v.name})


def set_group_count(session: Session, name: str, count: int, operator: str = "") -> OpResult:
    """Groups 1..count; groups above ``count`` are removed when nothing points at them."""
    v = find_village(session, name)
    if not 0 <= count <= MAX_GROUPS:
        raise InputRejected(f"村民小组数 {count} 无效:应在 0 至 {MAX_GROUPS} 之间")
    live = [g for g in v.groups if g.deleted_at is None]
    before = len(live)
    ensure_groups(session, v, count)
    refs = _referencing("village_group")
    for g in live:
        if g.number > count:
            for table, col in refs:
                q = select(func.count()).select_from(table).where(col == g.id)
                lv = _live(table)
                if lv is not None:
                    q = q.where(lv)
                if session.scalar(q):
                    raise InputRejected(f"{g.name}仍有数据,不能减少到{count}个村民小组")
            g.soft_delete()
    session.flush()
    session.refresh(v)
    after = len([g for g in v.groups if g.deleted_at is None])
    audit.record(session, operator, "village.groups", v.name, before=before, after=after)
    return OpResult(status="ok", changes={"villages"}, counts={"groups": after},
                    data={"village": village_dict(v), "before": before})
