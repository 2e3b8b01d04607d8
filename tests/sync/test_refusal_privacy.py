"""A package the database itself rejects (a row whose parent is missing) is refused
cleanly: no row contents in the reason, the refusal log or a traceback, nothing
changed, and the next package still goes in."""

from __future__ import annotations

import json

from sqlalchemy import select

from gkdesk import sync
from gkdesk.models import VillageGroup
from gkdesk.models.base import utcnow
from gkdesk.models.township import Village
from gkdesk.sync.tables import Codec

from .helpers import db_fingerprint
from .test_refusals import forge

OP = "乡镇"


def test_rows_the_database_rejects_refuse_the_package_without_quoting_them(pair, tmp_path):
    secret = "511702195304010633"
    with pair.township.session() as s:
        tid = s.scalar(select(Village.township_id))
    # A village whose group points at a village that is not there: the database refuses the row.
    row = {"id": "a" * 32, "created_at": utcnow(), "updated_at": utcnow(), "revision": 1, "deleted_at": None,
           "township_id": tid, "name": f"张三{secret}", "kind": "村", "code": "", "sort_order": 1}
    grp = {"id": "b" * 32, "created_at": utcnow(), "updated_at": utcnow(), "revision": 1, "deleted_at": None,
           "village_id": "c" * 32, "name": f"李四{secret}", "number": 1, "sort_order": 1}
    grp = {k: v for k, v in grp.items() if k in VillageGroup.__table__.c}
    bad = forge(pair, tmp_path, {"tables/village.jsonl": Codec(Village.__table__).line(row),
                                 "tables/village_group.jsonl": Codec(VillageGroup.__table__).line(grp)},
                name="bad")
    before = db_fingerprint(pair.county)
    reps = sync.import_files(pair.county, [bad], "县级")
    assert [r.status for r in reps] == ["refused"]
    assert "bad.gkpkg" in reps[0].reason and "已拒绝" in reps[0].reason
    assert secret not in reps[0].reason
    assert db_fingerprint(pair.county) == before
    log = (pair.county.data_dir / "sync" / "refused.jsonl").read_text(encoding="utf-8")
    assert json.loads(log.splitlines()[-1])["status"] == "refused"
    assert secret not in log
    # …and the township's next, good package still goes in.
    good = sync.export_data(pair.township, tmp_path / "usb2", OP).files[0]
    assert [r.status for r in sync.import_files(pair.county, [good], "县级")] == ["applied"]
