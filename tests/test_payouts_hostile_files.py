"""Payout lists as they really arrive in a township office, each one a defect found in review:
totals in the middle of a sheet, decimal commas, Excel's "Unicode text", renamed files,
IDs wrapped the way exporters keep them as text."""

from __future__ import annotations

from pathlib import Path

from tests.payout_files import pid, simple_xlsx

AREA = ["--program", "耕地地力保护补贴", "--year", "2026"]
H5 = ["村", "组", "姓名", "身份证号", "金额"]


def test_total_row_per_village_in_the_middle_does_not_end_the_list(store, cli, tmp_path: Path) -> None:
    """A 合计 row after each village's block: the rows after the first one were silently dropped."""
    f = simple_xlsx(tmp_path / "分村合计.xlsx", [
        ["高桥村", "1组", "张三", pid(1), 200],
        ["高桥村", "1组", "李四", pid(2), 100],
        ["合计", None, None, None, 300],
        ["柳树村", "1组", "王五", pid(3), 50],
        ["合计", None, None, None, 50],
        ["总计", None, None, None, 350],
        ["制表人:王芳", None, "审核人:李军", "复核人:赵强", "日期:2026年11月20日"],
    ], header=H5)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert (r.json["rows"], r.json["total_amount"], r.json["villages"]) == (3, "350.00", {"高桥村": 2, "柳树村": 1})
    assert r.json["warnings"] == []  # each total matches its block or everything above it


def test_village_named_subtotal_rows_are_totals_not_people(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "村小计.xlsx", [
        ["高桥村", "1组", "张三", pid(1), 200],
        ["高桥村合计", None, None, None, 200],
        ["柳树村", "1组", "王五", pid(3), 50],
        ["柳树村小计", None, None, None, 50],
        ["全镇合计", None, None, None, 999],
    ], header=H5)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert (r.json["rows"], r.json["total_amount"]) == (2, "250.00")
    [w] = r.json["warnings"]
    assert w["row"] == 7 and "999.00" in w["message"] and "250.00" in w["message"]


def test_a_person_whose_name_ends_like_a_total_is_still_a_person(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "王小计.csv.xlsx", [["高桥村", "1组", "王小计", "", 200]], header=H5)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 1
    assert [(e["row"], e["message"]) for e in r.json["errors"]] == [(3, "身份证号为空")]


def test_lines_after_the_total_without_id_or_amount_are_the_footer(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "落款.xlsx", [
        ["高桥村", "1组", "张三", pid(1), 200],
        ["合计", None, None, None, 200],
        [None, None, "高桥镇人民政府"],
        [None, None, "2026年11月20日"],
    ], header=H5)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert (r.json["rows"], r.json["total_amount"], r.json["warnings"]) == (1, "200.00", [])


def test_commas_are_only_thousands_separators_never_guessed(store, cli, tmp_path: Path) -> None:
    """“1.234,50” (a European-locale export) was read as 1.23 yuan, “12,5” as 125 yuan."""
    f = simple_xlsx(tmp_path / "逗号.xlsx", [
        ["高桥村", "1组", "张三", pid(1), "1.234,50"],
        ["高桥村", "1组", "李四", pid(2), "12,5"],
        ["高桥村", "1组", "王五", pid(3), "1,234.50"],
        ["高桥村", "1组", "赵六", pid(4), "１２，３４５．６"],
    ], header=H5)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 1
    assert [(e["row"], e["message"]) for e in r.json["errors"]] == [
        (3, "补贴金额“1.234,50”不是数字"), (4, "补贴金额“12,5”不是数字")]
    f = simple_xlsx(tmp_path / "逗号2.xlsx", [["高桥村", "1组", "王五", pid(3), "1,234.50"],
                                             ["高桥村", "1组", "赵六", pid(4), "１２，３４５．６"]], header=H5)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert (r.code, r.json["total_amount"]) == (0, "13580.10")
