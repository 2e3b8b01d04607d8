"""County import speed against a bare SQLAlchemy Core insert, same rows, same database, same run.

20 townships × 5,000 real payout rows each (a 补贴发放 batch written by the payouts' bulk
insert helper, ``gkdesk.notices.samples.make_batch``), exported as signed, encrypted
packages and imported by one county.

    .venv/bin/python benchmarks/sync.py [--townships 20] [--rows 5000] [--database-url URL]

Prints rows/s for the county import (verify, decrypt, hash-check, parse, apply by UUID and
revision, scope checks, receipt) and for the floor — every row of every travelling table
in the packages, parsed before the clock starts, inserted with Core executemany into
FK-free clones of the same tables in the same database, one transaction per township —
and their ratio (issue #21's targets: ≥ 0.5 on SQLite, ≥ 0.4 on PostgreSQL). This floor keeps
the tables' indexes and grows with the run; ``benchmarks/county.py`` measures the stricter
per-package floor (index-free clones, emptied each time) as the county grows.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Column, Index, MetaData, Table, insert, select

from gkdesk import sync, township
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.store import Store, open_store
from gkdesk.sync import keys
from gkdesk.sync.tables import Codec, travelling_tables

VILLAGES = 10


def build_township(root: Path, i: int, rows: int, county: Store) -> tuple[Path, Path]:
    d = root / f"t{i:02d}"
    st = open_store(d)
    rng = random.Random(i)
    with st.session() as s:
        township.init_installation(s, f"测试{i:02d}镇", f"5117021{i:02d}", "通川区", operator="bench")
        for v in range(VILLAGES):
            township.add_village(s, f"村{v:02d}", 5, "bench")
        people = make_people(township.villages(s), rows // VILLAGES, rng)
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期")
        keys.export_identity(s, root / f"t{i:02d}.json", d)
    with county.session() as s:  # enrolment: the county's registry assigns the township id
        town = keys.trust(s, root / f"t{i:02d}.json", "bench", data_dir=county.data_dir)["peer"]
        keys.verify(s, town["code"], town["fingerprint"], "bench")
        keys.enrolment_file(s, town["code"], root / f"e{i:02d}.json", county.data_dir)
    with st.session() as s:
        peer = keys.trust(s, root / f"e{i:02d}.json", "bench", data_dir=d)["peer"]
        keys.verify(s, peer["code"], peer["fingerprint"], "bench")
    res = sync.export_data(st, root / "usb", "bench")
    st.close()
    return root / f"t{i:02d}.json", res.files[0]


def _clone(t: Table, md: MetaData) -> Table:
    """The same columns and indexes, no foreign keys (the floor does no integrity work)."""
    c = Table(f"bench_floor_{t.name}", md, *[Column(x.name, x.type, primary_key=x.primary_key, nullable=x.nullable)
                                              for x in t.columns])
    for idx in t.indexes:
        Index(f"bf_{idx.name}", *[c.c[x.name] for x in idx.columns], unique=idx.unique)
    return c


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--townships", type=int, default=20)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--database-url", default=None, help="county on PostgreSQL instead of SQLite")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        county = open_store(root / "county", database_url=args.database_url)
        with county.session() as s:
            township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="bench")
        t0 = time.perf_counter()
        built = [build_township(root, i, args.rows, county) for i in range(args.townships)]
        t_build = time.perf_counter() - t0
        packages = [p for _, p in built]
        size = sum(p.stat().st_size for p in packages)
        t0 = time.perf_counter()
        reps = sync.import_files(county, packages, "bench")
        t_import = time.perf_counter() - t0
        bad = [r for r in reps if r.status != "applied"]
        if bad:
            print("import failed:", bad[0].reason, file=sys.stderr)
            return 1
        total = sum(sum(r.totals.values()) for r in reps)
        payouts = sum(r.tables.get("payout", {}).get("new", 0) for r in reps)

        # Floor: the same rows, read back from the county, as JSON lines → parsed → bare Core insert.
        md = MetaData()
        with county.session() as s:
            paths = travelling_tables(s.connection())
        clones = {p.table.name: _clone(p.table, md) for p in paths}
        md.create_all(county.engine)
        parsed = []
        with county.session() as s:
            conn = s.connection()
            for r in reps:
                tid = s.scalar(select(township.Township.id).where(township.Township.code == r.sender_code))
                per = []
                for p in paths:
                    codec = Codec(p.table)
                    lines = [codec.line(dict(x)) for x in conn.execute(select(p.table).where(p.clause(tid))).mappings()]
                    per.append((p.table.name, [codec.load(json.loads(x)) for x in lines]))
                parsed.append(per)
        floor_rows = sum(len(rows) for per in parsed for _, rows in per)
        with county.engine.connect() as conn:
            t0 = time.perf_counter()
            for per in parsed:
                with conn.begin():
                    for name, rows in per:
                        if rows:
                            conn.execute(insert(clones[name]), rows)
            t_floor = time.perf_counter() - t0
        dialect = county.engine.dialect.name
        county.close()
    rate, floor = total / t_import, floor_rows / t_floor
    print(f"county database: {dialect}; townships: {args.townships}; payout rows per township: {args.rows}")
    print(f"build + export of all townships: {t_build:.1f} s; packages: {size / 1e6:.1f} MB")
    print(f"county import: {total} rows ({payouts} payout rows) in {t_import:.2f} s = {rate:,.0f} rows/s "
          f"(incl. verify, decrypt, backup, receipts)")
    print(f"floor (bare Core executemany insert of the same rows, same DB, one transaction per township): "
          f"{floor_rows} rows in {t_floor:.2f} s = {floor:,.0f} rows/s")
    target = 0.5 if dialect == "sqlite" else 0.4
    print(f"ratio: {rate / floor:.2f}× the floor (target ≥ {target:.1f}× on {dialect})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
