"""Hostile spreadsheets are refused with a message naming the file, before any parser runs.

Without the checks, the dimension bomb aborts the process (SIGABRT inside calamine — in
the window that closes the app), XFD5000 costs 3.2 GB and a zip bomb inflates to
gigabytes. Each file goes through the real readers and, end to end, through the CLI in a
child process: an abort there shows as a negative return code, a traceback on stderr.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gkdesk.errors import UnreadableInput
from gkdesk.sheets.guard import Limits, check_workbook
from gkdesk.sheets.reader import read_workbook
from tests import hostile_sheets as hs
from tests.conftest import run_gkdesk

BOMBS = {
    "far-cell": lambda p: hs.dimension_bomb(p, "XFD1048576"),
    "xfd5000": lambda p: hs.dimension_bomb(p, "A1", "XFD5000"),
    "deep-rows": lambda p: hs.dimension_bomb(p, "A1", "Z1048000"),
    "zip-bomb": lambda p: hs.zip_bomb(p, 120),
    "lying-size": lambda p: hs.lying_size_bomb(p, 40),
    "dtd": hs.dtd_sheet,
    "odd-reference": hs.odd_reference,
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_reader_refuses_hostile_workbook_quickly(tmp_path: Path, kind: str) -> None:
    path = BOMBS[kind](tmp_path / f"{kind}.xlsx")
    start = time.perf_counter()
    with pytest.raises(UnreadableInput) as err:
        read_workbook(path)
    assert f"“{kind}.xlsx”" in str(err.value)
    assert "拒绝读取" in str(err.value) or "已损坏" in str(err.value)
    assert time.perf_counter() - start < 10


def test_ordinary_wide_list_is_read(tmp_path: Path) -> None:
    """A real list with columns past Z (a 民政 export has 30) and a title row reads fine."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["城乡低保发放明细表"])
    ws.append([f"列{i}" for i in range(30)])
    for r in range(200):
        ws.append([f"张{r}", *range(29)])
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    check_workbook(path)
    rows = read_workbook(path)[0].rows
    assert len(rows) == 202 and len(rows[1]) == 30 and rows[2][0] == "张0"


def test_limits_scale_with_cells_not_file_size(tmp_path: Path) -> None:
    """The far-cell rule counts the grid the parser would build: a 2 KB file can be too big."""
    path = hs.dimension_bomb(tmp_path / "small.xlsx", "A1", "AZ150000")
    assert path.stat().st_size < 10_000
    check_workbook(path)  # 150,000 × 52 = 7.8 M cells: allowed
    with pytest.raises(UnreadableInput):
        check_workbook(path, Limits(max_cells=5_000_000))


def test_binary_formats_parse_in_a_child(tmp_path: Path) -> None:
    """.xls goes through the sandboxed child: the rows arrive intact; a broken file is a message."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("名单")
    for i in range(50):
        ws.write(i, 0, f"李{i}")
        ws.write(i, 1, i * 10.5)
    wb.save(str(tmp_path / "list.xls"))
    rows = read_workbook(tmp_path / "list.xls")[0].rows
    assert rows[3] == ["李3", 31.5] and len(rows) == 50
    broken = tmp_path / "broken.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 3000)
    with pytest.raises(UnreadableInput) as err:
        read_workbook(broken)
    assert "broken.xls" in str(err.value)


def test_xlsx_that_is_really_ole_goes_to_the_child(tmp_path: Path) -> None:
    """A renamed .xls (OLE inside an .xlsx name) is still read — in the child."""
    import xlwt

    wb = xlwt.Workbook()
    wb.add_sheet("S").write(0, 0, "王芳")
    wb.save(str(tmp_path / "renamed.xlsx"))
    assert read_workbook(tmp_path / "renamed.xlsx")[0].rows[0][0] == "王芳"


@pytest.mark.parametrize("kind", ["far-cell", "zip-bomb", "dtd"])
def test_cli_import_refuses_without_crash(tmp_path: Path, kind: str) -> None:
    """End to end in a real process: exit 2, a Chinese message, no traceback, nothing stored."""
    data = tmp_path / "data"
    assert run_gkdesk("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区",
                      data_dir=data).code == 0
    run_gkdesk("villages", "add", "高桥村", "--groups", "3", data_dir=data)
    path = BOMBS[kind](tmp_path / f"{kind}.xlsx")
    r = run_gkdesk("payouts", "import", str(path), "--program", "耕地地力保护补贴", "--year", "2026",
                   data_dir=data, timeout=60)
    assert r.code == 2, (r.code, r.err)
    assert "Traceback" not in r.err and f"{kind}.xlsx" in r.err
    listed = run_gkdesk("payouts", "list", "--json", data_dir=data)
    assert listed.code == 0 and "耕地地力保护补贴" not in listed.out
