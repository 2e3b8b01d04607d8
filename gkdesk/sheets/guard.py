"""Look at a workbook before a parser does: refuse files that would exhaust memory or time.

A 2 KB .xlsx whose only cell sits at XFD1048576 makes calamine reserve 17 billion cells
and abort the process (the window with it); a cell at XFD5000 costs 3.2 GB; a 600 KB zip
bomb inflates to 1.8 GB. None of this shows in the file's size, and a worksheet's
``<dimension>`` element cannot be trusted (the parser sizes its grid from the cells).

So an .xlsx/.xlsm is checked here, in-process and quickly, before calamine or openpyxl
touch it: the zip directory (entry count, declared sizes, compression ratios), every XML
part's head (no DTD: entity expansion is the classic XML bomb), and a streaming scan of
each worksheet for the farthest cell reference actually present. The scan only has to
look at references with a two-letter column or a six-digit row, which ordinary lists do
not have, so it costs a decompression pass and one regex pass (0.15–0.2 s for 100,000 rows
together) and finds nothing.

Other formats (.xls, .xlsb, .ods) cannot be scanned as cheaply; the reader parses them
in a child process with a memory and time budget (:mod:`gkdesk.sheets.sandbox`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from gkdesk.errors import UnreadableInput

try:  # zlib-ng inflates ≈2× as fast as the system zlib (70 MB of sheet XML: 0.06 s against 0.13 s)
    from zlib_ng import zlib_ng as _fast_zlib
except ImportError:  # a platform without its wheel: the standard zlib, the same checks
    _fast_zlib = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Limits:
    """What one workbook may cost. Generous for real lists: a 1,000,000-row, 25-column
    export is 25 M cells; a 100,000-row list of 20 columns is 2 M."""

    max_cells: int = 25_000_000        # dense grid the parser would allocate, per sheet
    max_entries: int = 10_000          # zip members
    max_unpacked: int = 1_500_000_000  # bytes, all members together (declared and actual)
    max_ratio: int = 200               # unpacked / packed, for members above ratio_floor
    ratio_floor: int = 20_000_000      # small members may compress as well as they like
    max_columns: int = 16_384


LIMITS = Limits()

_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_CHUNK = 1 << 20
# What the scan looks for: cell references the ordinary list never has (column AA.. or row
# 100000..), and references written oddly: Excel, WPS, LibreOffice and every library write
# r="A1"; the parser would also accept r = 'A1', which a scan for r="…" would not see, so
# such a file is refused outright (``_ODD_REF``, checked where ``_ODD_HINT`` points).
_ODD_REF = re.compile(rb"[ \t\r\n]r(?:[ \t\r\n]+=|=[ \t\r\n'])")
# One pass finds both kinds, led by a literal byte (the regex engine skips ahead to each ``r``
# instead of trying every byte as a leading character class would): groups 1-2 a reference
# with a two- or three-letter column, 3 a six- or seven-digit row, none: a place an oddly
# written reference may start (confirmed by ``_ODD_REF``). The matches are reduced to the
# farthest row and column in C (``findall``, ``zip``, ``set``, ``max``), not one by one: a
# 30-column export has a match in every cell of columns AA.., 400,000 per 100,000 rows.
_SCAN = re.compile(rb"r(?:=\"(?:([A-Z]{2,3})(\d{1,7})|[A-Z](\d{6,7}))\"|[ \t\r\n]|=[ \t\r\n'])")
_NO_REFERENCE = (b"", b"", b"")  # a match of the last alternative: where an odd reference may start
_ODD_HINT = re.compile(rb"r(?:[ \t\r\n]|=[ \t\r\n'])")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_big(name: str, what: str) -> UnreadableInput:
    return UnreadableInput(
        f"表格文件“{name}”{what},超出本程序能安全读取的范围,已拒绝读取(未做任何改动)。"
        "如果这确实是要导入的名单,请在 Excel/WPS 中删除多余的空行空列、另存为新文件后再导入")


def check_workbook(path: Path, limits: Limits = LIMITS) -> None:
    """Raise :class:`UnreadableInput` if ``path`` (an .xlsx/.xlsm) is a bomb; else return.

    Files that are not zip archives are left to the reader, which explains what they are.
    """
    if path.suffix.lower() not in _XLSX_SUFFIXES:
        return
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a real .xlsx; the reader says what it is
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise _too_big(path.name, f"包含 {len(infos)} 个内部部件")
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_unpacked:
            raise _too_big(path.name, f"解压后达 {declared // 2**20} MB")
        for info in infos:
            if (info.file_size > limits.ratio_floor and info.compress_size
                    and info.file_size / info.compress_size > limits.max_ratio):
                raise _too_big(path.name, f"是压缩炸弹(内部部件 {info.filename} 压缩比超过 {limits.max_ratio} 倍)")
        actual = 0
        for info in infos:
            lname = info.filename.lower()
            if not lname.endswith((".xml", ".rels", ".vml")):
                continue
            is_sheet = lname.startswith("xl/worksheets/") and lname.endswith(".xml")
            try:
                actual += _scan_member(zf, info, path.name, is_sheet, limits, limits.max_unpacked - actual)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
                # A bad checksum or a stream longer than declared: never a file Excel/WPS
                # wrote, and the parser would not stop where the directory says.
                raise UnreadableInput(
                    f"表格文件“{path.name}”已损坏(内部部件 {info.filename} 无法校验:{type(exc).__name__}),"
                    "已拒绝读取。请在 Excel/WPS 中打开并另存为 .xlsx 后再导入") from exc


def _chunks(f: IO[bytes]) -> Iterator[bytes]:
    """Decompressed chunks of ``f``, one after the other on this thread.

    Inflating on a helper thread while this one scanned the previous chunk was slower, not
    faster (measured on 100,000-row lists: 0.20–0.28 s against 0.16–0.22 s): each chunk
    handed the interpreter lock back and forth, and the regex holds it throughout. With
    zlib-ng the inflate is the smaller half anyway."""
    while chunk := f.read(_CHUNK):
        yield chunk


def _faster_inflate(f: IO[bytes], info: zipfile.ZipInfo) -> None:
    """Let zlib-ng inflate a deflated member instead of the system zlib, before the first read.

    The whole guard is one inflate of every sheet on a helper thread beside a regex on this
    one, so the inflate is half of what a clerk waits for here. zipfile keeps its reader's
    decompressor in ``_decompressor`` (made when the member is opened, used only through
    ``decompress``/``unconsumed_tail``/``eof``/``flush``, which zlib-ng's object has too);
    the CRC and size checks stay zipfile's own. Anything unexpected: left as it is."""
    if _fast_zlib is None or info.compress_type != zipfile.ZIP_DEFLATED:
        return
    current = getattr(f, "_decompressor", None)
    if current is not None and type(current).__name__ == "Decompress" and not getattr(current, "eof", True):
        f._decompressor = _fast_zlib.decompressobj(-15)  # type: ignore[attr-defined]


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str, is_sheet: bool,
                 limits: Limits, budget: int) -> int:
    """Read one XML member; returns its unpacked size. Raises on a DTD or far cells."""
    too_big = f"解压后超过 {limits.max_unpacked // 2**20} MB"
    with zf.open(info) as f:
        _faster_inflate(f, info)
        head = f.read(4096)
        if _DTD.search(head):
            raise UnreadableInput(
                f"表格文件“{file_name}”的内部部件 {info.filename} 含有 XML 文档类型声明(DTD),"
                "正常的 Excel/WPS 文件不会有它,可能是恶意构造的文件,已拒绝读取")
        size = len(head)
        if not is_sheet:
            # Only the head of other parts matters (DTDs come first); count the rest.
            while more := f.read(_CHUNK):
                size += len(more)
                if size > budget:
                    raise _too_big(file_name, too_big)
            return size
        found = [0, 0]  # farthest row, column among the references that matter

        def scan(buf: bytes) -> None:
            found_now = _SCAN.findall(buf)
            if not found_now:
                return
            if _NO_REFERENCE in found_now and any(
                    at and _ODD_REF.match(buf, at - 1) for at in (h.start() for h in _ODD_HINT.finditer(buf))):
                raise UnreadableInput(
                    f"表格文件“{file_name}”的工作表以非常规方式书写单元格位置,正常的 Excel/WPS 文件不会这样,"
                    "可能是恶意构造的文件,已拒绝读取。请在 Excel/WPS 中打开并另存为 .xlsx 后再导入")
            cols, rows, long_rows = zip(*found_now, strict=True)
            found[1] = max(found[1], max(map(_col_number, set(cols) - {b""}), default=0))
            found[0] = max(found[0], max(map(int, (set(rows) | set(long_rows)) - {b""}), default=0))

        scan(head)
        tail = head[-24:]  # a reference cut by a chunk boundary is seen whole next time
        for chunk in _chunks(f):
            size += len(chunk)
            if size > budget:
                raise _too_big(file_name, too_big)
            buf = tail + chunk
            scan(buf)
            tail = buf[-24:]
        dec = getattr(f, "_decompressor", None)
        if dec is not None and hasattr(dec, "eof") and not dec.eof:
            raise zipfile.BadZipFile("stream longer than declared")
    max_row, max_col = found
    if max_row or max_col:
        rows = max(max_row, 99_999)
        cols = max(max_col, 26)
        if max_col > limits.max_columns or rows * cols > limits.max_cells:
            where = f"第 {max_row} 行、" if max_row > 99_999 else ""
            where += f"第 {max_col} 列" if max_col > 26 else ""
            raise _too_big(file_name, f"的工作表有单元格远在{where}")
    return size
