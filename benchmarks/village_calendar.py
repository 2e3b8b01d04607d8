"""Benchmark: the posting calendar of a whole township against the floor of reading its rows.

A township of 40 villages adopts the 28-item catalogue and has a year of postings (about
80% of periods posted: ~4,000 postings). We time ``overdue_villages`` (the 首页 dashboard:
every village's calendar for the year) and the floor: one SQL read of the same catalogue
items and postings into Python tuples, in the same run on the same database. Target ≤ 10×.
Then the register PDF for all villages with a photo on every posting (thumbnails made
on the first run and cached for the second).

Run: ``.venv/bin/python benchmarks/village_calendar.py [--villages 40]``
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from datetime import date
from pathlib import Path

from PIL import Image
from sqlalchemy import insert, select

from gkdesk import township, village_catalogue
from gkdesk.models.posting import Posting
from gkdesk.models.posting_lifecycle import PostingPhoto
from gkdesk.models.village_disclosure import VillageCatalogueItem
from gkdesk.postings.calendar import overdue_villages, slots
from gkdesk.postings.photos import _write_once, attachment_path
from gkdesk.postings.register import export_register
from gkdesk.store import open_store

TODAY = date(2026, 12, 20)


def build(data_dir: Path, villages: int) -> tuple[int, int]:
    import hashlib
    import random

    rng = random.Random(7)
    store = open_store(data_dir)
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 60, 40)).save(buf, "JPEG")
    raw = buf.getvalue()
    sha = hashlib.sha256(raw).hexdigest()
    _write_once(attachment_path(data_dir, sha, "jpg"), raw)
    with store.session() as s:
        township.init_installation(s, "基准镇", "511702199", "基准县")
        for i in range(villages):
            township.add_village(s, f"基准{i:02d}村", 0)
        village_catalogue.adopt_template(s, "bench")
        t = township.current(s)
        rows, photos = [], []
        for it in s.scalars(select(VillageCatalogueItem)):
            if it.frequency == "immediate":
                continue
            for sl in slots(it.frequency, 2026):
                if rng.random() < 0.8:
                    pid = f"{len(rows):032x}"
                    rows.append(dict(id=pid, township_id=t.id, village_id=it.village_id, kind="catalogue",
                                     title=f"{sl.label}{it.name}", catalogue_item_id=it.id, slot=sl.key,
                                     status="archived", posted_on=sl.start, period_start=sl.start,
                                     period_end=sl.start, period_days=7, period_unit="natural",
                                     location="村公示栏", reviewer="王", reviewer_body="村务监督委员会"))
                    photos.append(dict(posting_id=pid, sha256=sha, ext="jpg", size=len(raw), width=800, height=600))
        s.execute(insert(Posting), rows)
        s.execute(insert(PostingPhoto), photos)
    store.close()
    return len(rows), len(photos)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--villages", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        n_post, _ = build(data_dir, args.villages)
        store = open_store(data_dir)
        with store.session() as s:
            t0 = time.perf_counter()
            out = overdue_villages(s, TODAY)
            ours = time.perf_counter() - t0
        with store.session() as s:
            t0 = time.perf_counter()
            items = s.execute(select(VillageCatalogueItem.id, VillageCatalogueItem.village_id,
                                     VillageCatalogueItem.frequency, VillageCatalogueItem.fixed_day)).all()
            posts = s.execute(select(Posting.catalogue_item_id, Posting.slot, Posting.posted_on, Posting.status)).all()
            by_item: dict[str, list[tuple]] = {}
            for p in posts:
                by_item.setdefault(p[0], []).append(p)
            floor = time.perf_counter() - t0
        print(f"calendar: {args.villages} villages, {len(items)} items, {n_post} postings; "
              f"{len(out)} villages overdue")
        print(f"  overdue_villages {ours * 1000:.0f} ms, floor (SQL read) {floor * 1000:.0f} ms, "
              f"ratio {ours / floor:.1f}x (target <= 10x)")
        for label in ("first (makes thumbnails)", "second (cached thumbnails)"):
            with store.session() as s:
                t0 = time.perf_counter()
                res = export_register(s, data_dir, 2026, data_dir / "台账.pdf", "bench")
                dt = time.perf_counter() - t0
            size = (data_dir / "台账.pdf").stat().st_size / 1e6
            print(f"  register PDF {label}: {res.counts['rows']} rows, {res.counts['photos']} photos, "
                  f"{dt:.1f} s, {size:.1f} MB")
        with store.session() as s:
            t0 = time.perf_counter()
            export_register(s, data_dir, 2026, data_dir / "台账.xlsx", "bench")
            print(f"  register xlsx: {time.perf_counter() - t0:.1f} s")
        store.close()


if __name__ == "__main__":
    main()
