"""Catalogue search on a 5,000-item catalogue: must answer in under 50 ms.

Run: ``.venv/bin/python benchmarks/catalogue_search.py``. Prints the median time of
each query and its ratio to a floor measured in the same run (one indexed primary-key
lookup repeated the same number of times), so numbers from slow and fast machines
compare. Exits 1 if any query takes 50 ms or more.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from gkdesk import township
from gkdesk.catalogue import core, search
from gkdesk.models.base import utcnow
from gkdesk.models.catalogue import CatalogueItem
from gkdesk.store import Store, open_store

LIMIT_MS = 50.0
QUERIES = ["初审对象名单", "低保", "补贴 公示", "国务院令第649号", "不存在的一个词语", "农机购置补贴"]
WORDS = ["最低生活保障", "特困人员", "临时救助", "耕地地力保护", "农机购置", "危房改造", "养老服务", "义务教育",
         "公共文化", "安全生产", "食品药品", "户籍管理", "就业创业", "社会保险", "救灾物资", "保障性住房"]


def build(store: Store, n: int = 5000, seed: int = 7) -> None:
    """Seed the built-in catalogue, then bulk-insert ``n`` realistic items spread over the domains."""
    rng = random.Random(seed)
    with store.session() as s:
        core.ensure_seeded(s)
        t = township.current(s)
        doms = [d.id for d in core.domains(s)]
        rows = []
        now = utcnow()
        for i in range(n):
            a, b = rng.sample(WORDS, 2)
            rows.append({
                "id": f"{i:032x}", "township_id": t.id, "domain_id": rng.choice(doms), "identity": f"b{i}",
                "seq": str(i), "sort_order": i, "level1": f"{a}管理", "level2": f"{b}事项{i}", "level3": "",
                "content": f"{a}对象名单、{b}补贴标准、申请条件、办理流程、监督电话;第{i}号公示内容",
                "basis": f"《{a}管理办法》(某政发〔20{i % 25:02d}〕{i}号)", "time_limit": "信息形成之日起20个工作日内",
                "rule": {"kind": "working_days", "n": 20}, "publisher": "乡镇人民政府", "channels": [],
                "audience": [], "mode": [], "levels": [], "extra": {}, "origin": "imported",
                "source_file": "bench.xlsx", "applicable": True, "not_applicable_reason": "", "revision": 1,
                "created_at": now, "updated_at": now,
            })
        s.execute(insert(CatalogueItem), rows)


def median_ms(fn, repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(store: Store) -> dict[str, float]:
    with store.session() as s:
        s.scalar(select(CatalogueItem.id).limit(1))
        results = {q: median_ms(lambda q=q: search.search_ids(s, q)) for q in QUERIES}
        one = s.scalar(select(CatalogueItem.id).limit(1))
        results["(floor: one pk lookup)"] = median_ms(lambda: s.get(CatalogueItem, one, populate_existing=True))
    return results


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        with store.session() as s:
            township.init_installation(s, "测试镇", "511702101", "测试县", operator="bench")
        build(store)
        with store.session() as s:
            n = len(core.items(s))
        res = measure(store)
        store.close()
    floor = res.pop("(floor: one pk lookup)")
    print(f"catalogue items: {n}; floor (pk lookup) {floor:.3f} ms")
    worst = 0.0
    for q, ms in res.items():
        worst = max(worst, ms)
        print(f"{q:<20} {ms:8.2f} ms   x{ms / floor:7.1f} floor")
    print(f"worst {worst:.2f} ms (limit {LIMIT_MS:.0f} ms): {'OK' if worst < LIMIT_MS else 'TOO SLOW'}")
    return 0 if worst < LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
