"""Data safety of the county import: rows that point at other rows of the same table
(a corrected notice and the notice it replaces) arrive in any order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from gkdesk import sync
from gkdesk.models.posting import Posting
from gkdesk.postings import lifecycle as lc

OP = "乡镇"


def _corrections_out_of_id_order(store) -> tuple[int, int]:
    """Post and correct notices until a correction's id sorts before the one it replaces
    (the export sends rows in id order, so the correction then arrives first)."""
    made = 0
    with store.session() as s:
        for k in range(40):
            pid = lc.create_posting(s, OP, village_name="高桥村", title=f"公示{k}", on=date(2026, 10, 12)
                                    ).data["posting"]["id"]
            lc.review(s, pid, OP, reviewer="王建国", body="村务监督委员会", on=date(2026, 10, 12))
            lc.post(s, pid, OP, on=date(2026, 10, 13), location="村公示栏", length=7)
            new = lc.correct(s, pid, OP, on=date(2026, 10, 14), reason="核实后更正").data["posting"]["id"]
            made += 2
            if new < pid:
                return made, k
    raise AssertionError("could not make a correction whose id sorts first")


def test_a_correction_sent_before_the_notice_it_replaces_is_applied(pair, tmp_path):
    made, _ = _corrections_out_of_id_order(pair.township)
    res = sync.export_data(pair.township, tmp_path / "usb", OP)
    [rep] = sync.import_files(pair.county, res.files, "县级")
    assert rep.status == "applied", rep.reason
    assert rep.tables["posting"]["new"] == made
    with pair.county.session() as s:
        assert s.scalar(select(func.count()).select_from(Posting).where(Posting.replaces_id.is_not(None))) == made // 2
