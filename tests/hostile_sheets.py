"""Hostile spreadsheets, built by the tests: the files an attacker or a broken exporter makes.

Each maker writes a real .xlsx (or .xls/.ods) that opens as a zip/OLE container and would,
unchecked, abort the parser, exhaust memory or smuggle an XML bomb.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def _base_members() -> dict[str, bytes]:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "姓名"
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def xlsx_with_sheet(path: Path, sheet_xml: bytes) -> Path:
    members = _base_members()
    members["xl/worksheets/sheet1.xml"] = sheet_xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def cells(*refs: str) -> bytes:
    """A sheet with a text cell at each reference, one row element per cell."""
    body = b"".join(
        b'<row r="%s"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>'
        % ("".join(ch for ch in r if ch.isdigit()).encode(), r.encode()) for r in refs)
    return SHEET_HEAD + body + SHEET_TAIL


def dimension_bomb(path: Path, *refs: str) -> Path:
    return xlsx_with_sheet(path, cells(*refs))


def zip_bomb(path: Path, unpacked_mb: int = 120) -> Path:
    """A worksheet padded with an XML comment of ``unpacked_mb`` MB of one byte (ratio ~1000)."""
    members = _base_members()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(SHEET_HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row>' + SHEET_TAIL[:-12] + b"<!--")
            block = b"x" * (1 << 20)
            for _ in range(unpacked_mb):
                f.write(block)
            f.write(b"--></worksheet>")
    return path


def lying_size_bomb(path: Path, real_mb: int = 60) -> Path:
    """A member whose directory entries claim 1 KB while its deflate stream inflates to
    ``real_mb`` MB: a check that trusts the directory lets the parser inflate it all."""
    payload = SHEET_HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row>' + SHEET_TAIL[:-12] + b"<!--" + \
        b"x" * (real_mb << 20) + b"--></worksheet>"
    xlsx_with_sheet(path, payload)
    raw = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    # local file header: usize at +22; central directory header: usize at +24
    pos = 0
    while (pos := raw.find(b"PK\x03\x04", pos)) != -1:
        nlen = struct.unpack_from("<H", raw, pos + 26)[0]
        if raw[pos + 30:pos + 30 + nlen] == name:
            struct.pack_into("<I", raw, pos + 22, 1024)
        pos += 4
    pos = 0
    while (pos := raw.find(b"PK\x01\x02", pos)) != -1:
        nlen = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46:pos + 46 + nlen] == name:
            struct.pack_into("<I", raw, pos + 24, 1024)
        pos += 4
    path.write_bytes(bytes(raw))
    return path


def dtd_sheet(path: Path) -> Path:
    xml = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
           + SHEET_HEAD[SHEET_HEAD.index(b"<worksheet"):]
           + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>' + SHEET_TAIL)
    return xlsx_with_sheet(path, xml)


def odd_reference(path: Path) -> Path:
    """A cell reference written r = 'XFD1048576' — legal XML, never written by Excel."""
    xml = SHEET_HEAD + b"<row r='1'><c r = 'XFD1048576' t=\"inlineStr\"><is><t>x</t></is></c></row>" + SHEET_TAIL
    return xlsx_with_sheet(path, xml)

