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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
from gkdesk.sync import journal, keys, reader
from gkdesk.sync.apply import STATES, apply_table, parse_lines
from gkdesk.sync.attachments import write_attachments
from gkdesk.sync.container import (
    DEFAULT_PART_BYTES,
    MAX_PACKAGE_BYTES,
    SUFFIX,
    PackageRefused,
    clean,
    seal,
    write_package,
)
from gkdesk.sync.export import build_receipt
from gkdesk.sync.labels import totals_text
from gkdesk.sync.payloads import UPDATE_PAYLOADS
from gkdesk.sync.reader import Opened, group_files
from gkdesk.sync.refusals import log_refusal
from gkdesk.sync.tables import Codec, travelling_tables

KIND_LABELS = {"data": "数据包", "receipt": "回执", "update": "县级更新", "restore": "恢复包"}
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
    receipt_error: str = ""  # applied, but the receipt file could not be written (it is kept in the database)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "status": self.status, "status_label": STATUS_LABELS[self.status],
                "reason": self.reason, "kind": self.kind, "sender_code": self.sender_code,
                "sender_name": self.sender_name, "seq": self.seq, "tables": self.tables,
                "totals": self.totals, "receipt_files": self.receipt_files, "resync": self.resync,
                "receipt_error": self.receipt_error,
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
        if self.kind == "restore" and self.status == "applied":
            t = self.totals
            return (f"{head} — {who}:恢复本乡镇在县级的记录,新增 {t.get('new', 0)},更新 {t.get('updated', 0)},"
                    f"未变 {t.get('unchanged', 0)},冲突 {t.get('conflicting', 0)}")
        if self.kind == "data" and self.status == "applied":
            t = self.totals
            skipped = f",{t['attachments_skipped']} 个附件类型不允许,未保存" if t.get("attachments_skipped") else ""
            line = (f"{head} — {who}:新增 {t.get('new', 0)},更新 {t.get('updated', 0)},"
                    f"未变 {t.get('unchanged', 0)},冲突 {t.get('conflicting', 0)}{skipped}"
                    + (f"。{COUNTY_REBASE_NOTE}" if t.get("rebase") else ""))
            return line + (f"。注意:{self.receipt_error}" if self.receipt_error else "")
        if self.kind == "receipt" and self.totals.get("unknown_receipt"):
            return (f"{head} — {who}:这张回执确认的包不是本机发出的(本机可能已从备份恢复),"
                    "未作确认;下次导出会把这些数据再发一次")
        extra = "," + totals_line(self.totals) if self.totals else ""
        return f"{head} — {who}{extra}"


# Figures that are sentences rather than counts (re-base and enrolment, issue 20).
TOTAL_NOTES = {
    "rebase": "县级缺少本乡镇此前的包(可能已从备份恢复):下次导出会自动发送全部数据,无需另行操作",
    "enrolment_adopted": "本乡镇的记录已改用县级登记的编号(改动前已自动备份)",
    "replaced": "本机恢复前新建、未发给县级的记录已由县级保存的记录取代(恢复前已自动备份)",
}
COUNTY_REBASE_NOTE = "该乡镇此前的包本单位没有(可能已从备份恢复),回执已请其下次自动发送全部数据"


def totals_line(totals: dict[str, Any]) -> str:
    """A package's figures in the clerk's words, re-base and enrolment as sentences."""
    counts = {k: v for k, v in totals.items() if k not in TOTAL_NOTES and k != "unknown_receipt"}
    parts = [totals_text(counts)] if counts else []
    return ";".join(parts + [TOTAL_NOTES[k] for k in TOTAL_NOTES if totals.get(k)])


@dataclass
class _Ctx:
    store: Store
    operator: str
    receipts_dir: Path
    max_bytes: int
    part_bytes: int
    cancelled: IsCancelled
    before_apply: Callable[[], object]
    work: Path
    backed_up: bool = False


