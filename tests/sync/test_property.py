"""Property: random township edits, exports and imports in any order, duplicates included —
after a last export and import the county holds exactly the township's data."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from gkdesk import sync, township
from gkdesk.models import VillageGroup

from .helpers import copy_pair, self_id, township_rows

OPS = st.lists(st.tuples(st.sampled_from(["add", "rename", "groups", "delete_group", "export",
                                          "import", "receipt"]), st.integers(0, 1000)),
               min_size=1, max_size=14)
_counter = itertools.count()


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_county_converges_to_township(pair_template, tmp_path, ops):
    root = tmp_path / f"ex{next(_counter)}"
    pair = copy_pair(pair_template, root)
    try:
        packages: list[list[Path]] = []
        receipts: list[Path] = []
        for op, n in ops:
            with pair.township.session() as s:
                vs = township.villages(s)
                if op == "add":
                    township.add_village(s, f"新村{n}-{len(vs)}", n % 3, "乡镇")
                elif op == "rename" and vs:
                    vs[n % len(vs)].name = f"改名{n}-{len(vs)}"
                elif op == "groups" and vs:
                    v = vs[n % len(vs)]
                    township.ensure_groups(s, v, len(v.groups) + 1 + n % 2)
                elif op == "delete_group":
                    live = list(s.scalars(select(VillageGroup).where(VillageGroup.deleted_at.is_(None))))
                    if live:
                        live[n % len(live)].soft_delete()
            if op == "export":
                packages.append(sync.export_data(pair.township, root / "usb", "乡镇").files)
            elif op == "import" and packages:
                for rep in sync.import_files(pair.county, packages[n % len(packages)], "县级"):
                    assert rep.status in ("applied", "duplicate", "refused")
                    if rep.status == "refused":
                        assert "旧包或重放" in rep.reason, rep.reason
                    receipts.extend(Path(f) for f in rep.receipt_files)
            elif op == "receipt" and receipts:
                sync.import_files(pair.township, [receipts[n % len(receipts)]], "乡镇")
        last = sync.export_data(pair.township, root / "usb", "乡镇").files
        [rep] = sync.import_files(pair.county, last, "县级")
        assert rep.status == "applied", rep.reason
        assert rep.totals["conflicting"] == 0
        tid = self_id(pair.township)
        assert township_rows(pair.county, tid) == township_rows(pair.township, tid)
    finally:
        pair.close()
