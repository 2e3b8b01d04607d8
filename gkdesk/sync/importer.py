"""Importing packages: verify, then apply in one transaction per package.

Every check that can refuse a package runs before anything is written: size,
container safety, header, sender and recipient, sequence (replay and gap),
decryption, signature, every member's SHA-256, schema version, the rows
themselves. A refused package changes nothing in the database (the refusal is
appended to ``<data dir>/sync/refused.jsonl``) and never stops the next package.
The caller decides about the backup: ``before_apply`` runs once per run, after the
first package passed every check and before anything is written (the operation layer
passes the Workspace's backup there).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.errors import Cancelled, GkError
from gkdesk.hints import Hint
from gkdesk.models.base import KEEP_REVISION, utcnow
from gkdesk.models.sync import SyncPackage, SyncPeer
from gkdesk.models.township import ROLE_COUNTY, ROLE_TOWNSHIP
from gkdesk.result import IsCancelled, Report, never_cancelled, no_report
from gkdesk.store import Store, known_revisions
from gkdesk.sync import keys
from gkdesk.sync.apply import STATES, apply_table, parse_lines
from gkdesk.sync.container import (
    DEFAULT_PART_BYTES,
    MAX_PACKAGE_BYTES,
    Opened,
    PackageRefused,
    _read_file,
    group_files,
    join_parts,
    open_payload,
    read_header,
    seal,
    sha256,
    write_package,
)
from gkdesk.sync.export import build_receipt
from gkdesk.sync.labels import totals_text
from gkdesk.sync.payloads import UPDATE_PAYLOADS
from gkdesk.sync.tables import Codec, travelling_tables

KIND_LABELS = {"data": "数据包", "receipt": "回执", "update": "县级更新"}
STATUS_LABELS = {"applied": "已导入", "duplicate": "重复(已导入过,未改动)", "refused": "已拒绝"}
STATUS_RESYNC = "resync"  # sync_package.status of an applied resync package (the sequence restarted there)


@dataclass
class PackageReport:
    file: str
    status: str  # applied / duplicate / refused
    reason: str = ""
    kind: str = ""
    sender_code: str = ""
    sender_name: str = ""
    seq: int = 0
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    receipt_files: list[str] = field(default_factory=list)
    resync: bool = False
    hint: Hint | None = None  # what would fix a refusal; each face renders it in its own words
    hint_args: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "status": self.status, "status_label": STATUS_LABELS[self.status],
                "reason": self.reason, "kind": self.kind, "sender_code": self.sender_code,
                "sender_name": self.sender_name, "seq": self.seq, "tables": self.tables,
                "totals": self.totals, "receipt_files": self.receipt_files, "resync": self.resync,
                "hint": str(self.hint) if self.hint else None}

    @classmethod
    def refused(cls, file: str, exc: GkError) -> PackageReport:
        return cls(file, "refused", exc.message, hint=exc.hint, hint_args=dict(exc.hint_args))

    def describe(self, hint_text: Callable[[Hint | str | None, dict[str, Any]], str] | None = None) -> str:
        """One line for the clerk; ``hint_text`` is the face's renderer of a refusal's hint."""
        head = f"{self.file}:{STATUS_LABELS[self.status]}"
        if self.status == "refused":
            extra = hint_text(self.hint, self.hint_args) if hint_text and self.hint else ""
            return f"{head} — {self.reason}" + (f"。{extra}" if extra else "")
        kind = "重新同步包" if self.resync else KIND_LABELS.get(self.kind, "")
        who = f"{self.sender_name}({self.sender_code})第 {self.seq} 号{kind}"
        if self.kind == "data" and self.status == "applied":
            t = self.totals
            return (f"{head} — {who}:新增 {t.get('new', 0)},更新 {t.get('updated', 0)},"
                    f"未变 {t.get('unchanged', 0)},冲突 {t.get('conflicting', 0)}")
        extra = "," + totals_text(self.totals) if self.totals else ""
        return f"{head} — {who}{extra}"


def _refusal_log(store: Store, rep: PackageReport) -> None:
    """Refusals never touch the database; their times are UTC like the package history."""
    d = Path(store.data_dir) / "sync"
    d.mkdir(parents=True, exist_ok=True)
    with open(d / "refused.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"at": utcnow().isoformat(timespec="seconds"), **rep.to_dict()},
                           ensure_ascii=False) + "\n")


def refused_history(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    p = Path(store.data_dir) / "sync" / "refused.jsonl"
    if not p.exists():
        return []
    lines = p.read_text(encoding="utf-8").splitlines()[-limit:]
    return [json.loads(x) for x in reversed(lines) if x.strip()]


@dataclass
class _Ctx:
    store: Store
    operator: str
    receipts_dir: Path
    max_bytes: int
    part_bytes: int
    cancelled: IsCancelled
    before_apply: Callable[[], object]
    backed_up: bool = False


def import_files(store: Store, files: list[Path | str], operator: str, *, receipts_dir: Path | None = None,
                 max_bytes: int = MAX_PACKAGE_BYTES, part_bytes: int = DEFAULT_PART_BYTES,
                 report: Report = no_report, cancelled: IsCancelled = never_cancelled,
                 before_apply: Callable[[], object] = lambda: None) -> list[PackageReport]:
    """Import each package (split parts are joined); one report per package, in order.

    ``before_apply`` runs once, before the first package that passed its checks is written
    (the operation layer backs up there)."""
    ctx = _Ctx(store, operator, Path(receipts_dir or Path(store.data_dir) / "outbox"), max_bytes,
               part_bytes, cancelled, before_apply)
    groups = group_files([Path(f) for f in files])
    out = []
    for i, (_key, paths) in enumerate(groups):
        name = paths[0].name
        report(i / max(len(groups), 1), f"导入 {name}")
        try:
            if len(paths) == 1 and ".part" not in paths[0].name:
                data = _read_file(paths[0], max_bytes)
            else:
                name, data = join_parts(paths, max_bytes)
            rep = _import_one(ctx, name, data)
        except Cancelled:
            raise
        except GkError as exc:  # PackageRefused and any other clerk-facing refusal
            rep = PackageReport.refused(name, exc)
        except IntegrityError:
            # The database refused a row (e.g. its parent is missing). The transaction has rolled
            # back; the error's own text quotes the rows (names, ID numbers), so it is not kept.
            rep = PackageReport(name, "refused", f"文件“{name}”中有记录不能存入本机数据库(缺少上级记录或内容不符合要求),"
                                "已拒绝整个包,未做任何改动(重新导出完整数据包仍不行时请联系技术支持)",
                                hint=Hint.RESEND_FULL)
        except SQLAlchemyError:
            # A value this database cannot hold (a number out of its range, a text too long):
            # resending cannot help, so no resend hint and no talk of missing records.
            rep = PackageReport(name, "refused", f"文件“{name}”中有数值或文字超出本机数据库能保存的范围,"
                                "已拒绝整个包,未做任何改动。请联系技术支持升级县级数据库。")
        if rep.status == "refused":
            _refusal_log(store, rep)
        out.append(rep)
    report(1.0, "完成")
    return out


def _import_one(ctx: _Ctx, name: str, data: bytes) -> PackageReport:
    header, payload = read_header(data, name, ctx.max_bytes)
    kind = header.get("kind")
    with ctx.store.session() as s:
        me = township.current(s)
        ident = keys.ensure_keys(s, ctx.store.data_dir)
        if header.get("recipient_code") != me.code or header.get("recipient_fingerprint") != ident.fingerprint:
            raise PackageRefused(f"文件“{name}”是发给“{header.get('recipient_code')}”的,不是发给本单位"
                                 f"({me.code})的(或本单位已更换密钥)")
        expected = {ROLE_COUNTY: ("data",), ROLE_TOWNSHIP: ("receipt", "update")}[me.role]
        if kind not in expected:
            raise PackageRefused(f"文件“{name}”是{KIND_LABELS.get(str(kind), str(kind))},"
                                 f"本单位({township.ROLE_LABELS[me.role]})不接收这种包")
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == header.get("sender_code")))
        if peer is None:
            raise PackageRefused(f"文件“{name}”来自未登记的单位“{header.get('sender_name', '')}”"
                                 f"({header.get('sender_code')})", hint=Hint.TRUST_KEY)
        if header.get("sender_fingerprint") != peer.fingerprint:
            raise PackageRefused(f"文件“{name}”的发送方密钥指纹与登记的“{peer.name}”不符,已拒绝;"
                                 "如对方重新生成了密钥,请电话核对指纹后重新登记", hint=Hint.REPLACE_TRUST)
        seq = int(header.get("seq", 0))
        resync = kind == "data" and header.get("resync") is True
        rep = PackageReport(name, "applied", kind=str(kind), sender_code=peer.code, sender_name=peer.name, seq=seq,
                            resync=resync)
        seen = s.scalar(select(func.count()).select_from(SyncPackage).where(
            SyncPackage.package_id == header.get("package_id"), SyncPackage.direction == "in"))
        if seen:  # by id, whatever its number (a resync may have restarted the sequence)
            rep.status = "duplicate"
            return rep
        if seq <= peer.last_seq_in and not resync:
            raise PackageRefused(f"文件“{name}”是“{peer.name}”第 {seq} 号包,本单位已导入到第 "
                                 f"{peer.last_seq_in} 号;这是旧包或重放的包,已拒绝。如果该乡镇是从旧备份恢复的,"
                                 "需要重新同步", hint=Hint.RESYNC)
        if kind == "data" and not resync and int(header.get("based_on", 0)) > peer.last_seq_in:
            raise PackageRefused(f"文件“{name}”以第 {header.get('based_on')} 号包为基础,但本单位只导入到第 "
                                 f"{peer.last_seq_in} 号(缺少中间的包)", hint=Hint.RESEND_FULL)
        opened = open_payload(header, payload, name, ident.box, peer.verify_key, ctx.max_bytes)
        if resync:
            _check_resync(s, peer, name, header)
        elif kind == "data":
            _check_after_resync(s, peer, name, header)
        schema = opened.manifest.get("schema")
        if schema not in known_revisions():
            raise PackageRefused(f"文件“{name}”来自更新版本的 gkdesk(结构版本 {schema}),请先升级本机 gkdesk")
    # Checks passed: let the caller back up once, then apply in a fresh transaction.
    if not ctx.backed_up:
        ctx.before_apply()
        ctx.backed_up = True
    if kind == "data":
        return _apply_data(ctx, opened, rep)
    return _apply_from_county(ctx, opened, rep)


def _check_resync(s: Session, peer: SyncPeer, name: str, header: dict[str, Any]) -> None:
    """A resync is accepted once, and only if it is newer than everything applied from this
    township (its signed created_at), so an old resync package cannot be replayed."""
    last = s.scalar(select(func.max(SyncPackage.created_at)).where(
        SyncPackage.direction == "in", SyncPackage.kind == "data", SyncPackage.peer_code == peer.code))
    created = datetime.fromisoformat(str(header.get("created_at")))
    if header.get("based_on") != 0:
        raise PackageRefused(f"文件“{name}”标为重新同步包,却不是完整包,已拒绝")
    if last is not None and created <= last:
        raise PackageRefused(f"文件“{name}”是“{peer.name}”的重新同步包,但早于本单位已导入的最新包"
                             f"({last:%Y-%m-%d %H:%M});这是旧包或重放的包,已拒绝")


def _check_after_resync(s: Session, peer: SyncPeer, name: str, header: dict[str, Any]) -> None:
    """After a resync restarted the sequence, a package made before it is an old one."""
    last = s.scalar(select(func.max(SyncPackage.created_at)).where(
        SyncPackage.direction == "in", SyncPackage.peer_code == peer.code, SyncPackage.status == STATUS_RESYNC))
    if last is not None and datetime.fromisoformat(str(header.get("created_at"))) < last:
        raise PackageRefused(f"文件“{name}”制作于“{peer.name}”重新同步之前({last:%Y-%m-%d %H:%M}),"
                             "是旧包或重放的包,已拒绝")


def _write_attachments(ctx: _Ctx, opened: Opened) -> int:
    from gkdesk import paths

    n = 0
    for member, content in opened.members.items():
        if not member.startswith("attachments/"):
            continue
        _, sub, fname = member.split("/")
        if sha256(content) != fname.split(".", 1)[0]:
            raise PackageRefused(f"附件“{fname}”的内容与其 SHA-256 不符")
        target = Path(ctx.store.data_dir) / paths.ATTACHMENT_DIRNAME / sub / fname
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(fname + ".partial")
        tmp.write_bytes(content)
        os.replace(tmp, target)
        n += 1
    return n


def _apply_data(ctx: _Ctx, opened: Opened, rep: PackageReport) -> PackageReport:
    header, manifest = opened.header, opened.manifest
    with ctx.store.session() as s:
        s.info[KEEP_REVISION] = True
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == rep.sender_code))
        assert peer is not None
        if manifest.get("township_id") != peer.township_id or manifest.get("township_code") != peer.code:
            raise PackageRefused(f"文件“{rep.file}”的清单中的乡镇与发送方“{peer.name}”不符")
        conn = s.connection()
        paths_by_name = {p.table.name: p for p in travelling_tables(conn)}
        for member in opened.members:
            if member.startswith("tables/") and member[7:-6] not in paths_by_name:
                raise PackageRefused(f"文件“{rep.file}”含本机不认识的数据(来自更新版本的 gkdesk),请先升级本机 gkdesk")
        parsed = {}
        for tname, path in paths_by_name.items():
            data = opened.members.get(f"tables/{tname}.jsonl")
            if data:
                parsed[tname] = parse_lines(Codec(path.table), data, f"tables/{tname}.jsonl")
        if ctx.cancelled():
            raise Cancelled()
        _write_attachments(ctx, opened)
        totals = dict.fromkeys(STATES, 0)
        for tname, rows in parsed.items():
            counts = apply_table(s, paths_by_name[tname], rows, peer.township_id, peer.code,
                                 header["package_id"], ctx.cancelled)
            rep.tables[tname] = counts.as_dict()
            for k in STATES:
                totals[k] += getattr(counts, k)
        rep.totals = totals
        previous_seq = peer.last_seq_in  # a resync restarts the township's sequence from its number
        peer.last_seq_in = rep.seq
        peer.last_package_at = utcnow()
        s.add(SyncPackage(package_id=header["package_id"], direction="in", kind="data", peer_code=peer.code,
                          seq=rep.seq, based_on=int(header.get("based_on", 0)),
                          created_at=datetime.fromisoformat(header["created_at"]), file_name=rep.file,
                          status=STATUS_RESYNC if rep.resync else "applied",
                          report=json.dumps(rep.to_dict(), ensure_ascii=False)))
        audit.record(s, ctx.operator, "sync.import", rep.file, sender=peer.code, seq=rep.seq, resync=rep.resync,
                     previous_seq=previous_seq, **totals)
        held = held_counts(s, peer.township_id)
        ident = keys.ensure_keys(s, ctx.store.data_dir)
        built, stem, _ = build_receipt(s, peer, ident, held, {"seq": rep.seq, **totals})
        sealed = seal(built, ident.signing, peer.box_key)
        s.flush()
    rep.receipt_files = [str(p) for p in write_package(ctx.receipts_dir, stem, sealed, ctx.part_bytes)]
    return rep


def held_counts(s: Session, township_id: str) -> dict[str, int]:
    """Rows (tombstones included) the database holds for one township, per table."""
    conn = s.connection()
    out = {}
    for p in travelling_tables(conn):
        out[p.table.name] = int(conn.scalar(select(func.count()).select_from(p.table).where(p.clause(township_id))) or 0)
    return out


def _apply_from_county(ctx: _Ctx, opened: Opened, rep: PackageReport) -> PackageReport:
    header = opened.header
    payloads = {}
    for member, content in opened.members.items():
        if member.startswith("payloads/"):
            try:
                payloads[member[9:-5]] = json.loads(content.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise PackageRefused(f"文件“{rep.file}”中“{member}”已损坏") from exc
    with ctx.store.session() as s:
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == rep.sender_code))
        assert peer is not None
        if rep.kind == "receipt":
            body = payloads.get("receipt") or {}
            acked = int(body.get("acked_seq", 0))
            if acked > peer.last_seq_out:
                raise PackageRefused(f"回执“{rep.file}”确认了第 {acked} 号包,但本乡镇只发出到第 {peer.last_seq_out} 号")
            peer.acked_seq = max(peer.acked_seq, acked)
            peer.held_counts = json.dumps(body.get("held", {}), ensure_ascii=False)
            rep.totals = {"acked_seq": acked}
        else:
            unknown = set(payloads) - set(UPDATE_PAYLOADS)
            if unknown:
                raise PackageRefused(f"县级更新“{rep.file}”含本机不认识的内容(来自更新版本的 gkdesk),请先升级本机 gkdesk")
            for pname, data in payloads.items():
                try:
                    rep.totals.update(UPDATE_PAYLOADS[pname].apply(s, data))
                except (ValueError, KeyError, TypeError) as exc:
                    raise PackageRefused(f"县级更新“{rep.file}”的“{UPDATE_PAYLOADS[pname].label}”无效:{exc}") from exc
        peer.last_seq_in = rep.seq
        peer.last_package_at = utcnow()
        s.add(SyncPackage(package_id=header["package_id"], direction="in", kind=rep.kind, peer_code=peer.code,
                          seq=rep.seq, created_at=datetime.fromisoformat(header["created_at"]),
                          file_name=rep.file, status="applied",
                          report=json.dumps(rep.to_dict(), ensure_ascii=False)))
        audit.record(s, ctx.operator, f"sync.{rep.kind}", rep.file, sender=peer.code, seq=rep.seq)
    return rep


def history(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    rows = session.scalars(select(SyncPackage).order_by(SyncPackage.processed_at.desc(), SyncPackage.id.desc()).limit(limit))
    return [{"direction": p.direction, "kind": p.kind, "kind_label": KIND_LABELS.get(p.kind, p.kind),
             "peer_code": p.peer_code, "seq": p.seq, "based_on": p.based_on, "file": p.file_name,
             "status": p.status, "created_at": p.created_at.isoformat(timespec="seconds"),
             "processed_at": p.processed_at.isoformat(timespec="seconds"),
             "report": json.loads(p.report) if p.report else {}} for p in rows]
