"""The county at its full size: 40 townships × 5 years (≈15 M payout rows), views and start-up.

Importing 15 M rows package by package would take hours, so the county is built the way
the issue's author built it: **one real township** (15 villages, 耕地地力保护补贴 once,
高龄津贴 and 低保金 as 12 monthly lists, the demo catalogue) is exported as a signed package
and imported through the operation layer (``gkdesk.app.sync.import_packages`` — checks,
backup policy, apply, receipt). Its rows are then cloned in SQL:

- four earlier years of its payout lists (new ids, ``year``/``period``/``month`` moved back);
- then whole townships: every travelling row of the first township copied with new ids (id
  and every foreign key into a travelling table get a township suffix), a new township code
  and name, and a registered ``sync_peer`` for it.

The batches' own summaries (``row_count``, ``total_fen``) travel with them, so the summary
tables the views read stay consistent with the rows (``--check`` verifies it with
``county.check_batch_totals``). At N = 5, 10, 25, 40 townships it measures every county view
(status, payouts, catalogue, villages — cold, i.e. the first view of the day, and warm — and
the .xlsx export) and start-up (opening the store, the workspace and the first view, as the
window does); at the last N the import of one more real package (a new township's year, and
an incremental month of an existing township) with its ratio to a bare-insert floor. It ends
with the log-log slopes in townships.

``--backups 50`` instead builds a county from 50 small packages through the real import path
and the real backup policy and prints backups on disk against the database size.

    .venv/bin/python benchmarks/county_scale.py [--people 8300] [--years 5] [--series 5,10,25,40]
        [--database-url postgresql+psycopg://…] [--backups 50] [--keep DIR]

Not a timed test: it prints figures; nothing asserts on them.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import MetaData, delete, func, insert, literal, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.county import _clone, _dir_size, build_township, floor_seconds, slope
from gkdesk import sync, township
from gkdesk.app import county as county_ops
from gkdesk.app import sync as sync_ops
from gkdesk.app.workspace import Workspace
from gkdesk.models.county_cache import CountyViewCache
from gkdesk.models.payout import KIND_PERSON_MONTH, Payout, PayoutBatch
from gkdesk.models.sync import SyncPeer
from gkdesk.notices.samples import ensure_program, make_batch
from gkdesk.store import open_store
from gkdesk.sync.tables import travelling_tables

BASE_YEAR = 2026
TODAY = date(2026, 12, 1)


def code_of(i: int) -> str:
    return f"5117021{i:02d}"


def _new_id(col, tag: str):  # type: ignore[no-untyped-def]
    """A new 32-character id: the last four characters replaced by ``tag`` (NULL stays NULL)."""
    return func.substr(col, 1, 28).concat(literal(tag))


def clone_years(conn, tid: str, years: list[int]) -> int:  # type: ignore[no-untyped-def]
    """Copy the township's ``BASE_YEAR`` payout lists into earlier ``years`` (new ids)."""
    b, p = PayoutBatch.__table__, Payout.__table__
    n = 0
    src = select(b.c.id).where(b.c.township_id == tid, b.c.year == BASE_YEAR)
    for y in years:
        pre = f"y{BASE_YEAR - y:03d}"  # replaces the first four characters: independent of the township tag

        def nid(c, pre=pre):  # type: ignore[no-untyped-def]
            return literal(pre).concat(func.substr(c, 5))

        bcols = [nid(c) if c.name == "id" else literal(y) if c.name == "year" else
                 func.replace(c, str(BASE_YEAR), str(y)) if c.name == "period" else c for c in b.columns]
        conn.execute(insert(b).from_select([c.name for c in b.columns],
                                           select(*bcols).where(b.c.township_id == tid, b.c.year == BASE_YEAR)))
        pcols = [nid(c) if c.name in ("id", "batch_id") else
                 func.replace(c, str(BASE_YEAR), str(y)) if c.name == "month" else c for c in p.columns]
        n += conn.execute(insert(p).from_select([c.name for c in p.columns],
                                                select(*pcols).where(p.c.batch_id.in_(src)))).rowcount or 0
    return n


def clone_township(conn, src_tid: str, k: int) -> None:  # type: ignore[no-untyped-def]
    """Every travelling row of township ``src_tid`` again as township number ``k``."""
    tag = f"t{k:03d}"
    paths = travelling_tables(conn)
    names = {p.table.name for p in paths}
    for p in paths:
        t = p.table
        cols = []
        for c in t.columns:
            if c.name == "id" or any(fk.column.table.name in names for fk in c.foreign_keys):
                cols.append(_new_id(c, tag).label(c.name))
            elif t.name == "township" and c.name in ("code", "name"):
                cols.append(literal(code_of(k) if c.name == "code" else f"测试{k:02d}镇").label(c.name))
            else:
                cols.append(c)
        conn.execute(insert(t).from_select([c.name for c in t.columns], select(*cols).where(p.clause(src_tid))))
    peer = conn.execute(select(SyncPeer.__table__).where(SyncPeer.township_id == src_tid)).mappings().one()
    row = {k2: v for k2, v in peer.items() if k2 != "id"}
    row.update(code=code_of(k), name=f"测试{k:02d}镇", township_id=src_tid[:28] + tag)
    conn.execute(insert(SyncPeer.__table__).values(**row))


