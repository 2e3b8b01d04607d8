"""Importing one payout list as a PayoutBatch: all-or-nothing, idempotent, replaceable.

Flow: hash the file (same SHA-256 as a live batch of the program → "unchanged"), read
and validate every row (``parse``), resolve villages, then write the batch and all its
rows with one Core ``INSERT`` executemany inside the caller's transaction. Any error
and nothing is written (status "rejected", full error list) unless ``valid_only``,
which stores the valid rows and writes an error workbook for the rest.

A refusal the clerk can remedy carries ``data["hint"]`` (a :class:`~gkdesk.hints.Hint`) and
``data["hint_args"]``; the messages themselves never name a flag. Taking the backup is the
caller's business (``gkdesk.app.payouts``): ``before_write`` is called once the list is valid
and about to be stored, so no restore point is made for a refused or unchanged file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, DateTime, Table, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from gkdesk import audit, township
from gkdesk.errors import Cancelled, InputRejected, UnreadableInput
from gkdesk.gcpause import collector_paused, outlive
from gkdesk.hints import Hint
from gkdesk.identity import mask_id
from gkdesk.models.base import utcnow
from gkdesk.models.payout import KIND_PERSON_MONTH, Payout, PayoutBatch, fen_to_yuan
from gkdesk.payouts import doubts as D
from gkdesk.payouts import layouts as L
from gkdesk.payouts import parse as P
from gkdesk.payouts import writer as W
from gkdesk.payouts.overview import find_overview, store_overview
from gkdesk.payouts.places import names_group, suggest_village
from gkdesk.payouts.plan import household_of
from gkdesk.payouts.programs import find_program
from gkdesk.payouts.summary import check_summary, check_totals
from gkdesk.result import IsCancelled, OpResult, Problem, Report, never_cancelled, no_report
from gkdesk.sheets import normalise as nz
from gkdesk.sheets.reader import read_workbook
from gkdesk.sheets.synonyms import FIELD_LABELS

CHUNK = 20_000


@dataclass
class ImportOptions:
    program: str
    year: int
    period: str = ""
    sheet: str | None = None
    valid_only: bool = False
    add_villages: bool = False
    replace: bool = False
    error_workbook: Path | None = None  # where to write the error workbook (default: next to the file)
    mapping: dict[str, int] | None = None  # field -> 0-based column, overriding the detected header
    dry_run: bool = False  # validate and report only (the window's validation step)
    village: str | None = None  # one village for the whole file (a list that names none)
    layout: str | None = None  # apply this saved layout (导入模板) whatever the header signature
    overrides: dict[str, str] | None = None  # field -> header text / column letter / 忽略 (``--map``)
    save_layout: str | None = None  # save the mapping used under this name (when the import succeeds)
    allow_duplicate: bool = False  # store a list whose rows equal a batch stored under another period
    village_map: dict[str, str] | None = None  # name in the file -> existing village
    as_total: bool = False  # a 一览表: store its township-level total


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def live_batches(session: Session, program_id: str, year: int, period: str) -> list[PayoutBatch]:
    return list(session.scalars(select(PayoutBatch).where(
        PayoutBatch.program_id == program_id, PayoutBatch.year == year, PayoutBatch.period == period,
        PayoutBatch.deleted_at.is_(None))))


def _result(status: str, *, batch: str | None = None, rows: int = 0, total_fen: int = 0,
            villages: dict[str, int] | None = None, warnings: list[Problem] | None = None,
            errors: list[Problem] | None = None, **data: Any) -> OpResult:
    res = OpResult(status=status, warnings=warnings or [], errors=errors or [],
                   counts={"rows": rows}, changes={"payouts"} if status == "imported" else set())
    res.data = {"batch": batch, "rows": rows, "total_amount": f"{fen_to_yuan(total_fen):.2f}",
                "villages": villages or {}, **data}
    return res


BeforeWrite = Callable[[bool], None]  # called with True when the write replaces a stored batch


def import_payouts(session: Session, path: str | Path, opts: ImportOptions, *, operator: str = "",
                   before_write: BeforeWrite | None = None, report: Report = no_report,
                   cancelled: IsCancelled = never_cancelled) -> OpResult:
    started: list[_Early] = []
    with collector_paused():
        try:
            return _import(session, Path(path), opts, operator, before_write, report, cancelled, started)
        finally:
            for early in started:
                early.discard(quiet=True)  # a no-op once kept; never hides what is being raised


def _import(session: Session, path: Path, opts: ImportOptions, operator: str, before_write: BeforeWrite | None,
            report: Report, cancelled: IsCancelled, started: list[_Early]) -> OpResult:
    report(0.0, f"正在读取“{path.name}”")
    if not path.exists():
        raise UnreadableInput(f"找不到文件“{path}”")
    sha = file_sha256(path)
    program = find_program(session, opts.program)
    period = opts.period.strip()
    existing = live_batches(session, program.id, opts.year, period)
    for b in existing:
        if b.source_sha256 == sha:
            return _result("unchanged", batch=b.id, rows=b.row_count, total_fen=b.total_fen,
                           villages=batch_village_counts(session, b.id),
                           message=f"文件“{path.name}”已于{b.imported_at:%Y-%m-%d %H:%M}导入过(批次 {b.id[:8]}),未做任何改动")
    # What the later steps look up anyway, asked now: in the CLI the sheet is still being read
    # on another thread (gkdesk.headstart), so these queries cost no wall time there.
    township_id = township.current(session).id
    known_villages = {v.name: v.id for v in township.villages(session)}
    if opts.village:
        village_name = opts.village.strip()
        if village_name not in known_villages:
            raise InputRejected(f"没有名为“{village_name}”的村(社区)。现有:{'、'.join(known_villages) or '(尚无)'}")
    specs = L.load_specs(session) if opts.layout is None else []
    forced = L.find(session, opts.layout) if opts.layout else None
    warming = _warm_up(session, path, opts, existing, known_villages)
    try:
        sheets = read_workbook(path, lazy=True)  # a big sheet's rows are converted as they are checked
    finally:
        if warming is not None:
            warming.join()
    if opts.sheet is not None and opts.sheet not in {s.name for s in sheets}:
        raise UnreadableInput(f"文件“{path.name}”中没有名为“{opts.sheet}”的工作表(现有:{'、'.join(s.name for s in sheets)})")
    plans, skipped = P.plan_sheets(sheets, path.name, opts.sheet, known=known_villages,
                                   village=opts.village.strip() if opts.village else None, layouts=specs,
                                   forced=forced, overrides=opts.overrides)
    if opts.mapping and not plans:  # the clerk mapped a list the importer could not take alone
        from gkdesk.payouts.preview import _unknown_plan

        plans = _unknown_plan([s for s in sheets if opts.sheet in (None, s.name)], known_villages)
        skipped = [s.name for s in sheets if plans and s.name != plans[0].name]
    if opts.mapping and plans:
        plans = plans[:1]
        by_name = {s.name: s for s in sheets}
        set_mapping(by_name[plans[0].name].rows, plans[0], opts.mapping, opts.village)
    if not plans:
        if all(not any(c not in ("", None) for row in s.rows for c in row) for s in sheets):
            raise UnreadableInput(f"文件“{path.name}”的工作表是空的,没有发放名单")
        overview = find_overview(sheets)
        if overview is not None:
            if opts.as_total and not opts.dry_run:
                return store_overview(session, overview, program, opts, path, operator)
            data: dict[str, Any] = {"hint": Hint.STORE_TOTAL, "hint_args": {}, "overview": overview.to_dict()}
            return _result("rejected", errors=[Problem(overview.message(path.name))],
                           message=overview.message(path.name), **data)
        raise UnreadableInput(f"文件“{path.name}”不像补贴发放名单:在工作表“{'、'.join(skipped)}”的前30行中"
                              "找不到姓名列和金额列(表头或内容都不像);可在导入时手动指定各列")
    if cancelled():
        raise Cancelled()
    report(0.3, "正在逐行检查")
    monthly = program.kind == KIND_PERSON_MONTH
    default_month = (nz.parse_month(period, opts.year) or "") if monthly and period else ""
    today = utcnow().date()
    parsed = P.ParsedList(plans=plans)
    early = _start_early(session, sheets, plans, parsed, township_id, program, opts, period, path, sha, operator,
                         existing, known_villages)
    if early is not None:
        started.append(early)  # discarded by import_payouts whatever happens, unless kept by _write
    P.parse_payout_sheets(sheets, plans, path, year=opts.year, monthly=monthly, default_month=default_month,
                          today_key=f"{today:%Y%m%d}", known=known_villages, out=parsed)
    check_totals(plans, parsed)  # no database: while the early writer stores the last rows
    if early is not None:
        early.finish(parsed)
    _check_township_total(session, program.id, opts.year, period, parsed)
    check_summary(sheets, plans, skipped, parsed)
    for name in skipped:
        parsed.warnings.append(Problem("不是发放名单(汇总表或其他内容),已跳过", name))
    if not parsed.rows and not parsed.errors:
        raise UnreadableInput(f"文件“{path.name}”的表头下没有任何发放记录")
    _resolve_villages(session, parsed, opts.add_villages, operator, known_villages, opts.village_map or {})
    if cancelled():
        raise Cancelled()
    columns: dict[str, str] = {}
    for p in plans:
        for f in p.header.columns:
            columns.setdefault(f, p.header.labels.get(f) or FIELD_LABELS.get(f, f))
    layout = next((p.layout for p in plans if p.layout), None)
    data = {"sheets": [p.name for p in plans],
                            "mapping": {p.name: p.header.labels for p in plans},
                            "columns": columns, "layout": layout,
                            "column_notes": [n for p in plans for n in p.notes],
                            "unsure": any(p.unsure for p in plans),
                            "village_from": {p.name: [p.village, p.village_from] for p in plans if p.village},
                            "added_villages": getattr(parsed, "added_villages", []),
                            "unknown_villages": getattr(parsed, "unknown_villages", []),
                            "not_villages": getattr(parsed, "not_villages", []),
                            "village_suggestions": getattr(parsed, "village_suggestions", {}),
                            "unknown_village_errors": getattr(parsed, "unknown_village_errors", 0)}
    doubts = [D.Doubt(kind, msg, name, mask_id(idn), "" if fen is None else f"{Decimal(fen) / 100:.2f}",
                      f"工作表“{sh}”第{row}行") for kind, msg, name, idn, fen, sh, row in parsed.doubts]
    mine = {early.batch.id} if early is not None else set()  # the rows stored early are not another batch
    exclude = ({b.id for b in existing} if opts.replace else set()) | mine
    if parsed.rows:
        doubts += D.cross_checks(session, program, opts.year,
                                 lambda: [(r[P.R_ID], r[P.R_MONTH], r[P.R_NAME], r[P.R_FEN],
                                           f"工作表“{r[P.R_SHEET]}”第{r[P.R_ROW]}行") for r in parsed.rows],
                                 exclude | {b.id for b in existing})
    data["doubts"] = doubts
    if monthly and not default_month and not any("month" in p.header.columns for p in plans):
        data.update(hint=Hint.GIVE_PERIOD, hint_args={})  # every row lacks its month
    elif getattr(parsed, "unknown_villages", None):
        data.update(hint=Hint.ADD_VILLAGES, hint_args={"names": list(parsed.unknown_villages)})  # type: ignore[attr-defined]
    elif getattr(parsed, "not_villages", None) or getattr(parsed, "village_suggestions", None):
        data.update(hint=Hint.MAP_VILLAGES if getattr(parsed, "village_suggestions", None) else Hint.CHOOSE_VILLAGE,
                    hint_args={"names": list(getattr(parsed, "village_suggestions", {}) or parsed.not_villages)})  # type: ignore[attr-defined]
    if parsed.errors:
        wb_path = None
        if (opts.valid_only or opts.error_workbook) and not opts.dry_run:
            from gkdesk.payouts.errorbook import write_error_workbook

            wb_path = opts.error_workbook or path.with_name(f"{path.stem}_错误行.xlsx")
            write_error_workbook(sheets, plans, parsed.error_rows, wb_path)
            data["error_workbook"] = str(wb_path)
        if not opts.dry_run and (not opts.valid_only or not parsed.rows):
            return _result("rejected", warnings=parsed.warnings, errors=parsed.errors,
                           message=f"文件“{path.name}”发现{len(parsed.errors)}处错误,未导入任何数据", **data)
    if opts.dry_run:
        return _result("checked", rows=len(parsed.rows), total_fen=sum(r[P.R_FEN] for r in parsed.rows),
                       villages=dict(Counter(r[P.R_VILLAGE] for r in parsed.rows)), warnings=parsed.warnings,
                       errors=parsed.errors, existing_batch=existing[0].id if existing else None, **data)
    same = None
    if parsed.rows and not opts.allow_duplicate:
        same = D.same_rows_batch(session, program.id, opts.year, parsed.rows, P.R_ID, P.R_FEN,
                                 ({b.id for b in existing} if opts.replace else set()) | mine)
    if same is not None and not (existing and same.id == existing[0].id and not opts.replace):
        msg = (f"文件“{path.name}”的全部{len(parsed.rows)}行(身份证号和金额)与已导入的{D._batch_label(same)}完全相同,"
               "可能是同一份名单换了期次重复导入,已拒绝")
        data.update(hint=Hint.ALLOW_DUPLICATE, hint_args={})
        return _result("rejected", errors=[Problem(msg)], warnings=parsed.warnings, existing_batch=same.id,
                       duplicate_of=same.id, message=msg, **data)
    if existing and not opts.replace:
        b = existing[0]
        msg = (f"“{program.name}”{opts.year}年{period or ''}已有一份清册(批次 {b.id[:8]},文件“{b.source_name}”,"
               f"{b.row_count}行,导入于{b.imported_at:%Y-%m-%d %H:%M})")
        data.update(hint=Hint.REPLACE_BATCH, hint_args={})
        return _result("rejected", errors=[Problem(msg)], warnings=parsed.warnings,
                       existing_batch=b.id, message=msg, **data)
    if before_write is not None:
        before_write(bool(existing))
    report(0.6, f"正在保存{len(parsed.rows)}行")
    villages = dict(Counter(r[P.R_VILLAGE] for r in parsed.rows))
    batch = _write(session, parsed, villages, township_id, program.id, opts, period, path, sha, operator, existing,
                   report, cancelled, early)
    audit.record(session, operator, "payouts.import", batch.id, file=path.name, program=program.name,
                 year=opts.year, period=period, rows=batch.row_count, total=f"{batch.total_amount:.2f}",
                 replaced=[b.id for b in existing] if existing else None,
                 skipped_errors=len(parsed.errors) if parsed.errors else None, layout=layout,
                 allowed_duplicate=True if opts.allow_duplicate else None, doubts=len(doubts) or None)
    if layout:
        L.note_used(session, layout)
    if opts.save_layout:
        by_name = {s.name: s for s in sheets}
        spec = L.spec_from_header(opts.save_layout.strip(), by_name[plans[0].name].rows, plans[0].header)
        L.save(session, spec, operator)
        data["layout_saved"] = spec.name
    report(1.0, "导入完成")
    outlive(sheets, parsed)
    return _result("imported", batch=batch.id, rows=batch.row_count, total_fen=batch.total_fen, villages=villages,
                   warnings=parsed.warnings, errors=parsed.errors,
                   replaced=[b.id for b in existing], **data)


def _check_township_total(session: Session, program_id: str, year: int, period: str, parsed: P.ParsedList) -> None:
    """A stored 一览表 total of this program and year: say how far this list is from it."""
    from gkdesk.models.payout_layout import ProgramTotal

    totals = session.scalars(select(ProgramTotal).where(ProgramTotal.program_id == program_id,
                                                        ProgramTotal.year == year)).all()
    t = next((x for x in totals if x.period == period), totals[0] if totals else None)
    if t is None or not parsed.rows:
        return
    mine = sum(r[P.R_FEN] for r in parsed.rows)
    if mine != t.amount_fen:
        parsed.warnings.append(Problem(
            f"本名单合计{fen_to_yuan(mine)}元,与一览表中“{t.area_name}”的乡镇合计{fen_to_yuan(t.amount_fen)}元"
            f"相差{fen_to_yuan(abs(mine - t.amount_fen))}元(若名单分批发放,属正常)"))


def set_mapping(rows: list[list[Any]], plan: P.SheetPlan, mapping: dict[str, int], village: str | None = None) -> None:
    """The window's column choices (field -> column) replace the detected ones."""
    from gkdesk.payouts.columns import header_texts

    width = max([len(rows[plan.header.row]) if plan.header.row >= 0 else 0, *list(mapping.values())]) + 1
    texts = header_texts(rows, plan.header, width)
    plan.header.columns = dict(mapping)
    plan.header.labels = {f: texts[c] or f"第{c + 1}列" for f, c in mapping.items()}
    plan.notes = []
    plan.layout = None
    if "village_group" in mapping:
        plan.header.columns.pop("village", None)
    if {"village", "village_group", "address"} & set(mapping):
        plan.village = None
    elif village:
        plan.village, plan.village_from = village.strip(), "导入时选择"
    elif plan.village is None:
        plan.village, plan.village_from = P._clean_village(plan.name), "工作表名称"


