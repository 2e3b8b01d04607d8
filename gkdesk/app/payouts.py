"""Payout lists (惠民惠农补贴发放清册) as clerk actions: check, import, replace, delete, export, programs.

The CLI and the window call these and nothing deeper. Each action takes the backup its step
needs — right before an import writes ("before-import", or "before-replace" when it replaces
the stored list of the same program and period), before a delete — runs the core in one
transaction, lets the core record the audit entry with the workspace's operator, and returns
a typed result whose ``summary()`` is the sentence both faces show.

The import path is benchmarked against a bare read of the file (``benchmarks/payout_import.py``):
it stays one transaction with the core's own queries, and this module's top level imports
nothing the core import does not already load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkdesk import audit
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.hints import Hint
from gkdesk.models.payout import KIND_LABELS
from gkdesk.result import IsCancelled, OpResult, Problem, Report, never_cancelled, no_report

if TYPE_CHECKING:
    from gkdesk.backups import BackupInfo
    from gkdesk.payouts.doubts import Doubt
    from gkdesk.payouts.preview import FilePreview

PROGRAM_KINDS: dict[str, str] = dict(KIND_LABELS)  # kind code -> Chinese name, for the window's choice list

audit.ACTION_LABELS.update({
    "payouts.import": "导入发放清册",
    "payouts.delete": "删除发放批次",
    "payouts.export": "导出发放批次",
    "payouts.reveal_id": "查看完整身份证号",
    "program.add": "添加补贴项目",
    "program.rename": "补贴项目改名",
})

ERRORS_SHOWN = 200  # the CLI's text report lists this many errors, then a count
WARNINGS_SHOWN = 50


# -- results ------------------------------------------------------------------------------

@dataclass
class PayoutImport(Outcome):
    """One import (or its dry run): status "imported", "unchanged", "rejected" or "checked"."""

    status: str
    file: str
    batch: str | None = None
    rows: int = 0
    total_amount: str = "0.00"
    villages: dict[str, int] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    message: str = ""  # why nothing was stored ("unchanged", "rejected"); never names a flag
    hint: Hint | None = None  # what would let the refused file in (add villages, replace …)
    hint_args: dict[str, Any] = field(default_factory=dict)
    error_workbook: str | None = None
    existing_batch: str | None = None  # the stored batch of the same program, year and period
    replaced: list[str] = field(default_factory=list)
    unknown_villages: list[str] = field(default_factory=list)
    unknown_village_errors: int = 0  # errors that adding ``unknown_villages`` would clear
    added_villages: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    backup: BackupInfo | None = None  # the copy made now (None: unchanged since the newest one, or not SQLite)
    backed_up: bool = False  # a restore point of the data before this import exists
    columns: dict[str, str] = field(default_factory=dict)  # field -> the header text of the column it came from
    layout: str | None = None  # the saved layout (导入模板) applied
    layout_saved: str | None = None  # the name the mapping was saved under now
    column_notes: list[str] = field(default_factory=list)  # column competitions settled by a rule
    unsure: bool = False  # columns guessed from content: the window asks the clerk to confirm
    doubts: list[Doubt] = field(default_factory=list)  # red flags (疑点), see gkdesk.payouts.doubts
    duplicate_of: str | None = None  # the stored batch holding exactly these rows (refused re-import)
    not_villages: list[str] = field(default_factory=list)  # unknown names that are groups, never villages
    village_suggestions: dict[str, str] = field(default_factory=dict)  # unknown name -> existing village
    village_from: dict[str, list[str]] = field(default_factory=dict)  # sheet -> [village, where it came from]
    overview: dict[str, Any] | None = None  # the file is a 一览表 (summary), see gkdesk.payouts.overview

    @property
    def refused(self) -> bool:
        return self.status == "rejected"

    @property
    def only_unknown_villages(self) -> bool:
        """Every error would go away if the clerk agreed to add the unknown villages."""
        return bool(self.unknown_villages) and len(self.errors) == self.unknown_village_errors

    def columns_line(self) -> str:
        """"列对应:姓名←收款人全称,…" (and the template used), for both faces' reports."""
        from gkdesk.sheets.synonyms import FIELD_LABELS

        if not self.columns:
            return ""
        text = "列对应:" + ",".join(f"{FIELD_LABELS.get(f, f)}←“{h}”" for f, h in self.columns.items())
        if self.layout:
            text = f"按模板『{self.layout}』导入;" + text
        return text

    def summary(self) -> str:
        if self.status == "total_stored":
            return self.message
        if self.status == "imported":
            text = f"已导入{self.rows}行,合计{self.total_amount}元(文件“{self.file}”,批次 {(self.batch or '')[:8]})"
            if self.replaced:
                text += ",已替换原有清册" + ("(替换前已备份)" if self.backed_up else "")
            return text
        if self.status == "checked":
            parts = [f"可导入{self.rows}行,合计{self.total_amount}元", f"错误{len(self.errors)}处,提示{len(self.warnings)}条"]
            if self.existing_batch:
                parts.append("本项目同一期次已有清册")
            if self.unknown_villages:
                parts.append(f"不认识的村(社区):{'、'.join(self.unknown_villages)}")
            return ";".join(parts)
        if self.status == "unchanged":
            return self.message or "该文件已导入过,未做改动"
        return self.message or "导入被拒绝,未做任何改动"

    def report_lines(self, hint_sentence: str = "") -> list[str]:
        """The full text report: summary (+ the face's hint sentence), villages, errors, warnings."""
        first = self.summary()
        if hint_sentence and self.refused:
            first += ("" if first.endswith(("。", "!", "?")) else "。") + hint_sentence
        lines = [first]
        if self.columns_line():
            lines.append(self.columns_line())
        lines += self.column_notes
        for sheet, (village, where) in self.village_from.items():
            lines.append(f"工作表“{sheet}”没有村(社区)列,按{where}归入“{village}”")
        if self.status == "imported":
            lines += [f"  {v}:{n}行" for v, n in self.villages.items()]
        if self.doubts:
            lines.append(f"疑点({len(self.doubts)}):")
            lines += [f"  [{d.kind}] {d.where} {d.name} {d.id_masked}:{d.message}" for d in self.doubts[:ERRORS_SHOWN]]
        if self.errors:
            lines.append(f"错误({len(self.errors)}):")
            lines += ["  " + e.describe() for e in self.errors[:ERRORS_SHOWN]]
            if len(self.errors) > ERRORS_SHOWN:
                lines.append(f"  ……另有{len(self.errors) - ERRORS_SHOWN}处")
        if self.warnings:
            lines.append(f"提示({len(self.warnings)}):")
            lines += ["  " + w for w in self.warning_lines(WARNINGS_SHOWN)]
        if self.error_workbook:
            lines.append(self.error_workbook_note())
        return lines

    def error_workbook_note(self, full_path: bool = True) -> str:
        where = self.error_workbook if full_path else Path(self.error_workbook or "").name
        return f"未导入的错误行已写入:{where}(改正后可再次导入)"


