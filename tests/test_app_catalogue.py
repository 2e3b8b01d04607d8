"""The catalogue's clerk actions called directly on a real store: what a clerk cares about."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gkdesk import audit
from gkdesk.app import Workspace
from gkdesk.app import catalogue as ops
from gkdesk.errors import InputRejected, NotFound, UnreadableInput
from gkdesk.hints import Hint
from tests.test_catalogue_import import make_official, subsidy_rows

CATALOGUE_SRC = Path(__file__).resolve().parents[1] / "gkdesk" / "catalogue"


@pytest.fixture
def ws(store) -> Workspace:
    return Workspace(store, "王会计")


def _audit(ws: Workspace, action: str) -> list[audit.AuditEntry]:
    with ws.session() as s:
        return [e for e in audit.recent(s) if e.action == action]


def _no_domain_book(tmp_path: Path) -> Path:
    """A directory sheet that names no 领域: plain sheet name, no title, no 领域 column."""
    p = tmp_path / "目录.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Sheet1"
    sheet.append(["序号", "一级事项", "二级事项", "公开内容", "公开时限"])
    sheet.append([1, "农业生产发展资金", "耕地地力保护", "补贴对象、补贴标准", "20个工作日内"])
    wb.save(p)
    return p


def test_import_backs_up_audits_and_reports_per_domain(ws, data_dir, tmp_path):
    res = ops.import_directory(ws, make_official(tmp_path))
    assert res.status == "imported" and res.domains == {"涉农补贴": 3}
    assert (len(res.added), len(res.changed), len(res.removed)) == (3, 0, 4)
    assert res.summary() == "导入“涉农补贴目录.xlsx”(按整个目录导入):涉农补贴 3项;新增 3,变更 0,改名 0,删除 4"
    assert any(line.startswith("删除:涉农补贴 ") for line in res.detail_lines())
    assert res.changes == {"catalogue"}
    assert [b.name for b in (data_dir / "backups").glob("*before-catalogue-import*")]
    entry = _audit(ws, "catalogue.import")[0]
    assert entry.operator == "王会计" and entry.target == "涉农补贴目录.xlsx"

    again = ops.import_directory(ws, make_official(tmp_path, subsidy_rows(), "again.xlsx"))
    assert again.status == "unchanged" and again.summary().endswith("与已有目录相同,未改动")


def test_file_without_domain_asks_for_one_by_hint_not_flag(ws, tmp_path):
    p = _no_domain_book(tmp_path)
    with pytest.raises(UnreadableInput) as e:
        ops.import_directory(ws, p)
    assert e.value.hint == Hint.CHOOSE_DOMAIN and e.value.code == "unreadable"
    assert "--" not in e.value.message and "gkdesk" not in e.value.message
    assert "无法确定所属领域" in e.value.message
    res = ops.import_directory(ws, p, domain="涉农补贴")
    assert res.domains == {"涉农补贴": 1}


def test_unknown_domain_carries_list_domains_hint(ws):
    with pytest.raises(NotFound) as e:
        ops.mark_not_applicable(ws, "不存在的领域", "无")
    assert e.value.hint == Hint.LIST_DOMAINS and e.value.code == "not_found"
    assert e.value.message == "找不到领域“不存在的领域”"


def test_not_applicable_mark_and_undo(ws):
    res = ops.mark_not_applicable(ws, "环境保护", "本镇无相关职责")
    assert (res.target, res.applicable) == ("生态环境", False)
    assert res.summary() == "生态环境:已标记未涉及(本镇无相关职责)"
    assert {"domain": "生态环境", "item": None, "reason": "本镇无相关职责"} in ops.not_applicable(ws)
    assert _audit(ws, "catalogue.not_applicable")[0].operator == "王会计"
    with pytest.raises(InputRejected) as e:
        ops.mark_not_applicable(ws, "社会救助", "  ")
    assert e.value.code == "rejected" and "必须说明理由" in e.value.message

    # an item of a wholly 未涉及 domain: making it applicable restores the domain
    ops.mark_not_applicable(ws, "涉农补贴", "县级事项")
    item = ops.items(ws, "涉农补贴")[0]
    assert not item["applicable"] and item["item_applicable"]
    back = ops.make_item_applicable(ws, item["id"])
    assert back.applicable and back.summary() == "涉农补贴:已恢复为适用"
    assert not any(r["domain"] == "涉农补贴" for r in ops.not_applicable(ws))
    # an item marked on its own: only the item
    ops.mark_not_applicable(ws, "社会救助", "县民政局审批", item="临时救助/审核审批信息")
    one = ops.items(ws, "社会救助", "临时救助")
    target = next(i for i in one if i["level2"] == "审核审批信息")
    assert not target["applicable"]
    assert ops.make_item_applicable(ws, target["id"]).target == "社会救助 临时救助 / 审核审批信息"
    assert ops.mark_applicable(ws, "社会救助").applicable


def test_seed_domain_set_and_pending(ws):
    first = ops.seed(ws)
    assert first.status == "ok" and first.domains == 31 and first.items > 0
    assert first.summary() == f"已装入内置标准目录:31个领域,{first.items}个模板事项"
    assert ops.seed(ws).summary() == "标准目录已存在,未改动"
    chosen = ops.choose_domain_set(ws, "30")
    assert chosen.changed > 0 and sum(d["applicable"] for d in ops.domains(ws)) == 30
    assert "30个领域" in chosen.summary()
    with pytest.raises(InputRejected):
        ops.choose_domain_set(ws, "27")
    p = ops.set_pending(ws, "社会救助/最低生活保障/审批信息", date(2025, 9, 26))
    assert p.summary() == "社会救助 最低生活保障 审批信息:信息形成于 2025-09-26,待公开"
    assert ops.set_pending(ws, "社会救助/最低生活保障/审批信息", None).summary().endswith("已清除待公开标记")


def test_publication_copies_attachment_and_clears_pending(ws, data_dir, tmp_path):
    photo = tmp_path / "公示照片.JPG"
    photo.write_bytes(b"\xff\xd8fake jpeg")
    ops.set_pending(ws, "涉农补贴/耕地地力保护和种粮大户补贴", date(2025, 9, 1))
    res = ops.add_publication(ws, "涉农补贴/耕地地力保护和种粮大户补贴", date(2025, 10, 9), formed_on=date(2025, 9, 1),
                              channel="村务公开栏", title="耕地地力保护补贴公示", attachment=photo)
    pub = res.publication
    assert pub["attachment"].startswith("attachments/") and pub["attachment"].endswith(".jpg")
    assert (data_dir / pub["attachment"]).read_bytes() == photo.read_bytes()
    assert res.summary() == "已登记公开:2025-10-09 村务公开栏 耕地地力保护补贴公示"
    assert res.changes == {"catalogue", "publications"}
    assert [p["title"] for p in ops.publications(ws, "涉农补贴/耕地地力保护和种粮大户补贴")] == ["耕地地力保护补贴公示"]
    assert ops.items(ws, "涉农补贴", "耕地")[0]["pending_since"] is None
    assert _audit(ws, "publication.add")[0].operator == "王会计"
    with pytest.raises(UnreadableInput):
        ops.add_publication(ws, "涉农补贴/耕地地力保护和种粮大户补贴", date(2025, 10, 9), attachment=tmp_path / "没有.jpg")


def test_overview_dashboard_and_selfcheck(ws, tmp_path):
    ops.set_pending(ws, "社会救助/最低生活保障/审核信息", date(2025, 9, 10))
    view = ops.overview(ws, today=date(2025, 10, 10))
    row = next(r for r in view.rows if r.item["level2"] == "审核信息" and r.item["level1"] == "最低生活保障")
    assert (row.status, row.status_text, row.next_due) == ("overdue", "逾期未公开", "2025-09-24")
    ops.mark_not_applicable(ws, "统计", "县级事项")
    view = ops.overview(ws)
    assert {r.status_text for r in view.rows if r.item["domain"] == "统计"} == {"未涉及"}
    assert len(view.domains) == 31
    board = ops.dashboard(ws, today=date(2025, 10, 10))
    assert [o.label for o in board.overdue] == ["最低生活保障 / 审核信息"]

    out = tmp_path / "回头看.xlsx"
    res = ops.export_selfcheck(ws, out, today=date(2025, 10, 10))
    assert out.exists() and res.check.rows
    assert res.summary().startswith(f"已导出“回头看”自查表:{out}\n共")
    with pytest.raises(InputRejected) as e:
        ops.export_selfcheck(ws, tmp_path / "x.doc")
    assert e.value.code == "rejected" and "--" not in e.value.message


def test_catalogue_messages_name_no_flag_command_or_field():
    """Every Chinese text of the catalogue core can reach the window: no flags, commands or
    internal field names in it (docstrings excepted: they are for programmers)."""
    bad = []
    for path in sorted(CATALOGUE_SRC.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if id(node) in docs or not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if not re.search(r"[\u4e00-\u9fff]", text):
                continue
            if re.search(r"(?<![\w-])--[a-z]|gkdesk |(?<![A-Za-z0-9_])[a-z]+_[a-z_]+(?![A-Za-z0-9_])", text):
                bad.append(f"{path.name}:{node.lineno}: {text}")
    assert bad == []
