"""The payout operations as a clerk sees them: figures, restore points, audit entries, hints."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from gkdesk import audit, backups, township
from gkdesk.app import Workspace
from gkdesk.app import payouts as ops
from gkdesk.errors import InputRejected, NotFound
from gkdesk.hints import Hint
from tests.payout_files import messy_area_xlsx, pid, simple_xlsx

AREA = {"program": "耕地地力保护补贴", "year": 2026}


@pytest.fixture
def ws(store) -> Workspace:
    return Workspace(store, "测试员")


def reasons(data_dir: Path) -> list[str]:
    return [b.reason for b in backups.list_backups(data_dir)]


def last_action(ws: Workspace) -> audit.AuditEntry:
    with ws.session() as s:
        return audit.recent(s, 1)[0]


def no_flags(text: str) -> bool:
    return "--" not in text and "gkdesk " not in text


def test_check_then_import_reports_figures_backup_and_audit(ws: Workspace, data_dir: Path, tmp_path: Path) -> None:
    f = messy_area_xlsx(tmp_path / "清册.xlsx")
    checked = ops.check_list(ws, f, **AREA)
    assert (checked.status, checked.rows, checked.total_amount) == ("checked", 5, "1151.36")
    assert checked.summary().startswith("可导入5行,合计1151.36元") and reasons(data_dir) == []
    assert ops.list_batches(ws) == []
    res = ops.import_list(ws, f, **AREA)
    assert (res.status, res.rows, res.total_amount) == ("imported", 5, "1151.36")
    assert res.villages == {"高桥村": 3, "柳树村": 1, "新华社区": 1} and res.changes == {"payouts"}
    assert res.summary().startswith("已导入5行,合计1151.36元") and res.backed_up
    assert reasons(data_dir) == ["before-import"]
    entry = last_action(ws)
    assert (entry.action, entry.target, entry.operator) == ("payouts.import", res.batch, "测试员")
    assert [b["id"] for b in ops.list_batches(ws)] == [res.batch]
    again = ops.import_list(ws, f, **AREA)
    assert again.status == "unchanged" and again.changes == frozenset() and reasons(data_dir) == ["before-import"]


def test_existing_list_is_refused_with_replace_hint_then_replaced_after_a_backup(ws: Workspace, data_dir: Path,
                                                                                   tmp_path: Path) -> None:
    first = ops.import_list(ws, simple_xlsx(tmp_path / "a.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, 200]]), **AREA)
    g = simple_xlsx(tmp_path / "b.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, 200], ["柳树村", 2, "乙", pid(2), 1, 100, 100]])
    refused = ops.import_list(ws, g, **AREA)
    assert refused.refused and refused.hint == Hint.REPLACE_BATCH and refused.existing_batch == first.batch
    assert no_flags(refused.message) and no_flags(refused.summary()) and "已有一份清册" in refused.message
    assert reasons(data_dir) == ["before-import"]  # a refused file makes no restore point
    replaced = ops.import_list(ws, g, **AREA, replace=True)
    assert (replaced.status, replaced.rows, replaced.replaced) == ("imported", 2, [first.batch])
    assert reasons(data_dir)[0] == "before-replace" and "已替换原有清册" in replaced.summary()
    assert [b["rows"] for b in ops.list_batches(ws)] == [2]


def test_unknown_villages_carry_their_names_and_can_be_added(ws: Workspace, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "v.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, 200], ["石桥村", 1, "乙", pid(2), 1, 100, 100]])
    refused = ops.import_list(ws, f, **AREA)
    assert refused.refused and refused.hint == Hint.ADD_VILLAGES and refused.hint_args == {"names": ["石桥村"]}
    assert refused.only_unknown_villages and all(no_flags(e.message) for e in refused.errors)
    done = ops.import_list(ws, f, **AREA, add_villages=True)
    assert done.status == "imported" and done.added_villages == ["石桥村"] and done.changes == {"payouts", "villages"}
    with ws.session() as s:
        assert "石桥村" in [v.name for v in township.villages(s)]


def test_valid_only_writes_the_error_workbook_where_asked(ws: Workspace, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "mixed.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, 200],
                                               ["高桥村", 1, "乙", 511702196003150020, 1, 100, 100]])
    out = tmp_path / "改这里" / "错误行.xlsx"
    res = ops.import_list(ws, f, **AREA, valid_only=True, error_workbook=out)
    assert (res.status, res.rows, len(res.errors), res.error_workbook) == ("imported", 1, 1, str(out))
    assert openpyxl.load_workbook(out).active.max_row == 2 and "错误行.xlsx" in res.report_lines()[-1]


def test_monthly_list_without_month_hints_at_the_period(ws: Workspace, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "m.xlsx", [["高桥村", "张三", pid(1), 1, 500]],
                    header=["村", "姓名", "身份证号", "保障人数", "月保障金额"])
    res = ops.import_list(ws, f, program="低保金", year=2026)
    assert res.refused and res.hint == Hint.GIVE_PERIOD and all(no_flags(e.message) for e in res.errors)
    assert ops.import_list(ws, f, program="低保金", year=2026, period="2026年10月").status == "imported"


def test_delete_backs_up_audits_and_refuses_unknown_batches(ws: Workspace, data_dir: Path, tmp_path: Path) -> None:
    batch = ops.import_list(ws, messy_area_xlsx(tmp_path / "清册.xlsx"), **AREA).batch
    assert batch is not None
    with pytest.raises(NotFound) as exc:
        ops.delete_batch(ws, "ffffffff")
    assert exc.value.hint == Hint.LIST_BATCHES and exc.value.code == "not_found" and no_flags(exc.value.message)
    assert "before-delete" not in reasons(data_dir)  # nothing copied for a typo
    res = ops.delete_batch(ws, batch[:8])
    assert (res.batch, res.rows, res.changes) == (batch, 5, {"payouts"}) and "删除前已备份" in res.summary()
    assert reasons(data_dir)[0] == "before-delete" and last_action(ws).action == "payouts.delete"
    assert ops.list_batches(ws) == []


def test_show_export_and_reveal(ws: Workspace, tmp_path: Path) -> None:
    batch = ops.import_list(ws, messy_area_xlsx(tmp_path / "清册.xlsx"), **AREA).batch
    assert batch is not None
    shown = ops.show_batch(ws, batch[:8], rows=2)
    assert len(shown.rows) == 2 and pid(1) not in str(shown.rows) and "1151.36" in shown.summary()
    out = tmp_path / "导出.xlsx"
    exported = ops.export_batch(ws, batch, out)
    assert exported.rows == 5 and out.exists() and last_action(ws).action == "payouts.export"
    from gkdesk.payouts.queries import rows_select

    with ws.session() as s:
        first_id = s.execute(rows_select(batch)).first()[0]
    assert ops.reveal_id(ws, first_id).id_number == pid(1) and last_action(ws).action == "payouts.reveal_id"


def test_programs_add_rename_and_unknown_program_hint(ws: Workspace, tmp_path: Path) -> None:
    added = ops.add_program(ws, "生态护林员补助", "person", "")
    assert added.program["unit"] == "人" and added.changes == {"programs"} and "生态护林员补助" in added.summary()
    assert last_action(ws).action == "program.add"
    renamed = ops.rename_program(ws, "生态护林员补助", "生态护林员补贴")
    assert renamed.old_name == "生态护林员补助" and "改名为“生态护林员补贴”" in renamed.summary()
    assert last_action(ws).action == "program.rename"
    assert "生态护林员补贴" in [p["name"] for p in ops.list_programs(ws)]
    with pytest.raises(InputRejected) as bad:
        ops.rename_program(ws, "生态护林员补贴", "低保金")
    assert "已存在" in bad.value.message
    with pytest.raises(InputRejected) as kind:
        ops.add_program(ws, "新项目", "weekly")
    assert "_" not in kind.value.message.replace("weekly", "")
    f = simple_xlsx(tmp_path / "x.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, 200]])
    with pytest.raises(NotFound) as missing:
        ops.import_list(ws, f, program="不存在的补贴", year=2026)
    assert missing.value.hint == Hint.ADD_PROGRAM and missing.value.hint_args == {"name": "不存在的补贴"}
    assert no_flags(missing.value.message)


def test_cli_still_prints_the_flags_from_the_hints(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "v.xlsx", [["石桥村", 1, "乙", pid(2), 1, 100, 100]])
    r = cli("payouts", "import", str(f), "--program", "耕地地力保护补贴", "--year", "2026")
    assert r.code == 1 and "--add-villages" in r.out
    js = cli("--json", "payouts", "import", str(f), "--program", "耕地地力保护补贴", "--year", "2026").json
    assert "--add-villages" in js["message"] and "--add-villages" not in js["errors"][0]["message"]
    r = cli("payouts", "show", "ffffffff")
    assert r.code == 1 and "gkdesk payouts list" in r.err
    r = cli("--json", "payouts", "programs", "rename", "临时救助", "临时救助金")
    assert r.code == 0 and r.json["program"]["name"] == "临时救助金" and r.json["old_name"] == "临时救助"