def _resolve_villages(session: Session, parsed: P.ParsedList, add: bool, operator: str,
                      known: dict[str, str], village_map: dict[str, str]) -> None:
    """Map village names to ids (row[R_VILLAGE] becomes (name, id)); unknown ones are errors.

    ``village_map`` (the clerk's choice) sends names of the file to existing villages. A name
    that contains a group ("高桥村2组" where 高桥村 is unknown, "第六组") is never offered as a
    new village: the clerk adds the village first, or chooses one for the whole file.
    """
    for src, dst in village_map.items():
        if dst not in known:
            raise InputRejected(f"没有名为“{dst}”的村(社区),无法把“{src}”对应过去")
    if village_map:
        for r in parsed.rows:
            mapped = village_map.get(r[P.R_VILLAGE])
            if mapped is not None:
                r[P.R_VILLAGE] = mapped
    names = {r[P.R_VILLAGE] for r in parsed.rows}
    unknown_all = sorted(n for n in names if n not in known)
    not_villages = [n for n in unknown_all if names_group(n)]
    suggestions = {n: s for n in unknown_all if (s := suggest_village(n, list(known))) is not None}
    unknown = [n for n in unknown_all if n not in not_villages and n not in suggestions]
    parsed.not_villages = not_villages  # type: ignore[attr-defined]
    parsed.village_suggestions = suggestions  # type: ignore[attr-defined]
    if unknown and add:
        for n in unknown:
            known[n] = township.add_village(session, n, 0, operator).data["village"]["id"]
        parsed.warnings.append(Problem(f"已新增村(社区):{'、'.join(unknown)}"))
        parsed.added_villages = unknown  # type: ignore[attr-defined]
        unknown = []
    parsed.unknown_villages = unknown  # type: ignore[attr-defined]
    errors_before = len(parsed.errors)
    parsed.unknown_village_errors = 0  # type: ignore[attr-defined]
    bad = set(unknown) | set(not_villages) | set(suggestions)
    if bad:
        keep = []
        for r in parsed.rows:
            if r[P.R_VILLAGE] in bad:
                v = r[P.R_VILLAGE]
                msg = (f"“{v}”是村民小组而不是村(社区)名称:请先添加它所属的村,或导入时选择整个文件所属的村(社区)"
                       if v in not_villages else
                       f"村(社区)“{v}”不在本乡镇的村(社区)名单中,是否指“{suggestions[v]}”?"
                       if v in suggestions else f"村(社区)“{v}”不在本乡镇的村(社区)名单中")
                parsed.errors.append(Problem(msg, r[P.R_SHEET], r[P.R_ROW], "村(社区)"))
                parsed.error_rows.setdefault((r[P.R_SHEET], r[P.R_ROW]), []).append(msg)
            else:
                keep.append(r)
        parsed.rows = keep
    parsed.unknown_village_errors = (len(parsed.errors) - errors_before) if unknown and not (  # type: ignore[attr-defined]
        not_villages or suggestions) else 0
    parsed.village_ids = known  # type: ignore[attr-defined]