def import_files(store: Store, files: Sequence[Path | str], operator: str, *, receipts_dir: Path | None = None,
                 max_bytes: int = MAX_PACKAGE_BYTES, part_bytes: int = DEFAULT_PART_BYTES,
                 report: Report = no_report, cancelled: IsCancelled = never_cancelled,
                 before_apply: Callable[[], object] = lambda: None) -> list[PackageReport]:
    """Import each package (split parts are joined); one report per package, in order.

    ``before_apply`` runs once, before the first package that passed its checks is written
    (the operation layer backs up there)."""
    ctx = _Ctx(store, operator, Path(receipts_dir or Path(store.data_dir) / "outbox"), max_bytes,
               part_bytes, cancelled, before_apply, reader.work_dir(Path(store.data_dir)))
    groups = group_files([Path(f) for f in files])
    out = []
    for i, (_key, paths) in enumerate(groups):
        name = clean(paths[0].name, 200)
        report(i / max(len(groups), 1), f"导入 {name}")
        try:
            with reader.staged(paths, ctx.work, max_bytes) as (name, staged_file):
                rep = _import_one(ctx, name, staged_file)
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
        except (OSError, MemoryError, ValueError, KeyError, TypeError):
            # Never a traceback from a hostile file; nothing was written (one transaction).
            rep = PackageReport(name, "refused", f"文件“{name}”无法处理(已损坏或不是有效的同步包),已拒绝,未做任何改动")
        except SQLAlchemyError:
            # A value this database cannot hold (a number out of its range, a text too long):
            # resending cannot help, so no resend hint and no talk of missing records.
            rep = PackageReport(name, "refused", f"文件“{name}”中有数值或文字超出本机数据库能保存的范围,"
                                "已拒绝整个包,未做任何改动。请联系技术支持升级县级数据库。")
        if rep.status == "refused":
            log_refusal(store, rep)
        out.append(rep)
    report(1.0, "完成")
    return out


def _sender(s: Session, h: dict[str, Any], name: str) -> SyncPeer:
    """The registered peer whose key must have signed this header (the code only selects it)."""
    peer = s.scalar(select(SyncPeer).where(SyncPeer.code == h["sender_code"]))
    if peer is None:
        raise PackageRefused(f"文件“{name}”来自未登记的单位(代码 {h['sender_code'][:6]}…),"
                             "或不是发给本单位的", hint=Hint.TRUST_KEY)
    reader.verify_header(h, name, peer.verify_key, peer.name)
    return peer


def _import_one(ctx: _Ctx, name: str, path: Path) -> PackageReport:
    h = reader.read_header(path, name, ctx.max_bytes)
    with ctx.store.session() as s:
        me = township.current(s)
        ident = keys.ensure_keys(s, ctx.store.data_dir)
        peer = _sender(s, h, name)  # authenticated from here on
        kind = h["kind"]
        if peer.revoked_at is not None:
            raise PackageRefused(f"文件“{name}”来自已撤销登记的“{peer.name}”({peer.code}),已拒绝", hint=Hint.ENROL)
        if peer.verified_at is None:
            raise PackageRefused(f"文件“{name}”来自“{peer.name}”,但对方的指纹尚未核验,暂不导入(文件未改动)",
                                 hint=Hint.VERIFY_PEER, unit=peer.code)
        if h["recipient_code"] != me.code or h["recipient_fingerprint"] != ident.fingerprint:
            raise PackageRefused(f"文件“{name}”不是发给本单位({me.code})的(或本单位已更换密钥)")
        expected = {ROLE_COUNTY: ("data",), ROLE_TOWNSHIP: ("receipt", "update", "restore")}[me.role]
        if kind not in expected:
            raise PackageRefused(f"文件“{name}”是{KIND_LABELS[kind]},本单位({township.ROLE_LABELS[me.role]})不接收这种包")
        if h["sender_fingerprint"] != peer.fingerprint:
            raise PackageRefused(f"文件“{name}”的发送方密钥指纹与登记的“{peer.name}”不符,已拒绝;"
                                 "如对方重新生成了密钥,请电话核对指纹后重新登记", hint=Hint.REPLACE_TRUST)
        seq = h["seq"]
        resync = kind == "data" and h.get("resync") is True
        rep = PackageReport(name, "applied", kind=kind, sender_code=peer.code, sender_name=peer.name, seq=seq,
                            resync=resync)
        if _seen(s, h["package_id"]):  # by id, whatever its number (a resync may have restarted the sequence)
            rep.status = "duplicate"
            if kind == "data":
                _rewrite_receipt(ctx, s, h["package_id"], rep)
            return rep
        _check_order(s, peer, name, h, resync)
        rebase = gap(peer, h)
        opened = reader.open_payload(path, h, name, ident.box, ctx.work)
        schema = opened.manifest.get("schema")
        if schema not in known_revisions():
            raise PackageRefused(f"文件“{name}”来自更新版本的 gkdesk(结构版本 {clean(schema, 40)}),请先升级本机 gkdesk")
    # Checks passed: let the caller back up once, then apply in a fresh transaction.
    if not ctx.backed_up:
        ctx.before_apply()
        ctx.backed_up = True
    try:
        if kind == "data" and rebase:
            try:
                return _apply_data(ctx, opened, rep)
            except (PackageRefused, IntegrityError) as exc:
                return _refused_with_rebase(ctx, opened, rep, exc)
        if kind == "data":
            return _apply_data(ctx, opened, rep)
        if kind == "restore":
            from gkdesk.sync import restore

            return restore.apply_package(ctx, opened, rep)
        return _apply_from_county(ctx, opened, rep)
    except (IntegrityError, _AppliedMeanwhile):
        # Another process applied the same package at the same moment: its commit won, ours
        # rolled back (the unique package id in sync_package), nothing was applied twice.
        with ctx.store.session() as s:
            if not _seen(s, h["package_id"]):
                raise
        rep.status, rep.tables, rep.totals = "duplicate", {}, {}
        return rep


