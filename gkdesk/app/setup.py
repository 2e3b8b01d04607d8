"""Setting up an installation: the township (or county office), its villages, the demo.

These are the first actions a clerk takes (the wizard or ``gkdesk init``); the result texts
are shared by both faces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gkdesk import township
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace


@dataclass
class Initialised(Outcome):
    township: dict[str, Any]
    data_dir: Path
    villages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        t = self.township
        text = f"已初始化:{t['name']}({t['code']}),{t['county']},角色 {township.ROLE_LABELS[t['role']]}"
        if self.villages:
            text += f"\n已添加村(社区):{'、'.join(self.villages)}"
        return text + f"\n数据目录:{self.data_dir}"


@dataclass
class TownshipUpdated(Outcome):
    township: dict[str, Any]

    def summary(self) -> str:
        return f"已保存本单位信息:{self.township['name']}"


@dataclass
class VillageAdded(Outcome):
    village: dict[str, Any]

    def summary(self) -> str:
        return f"已添加 {self.village['name']}(村民小组 {self.village['groups']} 个)"


@dataclass
class VillagesImported(Outcome):
    added: int
    existing: int
    groups_added: int

    def summary(self) -> str:
        return (f"导入完成:新增 {self.added} 个村(社区),已有 {self.existing} 个,"
                f"新增村民小组 {self.groups_added} 个")


@dataclass
class DemoLoaded(Outcome):
    counts: dict[str, int]
    data_dir: Path

    def summary(self) -> str:
        return ("已生成演示数据:" + ",".join(f"{k} {v}" for k, v in self.counts.items())
                + f"\n数据目录:{self.data_dir}")


def initialise(ws: Workspace, name: str, code: str, county: str, role: str = township.ROLE_TOWNSHIP, *,
               supervision_phone: str = "", villages: list[tuple[str, int]] | None = None,
               operator: str | None = None) -> Initialised:
    """Set up this data directory for a township or county office (once), with its first villages.

    ``operator`` is the clerk's name typed in the wizard: it becomes the default of later runs.
    """
    who = operator or ws.operator
    with ws.session() as s:
        res = township.init_installation(s, name, code, county, role, operator=who,
                                         supervision_phone=supervision_phone)
        added = [township.add_village(s, vname, groups, who).data["village"]["name"]
                 for vname, groups in (villages or [])]
    if operator:
        ws.set_operator(operator)
    return Initialised(res.data["township"], ws.data_dir, added, changes=frozenset({"all"}))


def update_township(ws: Workspace, **fields: Any) -> TownshipUpdated:
    with ws.session() as s:
        res = township.update_township(s, ws.operator, **fields)
    return TownshipUpdated(res.data["township"], changes=frozenset({"township"}))


def add_village(ws: Workspace, name: str, groups: int = 0, *, code: str = "") -> VillageAdded:
    with ws.session() as s:
        res = township.add_village(s, name, groups, ws.operator, code=code)
    return VillageAdded(res.data["village"], changes=frozenset({"villages"}))


def import_villages(ws: Workspace, path: str | Path) -> VillagesImported:
    with ws.change(backup="before-import") as s:
        res = township.import_villages(s, path, ws.operator)
    c = res.counts
    return VillagesImported(c["added"], c["existing"], c["groups_added"], changes=frozenset({"villages"}),
                            warnings=list(res.warnings))


def load_demo(ws: Workspace) -> DemoLoaded:
    """Fill a new data directory with the demo township (refused where data exist)."""
    from gkdesk import demo

    with ws.session() as s:
        res = demo.fill_demo(s, ws.operator)
    return DemoLoaded(dict(res.counts), ws.data_dir, changes=frozenset({"all"}))


BIG_DATABASE = 200 * 2**20


def close_backup(ws: Workspace) -> None:
    """The backup taken when the window closes (skipped when nothing changed).

    A big database (a county: gigabytes) is not copied again on closing when a backup from
    today exists — that copy took 90 s at five years; imports since are kept as packages
    on top of today's backup (``gkdesk.redo``).
    """
    from datetime import datetime

    from gkdesk import backups

    db = ws.store.db_path
    if db is not None and db.exists() and db.stat().st_size > BIG_DATABASE:
        newest = backups.list_backups(ws.data_dir)
        if newest and newest[0].created.date() == datetime.now().date():
            return
    ws.backup("on-close")


def set_font_size(ws: Workspace, size: int) -> int:
    """Remember the window's text size (适老化); returns the size kept."""
    from gkdesk import settings

    with ws.session() as s:
        settings.FONT_SIZE.set(s, size)
    return size


