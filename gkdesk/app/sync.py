"""Sync as clerk actions: identity files, packages both ways, county updates, conflicts.

Each function is one thing a clerk does on the 同步 page or with ``gkdesk keys``/``gkdesk
sync``; both faces call the same function with their :class:`Workspace` and print the
result's ``summary()``. The backups the actions need are decided here, not in the engine:
an import backs up once, right before the first package that passed its checks is
written (``before_apply``); resolving a conflict and making new keys back up first.
Refused packages are not errors: each is a :class:`PackageReport` with a reason and a
hint that each face renders in its own words (``hint_text``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gkdesk import audit, sync, township
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.hints import Hint
from gkdesk.models.township import ROLE_COUNTY
from gkdesk.result import IsCancelled, Report, never_cancelled, no_report
from gkdesk.sync import conflicts as conflict_core
from gkdesk.sync import keys
from gkdesk.sync.container import DEFAULT_PART_BYTES, MAX_PACKAGE_BYTES, SUFFIX
from gkdesk.sync.export import ExportResult
from gkdesk.sync.importer import KIND_LABELS, PackageReport, totals_line
from gkdesk.sync.labels import field_label, table_label

HintText = Callable[[Hint | str | None, dict[str, Any]], str]  # a face's renderer (cli/ui hints.hint_text)

audit.ACTION_LABELS.update({
    "keys.reset": "重新生成本单位密钥", "keys.trust": "信任对方身份文件",
    "keys.verify": "核验对方指纹", "keys.revoke": "撤销乡镇登记",
    "keys.enrolment": "采用县级登记的乡镇编号", "keys.enrolment_file": "导出乡镇登记文件",
    "sync.export": "导出数据包", "sync.resync": "导出重新同步包", "sync.import": "导入数据包",
    "sync.receipt": "导入回执", "sync.update": "县级更新", "sync.resolve": "处理同步冲突",
    "sync.restore_out": "导出乡镇恢复包", "sync.restore": "导入恢复包", "sync.rebase": "请乡镇重新发送全部数据",
})

RESULT_LABELS = {"sent": "已发出", "applied": "已导入", "resync": "已导入(重新同步)", "refused": "已拒绝",
                 "duplicate": "重复"}
TRUST_VERBS = {"trusted": "已导入(待核验)", "replaced": "已重新登记(待核验)", "unchanged": "此前已导入,无变化",
               "enrolled": "已导入县级登记"}
USB_SAFE = "现在可以安全拔出 U 盘。"


def _no_hint(hint: Hint | str | None, args: dict[str, Any]) -> str:
    return ""


# --- identity and trust -------------------------------------------------------------------

@dataclass
class IdentityView(Outcome):
    """Who this installation is and whom it trusts (read-only; keys are made on first use)."""

    identity: dict[str, Any]  # the public identity file's fields, signature left out
    peers: list[dict[str, Any]]
    is_county: bool = False
    enrolment: str = ""  # township: where the county's enrolment stands ("" for a county)

    @property
    def fingerprint(self) -> str:
        return str(self.identity["fingerprint"])

    def summary(self) -> str:
        extra = f"\n{self.enrolment}" if self.enrolment else ""
        return f"本单位:{self.identity['name']}({self.identity['code']})\n指纹:{self.fingerprint}{extra}"

    def peers_text(self) -> str:
        trusted = ";".join(f"{p['name']}({p['code']})[{p['state']}] 指纹 {p['fingerprint']}" for p in self.peers)
        return f"{'已登记的乡镇' if self.is_county else '已信任的县级单位'}:{trusted or '尚未信任任何单位'}"


def identity(ws: Workspace) -> IdentityView:
    from gkdesk.sync import enrolment

    with ws.session() as s:
        body = keys.identity_dict(s, ws.data_dir)
        ps = [keys.peer_dict(p) for p in keys.peers(s)]
        county = township.current(s).role == ROLE_COUNTY
        state = enrolment.state(s)
    return IdentityView({k: v for k, v in body.items() if k != "signature"}, ps, county, state)


@dataclass
class IdentityExported(Outcome):
    file: Path
    fingerprint: str

    def summary(self) -> str:
        return f"已写入身份文件:{self.file}\n指纹:{self.fingerprint}(请与对方电话核对)"


def export_identity(ws: Workspace, out: Path | str) -> IdentityExported:
    with ws.session() as s:
        body = keys.export_identity(s, Path(out), ws.data_dir)
    return IdentityExported(Path(out), str(body["fingerprint"]))


@dataclass
class Trusted(Outcome):
    status: str  # trusted / replaced / unchanged
    peer: dict[str, Any]
    old_fingerprint: str | None = None
    endorsed: bool = False  # the new keys were signed by the old ones: stays verified
    enrolment_file: Path | None = None  # county: the enrolment file written for the township
    enrolment_error: str = ""  # county: why it could not be written (the clerk exports it again)
    adopted: bool = False  # township: its records moved to the id the county enrolled it under
    enrolment_received: bool = False  # township: the file was the county's enrolment file

    def summary(self) -> str:
        return self._main() + self._enrolment_note()

    def _enrolment_note(self) -> str:
        if self.enrolment_file is not None:
            return (f"\n已写入登记文件:{self.enrolment_file}\n请把它交回该乡镇,在乡镇的“同步”页导入"
                    "(其中有县级为该乡镇登记的编号);乡镇导入并核验指纹后才能发送数据。")
        if self.enrolment_error:
            return f"\n注意:登记文件未能写入({self.enrolment_error}),请稍后为该乡镇导出登记文件。"
        if self.enrolment_received and self.status != "enrolled":
            return ("\n这是县级为本乡镇写的登记文件(其中有县级登记的本乡镇编号):"
                    + ("本乡镇的记录已改用该编号。" if self.adopted else "核验县级指纹后,本乡镇的记录将改用该编号。"))
        return ""

    def _main(self) -> str:
        p = self.peer
        extra = f"(原指纹 {self.old_fingerprint})" if self.old_fingerprint else ""
        if self.status == "enrolled":
            then = ("本乡镇的记录已改用县级登记的编号(改动前已自动备份)。" if self.adopted
                    else "核验县级指纹后,本乡镇的记录将改用县级登记的编号。")
            return f"已导入县级“{p['name']}”为本乡镇写的登记文件。{then}"
        if self.endorsed:
            return (f"已更新:{p['name']}({p['code']})更换了密钥,新密钥由原密钥签名确认,仍为已核验。\n"
                    f"新指纹:{p['fingerprint']}{extra}")
        if p.get("verified"):
            return f"{TRUST_VERBS[self.status]}:{p['name']}({p['code']}),已核验。\n指纹:{p['fingerprint']}"
        return (f"{TRUST_VERBS[self.status]}:{p['name']}({p['code']})\n指纹:{p['fingerprint']}{extra}\n"
                "请打电话请对方读出其指纹,逐组核对,再输入听到的数字完成核验;核验前不收发同步包。")


def trust(ws: Workspace, path: Path | str, *, replace: bool = False) -> Trusted:
    """Import a peer's identity file (pending until verified); re-enrolment (``replace``)
    backs up first, as it drops old keys, and so does an enrolment file (the township may
    move its records to the id the county assigned). A county writes the township's
    enrolment file next to the identity file (the USB stick the township brought)."""
    path = Path(path)
    carries = "enrolment" in keys.read_identity(path)
    with ws.change(backup="before-replace" if replace or carries else None) as s:
        res = keys.trust(s, path, ws.operator, replace=replace, data_dir=ws.data_dir)
        county = township.current(s).role == ROLE_COUNTY
    out = Trusted(res["status"], res["peer"], res.get("old_fingerprint"), bool(res.get("endorsed")),
                  adopted=bool(res.get("adopted")), changes=frozenset({"sync", "all"}) if res["status"] == "enrolled" else
                  frozenset({"sync"}) if res["status"] != "unchanged" else frozenset())
    out.enrolment_received = carries and not county
    if county:
        target = path.with_name(enrolment_file_name(res["peer"]))
        try:
            out.enrolment_file = export_enrolment(ws, res["peer"]["code"], target).file
        except (OSError, ValueError) as exc:
            out.enrolment_error = getattr(exc, "strerror", None) or "写入失败"
    return out


_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def enrolment_file_name(peer: dict[str, Any]) -> str:
    """The name comes from the township's identity file: never a path, never an NTFS stream."""
    name = _NOT_IN_FILE_NAMES.sub("_", str(peer["name"])).strip(" .") or "乡镇"
    code = _NOT_IN_FILE_NAMES.sub("_", str(peer["code"]))
    return f"登记文件-{name[:40]}-{code}.json"