def _new_batch(session: Session, township_id: str, program_id: str, opts: ImportOptions, period: str, path: Path,
               sha: str, operator: str, existing: list[PayoutBatch], plans: list[P.SheetPlan],
               figures: dict[str, int] | None = None) -> PayoutBatch:
    now = utcnow()
    batch = PayoutBatch(township_id=township_id, program_id=program_id, year=opts.year, period=period,
                        source_name=path.name, source_sha256=sha, source_sheets="、".join(p.name for p in plans),
                        imported_at=now, imported_by=operator, created_at=now, updated_at=now,
                        replaces_id=existing[0].id if existing else None,
                        **(figures or {"row_count": 0, "village_count": 0, "total_fen": 0, "warning_count": 0}))
    batch.household, batch.persons_label = household_of(plans)
    session.add(batch)
    session.flush()
    return batch


def _write(session: Session, parsed: P.ParsedList, villages: dict[str, int], township_id: str, program_id: str,
           opts: ImportOptions, period: str, path: Path, sha: str, operator: str, existing: list[PayoutBatch],
           report: Report, cancelled: IsCancelled, early: _Early | None = None) -> PayoutBatch:
    """``villages``: rows per village name, counted once by the caller for its report."""
    rows = parsed.rows
    figures = {"row_count": len(rows), "village_count": len(villages),
               "total_fen": sum(r[P.R_FEN] for r in rows), "warning_count": len(parsed.warnings)}
    if early is not None and early.keep(rows):  # every row is stored already
        batch = early.batch
        # The figures of a row this transaction inserted, filled in with a Core UPDATE: as an ORM
        # edit it would count as a local edit of a synced row (revision 2, a sync_local_edit entry).
        table = cast(Table, PayoutBatch.__table__)
        session.execute(update(table).where(table.c.id == batch.id).values(**figures))
        for key, value in figures.items():
            set_committed_value(batch, key, value)
    else:
        if early is not None:
            early.discard()
        batch = _new_batch(session, township_id, program_id, opts, period, path, sha, operator, existing,
                           parsed.plans, figures)
        vid = parsed.village_ids  # type: ignore[attr-defined]
        _insert_rows(session, batch, rows, {n: vid[n] for n in villages}, report, cancelled)
    now = batch.imported_at
    for b in existing:
        soft_delete_batch(session, b, now)
    session.flush()
    return batch