def _refused_with_rebase(ctx: _Ctx, opened: Opened, rep: PackageReport,
                         exc: PackageRefused | IntegrityError) -> PackageReport:
    """A package counted from one this county lacks could not stand on its own (a row whose
    parent was in a lost package). It is refused whole, and a signed receipt asks the township
    to send everything next time — the township's clerk types no flag (issue 20)."""
    header = opened.header
    if isinstance(exc, PackageRefused) and exc.hint == Hint.IMPORT_ENROLMENT:
        raise exc  # not a matter of missing packages: the township must adopt its enrolment
    with ctx.store.session() as s:
        if _seen(s, header["package_id"]):
            raise exc  # applied meanwhile by another process: reported as a duplicate
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == rep.sender_code))
        assert peer is not None
        ident = keys.ensure_keys(s, ctx.store.data_dir)
        built, stem, _ = build_receipt(s, peer, ident, held_counts(s, peer.township_id),
                                       {"seq": rep.seq, "rebase": 1, "refused": 1},
                                       header["package_id"], opened.payload_sha256)
        sealed = seal(built, ident.signing, peer.box_key)
        row = s.scalar(select(SyncPackage).where(SyncPackage.package_id == built.header["package_id"]))
        assert row is not None
        row.content = sealed
        audit.record(s, ctx.operator, "sync.rebase", rep.file, sender=peer.code, seq=rep.seq)
    why = exc.message if isinstance(exc, PackageRefused) else "有记录缺少上级记录(它们在本单位没有的包里)"
    out = PackageReport(rep.file, "refused", f"{why}。这个包以本单位没有的包为基础,已拒绝,未做任何改动;"
                        "已写回执请乡镇下次自动发送全部数据", kind="data", sender_code=rep.sender_code,
                        sender_name=rep.sender_name, seq=rep.seq)
    _write_receipt_file(ctx, stem, sealed, out)
    return out


class _AppliedMeanwhile(Exception):
    """The package was applied by another process between our checks and our transaction."""


def _seen(s: Session, package_id: str) -> bool:
    return bool(s.scalar(select(func.count()).select_from(SyncPackage).where(
        SyncPackage.package_id == package_id, SyncPackage.direction == "in")))


def _check_order(s: Session, peer: SyncPeer, name: str, h: dict[str, Any], resync: bool) -> None:
    """Replay and gap checks on the (authenticated) numbers of a township's data package;
    run again inside the apply. County packages are ordered by their ids (see below)."""
    seq, kind = h["seq"], h["kind"]
    if kind != "data":
        return
    if seq <= peer.last_seq_in and not resync:
        raise PackageRefused(f"文件“{name}”是“{peer.name}”第 {seq} 号包,本单位已导入到第 "
                             f"{peer.last_seq_in} 号;这是旧包或重放的包,已拒绝。如果该乡镇是从旧备份恢复的,"
                             "需要重新同步", hint=Hint.RESYNC)
    # A package counted from one this county does not hold (the county restored a backup, or
    # a package went missing) is applied all the same — its rows stand on their own revisions —
    # and its receipt asks the township to send everything once more (re-base, see
    # :func:`gap`): no clerk has to choose "full" and nothing the county lacks stays missing.
    if resync:
        _check_resync(s, peer, name, h)


