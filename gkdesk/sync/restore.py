"""Restore packages: a township's own synced records, sent back by its county.

A township that lost its data folder (no backup, a new PC, a new clerk) is enrolled again
by the county for the same unit code (:mod:`.enrolment`: the registry keeps the township
id). The county then writes a *restore package* for it: every row the county holds of
that township (all travelling tables, tombstones included) and their attachments, signed
by the county and encrypted to the township's **new** keys, with the enrolment inside.
The township imports it like any package from its county: the enrolment is adopted
first (its id and the number its packages continue from), then the rows are written by
revision in one transaction after the import's backup — into a fresh data folder they are
all new. Its next ordinary package carries everything (the county sees it as 未变).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.errors import InputRejected, NotFound
from gkdesk.hints import Hint
from gkdesk.models.base import KEEP_REVISION, utcnow
from gkdesk.models.sync import SyncPackage, SyncPeer
from gkdesk.models.township import ROLE_COUNTY, ROLE_TOWNSHIP
from gkdesk.result import IsCancelled, never_cancelled
from gkdesk.store import Store
from gkdesk.sync import keys
from gkdesk.sync.apply import STATES, apply_table, parse_lines
from gkdesk.sync.attachments import write_attachments
from gkdesk.sync.container import DEFAULT_PART_BYTES, PackageRefused, seal, write_package
from gkdesk.sync.export import ExportResult, _county_package, attachment_member, attachment_path
from gkdesk.sync.tables import Codec, attachment_columns, rows_in_scope, travelling_tables


def export_restore(store: Store, out_dir: Path, operator: str, code: str,
                   part_bytes: int = DEFAULT_PART_BYTES) -> ExportResult:
    """County → one township: everything the county holds of it, to rebuild a lost data folder."""
    with store.session() as s:
        if township.current(s).role != ROLE_COUNTY:
            raise InputRejected("只有县级单位可以为乡镇制作恢复包")
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == str(code).strip(), SyncPeer.role == ROLE_TOWNSHIP))
        if peer is None:
            raise NotFound(f"没有登记代码为 {str(code)[:12]} 的乡镇", hint=Hint.TRUST_KEY)
        keys.require_verified(peer)
        ident = keys.ensure_keys(s, store.data_dir)
        built, stem, seq = _county_package(s, "restore", peer, ident, {})
        conn = s.connection()
        tables = travelling_tables(conn)
        counts: dict[str, int] = {}
        hashes: set[str] = set()
        for path in tables:
            codec = Codec(path.table)
            att = attachment_columns(path.table.name)
            lines = []
            for row in rows_in_scope(conn, path, peer.township_id):
                lines.append(codec.line(row))
                hashes.update(str(row[c]) for c in att if row.get(c))
            if lines:
                built.members[f"tables/{path.table.name}.jsonl"] = b"".join(lines)
                counts[path.table.name] = len(lines)
        if not any(n for name, n in counts.items() if name != "township"):
            raise InputRejected(f"县级还没有收到“{peer.name}”({peer.code})的任何数据,无法制作恢复包")
        found = 0
        for h in sorted(hashes):
            p = attachment_path(store.data_dir, h)
            if p is not None:
                built.members[attachment_member(h, p)] = p.read_bytes()
                found += 1
        built.manifest.update({"township_code": peer.code, "township_id": peer.township_id, "counts": counts,
                               "tables": [p.table.name for p in tables]})
        data = seal(built, ident.signing, peer.box_key)
        files = write_package(Path(out_dir), stem, data, part_bytes)
        audit.record(s, operator, "sync.restore_out", peer.code, seq=seq, counts=counts)
    return ExportResult(files, seq, 0, "restore", counts, found, size=len(data))


def apply_rows(s: Session, members: dict[str, bytes], manifest: dict[str, Any], peer: SyncPeer, file: str,
               package_id: str, cancelled: IsCancelled = never_cancelled) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Township: write the restore package's rows (the enrolment was adopted just before)."""
    me = township.current(s)
    if me.role != ROLE_TOWNSHIP or manifest.get("township_code") != me.code or manifest.get("township_id") != me.id:
        raise PackageRefused(f"恢复包“{file}”不是为本乡镇(按县级登记的编号)制作的,已拒绝", hint=Hint.ENROL)
    sent = s.scalar(select(SyncPackage.id).where(SyncPackage.direction == "out", SyncPackage.kind == "data").limit(1))
    if sent is not None:
        raise PackageRefused(f"本机已经向县级发送过数据,不需要恢复包“{file}”(恢复包只用于数据目录丢失后新建并重新登记的电脑),"
                             "已拒绝,未做任何改动")
    conn = s.connection()
    paths = {p.table.name: p for p in travelling_tables(conn)}
    for member in members:
        if member.startswith("tables/") and member[7:-6] not in paths:
            raise PackageRefused(f"恢复包“{file}”含本机不认识的数据(来自更新版本的 gkdesk),请先升级本机 gkdesk")
    tables: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(STATES, 0)
    parsed = {name: parse_lines(Codec(path.table), members[f"tables/{name}.jsonl"], f"tables/{name}.jsonl")
              for name, path in paths.items() if members.get(f"tables/{name}.jsonl")}
    replaced = _drop_local_only(conn, paths, parsed, me.id)
    if replaced:
        totals["replaced"] = replaced
    for name, path in paths.items():
        rows = parsed.get(name)
        if not rows:
            continue
        counts = apply_table(s, path, rows, me.id, peer.code, package_id, cancelled)
        tables[name] = counts.as_dict()
        for k in STATES:
            totals[k] += getattr(counts, k)
    return tables, totals


