"""Open a spreadsheet file of any kind clerks receive and return its cell values.

python-calamine reads xlsx/xls/xlsb/ods (measured ~10x faster than openpyxl's
read-only mode on 100,000 rows). CSV files come in UTF-8 (with or without BOM)
or GBK/GB18030 from older systems; we try them in that order.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from itertools import islice, repeat
from operator import add
from pathlib import Path
from typing import Any

from gkdesk.errors import UnreadableInput

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class Sheet:
    """One worksheet's cell values: ``rows[n - 1]`` is Excel row n, every row as wide as the widest.

    A sheet read with ``lazy=True`` (:func:`read_workbook`) holds calamine's parsed grid and
    converts it to Python lists as it is asked for: :meth:`head` and :meth:`load` give the
    rows the caller needs next, :attr:`height` says how many there will be, and :attr:`rows`
    is always the whole sheet (it converts whatever is left first). The payout importer
    checks and stores the first rows while the rest still wait for conversion (≈0.13 s per
    100,000 rows that no longer delay the start of the database insert); every other
    reader just sees ``rows``.
    """

    def __init__(self, name: str, rows: list[list[Any]], merged: list[tuple[int, int, int, int]] | None = None) -> None:
        self.name = name
        self._rows = rows
        # (first_row, first_col, last_row, last_col), 0-based inclusive; filled where the format has them.
        self.merged: list[tuple[int, int, int, int]] = merged if merged is not None else []
        self._tail: _Tail | None = None

    @property
    def rows(self) -> list[list[Any]]:
        if self._tail is not None:
            self.load()
        return self._rows

    @rows.setter
    def rows(self, value: list[list[Any]]) -> None:
        self._rows, self._tail = value, None

    @property
    def height(self) -> int:
        """The number of rows, converted or not."""
        return len(self._rows) if self._tail is None else self._tail.height

    def head(self, n: int) -> list[list[Any]]:
        """The sheet's row list with at least its first ``n`` rows in it (all, if it has fewer);
        rows after them may not be there yet. The same list :attr:`rows` returns later."""
        self.load(n)
        return self._rows

    def load(self, upto: int | None = None) -> None:
        """Convert rows until the first ``upto`` (None: all) are in the row list."""
        tail = self._tail
        if tail is None or (upto is not None and upto <= len(self._rows)):
            return
        if upto is None or upto >= tail.height:
            tail.take(self._rows, tail.height)
            tail.finish(self._rows)
            self._tail = None
        else:
            tail.take(self._rows, upto)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sheet):
            return NotImplemented
        return (self.name, self.rows, self.merged) == (other.name, other.rows, other.merged)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Sheet(name={self.name!r}, height={self.height}, merged={self.merged!r})"


class _Tail:
    """The rows of a calamine sheet not yet converted to Python lists (see :class:`Sheet`)."""

    def __init__(self, rows: Iterator[list[Any]], pad: int, height: int, file_name: str, sheet_name: str) -> None:
        self._it = rows
        self._pad: list[Any] = [""] * pad  # iter_rows leaves out the empty columns before the first cell
        self.height = height
        self._where = (file_name, sheet_name)

    def take(self, rows: list[list[Any]], upto: int) -> None:
        part = islice(self._it, upto - len(rows))
        try:
            rows.extend(map(add, repeat(self._pad), part) if self._pad else part)
        except _PANICS as exc:  # a cell calamine cannot give Python: as if the whole sheet had been read
            _reraise_interrupts(exc)
            raise _sheet_error(*self._where, exc) from exc
        if len(rows) < upto:
            self._inconsistent()

    def finish(self, rows: list[list[Any]]) -> None:
        if next(self._it, None) is not None or len(rows) != self.height:
            self._inconsistent()

    def _inconsistent(self) -> None:
        file_name, sheet_name = self._where
        raise UnreadableInput(f"无法读取文件“{file_name}”的工作表“{sheet_name}”:读出的行数与表格记录的不一致,"
                              "文件可能已损坏。请在 Excel/WPS 中打开并另存为 .xlsx 后再导入")


def _sheet_error(file_name: str, sheet_name: str, exc: BaseException) -> UnreadableInput:
    return UnreadableInput(f"无法读取文件“{file_name}”的工作表“{sheet_name}”:文件内容异常"
                           f"({type(exc).__name__}),可能已损坏")


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


#: A lazy sheet converts its first rows at once (and checks them against ``to_python``); it is
#: only worth it for a sheet of ``LAZY_MIN_ROWS`` rows or more.
LAZY_HEAD = 1000
LAZY_MIN_ROWS = 5000


def _read_calamine(path: Path, lazy: bool = False) -> list[Sheet]:
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
            merged = []
            for rng in getattr(ws, "merged_cell_ranges", None) or []:
                (r0, c0), (r1, c1) = rng
                merged.append((r0, c0, r1, c1))
            sheet = _lazy_sheet(path, name, ws, merged) if lazy else None
            if sheet is None:
                sheet = Sheet(name=name, rows=ws.to_python(skip_empty_area=False), merged=merged)
        except _PANICS as exc:
            _reraise_interrupts(exc)
            raise _sheet_error(path.name, name, exc) from exc
        sheets.append(sheet)
    return sheets


def _lazy_sheet(path: Path, name: str, ws: Any, merged: list[tuple[int, int, int, int]]) -> Sheet | None:
    """A sheet whose rows after the first :data:`LAZY_HEAD` are converted when asked for
    (None: read it whole — a small sheet, or a calamine whose row iterator does not give
    exactly what ``to_python(skip_empty_area=False)`` gives)."""
    start, end = getattr(ws, "start", None), getattr(ws, "end", None)
    if start is None or end is None or end[0] + 1 < LAZY_MIN_ROWS or not hasattr(ws, "iter_rows"):
        return None
    head = ws.to_python(skip_empty_area=False, nrows=LAZY_HEAD)
    rows = ws.iter_rows()
    pad = [""] * start[1]
    first = [pad + r for r in islice(rows, LAZY_HEAD)]
    if first != head or any(len(r) != end[1] + 1 for r in first):
        return None
    sheet = Sheet(name=name, rows=first, merged=merged)
    sheet._tail = _Tail(rows, start[1], end[0] + 1, path.name, name)
    return sheet


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


def _read_spreadsheet(path: Path, lazy: bool = False) -> list[Sheet]:
    """Real .xlsx files are checked (:mod:`gkdesk.sheets.guard`) and parsed here; anything
    else — .xls/.xlsb/.ods, or an .xlsx that is not a zip inside — in a child process with a
    memory and time budget, because calamine aborts the process on some hostile files."""
    if path.suffix.lower() in _IN_PROCESS and _is_zip(path):
        from gkdesk.sheets.guard import check_workbook

        check_workbook(path)
        return _read_calamine(path, lazy)
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
                fut.set_result(_read_calamine(path, lazy=True))
            except BaseException as exc:  # handed to the reader thread
                fut.set_exception(exc)
    else:
        def work() -> None:
            try:
                fut.set_result(_read_spreadsheet(path))
            except BaseException as exc:  # handed to the reader thread
                fut.set_exception(exc)

    threading.Thread(target=work, name="gkdesk-prefetch", daemon=True).start()


def read_workbook(path: str | Path, lazy: bool = False) -> list[Sheet]:
    """Every sheet of ``path`` as rows of Python values (str, float, int, bool, date, None).

    ``lazy``: big .xlsx sheets convert their rows as they are asked for (see :class:`Sheet`)."""
    path = Path(path)
    if _PREFETCHED and path.exists():
        fut = _PREFETCHED.pop(_key(path), None)
        if fut is not None:
            return _whole(fut.result(), lazy)
    if not path.exists():
        raise UnreadableInput(f"找不到文件“{path}”")
    if path.stat().st_size == 0:
        raise UnreadableInput(f"文件“{path.name}”是空文件")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in SPREADSHEET_SUFFIXES:
        return _whole(_read_spreadsheet(path, lazy), lazy)
    raise UnreadableInput(f"不支持的文件类型“{path.suffix}”:请使用 .xlsx、.xls、.ods 或 .csv 文件")


def _whole(sheets: list[Sheet], lazy: bool) -> list[Sheet]:
    if not lazy:
        for s in sheets:
            s.load()
    return sheets