@dataclass
class EnrolmentExported(Outcome):
    file: Path
    peer: dict[str, Any]

    def summary(self) -> str:
        p = self.peer
        return (f"已写入“{p['name']}”({p['code']})的登记文件:{self.file}\n"
                "请交给该乡镇,在其“同步”页用“信任对方身份文件…”导入。")


def export_enrolment(ws: Workspace, code: str, out: Path | str) -> EnrolmentExported:
    """County: write the signed enrolment of township ``code`` (with this county's identity)."""
    with ws.change() as s:
        res = keys.enrolment_file(s, code, Path(out), ws.data_dir)
        audit.record(s, ws.operator, "keys.enrolment_file", str(code)[:12])
    return EnrolmentExported(Path(out), res["peer"], changes=frozenset({"sync"}))


@dataclass
class PeerVerified(Outcome):
    status: str  # verified / unchanged
    peer: dict[str, Any]
    adopted: bool = False  # the township's records moved to the id the county enrolled it under

    def summary(self) -> str:
        p = self.peer
        moved = "本乡镇的记录已改用县级登记的编号(改动前已自动备份)。" if self.adopted else ""
        return f"已核验:{p['name']}({p['code']})的指纹与电话中读出的一致,可以收发同步包。{moved}"


def verify_peer(ws: Workspace, code: str, digits: str) -> PeerVerified:
    """The clerk types back the fingerprint digits the other side read out on the phone. A
    township verifying its county adopts the township id the county enrolled it under (its
    records move to that id): backed up first."""
    from gkdesk.sync import enrolment

    with ws.session() as s:
        moving = enrolment.stored(s)
    with ws.change(backup="before-sync" if moving else None, force_backup=moving) as s:
        res = keys.verify(s, code, digits, ws.operator)
    return PeerVerified(res["status"], res["peer"], bool(res.get("adopted")),
                        changes=frozenset({"sync", "all"}) if res.get("adopted") else frozenset({"sync"}))


