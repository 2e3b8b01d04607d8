"""What the clerk reads when a payout list is refused: file, sheet, row and column, in Chinese."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from gkdesk.identity import make_id


def messy_list(path: Path) -> tuple[str, str]:
    good = make_id("511702", date(1965, 5, 12), 1)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "高桥村"
    ws.append(["高桥镇2026年耕地地力保护补贴发放清册"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位:高桥镇农业服务中心"])
    ws.append(["序号", "村(社区)", "组", "户主姓名", "身份证号码", "一卡通账号", "补贴面积(亩)", "补贴标准", "补贴金额(元)"])
    ws.append([1, "高桥村", "1组", "张 三", good, "6217001234567890123", 5.2, 131.42, 683.38])
    ws.append([2, None, "1组", "李四", 511702197003150025, "6217001234567890124", 3.1, 131.42, 407.40])
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    ws.append([3, None, "2组", "王五", bad, "6217001234567890125", 2, 131.42, "262.84元"])
    ws.merge_cells("B4:B6")
    ws.append(["合计", "", "", "", "", "", 10.3, "", 1353.62])
    wb.save(path)
    return good, bad


def test_refusal_names_file_sheet_row_and_column(store, cli, tmp_path: Path) -> None:
    f = tmp_path / "高桥村清册.xlsx"
    _, bad = messy_list(f)
    r = cli("payouts", "import", str(f), "--program", "耕地地力保护补贴", "--year", "2026")
    assert r.code == 1
    text = r.out + r.err
    assert "高桥村清册.xlsx" in text and "未导入任何数据" in text
    assert "工作表“高桥村” 第5行 “身份证号码”列" in text and "以数字形式保存" in text
    assert "第6行" in text and "校验位错误" in text and bad in text
    js = cli("--json", "payouts", "import", str(f), "--program", "耕地地力保护补贴", "--year", "2026").json
    assert js["status"] == "rejected" and js["batch"] is None
    assert sorted((e["row"], e["column"]) for e in js["errors"]) == [(5, "身份证号码"), (6, "身份证号码")]
    assert cli("--json", "payouts", "list").json["batches"] == []


def test_valid_only_keeps_the_good_row_and_writes_error_workbook(store, cli, tmp_path: Path) -> None:
    f = tmp_path / "清册.xlsx"
    messy_list(f)
    js = cli("--json", "payouts", "import", str(f), "--program", "耕地地力保护补贴", "--year", "2026",
             "--valid-only").json
    assert js["status"] == "imported" and js["rows"] == 1 and js["total_amount"] == "683.38"
    book = openpyxl.load_workbook(tmp_path / "清册_错误行.xlsx")
    ws = book.worksheets[0]
    headers = [c.value for c in ws[1]] if ws.max_row else []
    flat = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("错误说明" in h for h in flat + [str(h) for h in headers])
    assert any("以数字形式保存" in v for v in flat) and any("校验位错误" in v for v in flat)