# -- village corrections (rename, merge, delete when unused, number of groups) ----------------

from gkdesk import audit as _audit  # noqa: E402

_audit.ACTION_LABELS.update({"village.rename": "村(社区)改名", "village.merge": "合并村(社区)",
                             "village.delete": "删除村(社区)", "village.groups": "调整村民小组数"})


@dataclass
class VillageCorrected(Outcome):
    """One correction of the village list; ``text`` is the sentence both faces show."""

    action: str  # rename / merge / delete / groups / unchanged
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        return self.text


def rename_village(ws: Workspace, name: str, new_name: str) -> VillageCorrected:
    """A village's name corrected (its payouts, postings … follow: they refer to it by id)."""
    with ws.change(backup="before-village-rename") as s:
        res = township.rename_village(s, name, new_name, ws.operator)
    if res.status == "unchanged":
        return VillageCorrected("unchanged", f"村(社区)“{name}”名称未变", res.data)
    return VillageCorrected("rename", f"村(社区)“{res.data['old_name']}”已改名为“{res.data['village']['name']}”",
                            res.data, changes=frozenset({"villages"}))


def merge_villages(ws: Workspace, source: str, target: str) -> VillageCorrected:
    """Every row of ``source`` moved onto ``target``, then ``source`` removed (backed up first)."""
    with ws.change(backup="before-village-merge") as s:
        res = township.merge_villages(s, source, target, ws.operator)
    n = res.counts.get("rows", 0)
    return VillageCorrected("merge", f"已把“{res.data['source']}”合并到“{res.data['target']}”(移动{n}条数据)",
                            res.data, changes=frozenset(res.changes))


def delete_village(ws: Workspace, name: str) -> VillageCorrected:
    """Remove a village nothing points at; a used one is refused with what still uses it."""
    with ws.change(backup="before-village-delete") as s:
        res = township.delete_village(s, name, ws.operator)
    return VillageCorrected("delete", f"已删除村(社区)“{res.data['name']}”", res.data, changes=frozenset({"villages"}))


def set_group_count(ws: Workspace, name: str, count: int) -> VillageCorrected:
    with ws.change(backup="before-village-groups") as s:
        res = township.set_group_count(s, name, count, ws.operator)
    return VillageCorrected("groups", f"“{name}”的村民小组数:{res.data['before']} → {res.counts['groups']}", res.data,
                            changes=frozenset({"villages"}))
# --- what notices print and how (settings page; ``gkdesk settings``) --------------------------
@dataclass
class NoticeSettings(Outcome):
    """The county-wide parts of every notice: hotlines under the table, how an ID is masked
    when a notice shows one, and the font notices are printed in ("" = chosen automatically)."""

    county_phones: str
    id_mask_pattern: str
    notice_font: str
    changed: list[str] = field(default_factory=list)

    @property
    def id_mask_label(self) -> str:
        from gkdesk.identity import MASK_PATTERNS

        return MASK_PATTERNS.get(self.id_mask_pattern, self.id_mask_pattern)

    def summary(self) -> str:
        lines = [f"监督举报电话(县级):{self.county_phones or '未设置'}",
                 f"身份证号部分显示规则:{self.id_mask_label}",
                 f"公示字体:{self.notice_font or '自动选择'}"]
        head = ("已保存:" + "、".join(self.changed)) if self.changed else "公示设置"
        return head + "\n" + "\n".join(lines)


_NOTICE_LABELS = {"county_phones": "监督举报电话", "id_mask_pattern": "身份证号显示规则", "notice_font": "公示字体"}


def notice_settings(ws: Workspace) -> NoticeSettings:
    from gkdesk.notices.fonts import NOTICE_FONT
    from gkdesk.notices.masking import ID_MASK_PATTERN
    from gkdesk.notices.sources import COUNTY_PHONES

    with ws.session() as s:
        return NoticeSettings(COUNTY_PHONES.get(s), ID_MASK_PATTERN.get(s), NOTICE_FONT.get(s))