def _drop_local_only(conn: Any, paths: dict[str, Any], parsed: dict[str, list[dict[str, Any]]],
                     township_id: str) -> int:
    """A restore makes this PC hold what the county holds: rows of this township made here
    before the restore and never sent (a catalogue seeded on first start, a village typed in
    again) would stand beside the county's copies — a second 高桥村, or a clash on a unique
    name — so they go, children first (the import's backup keeps them). Returns how many."""
    from sqlalchemy import delete

    gone = 0
    for name, path in reversed(list(paths.items())):
        t = path.table
        keep = {str(r["id"]) for r in parsed.get(name, [])}
        local = [str(i) for i in conn.execute(select(t.c.id).where(path.clause(township_id))).scalars()]
        drop = [i for i in local if i not in keep and not (name == "township" and i == township_id)]
        for k in range(0, len(drop), 500):
            conn.execute(delete(t).where(t.c.id.in_(drop[k:k + 500])))
        gone += len(drop)
    return gone


def apply_package(ctx: Any, opened: Any, rep: Any) -> Any:
    """Township: a restore package, in one transaction after the import's backup — the
    enrolment inside adopted first, then the rows, then attachments (only after every row
    applied, by the same allow-list as data packages). Called by :mod:`.importer` with its
    context; returns its ``PackageReport``."""
    from gkdesk.sync import importer as imp

    header = opened.header
    written: list[Path] = []
    try:
        with ctx.store.session() as s:
            s.info[KEEP_REVISION] = True
            peer = s.scalar(select(SyncPeer).where(SyncPeer.code == rep.sender_code))
            assert peer is not None
            raw = opened.members.get("payloads/enrolment.json")
            try:
                rec = json.loads(raw.decode("utf-8")) if raw else None
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise PackageRefused(f"恢复包“{rep.file}”已损坏") from exc
            if rec is None:
                raise PackageRefused(f"恢复包“{rep.file}”缺少县级的登记信息,已拒绝", hint=Hint.ENROL)
            imp._take_enrolment(s, peer, rec, rep, ctx)
            rep.tables, totals = apply_rows(s, opened.members, opened.manifest, peer, rep.file,
                                            header["package_id"], ctx.cancelled)
            rep.totals.update(totals)
            written, skipped = write_attachments(ctx.store.data_dir, opened)
            if skipped:
                rep.totals["attachments_skipped"] = skipped
            peer.acked_seq = 0  # the county's copy came back: the next package re-sends everything once
            peer.last_seq_in = rep.seq
            peer.last_package_at = utcnow()
            s.add(SyncPackage(package_id=header["package_id"], direction="in", kind="restore", peer_code=peer.code,
                              seq=rep.seq, created_at=header["created"], payload_sha256=opened.payload_sha256,
                              file_name=rep.file[:255], status="applied",
                              report=json.dumps(rep.to_dict(), ensure_ascii=False)))
            audit.record(s, ctx.operator, "sync.restore", rep.file, sender=peer.code, seq=rep.seq, **totals)
    except BaseException:
        for w in written:
            w.unlink(missing_ok=True)
        raise
    return rep