def gap(peer: SyncPeer, h: dict[str, Any]) -> bool:
    """The package counts its changes from a package this county does not hold."""
    return h["kind"] == "data" and h.get("resync") is not True and h["based_on"] > peer.last_seq_in


def _check_resync(s: Session, peer: SyncPeer, name: str, header: dict[str, Any]) -> None:
    """A resync is a full package from a township that restored an older backup; its number
    may be lower than what the county holds. Its receipt carries the county's number and the
    township continues from there (re-base). Replays are caught by the package id
    (authenticated, unique in ``sync_package``), not by the clock, and an old resync applies
    rows by revision, so a replayed one changes no data and lowers no counter."""
    if header["based_on"] != 0:
        raise PackageRefused(f"文件“{name}”标为重新同步包,却不是完整包,已拒绝")


# Types the county stores in attachments/ (lower-case extensions); anything else in a
# trusted package is skipped, never written.
def _apply_data(ctx: _Ctx, opened: Opened, rep: PackageReport) -> PackageReport:
    header, manifest = opened.header, opened.manifest
    written: list[Path] = []
    try:
        with ctx.store.session() as s:
            s.info[KEEP_REVISION] = True
            peer = s.scalar(select(SyncPeer).where(SyncPeer.code == rep.sender_code))
            assert peer is not None
            if _seen(s, header["package_id"]):
                raise _AppliedMeanwhile()  # another process applied it since our checks
            _check_order(s, peer, rep.file, header, rep.resync)  # again, inside the writing transaction
            if manifest.get("township_id") != peer.township_id or manifest.get("township_code") != peer.code:
                raise PackageRefused(f"文件“{rep.file}”中的乡镇编号与本县为“{peer.name}”({peer.code})登记的不符,"
                                     "已拒绝,未做任何改动:该乡镇要先导入县级写给它的登记文件,再发送数据",
                                     hint=Hint.IMPORT_ENROLMENT, unit=peer.code)
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
            totals = dict.fromkeys(STATES, 0)
            for tname, rows in parsed.items():
                counts = apply_table(s, paths_by_name[tname], rows, peer.township_id, peer.code,
                                     header["package_id"], ctx.cancelled)
                rep.tables[tname] = counts.as_dict()
                for k in STATES:
                    totals[k] += getattr(counts, k)
            rep.totals = totals
            _check_batch_summaries(s, parsed, rep.file)
            written, skipped = write_attachments(ctx.store.data_dir, opened)
            if skipped:
                rep.totals["attachments_skipped"] = skipped
            previous_seq = peer.last_seq_in
            rebase = gap(peer, header)
            if rebase:
                rep.totals["rebase"] = 1  # the receipt asks for everything once more
            # Never lowered (a resync from a restored township has a lower number): the receipt
            # tells the township the number to continue from (re-base), so no counter is poisoned.
            peer.last_seq_in = max(peer.last_seq_in, rep.seq)
            peer.last_package_at = utcnow()
            s.add(SyncPackage(package_id=header["package_id"], direction="in", kind="data", peer_code=peer.code,
                              seq=rep.seq, based_on=header["based_on"], created_at=header["created"],
                              file_name=rep.file[:255], status=STATUS_RESYNC if rep.resync else "applied",
                              payload_sha256=opened.payload_sha256,
                              report=json.dumps(rep.to_dict(), ensure_ascii=False)))
            audit.record(s, ctx.operator, "sync.import", rep.file, sender=peer.code, seq=rep.seq, resync=rep.resync,
                         previous_seq=previous_seq, **totals)
            held = held_counts(s, peer.township_id)
            ident = keys.ensure_keys(s, ctx.store.data_dir)
            built, stem, _ = build_receipt(s, peer, ident, held, {"seq": rep.seq, **totals, "rebase": int(rebase)},
                                           header["package_id"], opened.payload_sha256)
            sealed = seal(built, ident.signing, peer.box_key)
            receipt = s.scalar(select(SyncPackage).where(SyncPackage.package_id == built.header["package_id"]))
            assert receipt is not None
            receipt.content = sealed  # state and receipt commit together; the file is a copy
            s.flush()
    except BaseException:
        for w in written:  # attachments only stay with an accepted package
            w.unlink(missing_ok=True)
        raise
    _write_receipt_file(ctx, stem, sealed, rep)
    return rep