@dataclass
class BatchDeleted(Outcome):
    batch: str
    program: str
    year: int
    period: str
    rows: int
    backed_up: bool = False  # False on PostgreSQL, whose backups are the administrator's

    def summary(self) -> str:
        backed = ";删除前已备份" if self.backed_up else ""
        return f"已删除批次 {self.batch[:8]}({self.program} {self.year}年{self.period},{self.rows}行{backed})"


@dataclass
class BatchExported(Outcome):
    batch: str
    file: str
    rows: int

    def summary(self) -> str:
        return f"已导出{self.rows}行到 {self.file}(含完整身份证号与账号,仅供内部使用)"


@dataclass
class ProgramSaved(Outcome):
    program: dict[str, str]  # id, name, kind, kind_label, unit
    old_name: str = ""  # set by a rename

    def summary(self) -> str:
        if self.old_name and self.old_name != self.program["name"]:
            return f"补贴项目“{self.old_name}”已改名为“{self.program['name']}”"
        if self.old_name:
            return f"补贴项目“{self.old_name}”名称未变"
        return f"已添加补贴项目“{self.program['name']}”({self.program['kind_label']},单位:{self.program['unit']})"


@dataclass
class BatchDetail(Outcome):
    info: dict[str, Any]  # queries.batch_dict(with_villages=True)
    rows: list[tuple[Any, ...]]  # masked display rows, file order

    def summary(self) -> str:
        i = self.info
        return "\n".join([f"批次 {i['id']}", f"补贴项目:{i['program']}  {i['year']}年 {i['period']}",
                          f"文件:{i['file']}  导入:{i['imported_at']} {i['imported_by']}",
                          f"行数:{i['rows']}  合计:{i['total_amount']}元",
                          "各村:" + "、".join(f"{k} {v}行" for k, v in i["villages"].items())])


@dataclass
class RevealedId(Outcome):
    id_number: str

    def summary(self) -> str:
        return "本次查看已记入操作日志"


# -- import -------------------------------------------------------------------------------

