"""The posting register (台账) as .xlsx and PDF, with photo thumbnails in the PDF."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from gkdesk.errors import InputRejected
from gkdesk.postings import lifecycle as lc
from gkdesk.postings import photos
from gkdesk.postings.register import export_register
from tests.photo_helpers import make_photo

OP = "测试员"


def _fill(s, data_dir, tmp_path):
    ids = []
    for village, title, on in [("高桥村", "三季度财务收支明细", date(2026, 10, 15)),
                               ("柳树村", "耕地地力保护补贴发放公示", date(2026, 11, 2)),
                               ("高桥村", "低保对象名单", date(2025, 12, 1))]:
        pid = lc.create_posting(s, OP, village_name=village, title=title, on=on).data["posting"]["id"]
        lc.review(s, pid, OP, reviewer="王建国", body="村务监督委员会", on=on)
        lc.post(s, pid, OP, on=on, location="村公示栏", length=7)
        ids.append(pid)
    photos.attach_photo(s, data_dir, ids[0], make_photo(tmp_path / "a.jpg"), OP)
    photos.attach_photo(s, data_dir, ids[0], make_photo(tmp_path / "b.png", "PNG", colour=(0, 0, 200)), OP)
    lc.add_objection(s, ids[1], OP, on=date(2026, 11, 3), content="面积有误", raised_by="张三")
    return ids


def test_register_xlsx_and_pdf(store, tmp_path):
    with store.session() as s:
        ids = _fill(s, store.data_dir, tmp_path)
        res = export_register(s, store.data_dir, 2026, tmp_path / "台账.xlsx", OP)
        assert res.counts == {"rows": 2, "photos": 2}
        ws = openpyxl.load_workbook(tmp_path / "台账.xlsx").active
        assert ws["A1"].value == "高桥镇2026年村务公开公示台账(全部村(社区))"
        assert [c.value for c in ws[2]][:4] == ["序号", "村(社区)", "公示标题", "类型/事项"]
        assert ws["B3"].value == "高桥村" and ws["C3"].value == f"三季度财务收支明细({ids[0][:8]})"
        assert ws["H3"].value == "2026-10-15至2026-10-21(共7天)" and ws["L3"].value == 2
        assert ws["B4"].value == "柳树村" and ws["I4"].value == "1条(已答复0)"
        assert ws["A5"].value is None
        res = export_register(s, store.data_dir, 2026, tmp_path / "台账.pdf", OP, village_name="高桥村")
        assert res.counts == {"rows": 1, "photos": 2}
    reader = PdfReader(tmp_path / "台账.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    assert "高桥镇2026年村务公开公示台账(高桥村)" in text
    assert "三季度财务收支明细" in text and "耕地地力" not in text
    images = [img for p in reader.pages for img in p.images]
    assert len(images) == 2  # the two thumbnails


def test_register_refuses_other_suffix(store, tmp_path):
    with store.session() as s, pytest.raises(InputRejected, match=r"请用 \.xlsx 或 \.pdf"):
        export_register(s, store.data_dir, 2026, tmp_path / "台账.docx", OP)
