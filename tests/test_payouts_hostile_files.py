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


def _xls(path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet("清册")
    for c, h in enumerate(H5):
        ws.write(0, c, h)
    ws.write_merge(1, 2, 0, 0, "高桥村")  # the village merged down its block
    for i in range(2):
        for c, v in enumerate(["1组", f"张{i}", pid(i + 1), 100], start=1):
            ws.write(1 + i, c, v)
    book.save(str(path))
    return path


def test_excel_unicode_text_export_is_read(store, cli, tmp_path: Path) -> None:
    """Excel “另存为 Unicode 文本”: UTF-16 with BOM, tab-separated, CRLF — was refused as not UTF-8/GBK."""
    f = tmp_path / "清册.txt"
    f.write_bytes("\t".join(H5).encode("utf-16") + "".join(
        f"\r\n高桥村\t1组\t张𠮷{i}\t{pid(i + 1)}\t100" for i in range(2)).encode("utf-16-le") + b"\r\x00\n\x00")
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert (r.json["rows"], r.json["total_amount"]) == (2, "200.00")


def test_renamed_workbooks_are_read_by_content(store, cli, tmp_path: Path) -> None:
    xls_named_xlsx = _xls(tmp_path / "a.xls").rename(tmp_path / "旧系统.xlsx")
    r = cli("payouts", "import", str(xls_named_xlsx), *AREA, "--period", "1", "--json")
    assert (r.code, r.json["rows"], r.json["villages"]) == (0, 2, {"高桥村": 2}), r.out
    xlsx_named_xls = simple_xlsx(tmp_path / "b.xlsx", [["柳树村", "1组", "王五", pid(5), 50]], header=H5)
    r = cli("payouts", "import", str(xlsx_named_xls.rename(tmp_path / "新.xls")), *AREA, "--period", "2", "--json")
    assert (r.code, r.json["rows"]) == (0, 1), r.out


def test_files_that_are_no_workbook_say_what_they_are(store, cli, tmp_path: Path) -> None:
    cases = {
        "网页.xls": b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>",
        "加密.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x07" * 900,
        "文本.xlsx": "村,姓名,金额\n高桥村,张三,100\n".encode(),
    }
    expect = {"网页.xls": "网页(HTML)", "加密.xlsx": "设置了打开密码", "文本.xlsx": "请将扩展名改为 .csv"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        r = cli("payouts", "import", str(tmp_path / name), *AREA)
        assert r.code == 2 and f"“{name}”" in r.err and expect[name] in r.err and "Traceback" not in r.err, (name, r.err)
    with store.session() as s:
        from sqlalchemy import func, select

        from gkdesk.models.payout import Payout
        assert s.scalar(select(func.count()).select_from(Payout)) == 0


def test_ids_kept_as_text_the_way_clerks_and_exporters_do_it(store, cli, tmp_path: Path) -> None:
    """A leading/trailing apostrophe and CSV's ="…" wrapper keep an ID as text; a 15-digit
    old ID saved as a number is intact (Excel keeps 15 digits) and is upgraded like the text one."""
    f = tmp_path / "证号.csv"
    f.write_bytes((",".join(H5) + "\r\n" + "\r\n".join([
        f"高桥村,1组,甲,'{pid(1)},100", f"高桥村,1组,乙,{pid(2)}',100", f'高桥村,1组,丙,="{pid(3)}",100',
        f"高桥村,1组,丁,‘{pid(4).lower()}’,100"]) + "\r\n").encode("gbk"))
    r = cli("payouts", "import", str(f), *AREA, "--period", "1", "--json")
    assert r.code == 0, r.out
    assert r.json["rows"] == 4 and "共4行" in r.json["warnings"][0]["message"]
    g = simple_xlsx(tmp_path / "老证.xlsx", [["高桥村", "1组", "戊", 511702700101123, 100]], header=H5)
    r = cli("payouts", "import", str(g), *AREA, "--period", "2", "--json")
    assert r.code == 0, r.out
    assert "15位身份证号“511702700101123”已升级为18位“511702197001011232”" in r.json["warnings"][0]["message"]


def test_csv_apostrophes_are_not_quote_characters(tmp_path: Path) -> None:
    from gkdesk.sheets.reader import read_workbook

    f = tmp_path / "a.csv"
    f.write_text("姓名,身份证号,金额\n甲,'511702196003150012,100\n乙,511702196003150020',100\n丙,\"1,5\",7\n",
                 encoding="utf-8")
    [sheet] = read_workbook(f)
    assert sheet.rows[1:] == [["甲", "'511702196003150012", "100"], ["乙", "511702196003150020'", "100"],
                              ["丙", "1,5", "7"]]