def set_notice_settings(ws: Workspace, *, county_phones: str | None = None, id_mask_pattern: str | None = None,
                        notice_font: str | None = None) -> NoticeSettings:
    """Change what is given (None keeps a value); each value is checked before anything is saved."""
    from gkdesk import audit
    from gkdesk.errors import InputRejected
    from gkdesk.notices.fonts import NOTICE_FONT, load_font
    from gkdesk.notices.masking import ID_MASK_PATTERN, check_pattern
    from gkdesk.notices.sources import COUNTY_PHONES

    audit.ACTION_LABELS.setdefault("settings.notice", "修改公示设置")
    new: dict[str, str] = {}
    if county_phones is not None:
        phones = [p.strip() for p in county_phones.replace(";", ";").replace("\n", ";").split(";") if p.strip()]
        if any(len(p) > 60 for p in phones):
            raise InputRejected("每个电话一项(如“通川区农业农村局 0818-2112345”),不超过60个字,多个之间用分号隔开")
        new["county_phones"] = ";".join(phones)
    if id_mask_pattern is not None:
        new["id_mask_pattern"] = check_pattern(id_mask_pattern.strip())
    if notice_font is not None:
        font = notice_font.strip()
        if font and load_font(font) is None:
            raise InputRejected(f"字体文件“{font}”无法使用(不存在,或不是 TrueType/OpenType 字体)")
        new["notice_font"] = font
    options = {"county_phones": COUNTY_PHONES, "id_mask_pattern": ID_MASK_PATTERN, "notice_font": NOTICE_FONT}
    with ws.session() as s:
        changed = []
        for key, value in new.items():
            old = options[key].get(s)
            if old != value:
                options[key].set(s, value)
                changed.append(_NOTICE_LABELS[key])
                audit.record(s, ws.operator, "settings.notice", _NOTICE_LABELS[key], old=old, new=value)
        out = NoticeSettings(COUNTY_PHONES.get(s), ID_MASK_PATTERN.get(s), NOTICE_FONT.get(s), changed)
    out.changes = frozenset({"settings"}) if changed else frozenset()
    return out


# --- where a county's data live: this PC's file, or a PostgreSQL server (wizard, settings) -----
@dataclass
class DatabaseTested(Outcome):
    """The 测试连接 button's answer: ``ok`` and one sentence for the clerk."""

    ok: bool
    server: str  # the address without its password
    message: str
    state: str = ""  # empty / gkdesk / other

    def summary(self) -> str:
        return self.message


@dataclass
class DatabaseChoice(Outcome):
    """Which database this data directory opens: ``server`` None means its own SQLite file."""

    data_dir: Path
    server: str | None = None
    existing: bool = False  # the server's database already holds a county's data
    note: str = ""

    def summary(self) -> str:
        if self.server is None:
            return f"县级数据保存在本机文件:{self.data_dir}" + (f"\n{self.note}" if self.note else "")
        text = f"县级数据保存在数据库服务器:{self.server}(密码已加密保存,不以明文存放)"
        return text + (f"\n{self.note}" if self.note else "")


def database_choice(ws: Workspace) -> DatabaseChoice:
    """The database this data directory uses now (the settings page, ``gkdesk database show``)."""
    return database_choice_at(ws.data_dir)


def database_choice_at(data_dir: Path) -> DatabaseChoice:
    """The same, without opening the database (it may be a server that is down)."""
    from gkdesk import dbconfig

    return DatabaseChoice(Path(data_dir), dbconfig.shown(Path(data_dir)))


def _tested(url: str) -> DatabaseTested:
    from gkdesk import dbconfig

    p = dbconfig.probe(url)
    if not p.ok:
        return DatabaseTested(False, p.shown, p.problem or "", "")
    if p.state == "other":
        return DatabaseTested(False, p.shown, "连接成功,但这个数据库里已有其他程序的数据表。"
                              "请为县级数据单独建一个空数据库(见使用说明)。", p.state)
    if p.state == "empty" and not p.can_create:
        return DatabaseTested(False, p.shown, "连接成功,但该用户没有在这个数据库中建表的权限。"
                              "请数据库管理员把数据库的所有者设为该用户(见使用说明)。", p.state)
    what = "里已有县级数据,将直接使用" if p.state == "gkdesk" else "是空的,完成设置时会自动建表"
    return DatabaseTested(True, p.shown, f"连接成功(PostgreSQL {p.version}):数据库{what}。", p.state)