def _insert_rows(session: Session, batch: PayoutBatch, rows: list[list[Any]], vid: dict[str, str], report: Report,
                 cancelled: IsCancelled) -> None:
    """``vid``: the id of each village the rows name."""
    unit = batch.program.unit
    conn = session.connection()
    prefix, stamp = _row_ids_and_stamp(conn, batch)
    if conn.dialect.name == "sqlite" and isinstance(stamp, str) and vid:
        sql = W.RowSql(batch.id, prefix, stamp, unit, vid, W.rows_per_statement(conn.connection.driver_connection))
        conn.exec_driver_sql("PRAGMA cache_size=-65536")  # index pages stay hot during the bulk insert
        cursor = conn.connection.cursor()  # the DB-API cursor, inside the session's transaction
        try:
            def progress(done: int) -> None:
                if cancelled():
                    raise Cancelled()
                report(0.6 + 0.4 * done / max(1, len(rows)), f"已保存{done}行")

            W.insert_all(cursor, sql, rows, progress)
        except sqlite3.Error as exc:  # the raw cursor's error, as the session's own would be
            raise _wrapped(exc) from None
        finally:
            cursor.close()
        return
    # Other databases: the INSERT from SQLAlchemy Core (portable SQL, this dialect's paramstyle),
    # run with the driver's executemany (per-value bind processing costs more than the insert).
    compiled = insert(cast(Table, Payout.__table__)).compile(dialect=conn.dialect)
    cols = [c.name for c in Payout.__table__.columns]
    tuples_ok = compiled.positional and list(compiled.positiontup or []) == cols
    bid = batch.id
    for start in range(0, len(rows), CHUNK):
        if cancelled():
            raise Cancelled()
        chunk = enumerate(rows[start:start + CHUNK], start)
        values = [(bid, i, vid[r[0]], r[1], r[2], r[3], r[4], r[5], r[6], unit if r[6] is not None else "", r[7],
                   r[8], r[9], r[10], r[11], r[12], f"{prefix}{i:012x}", stamp, stamp, 1, None) for i, r in chunk]
        params: list[Any] = values if tuples_ok else [dict(zip(cols, v, strict=True)) for v in values]
        conn.exec_driver_sql(compiled.string, params)
        report(0.6 + 0.4 * min(1.0, (start + CHUNK) / max(1, len(rows))), f"已保存{min(start + CHUNK, len(rows))}行")


