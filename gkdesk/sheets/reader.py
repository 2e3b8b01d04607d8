"""Open a spreadsheet file of any kind clerks receive and return its cell values.

python-calamine reads xlsx/xls/xlsb/ods (measured ~10x faster than openpyxl's
read-only mode on 100,000 rows). CSV files come in UTF-8 (with or without BOM)
or GBK/GB18030 from older systems; we try them in that order.
"""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gkdesk.errors import UnreadableInput

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    # (first_row, first_col, last_row, last_col), 0-based inclusive; filled where the format has them.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def read_csv_text(path: Path) -> tuple[str, str]:
    """Decode a CSV file; returns (text, encoding used).

    Excel's “Unicode 文本” export is UTF-16 with a byte-order mark (and tab-separated).
    """
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UnreadableInput(f"文件“{path.name}”的 UTF-16 文本已损坏(可能被截断),无法读取") from None
    for enc in CSV_ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise UnreadableInput(f"文件“{path.name}”既不是 UTF-8 也不是 GBK 编码的 CSV,无法读取")


def _read_csv(path: Path) -> list[Sheet]:
    text, _enc = read_csv_text(path)
    text = text.rstrip("\x1a")  # the DOS end-of-file mark (Ctrl-Z) old systems still write
    if "\0" in text:
        raise UnreadableInput(f"文件“{path.name}”不是文本格式的 CSV(含二进制内容)")
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is sniffed: the sniffer takes an apostrophe typed to keep an ID as
    # text ('5117…) for a quote character and then runs rows together. Excel quotes with ".
    rows = [list(r) for r in csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)]
    return [Sheet(name=path.stem, rows=rows)]


_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# A Rust panic inside calamine arrives as pyo3's PanicException, a BaseException.
_PANICS = BaseException


def _reraise_interrupts(exc: BaseException) -> None:
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc


def _read_calamine(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except _PANICS as exc:  # calamine raises its own error types (and Rust panics) per fault
        _reraise_interrupts(exc)
        wb = _open_by_content(path, exc)
    sheets = []
    for name in wb.sheet_names:
        try:
            ws = wb.get_sheet_by_name(name)
            rows = ws.to_python(skip_empty_area=False)
        except _PANICS as exc:
            _reraise_interrupts(exc)
            raise UnreadableInput(f"无法读取文件“{path.name}”的工作表“{name}”:文件内容异常"
                                  f"({type(exc).__name__}),可能已损坏") from exc
        merged = []
        for rng in getattr(ws, "merged_cell_ranges", None) or []:
            (r0, c0), (r1, c1) = rng
            merged.append((r0, c0, r1, c1))
        sheets.append(Sheet(name=name, rows=rows, merged=merged))
    return sheets


def _open_by_content(path: Path, exc: BaseException) -> Any:
    """The suffix lied or the file is no workbook: open it by what it is, or say what it is.

    Files travel by WeChat/QQ and get renamed (.xls ↔ .xlsx); systems export web pages or
    text as “.xls”; a file with an opening password is an OLE container whatever its name.
    """
    import io

    from python_calamine import CalamineWorkbook

    raw = path.read_bytes()
    head = raw[:8]
    what = None
    if head.startswith(_OLE) and "EncryptedPackage".encode("utf-16-le") in raw:
        what = "设置了打开密码(已加密):请在 Excel/WPS 中打开并取消密码,另存为 .xlsx 后再导入"
    elif head.startswith(_ZIP) and b"word/" in raw[:4096]:
        what = "是 Word 文档,不是 Excel 表格"
    elif head.startswith((_ZIP, _OLE)):
        try:
            return CalamineWorkbook.from_filelike(io.BytesIO(raw))
        except _PANICS as exc2:
            _reraise_interrupts(exc2)
            if type(exc2).__name__ == "PasswordError":
                what = "设置了打开密码(已加密):请在 Excel/WPS 中打开并取消密码,另存为 .xlsx 后再导入"
    else:
        text = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<html", b"<!doctype", b"<table", b"<meta")) or b"<table" in text:
            what = "实际是网页(HTML)格式,并非真正的 Excel 文件:请用 Excel/WPS 打开后另存为 .xlsx 再导入"
        elif text.startswith(b"<?xml"):
            what = "实际是 XML 格式(Excel 2003 XML 表格),请用 Excel/WPS 打开后另存为 .xlsx 再导入"
        elif b"\0" not in raw[:4096]:
            what = "实际是文本文件,并非 Excel 文件;如果是 CSV 表格,请将扩展名改为 .csv 后再导入"
    if what is None:
        what = f"文件可能已损坏、被截断,或并非真正的 Excel 文件({type(exc).__name__})"
    raise UnreadableInput(f"无法打开表格文件“{path.name}”:{what}") from exc


_IN_PROCESS = {".xlsx", ".xlsm"}


def _read_spreadsheet(path: Path) -> list[Sheet]:
    """Real .xlsx files are checked (:mod:`gkdesk.sheets.guard`) and parsed here; anything
    else — .xls/.xlsb/.ods, or an .xlsx that is not a zip inside — in a child process with a
    memory and time budget, because calamine aborts the process on some hostile files."""
    if path.suffix.lower() in _IN_PROCESS and _is_zip(path):
        from gkdesk.sheets.guard import check_workbook

        check_workbook(path)
        return _read_calamine(path)
    from gkdesk.sheets.sandbox import read_isolated

    return read_isolated(path)


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == _ZIP
    except OSError as exc:
        raise UnreadableInput(f"无法打开文件“{path.name}”:{exc.strerror or exc}") from exc


_PREFETCHED: dict[tuple[str, int, int], Future[list[Sheet]]] = {}


def _key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


def prefetch(path: str | Path) -> None:
    """Start reading a spreadsheet on a worker thread; :func:`read_workbook` picks it up.

    calamine parses with the GIL released, so the CLI overlaps reading a big payout
    list with importing SQLAlchemy and opening the database (see
    ``benchmarks/payout_import.py``). Errors surface when the result is picked up.
    """
    path = Path(path)
    try:
        if path.suffix.lower() not in _IN_PROCESS or path.stat().st_size == 0:
            return
        key = _key(path)
    except OSError:
        return
    if key in _PREFETCHED:  # already started (python -m gkdesk starts it before gkdesk.cli.run)
        return
    fut: Future[list[Sheet]] = Future()
    _PREFETCHED[key] = fut
    try:
        is_zip = _is_zip(path)
    except UnreadableInput as exc:  # locked by Excel, no permission: said when the reader asks
        fut.set_exception(exc)
        return
    if is_zip:
        # The hostile-file scan holds the GIL (regexes over the sheet XML): run it here, before
        # the heavy imports, so it does not take turns with them; calamine, which releases the
        # GIL, then overlaps the imports on its thread.
        from gkdesk.sheets.guard import check_workbook

        try:
            check_workbook(path)
        except BaseException as exc:  # surfaces when the reader picks the result up
            fut.set_exception(exc)
            return

        def work() -> None:
            try:
                fut.set_result(_read_calamine(path))
            except BaseException as exc:  # handed to the reader thread
                fut.set_exception(exc)
    else:
        def work() -> None:
            try:
                fut.set_result(_read_spreadsheet(path))
            except BaseException as exc:  # handed to the reader thread
                fut.set_exception(exc)

    threading.Thread(target=work, name="gkdesk-prefetch", daemon=True).start()


def read_workbook(path: str | Path) -> list[Sheet]:
    """Every sheet of ``path`` as rows of Python values (str, float, int, bool, date, None)."""
    path = Path(path)
    if _PREFETCHED and path.exists():
        fut = _PREFETCHED.pop(_key(path), None)
        if fut is not None:
            return fut.result()
    if not path.exists():
        raise UnreadableInput(f"找不到文件“{path}”")
    if path.stat().st_size == 0:
        raise UnreadableInput(f"文件“{path.name}”是空文件")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_spreadsheet(path)
    raise UnreadableInput(f"不支持的文件类型“{path.suffix}”:请使用 .xlsx、.xls、.ods 或 .csv 文件")
