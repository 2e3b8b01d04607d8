"""Every feature's attachment files reach the county byte-identical: a posting photo, the
printed notice PDF and a catalogue publication's document. Declared once, in
gkdesk.sync.registry, and loaded with gkdesk.sync whatever else was imported."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from gkdesk import paths, sync, township
from gkdesk.catalogue import core
from gkdesk.models.base import Base, SyncMixin
from gkdesk.models.catalogue import Publication
from gkdesk.models.posting import Posting
from gkdesk.models.posting_lifecycle import PostingPhoto
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.notices.service import NoticeOptions, print_payout_notices
from gkdesk.postings import lifecycle as lc
from gkdesk.postings import photos
from tests.photo_helpers import make_photo

OP = "乡镇"


def test_registry_is_loaded_by_gkdesk_sync_alone():
    code = ("import gkdesk.sync.tables as t, gkdesk.sync; "
            "print(sorted((k, c) for k, v in t._ATTACHMENTS.items() for c in v))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(sorted([("catalogue_publication", "attachment_sha256"),
                                      ("disclosure_attachment", "sha256"), ("posting", "pdf_sha256"),
                                      ("posting_photo", "sha256")]))


def test_every_hash_column_of_a_travelling_table_is_registered_or_known():
    from gkdesk.sync.tables import attachment_columns

    not_files = {("payout_batch", "source_sha256")}  # the hash of the imported Excel file, not kept
    for m in Base.registry.mappers:
        if not issubclass(m.class_, SyncMixin):
            continue
        t = m.local_table
        for c in t.columns:
            if "sha256" in c.name and (t.name, c.name) not in not_files:
                assert c.name in attachment_columns(t.name), f"{t.name}.{c.name} is not a registered attachment"


def test_photo_notice_pdf_and_publication_arrive_byte_identical(pair, tmp_path):
    jpg = make_photo(tmp_path / "公示栏.jpg")
    doc = tmp_path / "低保审批公告.pdf"
    doc.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    rng = random.Random(3)
    with pair.township.session() as s:
        people = make_people(township.villages(s)[:1], 6, rng)
        batch = make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期")
        print_payout_notices(s, pair.township.data_dir, batch.id, tmp_path / "notice.pdf",
                             NoticeOptions(start=date(2026, 3, 2), days=7), village="高桥村", operator=OP)
        posting = s.scalar(select(Posting))
        lc.review(s, posting.id, OP, reviewer="王建国", body="村务监督委员会", on=date(2026, 3, 2))
        lc.post(s, posting.id, OP, on=date(2026, 3, 2), location="村公示栏", length=7)
        photos.attach_photo(s, pair.township.data_dir, posting.id, jpg, OP)
        item = core.items(s)[0]
        core.add_publication(s, item.id, date.today() - timedelta(days=3), channel="政府网站", title="公告",
                             attachment=doc, data_dir=pair.township.data_dir, operator=OP)
    res = sync.export_data(pair.township, tmp_path / "usb", OP)
    assert res.attachments == 3 and res.missing_attachments == []
    [rep] = sync.import_files(pair.county, res.files, "县级")
    assert rep.status == "applied", rep.reason
    att = pair.county.data_dir / paths.ATTACHMENT_DIRNAME
    with pair.county.session() as s:
        p = s.scalar(select(Posting))
        pdf = att / p.pdf_sha256[:2] / f"{p.pdf_sha256}.pdf"
        assert pdf.read_bytes() == (tmp_path / "notice.pdf").read_bytes()
        ph = s.scalar(select(PostingPhoto))
        assert photos.read_photo(pair.county.data_dir, ph) == jpg.read_bytes()
        pub = s.scalar(select(Publication).where(Publication.attachment_sha256 != ""))
        assert (pair.county.data_dir / pub.attachment_path).read_bytes() == doc.read_bytes()


def test_legacy_publication_file_still_travels(pair, tmp_path):
    """A document recorded by the first catalogue version (attachments/<16 hex>.pdf) is found
    by its hash and sent under the canonical name."""
    doc = tmp_path / "旧附件.pdf"
    doc.write_bytes(b"%PDF-1.4 legacy " * 50)
    with pair.township.session() as s:
        core.add_publication(s, core.items(s)[0].id, date.today(), channel="政府网站", title="旧",
                             attachment=doc, data_dir=pair.township.data_dir, operator=OP)
        pub = s.scalar(select(Publication))
        new = pair.township.data_dir / pub.attachment_path
        legacy = pair.township.data_dir / paths.ATTACHMENT_DIRNAME / f"{pub.attachment_sha256[:16]}.pdf"
        new.rename(legacy)
        pub.attachment_path = f"{paths.ATTACHMENT_DIRNAME}/{legacy.name}"
        h = pub.attachment_sha256
    res = sync.export_data(pair.township, tmp_path / "usb", OP)
    assert res.attachments == 1
    [rep] = sync.import_files(pair.county, res.files, "县级")
    assert rep.status == "applied", rep.reason
    assert (pair.county.data_dir / paths.ATTACHMENT_DIRNAME / h[:2] / f"{h}.pdf").read_bytes() == doc.read_bytes()
