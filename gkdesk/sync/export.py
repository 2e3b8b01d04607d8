"""Writing packages: the township's data package, and the county's receipts and updates.

A data package carries every row of this township changed since the package the
county last acknowledged (so a lost package never loses data: the next one covers
it), or everything with ``full=True``. Sequence numbers only grow; ``based_on``
says which acknowledged package the changes are counted from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import __version__, audit, paths, township
from gkdesk.errors import Cancelled, InputRejected
from gkdesk.hints import Hint
from gkdesk.models.base import new_uuid, utcnow
from gkdesk.models.sync import SyncPackage, SyncPeer
from gkdesk.models.township import ROLE_COUNTY, ROLE_TOWNSHIP
from gkdesk.result import IsCancelled, Report, never_cancelled, no_report
from gkdesk.store import Store, head_revision
from gkdesk.sync import enrolment, journal, keys
from gkdesk.sync.container import (
    DEFAULT_PART_BYTES,
    FORMAT_VERSION,
    SUFFIX,
    Built,
    seal,
    write_package,
)
from gkdesk.sync.payloads import UPDATE_PAYLOADS
from gkdesk.sync.tables import Codec, attachment_columns, rows_in_scope, travelling_tables


@dataclass
class ExportResult:
    files: list[Path]
    seq: int
    based_on: int
    kind: str
    counts: dict[str, int] = field(default_factory=dict)
    attachments: int = 0
    missing_attachments: list[str] = field(default_factory=list)
    size: int = 0

    @property
    def safe_message(self) -> str:
        names = "、".join(p.name for p in self.files)
        return f"已写入并同步到磁盘:{names}。现在可以安全拔出 U 盘。"

    def to_dict(self) -> dict[str, Any]:
        return {"files": [str(p) for p in self.files], "seq": self.seq, "based_on": self.based_on,
                "kind": self.kind, "counts": self.counts, "attachments": self.attachments,
                "missing_attachments": self.missing_attachments, "size": self.size,
                "message": self.safe_message}


def _header(kind: str, me: Any, ident: keys.Identity, peer: SyncPeer, seq: int, based_on: int,
            created: datetime) -> dict[str, Any]:
    return {"format": "gkdesk-package", "version": FORMAT_VERSION, "package_id": new_uuid(), "kind": kind,
            "sender_code": me.code, "sender_name": me.name, "sender_fingerprint": ident.fingerprint,
            "recipient_code": peer.code, "recipient_fingerprint": peer.fingerprint, "seq": seq,
            "based_on": based_on, "created_at": created.isoformat()}


def attachment_path(data_dir: Path, value: str) -> Path | None:
    """The file for an attachment hash (``<sha256>`` or ``<sha256>.<ext>``), if present."""
    h = value.split(".", 1)[0].lower()
    if len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
        return None
    folder = Path(data_dir) / paths.ATTACHMENT_DIRNAME / h[:2]
    exact = folder / value.lower()
    if exact.is_file():
        return exact
    found = sorted(folder.glob(h + "*")) if folder.is_dir() else []
    if found:
        return found[0]
    # Catalogue attachments recorded before 0.x lived at attachments/<first 16 hex>.<ext>.
    legacy = sorted((Path(data_dir) / paths.ATTACHMENT_DIRNAME).glob(h[:16] + ".*"))
    return next((p for p in legacy if p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest() == h), None)


def attachment_member(value: str, found: Path) -> str:
    """The canonical member name ``attachments/<ab>/<sha256><suffix>`` wherever the file was found."""
    h = value.split(".", 1)[0].lower()
    suffix = found.name[len(h):] if found.name.startswith(h) else found.suffix.lower()
    return f"attachments/{h[:2]}/{h}{suffix}"


def export_data(store: Store, out_dir: Path, operator: str, *, full: bool = False, resync: bool = False,
                part_bytes: int = DEFAULT_PART_BYTES, stem: str | None = None, report: Report = no_report,
                cancelled: IsCancelled = never_cancelled) -> ExportResult:
    """Township → county: write this township's changes as one signed, encrypted package.

    ``resync`` (after restoring an old backup, when the county refuses our sequence numbers
    as replays): everything, flagged in the signed header as a resync; the county accepts
    it once, if it is newer than every package it holds from us, and restarts our sequence
    from its number."""
    full = full or resync
    with store.session() as s:
        me = township.current(s)
        if me.role != ROLE_TOWNSHIP:
            raise InputRejected("县级单位不导出数据包", hint=Hint.SEND_UPDATE)
        peer = keys.county_peer(s)
        keys.require_verified(peer)
        ident = keys.ensure_keys(s, store.data_dir)
        seq = max(peer.last_seq_out, peer.acked_seq) + 1
        based_on = 0 if full else peer.acked_seq
        created = utcnow()
        conn = s.connection()
        tables = travelling_tables(conn)
        tracked = journal.ensure(conn, [p.table.name for p in tables])
        head_n = journal.head(conn)
        since: int | None = None
        if based_on:
            since = s.scalar(select(SyncPackage.watermark_n).where(
                SyncPackage.direction == "out", SyncPackage.kind == "data",
                SyncPackage.peer_code == peer.code, SyncPackage.seq == based_on))
            if since is None or since > head_n or not tracked:
                based_on, since = 0, None  # no number to count from (older gkdesk): a full package
        built = Built(_header("data", me, ident, peer, seq, based_on, created), {})
        if resync:
            built.header["resync"] = True
        counts: dict[str, int] = {}
        hashes: set[str] = set()
        for i, path in enumerate(tables):
            if cancelled():
                raise Cancelled()
            report(i / max(len(tables), 1) * 0.8, f"读取 {path.table.name}")
            codec = Codec(path.table)
            att = attachment_columns(path.table.name)
            lines = []
            changed = journal.changed_ids(path.table.name, since) if since is not None and \
                path.table.name in tracked else None  # a table not journaled yet travels whole
            for row in rows_in_scope(conn, path, me.id, changed):
                lines.append(codec.line(row))
                hashes.update(str(row[c]) for c in att if row.get(c))
            if lines:
                built.members[f"tables/{path.table.name}.jsonl"] = b"".join(lines)
                counts[path.table.name] = len(lines)
        missing = []
        for h in sorted(hashes):
            p = attachment_path(store.data_dir, h)
            if p is None:
                missing.append(h)
                continue
            built.members[attachment_member(h, p)] = p.read_bytes()
        built.manifest = {"township_code": me.code, "township_id": me.id, "township_name": me.name,
                          "seq": seq, "based_on": based_on, "full": based_on == 0,
                          "schema": head_revision(), "app_version": __version__,
                          "created_at": created.isoformat(), "counts": counts,
                          "tables": [p.table.name for p in tables], "missing_attachments": missing,
                          "resync": resync}
        report(0.85, "签名并加密")
        data = seal(built, ident.signing, peer.box_key)
        stem = stem or f"{me.name}-{me.code}-{'resync' if resync else 'data'}-{seq:06d}"
        report(0.9, "写入文件")
        files = write_package(Path(out_dir), stem, data, part_bytes)
        peer.last_seq_out = seq
        s.add(SyncPackage(package_id=built.header["package_id"], direction="out", kind="data",
                          peer_code=peer.code, seq=seq, based_on=based_on, created_at=created,
                          watermark=created, watermark_n=head_n, payload_sha256=built.payload_sha256, file_name=files[0].name, status="sent",
                          report=json.dumps({"counts": counts, "files": [f.name for f in files]}, ensure_ascii=False)))
        audit.record(s, operator, "sync.resync" if resync else "sync.export", stem, seq=seq, based_on=based_on,
                     counts=counts)
    report(1.0, "完成")
    return ExportResult(files, seq, based_on, "resync" if resync else "data", counts, len(hashes) - len(missing),
                        missing, len(data))


def _county_package(s: Session, kind: str, peer: SyncPeer, ident: keys.Identity,
                    payloads: dict[str, Any]) -> tuple[Built, str, int]:
    me = township.current(s)
    if me.role != ROLE_COUNTY:
        raise InputRejected("只有县级单位可以下发回执和更新")
    seq = peer.last_seq_out + 1
    created = utcnow()
    built = Built(_header(kind, me, ident, peer, seq, 0, created), {})
    # every county package restates whom it enrolled this township as (gkdesk.sync.enrolment)
    if peer.township_id:
        payloads = {**payloads, "enrolment": enrolment.current_record(peer, me, ident.signing)}
    for name, data in payloads.items():
        built.members[f"payloads/{name}.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
    built.manifest = {"county_code": me.code, "county_name": me.name, "seq": seq, "schema": head_revision(),
                      "app_version": __version__, "created_at": created.isoformat(),
                      "payloads": sorted(payloads)}
    peer.last_seq_out = seq
    stem = f"{peer.name}-{peer.code}-{kind}-{seq:06d}"
    s.add(SyncPackage(package_id=built.header["package_id"], direction="out", kind=kind, peer_code=peer.code,
                      seq=seq, created_at=created, file_name=stem + SUFFIX, status="sent",
                      report=json.dumps({"payloads": sorted(payloads)}, ensure_ascii=False)))
    return built, stem, seq


def build_receipt(s: Session, peer: SyncPeer, ident: keys.Identity, held: dict[str, int],
                  summary: dict[str, Any], package_id: str, payload_sha256: str) -> tuple[Built, str, int]:
    """The county's acknowledgement of one package (by id and payload hash), what it now
    holds of ``peer`` (row counts) and whom it enrolled (code and township id)."""
    body = {"acked_seq": peer.last_seq_in, "acked_package": package_id, "acked_sha256": payload_sha256,
            "township_code": peer.code, "township_id": peer.township_id, "held": held, "summary": summary}
    built, stem, seq = _county_package(s, "receipt", peer, ident, {"receipt": body})
    row = s.scalar(select(SyncPackage).where(SyncPackage.package_id == built.header["package_id"]))
    if row is not None:
        row.acks_package = package_id
    return built, stem, seq


def export_update(store: Store, out_dir: Path, operator: str, codes: list[str] | None = None,
                  options: dict[str, Any] | None = None, part_bytes: int = DEFAULT_PART_BYTES) -> list[ExportResult]:
    """County → townships: calendar years and any registered payload, one package each."""
    options = options or {}
    results = []
    with store.session() as s:
        ident = keys.ensure_keys(s, store.data_dir)
        q = select(SyncPeer).where(SyncPeer.role == ROLE_TOWNSHIP).order_by(SyncPeer.code)
        targets = list(s.scalars(q))
        if codes:
            unknown = set(codes) - {p.code for p in targets}
            if unknown:
                raise InputRejected(f"乡镇 {sorted(unknown)[0]} 尚未登记", hint=Hint.TRUST_KEY)
            targets = [p for p in targets if p.code in codes]
            for p in targets:
                keys.require_verified(p)
        else:  # all townships: only those enrolled, verified and not revoked
            targets = [p for p in targets if p.verified_at is not None and p.revoked_at is None]
        if not targets:
            raise InputRejected("没有已核验指纹的乡镇,无法下发更新", hint=Hint.TRUST_KEY)
        payloads = {}
        for name, p in UPDATE_PAYLOADS.items():
            data = p.build(s, options)
            if data is not None:
                payloads[name] = data
        for peer in targets:
            built, stem, seq = _county_package(s, "update", peer, ident, payloads)
            data = seal(built, ident.signing, peer.box_key)
            s.flush()
            files = write_package(Path(out_dir), stem, data, part_bytes)
            results.append(ExportResult(files, seq, 0, "update", {k: 1 for k in payloads}, size=len(data)))
        audit.record(s, operator, "sync.update", ",".join(p.code for p in targets), payloads=sorted(payloads))
    return results