@dataclass
class PeerRevoked(Outcome):
    peer: dict[str, Any]

    def summary(self) -> str:
        p = self.peer
        return (f"已撤销“{p['name']}”({p['code']})的登记:不再接受它的同步包,已有数据保留。"
                "对方换电话或换人后,导入其新的身份文件并核验指纹即可重新登记。")


def revoke_peer(ws: Workspace, code: str) -> PeerRevoked:
    """County: stop trusting a township's key (lost or stolen PC, departed clerk)."""
    with ws.change(backup="before-replace") as s:
        res = keys.revoke(s, code, ws.operator)
    return PeerRevoked(res["peer"], changes=frozenset({"sync"}))


@dataclass
class KeysReset(Outcome):
    fingerprint: str

    def summary(self) -> str:
        return (f"已生成新密钥,新指纹:{self.fingerprint}\n"
                "请导出本单位身份文件交给对方,对方确认替换后重新登记。")


def reset_keys(ws: Workspace) -> KeysReset:
    with ws.change(backup="before-replace", force_backup=True) as s:
        ident = keys.reset_keys(s, ws.operator, ws.data_dir)
    return KeysReset(ident.fingerprint, changes=frozenset({"sync"}))


# --- packages ---------------------------------------------------------------------------

@dataclass
class PackageExported(Outcome):
    result: ExportResult

    def counts_text(self) -> str:
        return ",".join(f"{table_label(k)} {v}" for k, v in self.result.counts.items()) or "无变化"

    def summary(self) -> str:
        r = self.result
        if r.kind == "resync":
            what = "重新同步包(完整数据)"
        elif r.based_on:
            what = f"数据包(第 {r.based_on} 号之后的变化)"
        else:
            what = "数据包(完整数据)"
        warn = (f"\n注意:{len(r.missing_attachments)} 个附件文件缺失,未能打包"
                if r.missing_attachments else "")
        return f"第 {r.seq} 号{what}:{self.counts_text()}\n{r.safe_message}{warn}"


def export_package(ws: Workspace, out: Path | str, *, full: bool = False, resync: bool = False,
                   part_bytes: int = DEFAULT_PART_BYTES, report: Report = no_report,
                   cancelled: IsCancelled = never_cancelled) -> PackageExported:
    """Township → county. ``out`` is a folder (USB stick) or a ``.gkpkg`` file name."""
    out, stem = Path(out), None
    if out.suffix == SUFFIX:
        out, stem = out.parent, out.stem
    res = sync.export_data(ws.store, out, ws.operator, full=full, resync=resync, part_bytes=part_bytes,
                           stem=stem, report=report, cancelled=cancelled)
    return PackageExported(res, changes=frozenset({"sync"}))


