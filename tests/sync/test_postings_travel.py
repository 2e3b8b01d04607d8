"""The evidence travels: a village posting with its review, objection, history and photo
reaches the county, photo bytes identical under the same hash path."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from gkdesk import sync, village_catalogue
from gkdesk.models.posting import Posting
from gkdesk.models.posting_lifecycle import PostingEvent, PostingObjection, PostingPhoto
from gkdesk.postings import lifecycle as lc
from gkdesk.postings import photos
from tests.photo_helpers import make_photo

OP = "乡镇"


def test_posting_with_photo_reaches_the_county(pair, tmp_path):
    jpg = make_photo(tmp_path / "栏.jpg")
    with pair.township.session() as s:
        village_catalogue.adopt_template(s, OP, village_names=["高桥村"])
        pid = lc.create_posting(s, OP, village_name="高桥村", title="三季度财务收支", catalogue_item="财务收支",
                                slot="2026-Q3", on=date(2026, 10, 12)).data["posting"]["id"]
        lc.review(s, pid, OP, reviewer="王建国", body="民主理财小组", on=date(2026, 10, 12))
        lc.post(s, pid, OP, on=date(2026, 10, 13), location="村公示栏", length=7)
        lc.add_objection(s, pid, OP, on=date(2026, 10, 14), content="少列一笔", raised_by="李四")
        sha = photos.attach_photo(s, pair.township.data_dir, pid, jpg, OP).data["photo"]["sha256"]
    res = sync.export_data(pair.township, tmp_path / "usb", OP)
    assert res.counts["posting"] == 1 and res.counts["posting_photo"] == 1 and res.attachments == 1
    assert res.counts["village_catalogue_item"] == 28
    [rep] = sync.import_files(pair.county, res.files, "县级")
    assert rep.status == "applied", rep.reason
    with pair.county.session() as s:
        p = s.get(Posting, pid)
        assert (p.status, p.reviewer, p.location, p.period_end) == ("posted", "王建国", "村公示栏", date(2026, 10, 19))
        assert s.scalar(select(func.count()).select_from(PostingObjection)) == 1
        assert s.scalar(select(func.count()).select_from(PostingEvent)) == 5
        ph = s.scalar(select(PostingPhoto))
        assert ph.sha256 == sha
        assert photos.read_photo(pair.county.data_dir, ph) == jpg.read_bytes()
        assert (pair.county.data_dir / "attachments" / sha[:2] / f"{sha}.jpg").exists()
