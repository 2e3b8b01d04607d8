"""Benchmark: notice rendering against a bare reportlab canvas loop (the floor), same run.

1. A 10,000-row payout notice (one village, subtotals per group) rendered by
   ``gkdesk.notices.render``, and the floor: ``canvas.drawString`` of exactly the same
   strings, same font and size, spread over the same number of pages. Target ≤ 1.6× (fitting included).
2. 100,000 rows across 40 villages to a folder (one PDF per village) through the real
   print service and database; reports the peak resident memory growth of that process
   (target: under ~300 MB).

Run: ``.venv/bin/python benchmarks/notice_render.py [--rows 10000] [--big 100000]``
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from gkdesk.notices.fonts import choose_fonts
from gkdesk.notices.layout import PageLayout
from gkdesk.notices.payout import PayoutLine, PayoutSheetSource, build_payout_notices
from gkdesk.notices.render import render
from gkdesk.notices.samples import group_label, person_name


def make_source(rows: int) -> PayoutSheetSource:
    rng = random.Random(1)
    lines = []
    for _ in range(rows):
        g = rng.randint(1, 9)
        q = Decimal(rng.randint(30, 1500)) / 100
        rate = Decimal("131.42")
        lines.append(PayoutLine(name=person_name(rng), amount=(q * rate).quantize(Decimal("0.01")),
                                group=group_label(g), group_order=g, quantity=q, unit="亩", rate=rate))
    return PayoutSheetSource("高桥镇", "高桥村", "耕地地力保护补贴", 2026, "第1期", lines,
                             phones=["高桥镇人民政府 0818-2345678", "通川区农业农村局 0818-2112345"])


def ours(rows: int) -> tuple[float, int, list[str]]:
    fonts = choose_fonts()
    layout = PageLayout()
    notices = build_payout_notices(make_source(rows))
    strings = [c for n in notices for r in n.rows for c in r.cells if c]
    t = time.perf_counter()
    res = render(notices, io.BytesIO(), layout, fonts, title="bench")
    return time.perf_counter() - t, res.pages, strings


def floor(strings: list[str], pages: int) -> float:
    fonts = choose_fonts()
    layout = PageLayout()
    _w, h = layout.size
    per_page = -(-len(strings) // pages)
    t = time.perf_counter()
    c = Canvas(io.BytesIO(), pagesize=layout.size, pageCompression=1)
    for p in range(pages):
        c.setFont(fonts.primary.name, layout.body_size)
        chunk = strings[p * per_page:(p + 1) * per_page]
        for i, s in enumerate(chunk):
            c.drawString(40 + (i % 6) * 85, h - 60 - (i // 6) * 20 % (h - 100), s)
        c.showPage()
    c.save()
    return time.perf_counter() - t


def peak_rss_mb() -> float:
    """Peak RSS of this process image (VmHWM: unlike ru_maxrss it is not inherited across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def big_child(data_dir: str, out: str) -> None:
    """Run in a fresh process: print every village of the big batch to a folder."""
    from gkdesk.notices.service import NoticeOptions, print_payout_notices
    from gkdesk.store import open_store

    store = open_store(data_dir)
    with store.session() as s:
        from gkdesk.models import PayoutBatch

        bid = s.query(PayoutBatch.id).scalar()
    base = peak_rss_mb()
    t = time.perf_counter()
    with store.session() as s:
        res = print_payout_notices(s, store.data_dir, bid, out, NoticeOptions())
    secs = time.perf_counter() - t
    peak = peak_rss_mb()
    print(json.dumps({"seconds": secs, "files": res.counts["files"], "pages": res.counts["pages"],
                      "rows": res.counts["rows"], "rss_base_mb": base, "rss_peak_mb": peak}))


def big(rows: int, villages: int) -> dict:
    from gkdesk import township
    from gkdesk.notices.samples import ensure_program, make_batch, make_people
    from gkdesk.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="gk-bench-"))
    store = open_store(tmp / "data")
    rng = random.Random(2)
    with store.session() as s:
        township.init_installation(s, "高桥镇", "511702101", "通川区", operator="bench", supervision_phone="0818-2345678")
        for k in range(villages):
            township.add_village(s, f"第{k + 1}村", 8, "bench")
    with store.session() as s:
        people = make_people(township.villages(s), rows // villages, rng, groups=8)
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng)
    store.close()
    del people
    out = subprocess.run([sys.executable, __file__, "--child", str(tmp / "data"), str(tmp / "out")],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--villages", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--child", nargs=2)
    a = ap.parse_args()
    if a.child:
        big_child(*a.child)
        return
    ours(300)  # warm up fonts and caches for both sides
    results = []
    for _ in range(a.repeat):  # each pair runs back to back, so a busy machine slows both alike
        t_ours, pages, strings = ours(a.rows)
        t_floor = floor(strings, pages)
        results.append((t_ours, t_floor))
    t_ours = min(r[0] for r in results)
    t_floor = min(r[1] for r in results)
    pair = sorted(r[0] / r[1] for r in results)[len(results) // 2]
    print(f"{a.rows} rows, {pages} pages, {len(strings)} cell strings")
    print(f"  notice renderer : {t_ours:.3f} s (best of {a.repeat})")
    print(f"  bare canvas floor: {t_floor:.3f} s (best of {a.repeat})")
    print(f"  ratio           : {t_ours / t_floor:.2f}x best/best, {pair:.2f}x median of back-to-back pairs "
          "(target <= 1.6x, fitting included)")
    if a.big:
        r = big(a.big, a.villages)
        print(f"{r['rows']} rows / {a.villages} villages -> {r['files']} PDFs, {r['pages']} pages in {r['seconds']:.1f} s")
        print(f"  peak RSS {r['rss_peak_mb']:.0f} MB, growth {r['rss_peak_mb'] - r['rss_base_mb']:.0f} MB "
              "over the process at start (target < ~300 MB)")


if __name__ == "__main__":
    main()