@dataclass
class PackagesImported(Outcome):
    packages: list[PackageReport] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return sum(r.status == "refused" for r in self.packages)

    @property
    def applied(self) -> int:
        return sum(r.status == "applied" for r in self.packages)

    def lines(self, hint_text: HintText = _no_hint) -> list[str]:
        """One line per package (refusals with the face's hint), then the receipts to carry back."""
        out = [r.describe(hint_text) for r in self.packages]
        for r in self.packages:
            out += [f"  回执已写入:{f}(请交回乡镇)" for f in r.receipt_files]
        return out

    def summary(self) -> str:
        dup = len(self.packages) - self.applied - self.refused
        parts = [f"导入 {self.applied} 个"] + ([f"重复 {dup} 个"] if dup else []) + (
            [f"拒绝 {self.refused} 个(这些包未改动数据)"] if self.refused else [])
        return f"共 {len(self.packages)} 个同步包:" + ",".join(parts)


def _keep_restorable(ws: Workspace, files: list[Path]) -> None:
    """The day's first import takes a full backup; later ones keep their packages as the
    redo log on top of it (``gkdesk.redo``): backups grow with the packages, not the database."""
    if not ws.store.is_sqlite:
        return
    from gkdesk import redo

    redo.before_import(ws.data_dir, files)
    redo.thin(ws.data_dir)


def import_packages(ws: Workspace, files: Iterable[Path | str], *, receipts_dir: Path | str | None = None,
                    max_bytes: int = MAX_PACKAGE_BYTES, report: Report = no_report,
                    cancelled: IsCancelled = never_cancelled) -> PackagesImported:
    """Import many packages; one backup before the first one that is actually applied."""
    paths = [Path(f) for f in files]
    reps = sync.import_files(ws.store, paths, ws.operator,
                             receipts_dir=Path(receipts_dir) if receipts_dir else None, max_bytes=max_bytes,
                             report=report, cancelled=cancelled, before_apply=lambda: _keep_restorable(ws, paths))
    applied = any(r.status == "applied" for r in reps)
    return PackagesImported(reps, changes=frozenset({"sync", "all"}) if applied else frozenset({"sync"}))


@dataclass
class UpdatesSent(Outcome):
    results: list[ExportResult] = field(default_factory=list)
    not_verified: list[str] = field(default_factory=list)  # townships left out: pending or revoked

    def file_lines(self) -> list[str]:
        return [f"已写入:{'、'.join(p.name for p in r.files)}" for r in self.results]

    def summary(self) -> str:
        left = (f"\n未发给 {len(self.not_verified)} 个指纹尚未核验或已撤销登记的乡镇:{'、'.join(self.not_verified)}"
                if self.not_verified else "")
        return f"已为 {len(self.results)} 个乡镇写入更新包。{USB_SAFE}{left}"


def send_update(ws: Workspace, out: Path | str, *, codes: list[str] | None = None,
                years: list[int] | None = None) -> UpdatesSent:
    """County → townships: holiday years and the other registered payloads, one package each."""
    results = sync.export_update(ws.store, Path(out), ws.operator, codes or None,
                                 {"years": years} if years else None)
    with ws.session() as s:
        left = [f"{p.name}({p.code})" for p in keys.peers(s)
                if p.role != ROLE_COUNTY and (p.verified_at is None or p.revoked_at is not None)]
    return UpdatesSent(results, [] if codes else left, changes=frozenset({"sync"}))


@dataclass
class RestoreSent(Outcome):
    result: ExportResult
    peer: dict[str, Any]

    def summary(self) -> str:
        r, p = self.result, self.peer
        rows = sum(r.counts.values())
        return (f"已为“{p['name']}”({p['code']})写入恢复包:{rows} 条记录,{r.attachments} 个附件。\n"
                f"{r.safe_message}\n请交给该乡镇在“同步”页导入:它会按县级登记的编号恢复本乡镇已同步过的记录。")


def send_restore(ws: Workspace, code: str, out: Path | str) -> RestoreSent:
    """County → a re-enrolled township (lost data folder, new PC): its records as the county
    holds them, encrypted to its new keys (:mod:`gkdesk.sync.restore`)."""
    from gkdesk.sync import restore

    res = restore.export_restore(ws.store, Path(out), ws.operator, code)
    with ws.session() as s:
        peer = next(keys.peer_dict(p) for p in keys.peers(s) if p.code == str(code).strip())
    return RestoreSent(res, peer, changes=frozenset({"sync"}))


# --- history ------------------------------------------------------------------------------