def preview(path: str | Path, sample_rows: int = 8, ws: Workspace | None = None) -> FilePreview:
    """Sheets, detected header, column mapping and sample rows, before anything is checked.

    With ``ws`` the township's villages help find the village columns and saved layouts apply."""
    from gkdesk.payouts.preview import preview_file

    known: list[str] = []
    layouts = None
    if ws is not None:
        from gkdesk import township
        from gkdesk.payouts import layouts as L

        with ws.session() as s:
            known = [v.name for v in township.villages(s)]
            layouts = L.load_specs(s)
    return preview_file(path, sample_rows, known, layouts)


def village_names(ws: Workspace) -> list[str]:
    from gkdesk import township

    with ws.session() as s:
        return [v.name for v in township.villages(s)]


def check_list(ws: Workspace, path: str | Path, *, program: str, year: int, period: str = "",
               sheet: str | None = None, mapping: dict[str, int] | None = None, village: str | None = None,
               layout: str | None = None, overrides: dict[str, str] | None = None,
               village_map: dict[str, str] | None = None,
               report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> PayoutImport:
    """Validate every row and say what an import would store; nothing is written, no backup."""
    from gkdesk.payouts.importer import ImportOptions, import_payouts

    opts = ImportOptions(program=program, year=year, period=period, sheet=sheet, mapping=mapping, dry_run=True,
                         village=village, layout=layout, overrides=overrides, village_map=village_map)
    with ws.session() as s:
        res = import_payouts(s, path, opts, report=report, cancelled=cancelled)
    return _import_result(res, Path(path).name, None, False)


def import_list(ws: Workspace, path: str | Path, *, program: str, year: int, period: str = "",
                sheet: str | None = None, valid_only: bool = False, error_workbook: str | Path | None = None,
                add_villages: bool = False, replace: bool = False, mapping: dict[str, int] | None = None,
                village: str | None = None, layout: str | None = None, overrides: dict[str, str] | None = None,
                save_layout: str | None = None, allow_duplicate: bool = False,
                village_map: dict[str, str] | None = None, as_total: bool = False,
                report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> PayoutImport:
    """Import one payout list, all or nothing (``valid_only``: the valid rows, the rest to a workbook).

    ``error_workbook`` is where the rows that were not imported go (default: next to the file).
    A stored list of the same program, year and period is replaced only with ``replace``;
    without it the result is refused with :attr:`Hint.REPLACE_BATCH`. The backup is taken
    once the list proved valid, right before anything is written.
    """
    from gkdesk.payouts.importer import ImportOptions, import_payouts

    opts = ImportOptions(program=program, year=year, period=period, sheet=sheet, valid_only=valid_only,
                         add_villages=add_villages, replace=replace, mapping=mapping,
                         error_workbook=Path(error_workbook) if error_workbook else None, village=village,
                         layout=layout, overrides=overrides, save_layout=save_layout,
                         allow_duplicate=allow_duplicate, village_map=village_map, as_total=as_total)
    made: list[BackupInfo | None] = []

    def before_write(replacing: bool) -> None:
        made.append(ws.backup("before-replace" if replacing else "before-import"))

    # Asked before the transaction (it may read the settings); in the CLI the file is still
    # being read on another thread (gkdesk.headstart), so this costs no wall time.
    operator = ws.operator
    with ws.session() as s:
        res = import_payouts(s, path, opts, operator=operator, before_write=before_write,
                             report=report, cancelled=cancelled)
    return _import_result(res, Path(path).name, made[0] if made else None, bool(made) and ws.store.is_sqlite)


def _import_result(res: OpResult, file: str, backup: BackupInfo | None, backed_up: bool) -> PayoutImport:
    d = res.data
    changes: set[str] = set()
    if res.status in ("imported", "total_stored"):
        changes.add("payouts")
        if d.get("added_villages"):
            changes.add("villages")
    hint = d.get("hint") if res.status in ("rejected", "checked") else None
    return PayoutImport(
        res.status, file, batch=d.get("batch"), rows=d.get("rows", 0), total_amount=d.get("total_amount", "0.00"),
        villages=d.get("villages") or {}, errors=list(res.errors), message=d.get("message", ""),
        hint=hint, hint_args=dict(d.get("hint_args") or {}) if hint else {},
        error_workbook=d.get("error_workbook"), existing_batch=d.get("existing_batch"),
        replaced=list(d.get("replaced") or []), unknown_villages=list(d.get("unknown_villages") or []),
        unknown_village_errors=int(d.get("unknown_village_errors") or 0),
        added_villages=list(d.get("added_villages") or []), sheets=list(d.get("sheets") or []),
        backup=backup, backed_up=backed_up, changes=frozenset(changes), warnings=list(res.warnings),
        columns=dict(d.get("columns") or {}), layout=d.get("layout"), layout_saved=d.get("layout_saved"),
        column_notes=list(d.get("column_notes") or []), unsure=bool(d.get("unsure")),
        doubts=list(d.get("doubts") or []), duplicate_of=d.get("duplicate_of"),
        not_villages=list(d.get("not_villages") or []), village_suggestions=dict(d.get("village_suggestions") or {}),
        village_from=dict(d.get("village_from") or {}), overview=d.get("overview"))


# -- batches ------------------------------------------------------------------------------

def list_batches(ws: Workspace) -> list[dict[str, Any]]:
    """The live batches, newest first, as ``queries.batch_dict`` describes them."""
    from gkdesk.payouts import queries

    with ws.session() as s:
        return [queries.batch_dict(s, b) for b in queries.batches(s)]


def show_batch(ws: Workspace, ref: str, rows: int = 20) -> BatchDetail:
    """One batch (full id or a unique prefix) with its village counts and first rows, masked."""
    from gkdesk.payouts import queries

    with ws.session() as s:
        b = queries.find_batch(s, ref)
        info = queries.batch_dict(s, b, with_villages=True)
        shown = queries.batch_rows(s, b.id, limit=max(0, rows))
    return BatchDetail(info, shown)


def delete_batch(ws: Workspace, ref: str) -> BatchDeleted:
    """Soft-delete a batch and its rows (the deletion travels to the county), after a backup."""
    from gkdesk.payouts import queries

    operator = ws.operator
    with ws.session() as s:
        queries.find_batch(s, ref)  # refuse an unknown batch before copying the database
    with ws.change(backup="before-delete") as s:
        res = queries.delete_batch(s, ref, operator)
    d = res.data
    return BatchDeleted(d["batch"], d["program"], d["year"], d["period"], res.counts["rows"],
                        backed_up=ws.store.is_sqlite, changes=frozenset({"payouts"}))


def export_batch(ws: Workspace, ref: str, out: str | Path) -> BatchExported:
    """The full, unmasked data of one batch to .xlsx (internal use); the export is audited."""
    from gkdesk.payouts import queries

    operator = ws.operator
    with ws.session() as s:
        res = queries.export_batch(s, ref, Path(out), operator)
    return BatchExported(res.data["batch"], res.data["file"], res.counts["rows"])


def reveal_id(ws: Workspace, payout_id: str) -> RevealedId:
    """The full ID number of one row, for an explicit "show"; written to the audit log."""
    from gkdesk.payouts import queries

    operator = ws.operator
    with ws.session() as s:
        return RevealedId(queries.reveal_id(s, payout_id, operator))


# -- programs -----------------------------------------------------------------------------

def list_programs(ws: Workspace) -> list[dict[str, str]]:
    """The township's programs (seeded on first use) in display order."""
    from gkdesk.payouts import programs

    with ws.session() as s:
        return [programs.program_dict(p) for p in programs.programs(s)]


def add_program(ws: Workspace, name: str, kind: str = "area", unit: str = "") -> ProgramSaved:
    """A new program; ``kind`` is "area", "person_month" or "person" (``KIND_LABELS``)."""
    from gkdesk.payouts import programs

    operator = ws.operator
    with ws.session() as s:
        res = programs.add_program(s, name, kind, unit, operator)
    return ProgramSaved(res.data["program"], changes=frozenset({"programs"}))


def rename_program(ws: Workspace, ref: str, new_name: str) -> ProgramSaved:
    """Another name for a program; its batches follow (they refer to it by id)."""
    from gkdesk.payouts import programs

    operator = ws.operator
    with ws.session() as s:
        res = programs.rename_program(s, ref, new_name, operator)
    changed = frozenset({"programs", "payouts"}) if res.status == "renamed" else frozenset()
    return ProgramSaved(res.data["program"], old_name=res.data["old_name"], changes=changed)


# -- layouts (导入模板) and doubts (疑点): in gkdesk.app.payout_checks, re-exported here -------

from gkdesk.app import payout_checks as _checks  # noqa: E402  (after this module's own names)

BatchDoubts, LayoutChanged, LayoutsMoved = _checks.BatchDoubts, _checks.LayoutChanged, _checks.LayoutsMoved
list_layouts, show_layout, save_layout = _checks.list_layouts, _checks.show_layout, _checks.save_layout
delete_layout, export_layouts, import_layouts = _checks.delete_layout, _checks.export_layouts, _checks.import_layouts
send_layout = _checks.send_layout
batch_doubts, write_doubts = _checks.batch_doubts, _checks.write_doubts