def _row_ids_and_stamp(conn: Any, batch: PayoutBatch) -> tuple[str, Any]:
    """Ids: a random 80-bit prefix per batch + the row's sequence, so they are unique and the
    primary-key index is appended to rather than split at random (≈2× faster inserts); the
    timestamp as this database's driver takes it (SQLite: text, converted once)."""
    when = DateTime().dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return os.urandom(10).hex(), when(batch.imported_at) if when else batch.imported_at


def _wrapped(exc: sqlite3.Error) -> Exception:
    """A DB-API error from a raw cursor as SQLAlchemy raises it, so that the store turns a full
    disk, a read-only medium or a busy database into the clerk's message."""
    from sqlalchemy.exc import DBAPIError

    return DBAPIError.instance("INSERT INTO payout …", None, exc, sqlite3.Error, hide_parameters=True)


class _Early:
    """Rows stored while the list is still being checked (:class:`gkdesk.payouts.writer.EarlyWriter`),
    in a savepoint with their batch: kept by :meth:`keep`, rolled back by :meth:`discard`."""

    def __init__(self, session: Session, batch: PayoutBatch, nested: Any, writer: W.EarlyWriter, cursor: Any) -> None:
        self.session, self.batch, self.nested, self.writer, self.cursor = session, batch, nested, writer, cursor
        self.kept = False

    def finish(self, parsed: P.ParsedList) -> None:
        """The parse is over. Rows that will not be kept as stored are rolled back now, before
        anything else is written in this transaction (villages added, …)."""
        self.writer.finish()
        if not self.writer.holds(parsed.rows):
            self.discard()

    def keep(self, rows: list[list[Any]]) -> bool:
        if self.nested is None or not self.writer.holds(rows):
            return False
        self.cursor.close()
        self.nested.commit()
        self.nested = None
        self.kept = True
        return True

    def discard(self, *, quiet: bool = False) -> None:
        """Roll the stored rows back. ``quiet``: on the way out of the import (a result or an
        error already on its way), where the caller's transaction ends anyway."""
        if self.kept or self.nested is None:
            return
        self.writer.stop()
        self.cursor.close()
        nested, self.nested = self.nested, None
        if nested.is_active:
            try:
                nested.rollback()
            except OperationalError:
                # SQLite gave up the whole transaction after the writer's error (a full disk):
                # say that error, not the missing savepoint. Nothing was committed.
                if quiet:
                    return
                failed = self.writer.failed
                if isinstance(failed, sqlite3.Error):
                    raise _wrapped(failed) from None
                raise


