"""Requests travel to the county in the township's package — the applicant does not — and
the county sees every township's open and overdue requests."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
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


@pytest.mark.postgres
def test_two_townships_reach_a_postgres_county(tmp_path):
    """The county on a real PostgreSQL server: requests and annual reports of two townships."""
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from gkdesk import township
    from gkdesk.app import annual_report as rep_app
    from gkdesk.store import open_store
    from tests.sync.helpers import enrol, make_township

    base = os.environ.get("GKDESK_TEST_PG_URL")
    if not base:
        pytest.skip("没有 PostgreSQL 测试服务器(GKDESK_TEST_PG_URL 未设置)")
    name = "gk_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    county = open_store(tmp_path / "county", database_url=make_url(base).set(database=name)
                        .render_as_string(hide_password=False))
    towns = [make_township(tmp_path, "t1"), make_township(tmp_path, "t2", name="石桥镇", code="511702102")]
    try:
        with county.session() as s:
            township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
        files = []
        for i, t in enumerate(towns):
            enrol(t, county, tmp_path)
            ws = Workspace(t, operator="乡镇")
            for k in range(i + 1):
                app.add(ws, channel="online", arrived_on=date(2026, 3, 2 + k), applicant_type="natural",
                        content=f"事项{k}", applicant_name="匿名", today=date(2026, 3, 2 + k))
            app.reply(ws, "2026-001", "open", "electronic", day=date(2026, 3, 6), today=date(2026, 3, 6))
            rep_app.set_figures(ws, 2026, dict.fromkeys(
                ["rules.issued", "rules.repealed", "rules.in_force", "normative.issued", "normative.repealed",
                 "normative.in_force", "license.decisions", "penalty.decisions", "coercion.decisions",
                 "fees.amount"], "0"))
            rep_app.set_section(ws, 2026, "五", f"第{i + 1}个乡镇的问题与改进。")
            rep_app.export(ws, 2026, tmp_path / f"r{i}.pdf", today=date(2027, 1, 20))
            files += sync.export_data(t, tmp_path / f"usb{i}", "乡镇").files
        reps = sync.import_files(county, files, "县级")
        assert [r.status for r in reps] == ["applied", "applied"], [r.reason for r in reps]
        cws = Workspace(county, operator="县级")
        over = app.county_overview(cws, today=date(2026, 5, 1))
        assert [(t.township, t.total, len(t.open), len(t.overdue)) for t in over.townships] == [
            ("高桥镇", 1, 0, 0), ("石桥镇", 2, 1, 1)]
        reports = rep_app.county_reports(cws, 2026)
        assert [t["submitted"] for t in reports.townships] == [True, True]
        assert reports.table3["new"]["natural"] == 3 and reports.table3["open"]["total"] == 2
        assert reports.table3["carry_next"]["total"] == 1
    finally:
        for st in (county, *towns):
            st.close()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
