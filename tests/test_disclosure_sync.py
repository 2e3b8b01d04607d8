"""Requests travel to the county in the township's package — the applicant does not — and
the county sees every township's open and overdue requests."""

from __future__ import annotations

import sqlite3
from datetime import date

from sqlalchemy import func, select

from gkdesk import sync
from gkdesk.app import disclosure as app
from gkdesk.app.workspace import Workspace
from gkdesk.models.disclosure import (
    DisclosureApplicant,
    DisclosureAttachment,
    DisclosureEvent,
    DisclosureRequest,
)
from tests.sync.helpers import make_pair


def test_requests_reach_the_county_without_the_applicant(tmp_path):
    pair = make_pair(tmp_path / "p")
    try:
        ws = Workspace(pair.township, operator="乡镇")
        scan = tmp_path / "申请书.pdf"
        scan.write_bytes(b"%PDF-1.4\n% scan of the request\n%%EOF\n")
        add = dict(channel="in_person", applicant_type="natural", applicant_name="钱某某", contact="13566667777",
                   address="高桥村三组")
        app.add(ws, arrived_on=date(2026, 3, 2), content="高桥村2025年低保对象名单", scans=[scan],
                today=date(2026, 3, 2), **add)
        app.add(ws, arrived_on=date(2026, 3, 16), content="柳树村土地征收补偿方案", today=date(2026, 3, 16), **add)
        app.reply(ws, "2026-002", "open", "direct", day=date(2026, 3, 18), today=date(2026, 3, 18))
        app.add(ws, arrived_on=date(2026, 4, 1), content="村道维修合同", today=date(2026, 4, 1), **add)
        res = sync.export_data(pair.township, tmp_path / "usb", "乡镇")
        assert res.counts["disclosure_request"] == 3 and res.counts["disclosure_event"] == 4
        assert res.attachments == 1
        [rep] = sync.import_files(pair.county, res.files, "县级")
        assert rep.status == "applied", rep.reason
        with pair.county.session() as s:
            assert s.scalar(select(func.count()).select_from(DisclosureRequest)) == 3
            assert s.scalar(select(func.count()).select_from(DisclosureEvent)) == 4
            assert s.scalar(select(func.count()).select_from(DisclosureApplicant)) == 0
            att = s.scalar(select(DisclosureAttachment))
            assert (pair.county.data_dir / "attachments" / att.sha256[:2] / f"{att.sha256}.pdf").read_bytes() \
                == scan.read_bytes()
        # nothing in the county's database names or reaches the applicant
        con = sqlite3.connect(pair.county.data_dir / "gkdesk.sqlite3")
        dump = "\n".join(con.iterdump())
        con.close()
        assert "13566667777" not in dump and "钱某某" not in dump and "高桥村三组" not in dump

        county = app.county_overview(Workspace(pair.county, operator="县级"), today=date(2026, 4, 20))
        [gq] = county.townships
        assert gq.township == "高桥镇" and gq.total == 3
        assert sorted(d["number"] for d in gq.open) == ["2026-001", "2026-003"]
        assert [d["number"] for d in gq.overdue] == ["2026-001"]  # due 30 March
        assert "未答复申请 2 件,其中超期 1 件" in county.summary()
        assert any("2026-001" in line for line in county.lines())
    finally:
        pair.close()