def _may_store_early(opts: ImportOptions, existing: list[PayoutBatch], known: dict[str, str]) -> bool:
    """A real import (not the window's check), no village mapping to apply afterwards, no stored
    batch that will refuse it, villages to store rows under."""
    return not (opts.dry_run or opts.village_map or (existing and not opts.replace) or not known)


def _warm_up(session: Session, path: Path, opts: ImportOptions, existing: list[PayoutBatch],
             known: dict[str, str]) -> threading.Thread | None:
    """Compile the early writer's statements while a big file is being read (see
    :func:`gkdesk.payouts.writer.warm_up`), when an early write is likely."""
    if not _may_store_early(opts, existing, known):
        return None
    try:
        if path.stat().st_size < W.WARM_UP_MIN_BYTES:
            return None
    except OSError:
        return None  # the reader says what is wrong with the file
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return None
    raw: Any = conn.connection.driver_connection
    return W.warm_up(raw, W.rows_per_statement(raw))


def _start_early(session: Session, sheets: list[Any], plans: list[P.SheetPlan], parsed: P.ParsedList,
                 township_id: str, program: Any, opts: ImportOptions, period: str, path: Path, sha: str,
                 operator: str, existing: list[PayoutBatch], known: dict[str, str]) -> _Early | None:
    """Store rows while they are checked, when that can pay and cannot change the outcome:
    SQLite, a list big enough, and what :func:`_may_store_early` asks."""
    if not _may_store_early(opts, existing, known):
        return None
    by_name = {s.name: s for s in sheets}
    if sum(by_name[p.name].height - p.header.row for p in plans) < W.EARLY_MIN_ROWS:
        return None
    conn = session.connection()
    if conn.dialect.name != "sqlite" or [c.name for c in Payout.__table__.columns] != list(W.COLUMNS):
        return None
    raw: Any = conn.connection.driver_connection
    if not hasattr(raw, "in_transaction"):
        return None
    if not raw.in_transaction:  # the savepoint must sit inside the import's transaction, not start one
        raw.execute("BEGIN")
    nested = session.begin_nested()
    # A busy or read-only database raises here as it would at the write, with the same message.
    batch = _new_batch(session, township_id, program.id, opts, period, path, sha, operator, existing, plans)
    prefix, stamp = _row_ids_and_stamp(conn, batch)
    sql = W.RowSql(batch.id, prefix, stamp, program.unit, known, W.rows_per_statement(raw))
    # SQLite's own small page cache here: the helper spills pages to the WAL as it goes, so the
    # commit has less to write (measured: 0.13 s against 0.17 s with a 64 MB cache).
    cursor = raw.cursor()
    writer = W.EarlyWriter(cursor, sql, parsed.rows, parsed.errors, stop_on_error=not opts.valid_only)
    return _Early(session, batch, nested, writer, cursor)


def soft_delete_batch(session: Session, batch: PayoutBatch, now: Any = None) -> int:
    """Tombstone a batch and all its rows (one UPDATE; rows keep travelling as tombstones)."""
    now = now or utcnow()
    batch.soft_delete()
    stmt = (update(Payout).where(Payout.batch_id == batch.id, Payout.deleted_at.is_(None))
            .values(deleted_at=now, updated_at=now, revision=Payout.revision + 1))
    # An UPDATE statement always yields a CursorResult (which carries rowcount).
    res = cast(CursorResult[Any], session.execute(stmt, execution_options={"synchronize_session": False}))
    session.flush()
    return int(res.rowcount or 0)


def batch_village_counts(session: Session, batch_id: str) -> dict[str, int]:
    from sqlalchemy import func

    from gkdesk.models.township import Village

    q = (select(Village.name, func.count()).join(Payout, Payout.village_id == Village.id)
         .where(Payout.batch_id == batch_id, Payout.deleted_at.is_(None))
         .group_by(Village.name, Village.sort_order).order_by(Village.sort_order))
    return {name: n for name, n in session.execute(q)}


def total_of(rows: list[list[Any]]) -> Decimal:
    return fen_to_yuan(sum(r[P.R_FEN] for r in rows))