def _write_receipt_file(ctx: _Ctx, stem: str, sealed: bytes, rep: PackageReport) -> None:
    try:
        rep.receipt_files = [str(p) for p in write_package(ctx.receipts_dir, stem, sealed, ctx.part_bytes)]
    except OSError as exc:
        rep.receipt_error = (f"数据已导入并保存,但回执文件未能写入“{clean(ctx.receipts_dir, 120)}”"
                             f"({exc.strerror or '写入失败'})。回执已保存在数据库中:"
                             "腾出空间或换一个文件夹后再次导入同一个包,即可补写回执")


def _rewrite_receipt(ctx: _Ctx, s: Session, package_id: str, rep: PackageReport) -> None:
    """A package imported before: write its receipt again if the file is not there (the
    previous run was killed or could not write it)."""
    row = s.scalar(select(SyncPackage).where(SyncPackage.direction == "out", SyncPackage.kind == "receipt",
                                             SyncPackage.acks_package == package_id))
    if row is None or not row.content:
        return
    stem = row.file_name[:-len(SUFFIX)] if row.file_name.endswith(SUFFIX) else row.file_name
    if (ctx.receipts_dir / row.file_name).exists() or list(ctx.receipts_dir.glob(stem + ".part*" + SUFFIX)):
        return
    _write_receipt_file(ctx, stem, row.content, rep)


def _check_batch_summaries(s: Session, parsed: dict[str, list[dict[str, Any]]], file: str) -> None:
    """The county's views read each batch's ``row_count``/``total_fen``: a package whose
    batches disagree with their rows (a damaged or forged package) is refused whole."""
    from gkdesk.county import check_batch_totals

    ids = {str(r["id"]) for r in parsed.get("payout_batch", []) if r.get("id")}
    ids |= {str(r["batch_id"]) for r in parsed.get("payout", []) if r.get("batch_id")}
    bad = check_batch_totals(s, sorted(ids))
    if bad:
        raise PackageRefused(f"文件“{file}”中有 {len(bad)} 份发放清册的合计与明细不符(记录数或金额),"
                             "已拒绝整个包,未做任何改动")


def held_counts(s: Session, township_id: str) -> dict[str, int]:
    """Rows (tombstones included) the database holds for one township, per table.

    Payout rows — millions at a county — are counted from their batches' ``row_count``
    (rows are only ever created with their batch): counting them through the scope clause
    made PostgreSQL scan the whole payout table after every package.
    """
    from gkdesk.county import payout_rows_by_township

    conn = s.connection()
    out = {}
    for p in travelling_tables(conn):
        if p.table.name == "payout":
            out["payout"] = payout_rows_by_township(s, [township_id], include_deleted=True).get(township_id, 0)
            continue
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
        if "enrolment" in payloads:  # whom the county enrolled us as: adopted before anything else
            _take_enrolment(s, peer, payloads.pop("enrolment"), rep, ctx)
        if rep.kind == "receipt":
            _apply_receipt(s, peer, payloads.get("receipt"), rep)
        else:
            unknown = set(payloads) - set(UPDATE_PAYLOADS)
            if unknown:
                raise PackageRefused(f"县级更新“{rep.file}”含本机不认识的内容(来自更新版本的 gkdesk),请先升级本机 gkdesk")
            for pname, data in payloads.items():
                try:
                    rep.totals.update(UPDATE_PAYLOADS[pname].apply(s, data))
                except (ValueError, KeyError, TypeError) as exc:
                    raise PackageRefused(f"县级更新“{rep.file}”的“{UPDATE_PAYLOADS[pname].label}”无效:{exc}") from exc
        # A county restored from a backup numbers its packages again from an older point:
        # the number follows the county (re-base); replays are caught by the package id.
        peer.last_seq_in = rep.seq
        peer.last_package_at = utcnow()
        s.add(SyncPackage(package_id=header["package_id"], direction="in", kind=rep.kind, peer_code=peer.code,
                          seq=rep.seq, created_at=header["created"], payload_sha256=opened.payload_sha256,
                          file_name=rep.file[:255], status="applied",
                          report=json.dumps(rep.to_dict(), ensure_ascii=False)))
        audit.record(s, ctx.operator, f"sync.{rep.kind}", rep.file, sender=peer.code, seq=rep.seq)
    return rep


