"""The worksheet scan of :mod:`gkdesk.sheets.guard` finds every far or oddly written cell
reference wherever it sits, including across the 1 MB chunk boundary, and leaves ordinary
text that merely contains an ``r`` and a space alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkdesk.errors import UnreadableInput
from gkdesk.sheets import guard
from tests import hostile_sheets as hs


def _sheet(tmp_path: Path, body: bytes, pad: int = 0) -> Path:
    filler = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, pad + 1))
    return hs.xlsx_with_sheet(tmp_path / "list.xlsx", hs.SHEET_HEAD + filler + body + hs.SHEET_TAIL)


@pytest.mark.parametrize("ref", [b"r = 'B2'", b"r ='B2'", b"r= \"B2\"", b"r='B2'", b"r\n=\"B2\"", b"r=\t'B2'"])
def test_oddly_written_reference_is_refused(tmp_path: Path, ref: bytes) -> None:
    f = _sheet(tmp_path, b'<row r="9"><c ' + ref + b' t="inlineStr"><is><t>x</t></is></c></row>')
    with pytest.raises(UnreadableInput, match="非常规方式"):
        guard.check_workbook(f)


@pytest.mark.parametrize("ref, what", [(b"XFD1048576", "第 1048576 行"), (b"A1048576", "第 1048576 行"),
                                       (b"XFD7", "第 16384 列")])
def test_far_reference_after_a_chunk_boundary_is_refused(tmp_path: Path, ref: bytes, what: str) -> None:
    # ~150,000 ordinary rows put the far cell several 1 MB chunks into the stream
    f = _sheet(tmp_path, b'<row r="7"><c r="' + ref + b'"><v>1</v></c></row>', pad=150_000)
    with pytest.raises(UnreadableInput, match=what):
        guard.check_workbook(f)


def test_ordinary_text_with_r_and_spaces_passes(tmp_path: Path) -> None:
    body = (b'<row r="2"><c r="B2" t="inlineStr"><is><t>Mr Lee, for r 5 see row r</t></is></c>'
            b'<c r="Z99999" t="inlineStr"><is><t>order</t></is></c></row>')
    guard.check_workbook(_sheet(tmp_path, body, pad=10))  # no exception: a normal list


def test_wide_long_export_is_scanned_quickly_and_passes(tmp_path: Path) -> None:
    """A 30-column export (columns AA..AD in every row) past row 100,000 is an ordinary list:
    it passes (its 400,000 AA.. references are tallied in C), and a far cell among them is found."""
    cols = [chr(65 + i) for i in range(26)] + ["AA", "AB", "AC", "AD"]
    body = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c.encode(), r) for c in cols)
                    + b"</row>" for r in range(1, 100_002))
    f = hs.xlsx_with_sheet(tmp_path / "wide.xlsx", hs.SHEET_HEAD + body + hs.SHEET_TAIL)
    guard.check_workbook(f)
    far = hs.xlsx_with_sheet(tmp_path / "far.xlsx", hs.SHEET_HEAD + body[:200_000]
                             + b'<row r="9"><c r="ZZ999999"><v>1</v></c></row>' + hs.SHEET_TAIL)
    with pytest.raises(UnreadableInput, match="第 999999 行、第 702 列"):
        guard.check_workbook(far)


def test_the_fast_inflate_is_used_and_still_checks_the_crc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """zlib-ng inflates the sheets (half of the guard's time on a 100,000-row list); zipfile's
    own CRC check still refuses a sheet whose bytes were changed after it was packed."""
    import zipfile

    pytest.importorskip("zlib_ng")
    f = _sheet(tmp_path, b"", pad=20_000)
    used: list[str] = []
    real = guard._faster_inflate

    def watching(member: object, info: zipfile.ZipInfo) -> None:
        real(member, info)  # type: ignore[arg-type]
        if info.filename.startswith("xl/worksheets/"):
            used.append(type(getattr(member, "_decompressor", None)).__module__)

    monkeypatch.setattr(guard, "_faster_inflate", watching)
    guard.check_workbook(f)
    assert used and all(m.startswith("zlib_ng") for m in used)
    # The same sheet with its stored CRC changed: refused as damaged, as with the system zlib.
    raw = bytearray(f.read_bytes())
    with zipfile.ZipFile(f) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    crc = info.CRC.to_bytes(4, "little")
    assert raw.count(crc) == 2  # local header and central directory
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(raw).replace(crc, (info.CRC ^ 1).to_bytes(4, "little")))
    with pytest.raises(UnreadableInput, match="已损坏"):
        guard.check_workbook(bad)
