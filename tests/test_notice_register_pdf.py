"""The posting register PDF (公示台账) readable: 10.5 pt, dates whole, nothing off the page."""

from __future__ import annotations

from gkdesk.postings.register import export_register
from tests.notice_helpers import assert_inside_page, assert_tokens_whole, fragments
from tests.test_postings_register import OP, _fill


def test_register_pdf_is_readable(store, tmp_path):
    with store.session() as s:
        _fill(s, store.data_dir, tmp_path)
        export_register(s, store.data_dir, 2026, tmp_path / "台账.pdf", OP)
    out = tmp_path / "台账.pdf"
    sizes = [f.size for _w, _h, frags in fragments(out) for f in frags]
    assert sizes and min(sizes) >= 10.5 - 1e-6  # it was 7.5 pt
    assert_tokens_whole(out, ["2026-10-15", "2026-10-21"])
    assert_inside_page(out)