def _take_enrolment(s: Session, peer: SyncPeer, rec: Any, rep: PackageReport, ctx: _Ctx) -> None:
    """The county's enrolment inside its (verified) package (:func:`.enrolment.take`)."""
    from gkdesk.sync import enrolment

    ident = keys.ensure_keys(s, ctx.store.data_dir)
    for k in enrolment.take(s, peer, rec, ident, rep.file, ctx.operator):
        rep.totals[k] = 1


def _apply_receipt(s: Session, peer: SyncPeer, body: Any, rep: PackageReport) -> None:
    """A receipt acknowledges one package, named by id and payload hash. A receipt for a
    package this installation has no record of (it was restored from an older backup)
    acknowledges nothing, so the rows of the refused or unknown package are sent again."""
    if not isinstance(body, dict):
        raise PackageRefused(f"回执“{rep.file}”内容不完整")
    me = township.current(s)
    if body.get("township_code") != me.code or body.get("township_id") != me.id:
        raise PackageRefused(f"回执“{rep.file}”中县级登记的乡镇({clean(body.get('township_code'), 12)})"
                             "与本机不符,已拒绝", hint=Hint.ENROL)
    sent = s.scalar(select(SyncPackage).where(
        SyncPackage.direction == "out", SyncPackage.kind == "data",
        SyncPackage.package_id == str(body.get("acked_package", ""))))
    if sent is None or sent.payload_sha256 != body.get("acked_sha256"):
        rep.totals = {**rep.totals, "acked_seq": 0, "unknown_receipt": 1}
        return
    summary = body.get("summary")
    summary = summary if isinstance(summary, dict) else {}
    if summary.get("refused") == 1:
        # the county could not apply this package on its own (it lacks earlier ones): nothing
        # is acknowledged, and the next ordinary package carries everything
        sent.status = "refused"
        peer.acked_seq = 0
        rep.totals = {**rep.totals, "rebase": 1}
        return
    peer.acked_seq = max(peer.acked_seq, sent.seq)
    county_high = body.get("acked_seq")
    if isinstance(county_high, int) and not isinstance(county_high, bool) and 0 <= county_high < 2**31:
        peer.last_seq_out = max(peer.last_seq_out, county_high)  # re-base after a restore here
    sent.status = "acked"
    base = s.scalar(select(SyncPackage.watermark_n).where(
        SyncPackage.direction == "out", SyncPackage.kind == "data", SyncPackage.seq == peer.acked_seq))
    if base:
        journal.prune(s.connection(), base)  # the next package counts from there
    held = body.get("held")
    peer.held_counts = json.dumps(held if isinstance(held, dict) else {}, ensure_ascii=False)
    rep.totals = {**rep.totals, "acked_seq": sent.seq}
    if summary.get("rebase") == 1:
        # the county lacks packages before this one (it restored a backup): the next package,
        # made the ordinary way, carries everything again
        peer.acked_seq = 0
        rep.totals["rebase"] = 1


def history(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    rows = session.scalars(select(SyncPackage).order_by(SyncPackage.processed_at.desc(), SyncPackage.id.desc()).limit(limit))
    return [{"direction": p.direction, "kind": p.kind, "kind_label": KIND_LABELS.get(p.kind, p.kind),
             "peer_code": p.peer_code, "seq": p.seq, "based_on": p.based_on, "file": p.file_name,
             "status": p.status, "created_at": p.created_at.isoformat(timespec="seconds"),
             "processed_at": p.processed_at.isoformat(timespec="seconds"),
             "report": json.loads(p.report) if p.report else {}} for p in rows]
