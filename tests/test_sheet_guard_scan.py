"""The worksheet scan of :mod:`gkdesk.sheets.guard` finds every far or oddly written cell
reference wherever it sits, including across the 4 MB chunk boundary, and leaves ordinary
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
    # ~150,000 ordinary rows put the far cell several 4 MB chunks into the stream
    f = _sheet(tmp_path, b'<row r="7"><c r="' + ref + b'"><v>1</v></c></row>', pad=150_000)
    with pytest.raises(UnreadableInput, match=what):
        guard.check_workbook(f)


def test_ordinary_text_with_r_and_spaces_passes(tmp_path: Path) -> None:
    body = (b'<row r="2"><c r="B2" t="inlineStr"><is><t>Mr Lee, for r 5 see row r</t></is></c>'
            b'<c r="Z99999" t="inlineStr"><is><t>order</t></is></c></row>')
    guard.check_workbook(_sheet(tmp_path, body, pad=10))  # no exception: a normal list
