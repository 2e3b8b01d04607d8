"""Photos of posted sheets (round trip by content hash) and the year-end duty checklist."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image

from gkdesk import township
from gkdesk.errors import InputRejected, UnreadableInput
from gkdesk.models.payout import Payout, PayoutBatch, Program
from gkdesk.models.posting import KIND_YEAR_END, Posting
from gkdesk.postings import lifecycle as lc
from gkdesk.postings import photos
from gkdesk.postings.yearend import year_end_checklist
from tests.photo_helpers import make_photo

OP = "测试员"


def _posted(s, village="高桥村", on=date(2026, 12, 1), location="村公示栏", **kw) -> str:
    pid = lc.create_posting(s, OP, village_name=village, title=kw.pop("title", "公示"), on=on, **kw).data["posting"]["id"]
    lc.review(s, pid, OP, reviewer="王建国", body="民主理财小组", on=on)
    lc.post(s, pid, OP, on=on, location=location, length=7)
    return pid


def test_photo_round_trip_bytes_identical_and_hash_path(store, tmp_path):
    jpg = make_photo(tmp_path / "公示栏.jpg")
    png = make_photo(tmp_path / "组公示.PNG", "PNG", (300, 800), (10, 120, 10))
    with store.session() as s:
        pid = _posted(s)
        r1 = photos.attach_photo(s, store.data_dir, pid, jpg, OP, taken_on=date(2026, 12, 1))
        r2 = photos.attach_photo(s, store.data_dir, pid, png, OP)
        sha = hashlib.sha256(jpg.read_bytes()).hexdigest()
        assert r1.data["photo"]["sha256"] == sha
        assert r1.data["photo"]["path"] == f"{sha[:2]}/{sha}.jpg"
        stored = store.data_dir / "attachments" / sha[:2] / f"{sha}.jpg"
        assert stored.read_bytes() == jpg.read_bytes()
        assert r2.data["photo"]["path"].endswith(".png") and (r2.data["photo"]["width"], r2.data["photo"]["height"]) == (300, 800)
        p = s.get(Posting, pid)
        assert [ph.original_name for ph in p.photos] == ["公示栏.jpg", "组公示.PNG"]
        assert photos.read_photo(store.data_dir, p.photos[0]) == jpg.read_bytes()
        thumb = photos.thumbnail(store.data_dir, p.photos[1], size=120)
        with Image.open(thumb) as t:
            assert max(t.size) == 120 and t.format == "JPEG"
        assert lc.history(p)[-1]["label"] == "附照片"
        with pytest.raises(InputRejected, match=re.escape("照片“公示栏.jpg”已附在公示“公示”上")):
            photos.attach_photo(s, store.data_dir, pid, jpg, OP)
        # the same photo on a second posting is stored once
        other = _posted(s, village="柳树村")
        photos.attach_photo(s, store.data_dir, other, jpg, OP)
        assert len(list((store.data_dir / "attachments").rglob("*.jpg"))) == 1


def test_damaged_stored_photo_is_reported(store, tmp_path):
    jpg = make_photo(tmp_path / "a.jpg")
    with store.session() as s:
        pid = _posted(s)
        photos.attach_photo(s, store.data_dir, pid, jpg, OP)
        ph = s.get(Posting, pid).photos[0]
        photos.photo_path(store.data_dir, ph).write_bytes(b"\xff\xd8garbage")
        with pytest.raises(UnreadableInput, match=re.escape("已损坏(校验值不符)")):
            photos.read_photo(store.data_dir, ph)


def test_photo_refusals(store, tmp_path):
    gif = tmp_path / "动图.gif"
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    fake = tmp_path / "假照片.jpg"
    fake.write_bytes(b"this is not a picture")
    with store.session() as s:
        draft = lc.create_posting(s, OP, village_name="高桥村", title="草稿").data["posting"]["id"]
        with pytest.raises(InputRejected, match=re.escape("尚未张贴(当前“待审核”),不能附张贴照片")):
            photos.attach_photo(s, store.data_dir, draft, make_photo(tmp_path / "x.jpg"), OP)
        pid = _posted(s)
        with pytest.raises(InputRejected, match=re.escape("文件“动图.gif”是 GIF 格式;公示照片只接受 JPEG 或 PNG")):
            photos.attach_photo(s, store.data_dir, pid, gif, OP)
        with pytest.raises(UnreadableInput, match=re.escape("文件“假照片.jpg”不是可以打开的图片")):
            photos.attach_photo(s, store.data_dir, pid, fake, OP)
        assert s.get(Posting, pid).photos == []
    assert not (store.data_dir / "attachments").exists() or not list((store.data_dir / "attachments").rglob("*.*"))


def _pay(s, program: str, village: str, year: int, amounts: list[str], order: int = 0) -> Program:
    t = township.current(s)
    prog = s.query(Program).filter_by(name=program).one_or_none()
    if prog is None:
        prog = Program(township_id=t.id, name=program, sort_order=order)
        s.add(prog)
        s.flush()
    b = PayoutBatch(township_id=t.id, program_id=prog.id, year=year, row_count=len(amounts))
    s.add(b)
    s.flush()
    v = township.find_village(s, village)
    for i, a in enumerate(amounts):
        s.add(Payout(batch_id=b.id, seq=i, village_id=v.id, recipient_name=f"村民{i}", amount_fen=int(Decimal(a) * 100)))
    s.flush()
    return prog


def test_year_end_checklist_lists_what_is_missing(store, tmp_path):
    jpg = make_photo(tmp_path / "p.jpg")
    with store.session() as s:
        gd = _pay(s, "耕地地力保护补贴", "高桥村", 2026, ["120.50", "80.00"], 1)
        db = _pay(s, "城乡居民最低生活保障", "高桥村", 2026, ["500.00"], 2)
        yl = _pay(s, "高龄津贴", "高桥村", 2026, ["100.00", "100.00", "100.00"], 3)
        _pay(s, "耕地地力保护补贴", "高桥村", 2025, ["99.00"])  # another year: not in 2026's list
        _pay(s, "耕地地力保护补贴", "柳树村", 2026, ["10.00"])  # another village
        # 耕地: posted on the village board in December with a photo → complete
        ok = _posted(s, program_id=gd.id, year=2026, on=date(2026, 12, 10), title="2026年耕地地力保护补贴发放结果")
        photos.attach_photo(s, store.data_dir, ok, jpg, OP)
        # 低保: posted at a group board, no photo
        t = township.find_village(s, "高桥村")
        lc.create_posting(s, OP, village_name="高桥村", title="低保发放结果", program_id=db.id, year=2026, group_name="3组")
        grp = lc.list_postings(s, village_name="高桥村", status="draft")[0].id
        lc.review(s, grp, OP, reviewer="王建国", body="民主理财小组", on=date(2026, 12, 20))
        lc.post(s, grp, OP, on=date(2026, 12, 20), location="组", length=7)
        # 高龄津贴: nothing
        c = year_end_checklist(s, t, 2026)
        assert [(ln.program, ln.payouts, ln.amount) for ln in c.lines] == [
            ("耕地地力保护补贴", 2, Decimal("200.50")), ("城乡居民最低生活保障", 1, Decimal("500.00")),
            ("高龄津贴", 3, Decimal("300.00"))]
        assert not c.complete
        assert c.missing_text() == [
            "高桥村·城乡居民最低生活保障:张贴在“组”,应在村务公开栏公开",
            "高桥村·城乡居民最低生活保障:缺少张贴照片",
            "高桥村·高龄津贴:未登记2026年发放结果公示",
        ]
        assert c.lines[0].done and c.lines[0].photos == 1 and c.lines[0].posted_on == date(2026, 12, 10)
        assert yl.name == "高龄津贴"


def test_year_end_summary_printed_by_notices_covers_every_program_but_not_after_new_year(store, tmp_path):
    with store.session() as s:
        _pay(s, "耕地地力保护补贴", "柳树村", 2026, ["50.00"], 1)
        _pay(s, "高龄津贴", "柳树村", 2026, ["100.00"], 2)
        t = township.current(s)
        v = township.find_village(s, "柳树村")
        p = Posting(township_id=t.id, village_id=v.id, kind=KIND_YEAR_END, title="柳树村2026年度惠民惠农财政补贴资金发放情况公示",
                    source_ref="year_end:2026", period_days=7, period_unit="natural", printed_by="打印员")
        s.add(p)
        s.flush()
        c = year_end_checklist(s, v, 2026)
        assert c.missing_text() == ["柳树村·耕地地力保护补贴:公示“柳树村2026年度惠民惠农财政补贴资金发放情况公示”尚未张贴(当前“待审核”)",
                                    "柳树村·高龄津贴:公示“柳树村2026年度惠民惠农财政补贴资金发放情况公示”尚未张贴(当前“待审核”)"]
        lc.review(s, p.id, OP, reviewer="李梅", body="村务监督委员会", on=date(2027, 1, 4))
        lc.post(s, p.id, OP, on=date(2027, 1, 5), location="村公示栏")
        photos.attach_photo(s, store.data_dir, p.id, make_photo(tmp_path / "y.jpg"), OP)
        c = year_end_checklist(s, v, 2026)
        assert c.missing_text() == ["柳树村·耕地地力保护补贴:于2027-01-05张贴,晚于2026年年底",
                                    "柳树村·高龄津贴:于2027-01-05张贴,晚于2026年年底"]


def test_village_without_payouts_has_an_empty_complete_checklist(store):
    with store.session() as s:
        c = year_end_checklist(s, "新华社区", 2026)
        assert c.lines == [] and c.complete