def timed(fn, *a, **k) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*a, **k)
    return time.perf_counter() - start


def views(ws: Workspace, out: Path) -> dict[str, float]:
    with ws.store.session() as s:  # cold: the first view of the day after new packages
        s.execute(delete(CountyViewCache))
    got = {"status": timed(county_ops.status, ws), "payouts": timed(county_ops.payouts, ws),
           "catalogue(cold)": timed(county_ops.catalogue, ws, TODAY),
           "villages(cold)": timed(county_ops.villages, ws, TODAY)}
    got["catalogue"] = timed(county_ops.catalogue, ws, TODAY)
    got["villages"] = timed(county_ops.villages, ws, TODAY)
    got["export"] = timed(county_ops.export_workbook, ws, out, today=TODAY)
    return got


def startup(cdir: Path, url: str | None) -> tuple[float, Workspace]:
    """What the window does before its first page shows figures: open, workspace, the status view."""
    start = time.perf_counter()
    store = open_store(cdir, database_url=url)
    ws = Workspace(store, "bench")
    county_ops.status(ws)
    return time.perf_counter() - start, ws


def db_size(ws: Workspace) -> int:
    if ws.store.is_sqlite:
        assert ws.store.db_path is not None
        return sum(Path(str(ws.store.db_path) + x).stat().st_size
                   for x in ("", "-wal") if Path(str(ws.store.db_path) + x).exists())
    with ws.store.engine.connect() as c:
        return int(c.scalar(text("SELECT pg_database_size(current_database())")) or 0)


def new_county(cdir: Path, url: str | None) -> Workspace:
    store = open_store(cdir, database_url=url)
    with store.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="bench")
    return Workspace(store, "bench")