def _server_url(ws: Workspace, host: str, port: int | str | None, database: str, user: str,
                password: str | None) -> str:
    """The address; an empty password keeps the saved one for the same server and user (settings page)."""
    from sqlalchemy.engine import make_url

    from gkdesk import dbconfig

    url = dbconfig.server_url(host, port, database, user, password)
    if not password:
        try:
            saved = dbconfig.load(ws.data_dir)
        except dbconfig.DatabaseConfigUnreadable:
            saved = None
        if saved:
            old, new = make_url(saved), make_url(url)
            if (old.host, old.port, old.username) == (new.host, new.port, new.username) and old.password:
                url = new.set(password=old.password).render_as_string(hide_password=False)
    return url


def test_database(ws: Workspace, host: str, port: int | str | None, database: str, user: str,
                  password: str | None) -> DatabaseTested:
    """Try the server with these settings; a failure is a Chinese sentence, never an exception."""
    return _tested(_server_url(ws, host, port, database, user, password))


def _server_unit(url: str) -> tuple[str, str] | None:
    """(township id, code) of the unit a gkdesk database on a server belongs to; None if unset."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from gkdesk import dbconfig, settings
    from gkdesk.errors import InputRejected

    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as c:
            tid = c.scalar(text("SELECT value FROM setting WHERE key = :k"), {"k": settings.SELF_TOWNSHIP.key})
            code = c.scalar(text("SELECT code FROM township WHERE id = :i"), {"i": tid}) if tid else None
    except Exception as exc:  # the server went away between the test and now: a sentence, not a traceback
        raise InputRejected(dbconfig.explain(exc, engine.url)) from exc
    finally:
        engine.dispose()
    return (str(tid), str(code)) if tid and code else None


def connect_database(ws: Workspace, host: str, port: int | str | None, database: str, user: str,
                     password: str | None) -> DatabaseChoice:
    """Keep this county's data on a PostgreSQL server from now on (tested first; password wrapped).

    Takes effect the next time the data directory is opened (the wizard reopens at once). The
    data directory's SQLite file is left untouched; moving a county that already has data is
    ``migrate_to_postgresql`` (:mod:`gkdesk.app.county`), which copies everything across.
    """
    from gkdesk import audit, dbconfig
    from gkdesk.errors import InputRejected

    url = _server_url(ws, host, port, database, user, password)
    tested = _tested(url)
    if not tested.ok:
        raise InputRejected(tested.message)
    with ws.session() as s:
        has_data = township.is_initialised(s)
        if has_data and tested.state != "gkdesk":
            raise InputRejected("本机文件中已有县级数据:请用“同步”页的“迁移到 PostgreSQL…”把数据连同密钥和历史一起搬过去,"
                                "而不是直接改用一个空数据库。")
        if has_data:
            me = township.current(s)
            theirs = _server_unit(url)
            if theirs != (me.id, me.code):
                who = f"“{theirs[1]}”" if theirs and theirs[1] else "另一个单位(或尚未设置)"
                raise InputRejected(f"服务器上的 gkdesk 数据库属于{who},不是本单位“{me.name}”({me.code}):"
                                    "改用它会换掉本单位的密钥、登记和同步记录,已拒绝。请核对数据库名称;"
                                    "要把本机数据搬到服务器,请用“同步”页的“迁移到 PostgreSQL…”。")
        audit.ACTION_LABELS.setdefault("database.server", "改用数据库服务器")
        if has_data:
            audit.record(s, ws.operator, "database.server", tested.server)
    dbconfig.save(ws.data_dir, url)
    note = ("服务器上已有县级数据,以后打开都使用它。" if tested.state == "gkdesk"
            else "以后打开本数据目录(窗口或命令行)都使用这个数据库。")
    return DatabaseChoice(ws.data_dir, tested.server, tested.state == "gkdesk", note,
                          changes=frozenset({"all"}))


def use_local_database(ws: Workspace) -> DatabaseChoice:
    """Open the data directory's own SQLite file again (the server's data stay on the server)."""
    return use_local_database_at(ws.data_dir)


def use_local_database_at(data_dir: Path) -> DatabaseChoice:
    """The same without opening the database: the way back when the server is gone."""
    from gkdesk import dbconfig

    data_dir = Path(data_dir)
    was = dbconfig.shown(data_dir)
    if not dbconfig.forget(data_dir):
        return DatabaseChoice(data_dir, None, note="本来就使用本机文件,未做改动。")
    return DatabaseChoice(data_dir, None, note=f"数据库服务器 {was} 上的数据保持不变;重新打开程序后生效。",
                          changes=frozenset({"all"}))