@dataclass
class SyncHistory(Outcome):
    rows: list[dict[str, Any]]  # packages sent and applied (sync.history), newest first
    refused: list[dict[str, Any]]  # refused.jsonl entries, newest first

    def summary(self) -> str:
        return f"同步记录 {len(self.rows)} 条,被拒绝的包 {len(self.refused)} 个"

    def refused_lines(self, hint_text: HintText = _no_hint, limit: int = 20) -> list[str]:
        return [f"{r['at']} {r['file']}:{refusal_text(r, hint_text)}" for r in self.refused[:limit]]

    def entries(self) -> list[dict[str, Any]]:
        """Both lists as one, newest first, refused packages shaped like history rows."""
        refused = [{"direction": "in", "kind": r.get("kind") or "", "kind_label": "",
                    "peer_code": r.get("sender_code", ""), "seq": r.get("seq") or "", "processed_at": r["at"],
                    "file": r["file"], "status": "refused", "report": r} for r in self.refused]
        return sorted(self.rows + refused, key=lambda e: e["processed_at"], reverse=True)


def history(ws: Workspace, limit: int = 200) -> SyncHistory:
    with ws.session() as s:
        rows = sync.history(s, limit)
    return SyncHistory(rows, sync.refused_history(ws.store, limit))


def refusal_text(rep: dict[str, Any], hint_text: HintText = _no_hint) -> str:
    """A stored refusal's reason and, if it has one, the face's hint."""
    extra = hint_text(rep.get("hint"), {}) if rep.get("hint") else ""
    return f"{rep.get('reason', '')}。{extra}" if extra else str(rep.get("reason", ""))


def report_lines(entry: dict[str, Any], hint_text: HintText = _no_hint) -> list[str]:
    """What one history entry's report says, in the clerk's words (no internal names)."""
    rep = entry.get("report") or {}
    lines = [f"文件:{entry['file']}"]
    if entry["status"] == "refused":
        lines.append(f"已拒绝,数据未改动。原因:{refusal_text(rep, hint_text)}")
    for t, c in (rep.get("tables") or {}).items():
        lines.append(f"{table_label(t)}:新增 {c['new']},更新 {c['updated']},"
                     f"未变 {c['unchanged']},冲突 {c['conflicting']}")
    if rep.get("counts"):
        lines.append("包含:" + ",".join(f"{table_label(k)} {v}" for k, v in rep["counts"].items()))
    lines += [f"回执:{f}" for f in rep.get("receipt_files") or []]
    if rep.get("receipt_error"):
        lines.append(f"注意:{rep['receipt_error']}")
    if rep.get("totals") and entry.get("kind") != "data":
        lines.append(totals_line(rep["totals"]))
    return lines


def entry_cells(entry: dict[str, Any], names: dict[str, str]) -> list[str]:
    """Type, peer and result of a history entry as the history table shows them."""
    return [entry.get("kind_label") or KIND_LABELS.get(entry["kind"], "未知"),
            names.get(entry["peer_code"], entry["peer_code"] or "未知"),
            RESULT_LABELS.get(entry["status"], entry["status"])]


# --- conflicts ------------------------------------------------------------------------------

def conflicts(ws: Workspace, *, include_resolved: bool = False) -> list[conflict_core.ConflictView]:
    with ws.session() as s:
        return conflict_core.list_conflicts(s, include_resolved=include_resolved)


def conflict_lines(views: list[conflict_core.ConflictView]) -> list[str]:
    """Each conflict and, per differing field, the county's and the township's value."""
    lines = []
    for c in views:
        done = f"[已处理:{conflict_core.KEEP_LABELS.get(c.resolution, c.resolution)}]" if c.resolution else ""
        lines.append(f"#{c.id} {table_label(c.table)} {c.row_id}(来自 {c.peer_code}){done}")
        lines += [f"    {field_label(f)}:县级“{c.local.get(f)}” / 乡镇“{c.incoming.get(f)}”" for f in c.fields]
    return lines


def conflict_fields(c: conflict_core.ConflictView) -> list[list[Any]]:
    """Rows of (field label, county value, township value) for the window's detail table."""
    return [[field_label(f), c.local.get(f), c.incoming.get(f)] for f in c.fields]


@dataclass
class ConflictResolved(Outcome):
    conflict: dict[str, Any]
    keep: str
    label: str
    settled: int
    backed_up: bool

    def summary(self) -> str:
        note = "(处理前已自动备份)" if self.backed_up else ""
        return f"冲突 #{self.conflict['id']}({table_label(self.conflict['table'])}):已{self.label}{note}。"


def resolve_conflict(ws: Workspace, conflict_id: int, keep: str) -> ConflictResolved:
    """Keep the county's (``county``) or the township's (``township``) version; backed up first."""
    made: list[object] = []
    res = conflict_core.resolve_conflict(ws.store, conflict_id, keep, ws.operator,
                                         before_apply=lambda: made.append(ws.backup("before-sync", force=True)))
    return ConflictResolved(res.data["conflict"], keep, res.data["label"], res.counts["settled"],
                            any(m is not None for m in made), changes=frozenset({"sync", "all"}))