def add_month(tdir: Path, month: int, people: int, out: Path, receipts: Path | None = None) -> Path:
    """One more monthly 低保金 list in township ``tdir``, exported as an incremental package.

    The county's newest receipt for this township is imported first, as the clerk's USB stick
    brings it back: without it the township would send everything since its last acknowledged
    package again.
    """
    st = open_store(tdir)
    if receipts is not None:
        with st.session() as s:
            code = township.current(s).code
        got = sorted(receipts.glob(f"*-{code}-receipt-*.gkpkg"))
        if got:
            sync.import_files(st, [got[-1]], "bench")
    rng = random.Random(month)
    with st.session() as s:
        from gkdesk.notices.samples import make_people

        prog = ensure_program(s, "低保金", kind=KIND_PERSON_MONTH, unit="人月")
        ppl = make_people(township.villages(s), max(1, people // 3 // 15), rng)
        make_batch(s, prog, BASE_YEAR, ppl, rng, Decimal("520"), f"{BASE_YEAR + 1}年{month}月")
    pkg = sync.export_data(st, out, "bench").files[0]
    st.close()
    return pkg


def scale(args: argparse.Namespace, root: Path) -> None:
    url = args.database_url
    series = [int(x) for x in args.series.split(",")]
    cdir = root / "county"
    ws = new_county(cdir, url)
    t0 = time.perf_counter()
    pkg = build_township(root, 0, 12, args.people, ws.store)
    extra = build_township(root, 99, 12, args.people, ws.store)  # imported at full size, at the end
    print(f"built two real townships ({args.people} people, 12 months): {time.perf_counter() - t0:.0f} s", flush=True)
    took = timed(sync_ops.import_packages, ws, [pkg], receipts_dir=root / "receipts")
    with ws.store.session() as s:
        tid = s.scalar(select(township.Township.id).where(township.Township.code == code_of(0)))
        one_year = s.scalar(select(func.count()).select_from(Payout))
    print(f"first package: {one_year:,} payout rows imported in {took:.1f} s", flush=True)
    t0 = time.perf_counter()
    with ws.store.engine.begin() as conn:
        clone_years(conn, tid, [BASE_YEAR - y for y in range(1, args.years)])
    print(f"cloned {args.years - 1} earlier years: {time.perf_counter() - t0:.0f} s", flush=True)
    results = []
    done = 1
    for n in series:
        t0 = time.perf_counter()
        while done < n:
            with ws.store.engine.begin() as conn:
                clone_township(conn, tid, done)
            done += 1
        with ws.store.session() as s:
            rows = s.scalar(select(func.count()).select_from(Payout))
        build = time.perf_counter() - t0
        ws.close()
        su, ws = startup(cdir, url)
        ws.close()
        su2, ws = startup(cdir, url)  # warm: the file is in the OS cache, as on the second start of a day
        v = views(ws, root / "v.xlsx")
        size = db_size(ws)
        results.append((n, v, su, su2))
        print(f"N={n:>3} ({rows:,} payout rows, db {size / 2**30:.2f} GB, cloned in {build:.0f} s): "
              f"start-up {su:.2f}s (again {su2:.2f}s); " + ", ".join(f"{k} {t:.2f}s" for k, t in v.items()),
              flush=True)
    if args.check:
        with ws.store.session() as s:
            from gkdesk import county

            ids = list(s.scalars(select(PayoutBatch.id)))
            print(f"batch summaries consistent with rows: {not county.check_batch_totals(s, ids)}")
    # one more package at full size, through the real path, against a bare-insert floor
    md = MetaData()
    with ws.store.session() as s:
        clones = {p.table.name: _clone(p.table, md) for p in travelling_tables(s.connection())}
    md.create_all(ws.store.engine)
    imp = timed(sync_ops.import_packages, ws, [extra], receipts_dir=root / "receipts")
    flo, k = floor_seconds(ws.store, code_of(99), clones)
    print(f"one more township's year at full size: {k:,} rows in {imp:.1f} s, bare insert {flo:.1f} s, "
          f"ratio {flo / imp:.2f}×", flush=True)
    inc = add_month(root / "t00", 1, args.people, root / "usb" / "t00-inc", root / "receipts")
    imp2 = timed(sync_ops.import_packages, ws, [inc], receipts_dir=root / "receipts")
    print(f"one incremental month ({args.people // 3 // 15 * 15:,} rows) at full size: {imp2:.2f} s", flush=True)
    md.drop_all(ws.store.engine)
    ws.close()
    ns = [r[0] for r in results]
    if len(ns) > 1:
        for key in results[0][1]:
            print(f"slope of {key} vs townships (log-log): {slope(ns, [r[1][key] for r in results]):.2f}")
        print(f"slope of start-up vs townships (log-log): {slope(ns, [r[3] for r in results]):.2f}")


class _Clock:
    """A simulated calendar for the backup policy: ``--per-day`` packages arrive each day.

    The backup and redo modules read ``datetime.now()``; in one real run every package would
    fall on the same day and share one anchor, which flatters the policy. Here each day
    begins with a new anchor copy, as a county importing over weeks sees it.
    """

    day = 0

    @classmethod
    def install(cls) -> None:
        from datetime import datetime as real
        from datetime import timedelta

        from gkdesk import backups, redo

        class Shifted(real):
            @classmethod
            def now(cls2, tz=None):  # type: ignore[no-untyped-def,override]
                return real.now(tz) + timedelta(days=cls.day)

        backups.datetime = Shifted  # type: ignore[misc]
        redo.datetime = Shifted  # type: ignore[misc]


def backups_run(args: argparse.Namespace, root: Path) -> None:
    """``--backups`` packages through the real import path and backup policy: disk used by backups."""
    url = args.database_url
    _Clock.install()
    per_day = args.per_day
    ws = new_county(root / "county", url)
    seen = 0

    def imported() -> None:
        nonlocal seen
        seen += 1
        if seen % per_day == 0:
            _Clock.day += 1
    towns = max(1, args.backups // 5)
    dirs = []
    for i in range(towns):
        pkg = build_township(root, i, 12, args.people, ws.store)
        dirs.append(root / f"t{i:02d}")
        sync_ops.import_packages(ws, [pkg], receipts_dir=root / "receipts")
        imported()
    n = towns
    month = 1
    while n < args.backups:
        for d in dirs:
            if n >= args.backups:
                break
            pkg = add_month(d, month, args.people, root / "usb" / f"{d.name}-{month}", root / "receipts")
            sync_ops.import_packages(ws, [pkg], receipts_dir=root / "receipts")
            imported()
            n += 1
        month += 1
    size = db_size(ws)
    bdir = root / "county" / "backups"
    used = _dir_size(bdir) if bdir.exists() else 0
    from gkdesk import backups as backup_files

    copies = sum(b.size for b in backup_files.list_backups(root / "county"))
    print(f"after {n} packages ({towns} townships, {per_day} a day over {_Clock.day + 1} simulated days): "
          f"db {size / 2**20:.1f} MB, backups {used / 2**20:.1f} MB (full copies {copies / 2**20:.1f} MB, "
          f"packages kept as the redo log {(used - copies) / 2**20:.1f} MB) = {used / size:.2f}× the database "
          f"(target ≤ 3×)")
    ws.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=8300, help="people per township (≈9 payout rows each a year)")
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--series", default="5,10,25,40")
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--backups", type=int, default=0, help="measure backups after this many packages instead")
    ap.add_argument("--per-day", type=int, default=5, help="with --backups: packages per simulated day")
    ap.add_argument("--check", action="store_true", help="verify every batch's summary against its rows")
    ap.add_argument("--keep", default=None, help="build in this folder and keep it")
    args = ap.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="gk-county-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        (backups_run if args.backups else scale)(args, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
