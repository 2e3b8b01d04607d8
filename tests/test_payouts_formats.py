"""Payout lists in the other formats and shapes: .ods, UTF-8 CSV with BOM, several village
sheets with errors and a 汇总 sheet, and grouped normalisation warnings."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from tests.payout_files import FW, pid, simple_xlsx

AREA = ["--program", "耕地地力保护补贴", "--year", "2026"]


def write_ods(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice/WPS save it (strings and floats)."""
    def cell(v: object) -> str:
        if v is None or v == "":
            return "<table:table-cell/>"
        if isinstance(v, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_ods_with_title_rows_and_total(store, cli, tmp_path: Path) -> None:
    f = write_ods(tmp_path / "清册.ods", "发放清册", [
        ["高桥镇2026年耕地地力保护补贴发放清册"],
        ["村(社区)", "户主姓名", "身份证号码", "补贴面积(亩)", "补贴标准", "补贴金额(元)"],
        ["高桥村", "张三", pid(1), 2.5, 131.42, 328.55],
        ["柳树村", "李四", pid(2), 1, 131.42, 131.42],
        ["合计", None, None, 3.5, None, 459.97],
    ])
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert (r.json["rows"], r.json["total_amount"], r.json["villages"]) == (2, "459.97", {"高桥村": 1, "柳树村": 1})
    assert r.json["warnings"] == []


def test_utf8_bom_csv_and_blank_village_says_how_to_fix(store, cli, tmp_path: Path) -> None:
    f = tmp_path / "清册.csv"
    f.write_bytes(f"\ufeff村,姓名,身份证号,面积,标准,金额\r\n高桥村,张三,{pid(1)},2,100,200\r\n,李四,{pid(2)},1,100,100\r\n"
                  .encode())
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 1
    [e] = r.json["errors"]
    assert (e["row"], e["column"]) == (3, "村") and "村(社区)为空" in e["message"] and "每一行都要写上村名" in e["message"]
    f.write_bytes(f.read_bytes().replace(b"\r\n,", "\r\n高桥村,".encode()))
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert (r.json["rows"], r.json["total_amount"], r.json["villages"]) == (2, "300.00", {"高桥村": 2})


def _village_book(path: Path, summary: list[tuple[str, float]], bad: bool) -> Path:
    wb = openpyxl.Workbook()
    s = wb.active
    s.title = "汇总表"
    s.append(["村(社区)", "户数", "补贴金额"])
    for v, amount in summary:
        s.append([v, 1, amount])
    s.append(["合计", None, sum(a for _, a in summary)])
    people = {"高桥村": [("甲", 1, 100), ("乙", 2, 200), ("丙", 3, -5 if bad else 300)],
              "柳树村": [("丁", 4, 100), ("戊", 4 if bad else 5, 100)]}
    for village, rows in people.items():
        ws = wb.create_sheet(village)
        ws.append(["户主姓名", "身份证号", "补贴金额"])
        for name, n, amount in rows:
            ws.append([name, pid(n), amount])
    wb.save(path)
    return path


def test_village_sheets_error_workbook_keeps_each_sheet(store, cli, tmp_path: Path) -> None:
    f = _village_book(tmp_path / "分村.xlsx", [("高桥村", 600), ("柳树村", 200)], bad=True)
    out = tmp_path / "错误行.xlsx"
    r = cli("payouts", "import", str(f), *AREA, "--valid-only", "--errors-out", str(out), "--json")
    assert r.code == 0, r.out
    assert (r.json["rows"], r.json["total_amount"]) == (3, "400.00")  # 甲 乙 丁
    assert sorted((e["sheet"], e["row"]) for e in r.json["errors"]) == [("柳树村", 3), ("高桥村", 4)]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["高桥村", "柳树村"]
    g, s = wb["高桥村"], wb["柳树村"]
    assert [c.value for c in g[1]] == ["户主姓名", "身份证号", "补贴金额", "错误说明", "原行号"]
    assert [g.cell(2, c).value for c in (1, 3, 5)] == ["丙", -5, 4] and "负数" in g.cell(2, 4).value
    assert [s.cell(2, c).value for c in (1, 5)] == ["戊", 3] and "重复" in s.cell(2, 4).value
    assert g.max_row == 2 and s.max_row == 2


def test_summary_sheet_totals_are_checked_against_village_sheets(store, cli, tmp_path: Path) -> None:
    f = _village_book(tmp_path / "分村.xlsx", [("高桥村", 600), ("柳树村", 250), ("新华社区", 50)], bad=False)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    summary = [(w["row"], w["message"]) for w in r.json["warnings"] if w["sheet"] == "汇总表" and w["row"]]
    assert summary == [(3, "汇总表中“柳树村”250.00元与该村工作表逐行相加200.00元不一致"),
                       (4, "汇总表列出“新华社区”50.00元,但文件中没有该村的工作表")]


def test_repeated_normalisations_are_one_warning_per_column(store, cli, tmp_path: Path) -> None:
    rows = [["高桥村", 1, f"张{i}", pid(i).translate(FW), 1, 100, 100] for i in range(1, 6)]
    rows.append(["高桥村", 1, "王 五", pid(9), 1, 100, 100])
    f = simple_xlsx(tmp_path / "全角.xlsx", rows)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert [(w["row"], w["column"], w["message"]) for w in r.json["warnings"]] == [
        (3, "身份证号", "身份证号列:全角字符已转为半角、空格已去除、小写x已改为X(共5行,如第3、4、5行)"),
        (8, "姓名", "姓名“王 五”已规范为“王五”"),
    ]
