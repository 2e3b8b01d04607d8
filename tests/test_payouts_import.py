"""gkdesk payouts import: messy real-world files, exact counts, totals and error rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlwt
from sqlalchemy import func, select

from gkdesk import backups
from gkdesk.models import Payout, PayoutBatch
from tests.payout_files import messy_area_xlsx, pid, simple_xlsx

AREA = ["--program", "耕地地力保护补贴", "--year", "2026"]


def live_rows(store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(Payout).where(Payout.deleted_at.is_(None)))


def test_messy_workbook_imports_exact_rows_and_total(store, cli, tmp_path: Path) -> None:
    f = messy_area_xlsx(tmp_path / "清册.xlsx")
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    j = r.json
    assert (j["status"], j["rows"], j["total_amount"]) == ("imported", 5, "1151.36")
    assert j["villages"] == {"高桥村": 3, "柳树村": 1, "新华社区": 1}  # merged B5:B7 filled down
    warn = {(w["row"], w["column"]) for w in j["warnings"]}
    assert (5, "户主姓名") in warn and (6, "身份证号码") in warn and (6, "补贴金额(元)") in warn
    assert j["errors"] == []
    with store.session() as s:
        rows = s.scalars(select(Payout).order_by(Payout.seq)).all()
        assert [p.source_row for p in rows] == [5, 6, 7, 8, 9]
        assert rows[0].recipient_name == "张三" and rows[0].rate == rows[1].rate and str(rows[0].rate) == "131.42"
        assert rows[1].id_number == pid(2) and str(rows[1].amount) == "131.42"
        assert (rows[3].group_name, rows[3].group_number) == ("3组", 3)
        assert rows[4].quantity is None and rows[4].unit == ""


def test_ids_as_numbers_and_bad_rows_reject_everything(store, cli, tmp_path: Path) -> None:
    bad_check = pid(3)[:-1] + ("0" if pid(3)[-1] != "0" else "1")
    f = simple_xlsx(tmp_path / "bad.xlsx", [
        ["高桥村", "1组", "甲", pid(1), 2, 100, 200],
        ["高桥村", "1组", "乙", 511702196003150020, 1, 100, 100],    # ID typed as a number
        ["高桥村", "1组", "丙", bad_check, 1, 100, 100],             # wrong check digit
        ["柳树村", "2组", "丁", pid(1), 1, 100, 100],                # same person twice
        ["柳树村", "2组", "戊", pid(5), 1, 100, -100],               # negative
        ["柳树村", "2组", "己", pid(6), 1.5, 100, 160],              # 1.5 × 100 ≠ 160
        ["柳树村", "2组", None, pid(7), 1, 100, 100],                # no name
    ])
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 1
    j = r.json
    assert j["status"] == "rejected" and j["batch"] is None
    by_row = {}
    for e in j["errors"]:
        by_row.setdefault(e["row"], []).append(e["message"])
    assert sorted(by_row) == [4, 5, 6, 7, 8, 9]
    assert "以数字形式保存" in by_row[4][0]
    assert "校验位错误" in by_row[5][0]
    assert "重复" in by_row[6][0] and "第3行" in by_row[6][0]
    assert "负数" in by_row[7][0]
    assert "相差超过0.01元" in by_row[8][0]
    assert "姓名为空" in by_row[9][0]
    assert live_rows(store) == 0
    assert "E+17" in by_row[4][0] and "511702196003150020" not in r.out  # not echoed as if it were an ID


def test_valid_only_stores_good_rows_and_writes_error_workbook(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "mixed.xlsx", [
        ["高桥村", "1组", "甲", pid(1), 2, 100, 200],
        ["高桥村", "1组", "乙", 511702196003150020, 1, 100, 100],
        ["柳树村", "2组", "丙", pid(3), 1, 100, "100.00元"],
    ])
    out = tmp_path / "errors.xlsx"
    r = cli("payouts", "import", str(f), *AREA, "--valid-only", "--errors-out", str(out), "--json")
    assert r.code == 0 and r.json["rows"] == 2 and r.json["total_amount"] == "300.00"
    assert [e["row"] for e in r.json["errors"]] == [4]
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-2:] == ("错误说明", "原行号")
    assert len(rows) == 2 and rows[1][2] == "乙" and rows[1][-1] == 4 and "以数字形式保存" in rows[1][-2]
    assert ws.cell(2, 1).fill.fgColor.rgb.endswith("FFC7CE")
    assert live_rows(store) == 2


def test_reimport_unchanged_then_replace_with_backup(store, cli, data_dir: Path, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "a.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, 200]])
    assert cli("payouts", "import", str(f), *AREA, "--json").json["status"] == "imported"
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert (r.code, r.json["status"], r.json["rows"]) == (0, "unchanged", 1)
    g = simple_xlsx(tmp_path / "b.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, 200], ["柳树村", 2, "乙", pid(2), 1, 100, 100]])
    r = cli("payouts", "import", str(g), *AREA, "--json")
    assert r.code == 1 and "--replace" in r.json["errors"][0]["message"] and live_rows(store) == 1
    n_backups = len(backups.list_backups(data_dir))
    r = cli("payouts", "import", str(g), *AREA, "--replace", "--json")
    assert r.code == 0 and r.json["rows"] == 2 and live_rows(store) == 2
    assert any(b.reason == "before-replace" for b in backups.list_backups(data_dir)[: len(backups.list_backups(data_dir)) - n_backups])
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(PayoutBatch).where(PayoutBatch.deleted_at.is_(None))) == 1
        assert s.scalar(select(func.count()).select_from(Payout).where(Payout.deleted_at.is_not(None))) == 1


def test_unknown_village_rejected_unless_add_villages(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "v.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, 200], ["石桥村", 1, "乙", pid(2), 1, 100, 100]])
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 1 and [e["row"] for e in r.json["errors"]] == [4] and "石桥村" in r.json["errors"][0]["message"]
    r = cli("payouts", "import", str(f), *AREA, "--add-villages", "--json")
    assert r.code == 0 and r.json["villages"] == {"高桥村": 1, "石桥村": 1}


def test_gbk_csv(store, cli, tmp_path: Path) -> None:
    f = tmp_path / "低保.csv"
    text = f"村,姓名,身份证号,保障人数,月保障金额,发放月份\r\n高桥村,张三,{pid(1)},2,\"1,234.50\",2026年10月\r\n高桥村,张三,{pid(1)},2,1234.50,11月\r\n合计,,,,2469.00,\r\n"
    f.write_bytes(text.encode("gbk"))
    r = cli("payouts", "import", str(f), "--program", "低保金", "--year", "2026", "--json")
    assert r.code == 0, r.out
    assert (r.json["rows"], r.json["total_amount"]) == (2, "2469.00")  # same person, different months
    with store.session() as s:
        assert sorted(s.scalars(select(Payout.month))) == ["2026-10", "2026-11"]


def test_monthly_duplicate_in_same_month(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "m.xlsx", [["高桥村", "张三", pid(1), 1, 500], ["高桥村", "张三", pid(1), 1, 500]],
                    header=["村", "姓名", "身份证号", "保障人数", "月保障金额"])
    r = cli("payouts", "import", str(f), "--program", "低保金", "--year", "2026", "--period", "2026年10月", "--json")
    assert r.code == 1 and [e["row"] for e in r.json["errors"]] == [4]


def test_legacy_xls_with_merged_village(store, cli, tmp_path: Path) -> None:
    f = tmp_path / "old.xls"
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    ws.write_merge(0, 0, 0, 5, "2026年耕地地力保护补贴清册")
    for c, h in enumerate(["村名", "姓名", "身份证号码", "面积", "标准", "发放金额"]):
        ws.write(1, c, h)
    ws.write_merge(2, 4, 0, 0, "柳树村")
    for i, (name, area) in enumerate([("甲", 1.0), ("乙", 2.0), ("丙", 0.5)]):
        ws.write(2 + i, 1, name)
        ws.write(2 + i, 2, pid(10 + i))
        ws.write(2 + i, 3, area)
        ws.write(2 + i, 4, 131.42)
        ws.write(2 + i, 5, round(area * 131.42, 2))
    wb.save(str(f))
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert r.json["villages"] == {"柳树村": 3} and r.json["total_amount"] == "459.97"


def test_formulas_without_cached_values(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "f.xlsx", [["高桥村", 1, "甲", pid(1), 2.5, 131.42, "=E3*F3"],
                                           ["高桥村", 1, "乙", pid(2), 1, 131.42, "=ROUND(E4*F4,2)"]])
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert r.json["total_amount"] == "459.97"  # 328.55 + 131.42, computed from the formulas
    assert sum("公式" in w["message"] for w in r.json["warnings"]) == 2
    g = simple_xlsx(tmp_path / "g.xlsx", [["高桥村", 1, "甲", pid(1), 2, 100, "=VLOOKUP(A3,Z:Z,2,0)"]])
    r = cli("payouts", "import", str(g), *AREA, "--json")
    assert r.code == 1 and "G3" in r.json["errors"][0]["message"] and live_rows(store) == 2


def test_one_sheet_per_village_plus_summary(store, cli, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary.append(["村", "户数", "金额"])
    summary.append(["高桥村", 2, 300])
    for village, people in (("高桥村", [("甲", 1), ("乙", 2)]), ("柳 树 村", [("丙", 3)])):
        ws = wb.create_sheet(village)
        ws.append([f"{village}耕地地力保护补贴"])
        ws.append(["户主姓名", "身份证号", "补贴面积", "补贴标准", "补贴金额"])
        for name, n in people:
            ws.append([name, pid(n), n, 100, n * 100])
        ws.append(["合计", None, None, None, 999])  # wrong on purpose in one sheet
    wb.save(tmp_path / "multi.xlsx")
    r = cli("payouts", "import", str(tmp_path / "multi.xlsx"), *AREA, "--json")
    assert r.code == 0, r.out
    assert r.json["villages"] == {"高桥村": 2, "柳树村": 1} and r.json["total_amount"] == "600.00"
    msgs = [w["message"] for w in r.json["warnings"]]
    assert any("合计999.00元与逐行相加300.00元不一致" in m for m in msgs)
    assert any(w["sheet"] == "汇总" and "跳过" in w["message"] for w in r.json["warnings"])


def test_unreadable_inputs_exit_2(store, cli, tmp_path: Path) -> None:
    fake = tmp_path / "renamed.xlsx"
    fake.write_text("姓名,金额\n张三,100\n", encoding="utf-8")
    good = messy_area_xlsx(tmp_path / "good.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:2000])
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    other = simple_xlsx(tmp_path / "other.xlsx", [["会议室", "周一"]], header=["地点", "时间"])
    for f, words in ((fake, "无法打开"), (cut, "无法打开"), (empty, "空"), (other, "不像补贴发放名单")):
        r = cli("payouts", "import", str(f), *AREA)
        assert r.code == 2, (f.name, r.out, r.err)
        assert words in r.err and f.name in r.err


def test_list_show_export_delete(store, cli, data_dir: Path, tmp_path: Path) -> None:
    f = messy_area_xlsx(tmp_path / "清册.xlsx")
    batch = cli("payouts", "import", str(f), *AREA, "--json").json["batch"]
    lst = cli("payouts", "list", "--json").json["batches"]
    assert [(b["id"], b["rows"], b["total_amount"]) for b in lst] == [(batch, 5, "1151.36")]
    shown = cli("payouts", "show", batch[:8])
    assert shown.code == 0 and "1151.36" in shown.out and pid(1) not in shown.out and pid(1)[:6] + "********" in shown.out
    out = tmp_path / "export.xlsx"
    assert cli("payouts", "export", batch[:8], "-o", str(out)).code == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[2][3] == pid(1) and rows[-1][8] == 1151.36
    assert cli("payouts", "delete", batch).code == 0
    assert cli("payouts", "list", "--json").json["batches"] == [] and live_rows(store) == 0
    assert any(b.reason == "before-delete" for b in backups.list_backups(data_dir))
    assert cli("payouts", "show", batch).code == 1
