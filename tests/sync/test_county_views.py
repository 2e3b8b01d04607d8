"""County views from the real feature tables, on SQLite and on PostgreSQL: payout totals
equal each township's own sums, catalogue completion/overdue and village posting status
equal what each township's own dashboard says, and every view exports to .xlsx."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from gkdesk import county, sync, township, village_catalogue
from gkdesk.catalogue import due
from gkdesk.catalogue.demo_data import add_demo_catalogue
from gkdesk.county_xlsx import export_xlsx
from gkdesk.models.payout import Payout, PayoutBatch, Program
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.payouts.importer import soft_delete_batch
from gkdesk.postings import lifecycle as lc
from gkdesk.postings.calendar import overdue_villages
from gkdesk.store import open_store

from .helpers import enrol, make_township

OP = "乡镇"


def _fill(t, seed: int, years: tuple[int, ...], with_catalogue: bool, village: str = "高桥村") -> None:
    rng = random.Random(seed)
    with t.session() as s:
        people = make_people(township.villages(s), 15, rng)
        area = ensure_program(s, "耕地地力保护补贴")
        grain = ensure_program(s, "实际种粮农民一次性补贴")
        for y in years:
            make_batch(s, area, y, people, rng, Decimal("131.42"), "第1期")
            make_batch(s, grain, y, people[:20], rng, Decimal("7.80"), "第1批")
        gone = make_batch(s, grain, years[0], people[:5], rng, Decimal("9.99"), "作废")
        s.flush()
        soft_delete_batch(s, gone)  # a tombstoned batch counts nowhere
        if with_catalogue:
            add_demo_catalogue(s, OP, rng)
            village_catalogue.adopt_template(s, OP, village_names=[village])
            pid = lc.create_posting(s, OP, village_name=village, title="一季度财务收支", catalogue_item="财务收支",
                                    slot=f"{years[-1]}-Q1", on=date(years[-1], 4, 8)).data["posting"]["id"]
            lc.review(s, pid, OP, reviewer="王建国", body="民主理财小组", on=date(years[-1], 4, 8))
            lc.post(s, pid, OP, on=date(years[-1], 4, 9), location="村公示栏", length=7)


def _own_sums(t) -> dict[tuple[str, int], Decimal]:
    with t.session() as s:
        q = (select(Program.name, PayoutBatch.year, func.sum(Payout.amount_fen))
             .join(PayoutBatch, Payout.batch_id == PayoutBatch.id).join(Program, PayoutBatch.program_id == Program.id)
             .where(Payout.deleted_at.is_(None), PayoutBatch.deleted_at.is_(None))
             .group_by(Program.name, PayoutBatch.year))
        return {(p, y): Decimal(f) / 100 for p, y, f in s.execute(q)}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request, tmp_path):
    if request.param == "postgres":
        c = open_store(tmp_path / "county", database_url=request.getfixturevalue("pg_url"))
    else:
        c = open_store(tmp_path / "county")
    with c.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    t1 = make_township(tmp_path, "t1")
    t2 = make_township(tmp_path, "t2", name="石桥镇", code="511702102", villages=(("石桥村", 4),))
    for t in (t1, t2):
        enrol(t, c, tmp_path)
    _fill(t1, 1, (2025, 2026), with_catalogue=True)
    _fill(t2, 2, (2026,), with_catalogue=False)
    files = sync.export_data(t1, tmp_path / "usb", OP).files + sync.export_data(t2, tmp_path / "usb", OP).files
    reps = sync.import_files(c, files, "县级")
    assert [r.status for r in reps] == ["applied", "applied"], [r.reason for r in reps]
    yield c, t1, t2
    for st in (c, t1, t2):
        st.close()


def test_views_match_each_townships_own_figures(world, tmp_path):
    c, t1, t2 = world
    today = date.today()
    with c.session() as s:
        rows = county.payout_totals(s)
        cat, cat_overdue = county.catalogue_status(s, today)
        vil, vil_detail = county.village_status(s, today)
    got = {}
    for r in rows:
        got.setdefault(r["township"], {})[(r["program"], r["year"])] = r["total"]
        assert isinstance(r["total"], Decimal)
    assert got == {"高桥镇": _own_sums(t1), "石桥镇": _own_sums(t2)}
    assert len(rows) == 6 and sum(r["count"] for r in rows if r["township"] == "石桥镇") == 15 + 15  # one village × 15 people, two programs
    # catalogue: the county computes exactly what the township's own 首页 says
    with t1.session() as s:
        board = due.dashboard(s, today)
        own_overdue = sorted((o.domain, o.label, o.period) for o in board.overdue)
        own_villages = [(v.name, v.missing) for v in overdue_villages(s, today)]
    c1 = next(r for r in cat if r["township"] == "高桥镇")
    assert c1["items"] == sum(x["items"] for x in board.completion) and c1["items"] > 0
    assert c1["published"] == sum(x["published"] for x in board.completion) >= 5
    assert c1["overdue"] == len(board.overdue) >= 1
    assert sorted((o["domain"], o["item"], o["period"]) for o in cat_overdue if o["township"] == "高桥镇") == own_overdue
    c2 = next(r for r in cat if r["township"] == "石桥镇")
    assert c2["items"] == 0 and c2["percent"] is None  # nothing seeded there: not counted as done
    # village postings
    v1 = next(r for r in vil if r["township"] == "高桥镇")
    assert (v1["villages"], v1["postings"], v1["by_status"]) == (2, 1, {"公示中": 1})
    assert [(d["village"], d["missing"]) for d in vil_detail if d["township"] == "高桥镇"] == own_villages
    assert v1["overdue_villages"] == len(own_villages)
    # .xlsx: every view, the grand total exact
    out = tmp_path / "县级汇总.xlsx"
    with c.session() as s:
        res = export_xlsx(s, out, today)
    assert res["payouts"] == 6 and res["catalogue"] == 2 and res["villages"] == 2
    wb = load_workbook(out)
    assert wb.sheetnames == ["同步状态", "发放合计", "目录完成情况", "逾期事项", "村务公开情况", "逾期的村"]
    last = list(wb["发放合计"].iter_rows(values_only=True))[-1]
    want = sum(_own_sums(t1).values()) + sum(_own_sums(t2).values())
    assert last[0] == "合计" and Decimal(str(last[6])).quantize(Decimal("0.01")) == want
    assert len(list(wb["逾期事项"].iter_rows())) == 1 + len(cat_overdue)


def test_single_view_export_and_cli(world, tmp_path, capsys):
    import json

    from gkdesk.cli import main as cli_main

    def cli(*argv: str):
        code = cli_main(list(argv))
        out = capsys.readouterr().out
        return code, out, (json.loads(out) if "--json" in argv else None)

    c, _, _ = world
    with c.session() as s:
        export_xlsx(s, tmp_path / "p.xlsx", views=["payouts"])
    assert load_workbook(tmp_path / "p.xlsx").sheetnames == ["发放合计"]
    if not c.is_sqlite:
        return
    d = str(c.data_dir)
    code, _, js = cli("--data-dir", d, "county", "payouts", "--json")
    assert code == 0 and len(js["totals"]) == 6
    assert Decimal(js["grand_total"]) == sum(Decimal(r["total"]) for r in js["totals"])
    code, _, js = cli("--data-dir", d, "county", "catalogue", "--json")
    assert code == 0 and {x["township"] for x in js["townships"]} == {"高桥镇", "石桥镇"}
    code, out, _ = cli("--data-dir", d, "county", "villages")
    assert code == 0 and "高桥镇" in out and "公示中" in out
    code, _, _ = cli("--data-dir", d, "county", "export", "-o", str(tmp_path / "v.xlsx"), "--view", "villages")
    assert code == 0 and load_workbook(tmp_path / "v.xlsx").sheetnames == ["村务公开情况", "逾期的村"]


def test_batch_summaries_are_checked_against_rows(world):
    """The views read each batch's stored row count and total; the check the county runs on
    the batches a package brings finds a batch whose summary disagrees with its rows."""
    c, _, _ = world
    with c.session() as s:
        ids = list(s.scalars(select(PayoutBatch.id).where(PayoutBatch.deleted_at.is_(None))))
        assert ids and county.check_batch_totals(s, ids) == []
        forged = s.get(PayoutBatch, ids[0])
        forged.total_fen += 100
        s.flush()
        assert county.check_batch_totals(s, ids) == [ids[0]]
        s.rollback()


def test_view_queries_never_scan_the_payout_table(world):
    """On PostgreSQL the per-township count used to be a parallel seq scan of every payout
    row, once per township (quadratic: 10.6 s at 25 townships). The views now read batches;
    the per-package check reaches payout rows only through the (batch_id, seq) index."""
    c, _, _ = world
    if c.is_sqlite:
        pytest.skip("plans checked on PostgreSQL")
    from sqlalchemy import text

    from gkdesk.models.payout import Payout

    with c.session() as s:
        ids = list(s.scalars(select(PayoutBatch.id)))
        s.execute(text("SET LOCAL enable_seqscan = off"))
        q = (select(Payout.batch_id, func.count(), func.sum(Payout.amount_fen))
             .where(Payout.batch_id.in_(ids), Payout.deleted_at.is_(None)).group_by(Payout.batch_id))
        compiled = q.compile(dialect=s.bind.dialect, compile_kwargs={"literal_binds": True})
        plan = "\n".join(r[0] for r in s.execute(text(f"EXPLAIN {compiled}")))
        assert "ix_payout_batch_seq" in plan and "Seq Scan on payout " not in plan, plan
        s.rollback()


def test_date_dependent_views_are_cached_until_a_package_or_a_new_day(world, tmp_path):
    """Catalogue and village views are computed once per township per day and package:
    a second refresh reads the cache; the township's next package recomputes it."""
    from gkdesk.models.county_cache import CountyViewCache

    c, _, t2 = world
    today = date(2026, 11, 20)
    with c.session() as s:
        first = county.catalogue_status(s, today)
        county.village_status(s, today)
        assert s.scalar(select(func.count()).select_from(CountyViewCache)) == 4  # 2 townships × 2 views
        assert county.catalogue_status(s, today) == first
    assert next(r for r in first[0] if r["township"] == "石桥镇")["items"] == 0
    with t2.session() as s:
        add_demo_catalogue(s, OP, random.Random(5))
    reps = sync.import_files(c, sync.export_data(t2, tmp_path / "usb2", OP).files, "县级")
    assert [r.status for r in reps] == ["applied"], [r.reason for r in reps]
    with c.session() as s:
        after, _ = county.catalogue_status(s, today)
        own = due.dashboard(s, today, township_id=next(p.township_id for p in county.peers(s) if p.name == "石桥镇"))
    shi = next(r for r in after if r["township"] == "石桥镇")
    assert shi["items"] == sum(x["items"] for x in own.completion) > 0
    with c.session() as s:  # another day: recomputed for that day
        later, _ = county.catalogue_status(s, date(2027, 3, 1))
        rows = {r.view: r.day for r in s.scalars(select(CountyViewCache))}
    assert date(2027, 3, 1) in rows.values() and len(later) == 2
