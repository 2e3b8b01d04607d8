"""The county at scale: per-package import, views and start-up as townships are added.

Builds N townships, each with M monthly lists of R payout rows (高龄津贴 and 低保金 as
monthly programs, 耕地地力保护补贴 once), plus the demo catalogue, exports one package per
township and imports them into one county **one USB stick at a time, through the
operation layer** (``gkdesk.app.sync.import_packages``: checks, backup policy, apply,
receipt) — the path a clerk's click takes. After each step of the series (default
N = 5, 10, 25, 40) it measures:

- per-package import time and its ratio to a floor measured in the same run: the same
  package's rows inserted with a bare Core ``executemany`` into FK-free clones of the
  tables in the same database (one transaction, committed; median of three);
- every county view (status, payouts, catalogue, villages) and the .xlsx export;
- start-up: opening the store and the workspace as the window does;
- backups on disk against the database size.

At the end it prints the log-log growth slope of each view's time against N (1.0 means
linear in townships; the target is ≤ 1.1) and whether the import ratio stays flat.

    .venv/bin/python benchmarks/county.py [--series 5,10,25,40] [--months 12] [--rows 2000]
                                          [--database-url postgresql+psycopg://…]
                                          [--no-views] [--profile 25]

``--no-views`` measures only the imports (and their floor); ``--profile K`` runs the last
package of the series under cProfile and prints its K most expensive calls (cumulative).
Run with bytecode caches warm (``python -m compileall -q gkdesk`` once, and without
PYTHONDONTWRITEBYTECODE), and note ``/proc/loadavg``: the ratio compares two timings taken
a moment apart, so it is steadier than either time on a shared machine.

Not a timed test: it prints figures; nothing asserts on them.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Column, MetaData, Table, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gkdesk import sync, township
from gkdesk.app import county as county_ops
from gkdesk.app import sync as sync_ops
from gkdesk.app.workspace import Workspace
from gkdesk.catalogue.demo_data import add_demo_catalogue
from gkdesk.models.payout import KIND_PERSON_MONTH
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.store import open_store
from gkdesk.sync.tables import Codec, travelling_tables
from tests.sync.helpers import enrol

VILLAGES = 15


def _dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def build_township(root: Path, i: int, months: int, rows: int, county_store) -> Path:
    d = root / f"t{i:02d}"
    st = open_store(d)
    rng = random.Random(i)
    with st.session() as s:
        township.init_installation(s, f"测试{i:02d}镇", f"5117021{i:02d}", "通川区", operator="bench")
        for v in range(VILLAGES):
            township.add_village(s, f"村{v:02d}", 5, "bench")
        people = make_people(township.villages(s), max(1, rows // VILLAGES), rng)
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期")
        for name, rate in (("高龄津贴", Decimal("100")), ("低保金", Decimal("520"))):
            prog = ensure_program(s, name, kind=KIND_PERSON_MONTH, unit="人月")
            for m in range(1, months + 1):
                make_batch(s, prog, 2026, people[: len(people) // 3], rng, rate, f"2026年{m}月")
        add_demo_catalogue(s, "bench", rng)
    enrol(st, county_store, root)
    pkg = sync.export_data(st, root / "usb" / f"t{i:02d}", "bench").files
    st.close()
    return pkg[0]


def _clone(t: Table, md: MetaData) -> Table:
    return Table(f"bench_floor_{t.name}", md,
                 *[Column(x.name, x.type, primary_key=x.primary_key, nullable=x.nullable) for x in t.columns])


def floor_seconds(store, township_code: str, clones: dict[str, Table], repeat: int = 3) -> tuple[float, int]:
    """Insert this township's rows again, bare, into the clones: the cost of just writing them.

    The rows are read back from the county and loaded exactly as the importer loads them
    (the same Python values), then written with one Core ``executemany`` per table in one
    transaction, committed — FK-free, index-free clones, so nothing but the write is paid.
    Median of ``repeat`` runs (the clones emptied in between): on a shared machine one run
    can be twice another."""
    with store.session() as s:
        conn = s.connection()
        tid = s.scalar(select(township.Township.id).where(township.Township.code == township_code))
        per = []
        for p in travelling_tables(conn):
            codec = Codec(p.table)
            lines = [codec.line(dict(x)) for x in conn.execute(select(p.table).where(p.clause(tid))).mappings()]
            per.append((p.table.name, [codec.load(json.loads(x)) for x in lines]))
    n = sum(len(r) for _, r in per)
    took = []
    with store.engine.connect() as conn:
        for _ in range(repeat):
            start = time.perf_counter()
            with conn.begin():
                for name, rows in per:
                    if rows:
                        conn.execute(insert(clones[name]), rows)
            took.append(time.perf_counter() - start)
            with conn.begin():
                for t in clones.values():
                    conn.execute(t.delete())
    return statistics.median(took), n


def _loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[0]
    except OSError:
        return "?"


def profiled(top: int, fn, *a, **k) -> float:
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.runcall(fn, *a, **k)
    took = time.perf_counter() - start
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue(), flush=True)
    return took


def timed(fn, *a, **k) -> float:
    start = time.perf_counter()
    fn(*a, **k)
    return time.perf_counter() - start


def slope(xs: list[int], ys: list[float]) -> float:
    lx = [math.log(x) for x in xs]
    ly = [math.log(max(y, 1e-4)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / den if den else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", default="5,10,25,40")
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--rows", type=int, default=2000, help="people per township (rows per list)")
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--no-views", action="store_true", help="measure only the imports and their floor")
    ap.add_argument("--profile", type=int, default=0, metavar="K",
                    help="profile the last package's import and print its K costliest calls")
    args = ap.parse_args()
    series = [int(x) for x in args.series.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cdir = root / "county"
        store = open_store(cdir, database_url=args.database_url)
        with store.session() as s:
            township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="bench")
        md = MetaData()
        with store.session() as s:
            clones = {p.table.name: _clone(p.table, md) for p in travelling_tables(s.connection())}
        md.create_all(store.engine)
        ws = Workspace(store, "bench")
        results = []
        done = 0
        for n in series:
            imp, flo, rows = [], [], 0
            while done < n:
                pkg = build_township(root, done, args.months, args.rows, store)
                if args.profile and done == series[-1] - 1:
                    t = profiled(args.profile, sync_ops.import_packages, ws, [pkg], receipts_dir=root / "receipts")
                else:
                    t = timed(sync_ops.import_packages, ws, [pkg], receipts_dir=root / "receipts")
                f, k = floor_seconds(store, f"5117021{done:02d}", clones)
                imp.append(t)
                flo.append(f)
                rows += k
                done += 1
            views: dict[str, float] = {}
            startup = 0.0
            if not args.no_views:
                views = {
                    "status": timed(county_ops.status, ws),
                    "payouts": timed(county_ops.payouts, ws),
                    "catalogue": timed(county_ops.catalogue, ws, date(2026, 12, 1)),
                    "villages": timed(county_ops.villages, ws, date(2026, 12, 1)),
                    "export": timed(county_ops.export_workbook, ws, root / "v.xlsx"),
                }
                ws.close()
                start = time.perf_counter()
                store = open_store(cdir, database_url=args.database_url)
                ws = Workspace(store, "bench")
                county_ops.status(ws)
                startup = time.perf_counter() - start
            db = (cdir / "gkdesk.sqlite3").stat().st_size if store.is_sqlite else 0
            backups = _dir_size(cdir / "backups") if (cdir / "backups").exists() else 0
            ratio = sum(flo) / sum(imp)
            per = sum(imp) / len(imp)
            results.append((n, ratio, views, startup, db, backups, per, sum(flo) / len(flo)))
            each = [f / i for f, i in zip(flo, imp, strict=True)]
            line = (f"N={n:>3}: import {per:.3f} s/package ({rows / len(imp):,.0f} rows), "
                    f"floor {sum(flo) / len(flo):.3f} s, ratio {ratio:.2f}× "
                    f"(per package: median {statistics.median(each):.2f}×, {min(each):.2f}–{max(each):.2f}×)")
            if views:
                line += "; views " + ", ".join(f"{k} {v:.2f}s" for k, v in views.items()) + f"; start-up {startup:.2f}s"
            print(line + f"; db {db / 2**20:.0f} MB, backups {backups / 2**20:.0f} MB; load {_loadavg()}", flush=True)
        ws.close()
    ns = [r[0] for r in results]
    engine = "PostgreSQL" if args.database_url else "SQLite"
    if len(ns) > 1:
        print(f"[{engine}] growth slope of per-package import time vs townships (log-log): "
              f"{slope(ns, [r[6] for r in results]):.2f} (floor {slope(ns, [r[7] for r in results]):.2f}; 0 = flat)")
        for k in results[0][2]:
            print(f"[{engine}] growth slope of {k} vs townships (log-log): {slope(ns, [r[2][k] for r in results]):.2f}")
        print(f"[{engine}] import ratio from {results[0][1]:.2f}× at N={ns[0]} to {results[-1][1]:.2f}× at N={ns[-1]} "
              f"(flat means no per-run cost proportional to the database)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
