"""The CLI starts reading the payout list before its heavy imports; options that take a
value (``--village 高桥村``) must not be mistaken for the file, or the head start is lost."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from gkdesk.headstart import prefetch_from_argv
from gkdesk.sheets import reader


def test_prefetch_skips_option_values_and_reads_the_file(tmp_path: Path) -> None:
    f = tmp_path / "名单.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "金额"])
    wb.active.append(["王芳", 12.5])
    wb.save(f)
    argv = ["--data-dir", str(tmp_path), "payouts", "import", "--village", "高桥村", "--map", "姓名=A",
            "--layout", "一卡通导出", "--village-map", "高桥=高桥村", "--save-layout", "新模板", str(f),
            "--program", "耕地地力保护补贴", "--year", "2026"]
    reader._PREFETCHED.clear()
    import gc

    try:
        prefetch_from_argv(argv)
        assert list(reader._PREFETCHED) == [reader._key(f)]  # the file, not 高桥村 or 一卡通导出
        sheets = reader.read_workbook(f)  # picked up from the worker thread
        assert sheets[0].rows[1] == ["王芳", 12.5]
        assert not reader._PREFETCHED
    finally:
        gc.enable()  # prefetch_from_argv pauses the collector for the one-shot CLI process
