"""Demo data for 村务公开: every village adopts the catalogue and has a year of postings,
some on time, some late, some missing, with reviews, objections, a correction, archives
and photos of the posted sheets — so the calendar, the detail view and the register show
what a real township's year looks like.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from gkdesk import demo, township, village_catalogue, workdays
from gkdesk.models.posting_lifecycle import PostingPhoto
from gkdesk.postings import lifecycle as lc
from gkdesk.postings.calendar import due_date, slots
from gkdesk.postings.photos import _write_once, attachment_path
from gkdesk.postings.yearend import programs_paid

REVIEWERS = ["王建国", "李秀英", "张德明", "刘桂兰", "陈志强", "杨淑芬", "赵永福", "黄丽华"]
# How diligent each demo village is: share of periods posted, share of those posted late.
DILIGENCE = [(0.95, 0.05), (0.85, 0.15), (0.7, 0.25), (0.9, 0.1), (0.6, 0.3), (0.8, 0.2), (0.75, 0.1), (0.9, 0.05)]


def _data_dir(session: Session) -> Path | None:
    url = session.get_bind().url
    return Path(url.database).parent if url.get_backend_name() == "sqlite" and url.database else None


def _photo_bytes(rng: random.Random, title: str) -> bytes:
    """A picture of a notice board: a white sheet with lines of 'text' on a brick wall."""
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("RGB", (480, 360), (150 + rng.randint(0, 40), 70, 50))
    d = ImageDraw.Draw(im)
    d.rectangle((40, 30, 440, 330), fill=(250, 250, 245), outline=(60, 60, 60), width=3)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 18)
        d.text((60, 45), title[:20], fill=(160, 0, 0), font=font)
    except OSError:
        d.rectangle((60, 45, 420, 65), fill=(160, 0, 0))
    for y in range(85, 310, 18):
        d.line((60, y, 60 + rng.randint(200, 360), y), fill=(90, 90, 90), width=2)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _attach_demo_photo(session: Session, data_dir: Path, posting_id: str, raw: bytes, operator: str, on: date) -> None:
    import hashlib

    from PIL import Image

    sha = hashlib.sha256(raw).hexdigest()
    _write_once(attachment_path(data_dir, sha, "jpg"), raw)
    w, h = Image.open(io.BytesIO(raw)).size
    p = lc.find_posting(session, posting_id)
    session.add(PostingPhoto(posting=p, sha256=sha, ext="jpg", size=len(raw), width=w, height=h,
                             original_name=f"IMG_{on:%Y%m%d}_{sha[:6].upper()}.jpg", taken_on=on, attached_by=operator))
    lc._event(session, p, "attach", operator, on, f"张贴照片({sha[:12]})")


@demo.contributor
def villages_demo(session: Session, operator: str, rng: random.Random) -> dict[str, int]:
    today = date.today()
    year = today.year
    village_catalogue.adopt_template(session, operator, on=date(year, 1, 1))  # the demo kept the whole year
    village_catalogue.set_busy_finance(session, "高桥村", True, operator)
    cal = workdays.load(session)
    data_dir = _data_dir(session)
    pictures = [_photo_bytes(rng, t) for t in ("村务公开栏", "财务公开", "公示")]
    counts = {"village_postings": 0, "posting_photos": 0, "objections": 0}
    for vi, v in enumerate(township.villages(session)):
        share, late_share = DILIGENCE[vi % len(DILIGENCE)]
        reviewer = REVIEWERS[vi % len(REVIEWERS)]
        for item in village_catalogue.items(session, v):
            if item.frequency == "immediate":
                continue
            for sl in slots(item.frequency, year):
                try:
                    due = due_date(cal, item, sl)
                except Exception:
                    due = sl.end
                if sl.start > today or rng.random() > share:
                    continue
                late = rng.random() < late_share
                on = due + timedelta(days=rng.randint(3, 20)) if late else max(sl.start, due - timedelta(days=rng.randint(0, 12)))
                if on > today:
                    continue
                title = f"{v.name}{year}年{sl.label}{item.name}"
                pid = lc.create_posting(session, operator, village_name=v.name, title=title, catalogue_item=item.id,
                                        slot=sl.key, on=on).data["posting"]["id"]
                lc.review(session, pid, operator, reviewer=reviewer,
                          body="民主理财小组" if item.finance else "村务监督委员会", on=on)
                lc.post(session, pid, operator, on=on, location="村公示栏", length=7)
                counts["village_postings"] += 1
                if data_dir is not None and rng.random() < 0.7:
                    _attach_demo_photo(session, data_dir, pid, pictures[rng.randrange(len(pictures))], operator, on)
                    counts["posting_photos"] += 1
                if rng.random() < 0.04:
                    oid = lc.add_objection(session, pid, operator, on=on + timedelta(days=2),
                                           content="公开内容不够详细,请列明每笔支出", raised_by="村民").data["objection_id"]
                    lc.answer_objection(session, oid, operator, on=on + timedelta(days=4),
                                        answer="已补充明细并重新公示", answered_by="村委会")
                    counts["objections"] += 1
                if on + timedelta(days=30) < today:
                    lc.archive(session, pid, operator, on=on + timedelta(days=10))
        # the year-end payout summary: one village has it drafted, another has it posted
        if vi in (0, 1) and programs_paid(session, v.id, year):
            pid = lc.create_posting(session, operator, village_name=v.name, kind="year_end",
                                    title=f"{v.name}{year}年度惠民惠农财政补贴资金发放情况公示",
                                    source_ref=f"year_end:{year}", on=today).data["posting"]["id"]
            if vi == 0:
                lc.review(session, pid, operator, reviewer=reviewer, body="民主理财小组", on=today)
                lc.post(session, pid, operator, on=today, location="村公示栏", length=7)
    # a corrected notice, linked to the first
    first = next((p for p in lc.list_postings(session, village_name=township.villages(session)[1].name, year=year)
                  if p.status == "posted"), None)
    if first is not None:
        lc.correct(session, first.id, operator, on=today, reason="核实村民异议后更正支出明细")
    return counts
