"""County import speed against a bare SQLAlchemy Core insert, same rows, same database, same run.

20 townships × 5,000 travelling rows each. Until the payout tables land in this branch the
rows are 村民小组 (``village_group``: 50 villages × 100 groups per township), which travel
through the same generic engine (scope via village → township).

    .venv/bin/python benchmarks/sync.py [--townships 20] [--rows 5000]

Prints rows/s for the county import (verify, decrypt, hash-check, apply by UUID and
revision, scope checks, receipt) and for the floor, and their ratio (target ≥ 0.3).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import MetaData, insert, select

from gkdesk import sync, township
from gkdesk.models import Village, VillageGroup, new_uuid, utcnow
from gkdesk.store import open_store
from gkdesk.sync import keys
from gkdesk.sync.tables import Codec


def build_township(root: Path, i: int, rows: int, county_id: Path) -> tuple[Path, Path]:
    d = root / f"t{i:02d}"
    st = open_store(d)
    with st.session() as s:
        t = township.init_installation(s, f"测试{i:02d}镇", f"5117021{i:02d}", "通川区", operator="bench").data["township"]
        villages = max(rows // 100, 1)
        now = utcnow()
        vrows = [{"id": new_uuid(), "township_id": t["id"], "name": f"村{v:03d}", "kind": "村", "code": "",
                  "sort_order": v, "created_at": now, "updated_at": now, "revision": 1} for v in range(villages)]
        s.execute(insert(Village), vrows)
        grows = [{"id": new_uuid(), "village_id": vrows[n % villages]["id"], "number": n // villages + 1,
                  "name": f"{n // villages + 1}组", "created_at": now, "updated_at": now, "revision": 1}
                 for n in range(rows - villages)]
        s.execute(insert(VillageGroup), grows)
        keys.trust(s, county_id, "bench")
        keys.export_identity(s, root / f"t{i:02d}.json", d)
    res = sync.export_data(st, root / "usb", "bench")
    st.close()
    return root / f"t{i:02d}.json", res.files[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--townships", type=int, default=20)
    ap.add_argument("--rows", type=int, default=5000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        county = open_store(root / "county")
        with county.session() as s:
            township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="bench")
            keys.export_identity(s, root / "county.json", county.data_dir)
        t0 = time.perf_counter()
        built = [build_township(root, i, args.rows, root / "county.json") for i in range(args.townships)]
        t_build = time.perf_counter() - t0
        with county.session() as s:
            for ident, _ in built:
                keys.trust(s, ident, "bench")
        packages = [p for _, p in built]
        t0 = time.perf_counter()
        reps = sync.import_files(county, packages, "bench")
        t_import = time.perf_counter() - t0
        bad = [r for r in reps if r.status != "applied"]
        if bad:
            print("import failed:", bad[0].reason, file=sys.stderr)
            return 1
        total = sum(sum(r.totals.values()) for r in reps)

        # Floor: the same rows, read back, inserted with bare Core into a clone table of the same DB.
        md = MetaData()
        clones = {}
        for tbl in (Village.__table__, VillageGroup.__table__):
            c = tbl.to_metadata(md, name=f"bench_floor_{tbl.name}")
            c.foreign_keys.clear()
            c.constraints = {k for k in c.constraints if k.__class__.__name__ != "ForeignKeyConstraint"}
            clones[tbl.name] = c
        md.create_all(county.engine)
        per_township = []
        with county.engine.connect() as conn:
            for r in reps:
                with county.session() as s:
                    tid = s.scalar(select(township.Township.id).where(township.Township.code == r.sender_code))
                    vs = [dict(x) for x in s.execute(select(Village.__table__).where(Village.township_id == tid)).mappings()]
                    ids = [v["id"] for v in vs]
                    gs = [dict(x) for x in s.execute(select(VillageGroup.__table__).where(VillageGroup.village_id.in_(ids))).mappings()]
                per_township.append((Codec(Village.__table__), [Codec(Village.__table__).line(v) for v in vs],
                                     Codec(VillageGroup.__table__), [Codec(VillageGroup.__table__).line(g) for g in gs]))
            # parsed before the clock starts: the floor is the bare insert only
            parsed = [([vc.load(json.loads(x)) for x in vl], [gc.load(json.loads(x)) for x in gl])
                      for vc, vl, gc, gl in per_township]
            t0 = time.perf_counter()
            for vrows, grows in parsed:
                with conn.begin():
                    conn.execute(insert(clones["village"]), vrows)
                    conn.execute(insert(clones["village_group"]), grows)
            t_floor = time.perf_counter() - t0
        floor_rows = sum(len(vl) + len(gl) for _, vl, _, gl in per_township)
        county.close()
    rate, floor = total / t_import, floor_rows / t_floor
    print(f"townships: {args.townships}, rows per township: {args.rows} (village + village_group rows)")
    print(f"build + export of all townships: {t_build:.1f} s")
    print(f"county import: {total} rows in {t_import:.2f} s = {rate:,.0f} rows/s (incl. verify, decrypt, backup, receipts)")
    print(f"floor (bare Core executemany insert of the same rows, same DB, one transaction per township): {floor_rows} rows in {t_floor:.2f} s = {floor:,.0f} rows/s")
    print(f"ratio: {rate / floor:.2f}× the floor (target ≥ 0.30×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
