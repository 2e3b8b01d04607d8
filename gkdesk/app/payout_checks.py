"""Payout layouts (导入模板), doubts (疑点) and the 疑点核查表 as clerk actions.

Split from ``gkdesk.app.payouts`` (which re-exports every name here), one function per action
like the rest of the operation layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkdesk import audit
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace

if TYPE_CHECKING:
    from gkdesk.payouts.doubts import Doubt


# -- layouts (导入模板) and doubts (疑点) ------------------------------------------------------

audit.ACTION_LABELS.update({
    "payouts.layout_save": "保存导入模板",
    "payouts.layout_delete": "删除导入模板",
    "payouts.layout_send": "导入模板设为下发乡镇",
    "payouts.layout_unsend": "导入模板取消下发",
    "payouts.total": "保存一览表乡镇合计",
    "payouts.doubts_export": "导出疑点核查表",
})


@dataclass
class LayoutsMoved(Outcome):
    file: str
    names: list[str]
    exported: bool = True

    def summary(self) -> str:
        verb = "已导出" if self.exported else "已导入"
        return f"{verb}{len(self.names)}个导入模板:{'、'.join(self.names)}({self.file})"


@dataclass
class LayoutChanged(Outcome):
    name: str
    status: str  # added / replaced / deleted

    def summary(self) -> str:
        return {"added": f"已保存导入模板“{self.name}”", "replaced": f"已更新导入模板“{self.name}”",
                "deleted": f"已删除导入模板“{self.name}”",
                "send": f"导入模板“{self.name}”将随下次县级更新包下发给各乡镇",
                "unsend": f"导入模板“{self.name}”不再下发给乡镇"}[self.status]


@dataclass
class BatchDoubts(Outcome):
    batch: str
    doubts: list[Doubt]
    file: str | None = None

    def summary(self) -> str:
        text = f"批次 {self.batch[:8]}:疑点{len(self.doubts)}条" if self.doubts else f"批次 {self.batch[:8]}:未发现疑点"
        if self.file:
            text += f",疑点核查表已写入 {self.file}"
        return text


def list_layouts(ws: Workspace) -> list[dict[str, Any]]:
    from gkdesk.payouts import layouts as L

    with ws.session() as s:
        sent = L.sent_names(s)
        return [x.to_dict() | {"send_down": x.name in sent} for x in L.load_specs(s)]


def send_layout(ws: Workspace, name: str, send: bool = True) -> LayoutChanged:
    """County mode: (un)mark a layout for the townships; the next update package carries it."""
    from gkdesk.payouts import layouts as L

    operator = ws.operator
    with ws.session() as s:
        L.set_send_down(s, name, send, operator)
    return LayoutChanged(name.strip(), "send" if send else "unsend", changes=frozenset({"layouts"}))


def show_layout(ws: Workspace, name: str) -> dict[str, Any]:
    from gkdesk.payouts import layouts as L

    with ws.session() as s:
        return L.find(s, name).to_dict()


def save_layout(ws: Workspace, name: str, path: str | Path, mapping: dict[str, int], sheet: str | None = None) -> LayoutChanged:
    """Save the window's column choices for this file's header under ``name`` (replaces that name)."""
    from gkdesk.payouts import layouts as L
    from gkdesk.payouts.importer import set_mapping
    from gkdesk.payouts.parse import plan_sheets
    from gkdesk.sheets.reader import read_workbook

    sheets = read_workbook(path)
    plans, _ = plan_sheets(sheets, Path(path).name, sheet)
    if not plans:
        from gkdesk.errors import UnreadableInput

        raise UnreadableInput(f"文件“{Path(path).name}”中找不到可对应的表头")
    rows = next(s.rows for s in sheets if s.name == plans[0].name)
    set_mapping(rows, plans[0], mapping)
    spec = L.spec_from_header(name.strip(), rows, plans[0].header)
    operator = ws.operator
    with ws.session() as s:
        status = L.save(s, spec, operator)
    return LayoutChanged(spec.name, status, changes=frozenset({"layouts"}))


def delete_layout(ws: Workspace, name: str) -> LayoutChanged:
    from gkdesk.payouts import layouts as L

    operator = ws.operator
    with ws.session() as s:
        L.delete(s, name, operator)
    return LayoutChanged(name, "deleted", changes=frozenset({"layouts"}))


def export_layouts(ws: Workspace, out: str | Path, names: list[str] | None = None) -> LayoutsMoved:
    """The layouts as a JSON file (what a county can put in its update package)."""
    import json

    from gkdesk.payouts import layouts as L

    with ws.session() as s:
        data = L.export_layouts(s, names)
    out = Path(out)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return LayoutsMoved(str(out), [d["name"] for d in data["layouts"]])


def import_layouts(ws: Workspace, path: str | Path, origin: str = "local") -> LayoutsMoved:
    import json

    from gkdesk.errors import UnreadableInput
    from gkdesk.payouts import layouts as L

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UnreadableInput(f"找不到文件“{path}”") from None
    except (OSError, ValueError, UnicodeDecodeError):
        raise UnreadableInput(f"文件“{path.name}”不是导入模板文件(JSON)") from None
    operator = ws.operator
    with ws.session() as s:
        names = L.import_layouts(s, data, origin, operator)
    return LayoutsMoved(str(path), names, exported=False, changes=frozenset({"layouts"}))


def batch_doubts(ws: Workspace, ref: str, out: str | Path | None = None) -> BatchDoubts:
    """The red flags of one stored batch; with ``out``, also the 疑点核查表 .xlsx (masked IDs)."""
    from gkdesk.payouts import doubts as D
    from gkdesk.payouts import queries

    operator = ws.operator
    with ws.session() as s:
        b = queries.find_batch(s, ref)
        found = D.batch_doubts(s, b)
        title = f"{b.program.name} {b.year}年{b.period} 疑点核查表(批次 {b.id[:8]},文件“{b.source_name}”)"
        bid = b.id
        if out is not None:
            D.write_doubt_workbook(found, Path(out), title)
            audit.record(s, operator, "payouts.doubts_export", bid, file=str(out), doubts=len(found))
    return BatchDoubts(bid, found, str(out) if out is not None else None)


def write_doubts(doubts: list[Doubt], out: str | Path, title: str) -> str:
    """The 疑点核查表 of an import report (before or after storing)."""
    from gkdesk.payouts.doubts import write_doubt_workbook

    return str(write_doubt_workbook(doubts, Path(out), title))
