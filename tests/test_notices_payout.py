"""Payout notices: what a villager reads on the board, and what must never be on it."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from gkdesk import township
from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.identity import mask_id
from gkdesk.models import Payout, Posting
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.notices.service import NoticeOptions, print_payout_notices
from tests.notice_helpers import assert_no_secrets, page_texts


@pytest.fixture
def batch(store):
    rng = random.Random(7)
    with store.session() as s:
        people = make_people(township.villages(s), 60, rng)
        b = make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期")
        secrets = [p[3] for p in people] + [p[4] for p in people]
        return b.id, secrets, people


def _totals(store, batch_id):
    with store.session() as s:
        rows = s.execute(select(Payout.village_id, func.sum(Payout.amount_fen), func.count())
                         .where(Payout.batch_id == batch_id).group_by(Payout.village_id)).all()
        names = {v.id: v.name for v in township.villages(s)}
    return {names[v]: (Decimal(f) / 100, n) for v, f, n in rows}


def test_combined_pdf_every_village_totals_pages_and_no_ids(store, batch, tmp_path):
    batch_id, secrets, _ = batch
    out = tmp_path / "all.pdf"
    with store.session() as s:
        res = print_payout_notices(s, store.data_dir, batch_id, out, NoticeOptions(), operator="测试员")
    texts = page_texts(out)
    assert res.counts["pages"] == len(texts) and res.counts["rows"] == 180
    totals = _totals(store, batch_id)
    # every page: title, township and village, repeated header, "第 x 页 共 y 页" counting within its village
    per_village: dict[str, list[str]] = {}
    for t in texts:
        assert "2026年耕地地力保护补贴发放结果公示" in t
        assert "序号" in t and "姓名" in t and "金额(元)" in t
        village = next(v for v in totals if f"高桥镇 {v}" in t)
        per_village.setdefault(village, []).append(t)
    assert set(per_village) == {"高桥村", "柳树村", "新华社区"}
    for v, pages in per_village.items():
        for k, t in enumerate(pages, start=1):
            assert f"第 {k} 页 共 {len(pages)} 页" in t
        last = pages[-1]
        amount, n = totals[v]
        assert re.search(rf"合计.*共{n}人.*{amount:.2f}", last.replace("\n", " ")), last[-400:]
        assert "经办人" in last and "村务监督委员会审核" in last and "(盖章)" in last
        assert "监督电话:高桥镇人民政府 0818-2345678" in last
        assert "公示期:______年" in pages[0]  # not for posting: left blank for the pen
    assert_no_secrets(out, secrets)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == 0


def test_id_partial_prints_masked_ids_only(store, batch, tmp_path):
    batch_id, secrets, people = batch
    out = tmp_path / "v.pdf"
    with store.session() as s:
        print_payout_notices(s, store.data_dir, batch_id, out, NoticeOptions(mask="id-partial"), village="柳树村")
    text = "".join(page_texts(out)).replace(" ", "")
    liushu = [p for p in people if p[0].name == "柳树村"]
    assert all(mask_id(p[3]) in text for p in liushu)
    assert "高桥村" not in text
    assert_no_secrets(out, secrets)


def test_by_group_folder_one_file_per_group_with_group_subtotal(store, batch, tmp_path):
    batch_id, secrets, people = batch
    out = tmp_path / "folder"
    with store.session() as s:
        res = print_payout_notices(s, store.data_dir, batch_id, out, NoticeOptions(by_group=True, large_print=True),
                                   village="高桥村")
    files = sorted(out.glob("*.pdf"))
    groups = sorted({p[1] for p in people if p[0].name == "高桥村"})
    assert len(files) == len(groups) == res.counts["files"]
    for f in files:
        texts = page_texts(f)
        g = re.search(r"高桥村-(第.组)", f.name).group(1)
        n = sum(1 for p in people if p[0].name == "高桥村" and f"第{'一二三四五'[p[1] - 1]}组" == g)
        assert all(f"高桥镇 高桥村 {g}" in t for t in texts)
        assert f"共{n}人" in texts[-1].replace(" ", "")
        assert_no_secrets(f, secrets)


def test_large_print_has_fewer_rows_per_page(store, batch, tmp_path):
    batch_id, _, _ = batch
    with store.session() as s:
        a = print_payout_notices(s, store.data_dir, batch_id, tmp_path / "a.pdf", NoticeOptions(), village="高桥村")
        b = print_payout_notices(s, store.data_dir, batch_id, tmp_path / "b.pdf", NoticeOptions(large_print=True),
                                 village="高桥村")
        c = print_payout_notices(s, store.data_dir, batch_id, tmp_path / "c.pdf",
                                 NoticeOptions(paper="A3", landscape=True), village="高桥村")
    assert b.counts["pages"] > a.counts["pages"] >= 2
    assert c.counts["pages"] >= 1
    # rows are never split across pages: every 序号 1..60 appears exactly once
    nums = re.findall(r"^(\d+)\n第.组", "\n".join(page_texts(tmp_path / "b.pdf")), re.M)
    assert sorted(map(int, nums)) == list(range(1, 61))


def test_for_posting_records_posting_with_working_day_period(store, batch, tmp_path):
    batch_id, _, _ = batch
    out = tmp_path / "post.pdf"
    opts = NoticeOptions(start=date(2025, 9, 29), days=7, working_days=True)
    with store.session() as s:
        res = print_payout_notices(s, store.data_dir, batch_id, out, opts, village="高桥村", operator="李会计")
    assert "公示期:2025年9月29日至2025年10月14日(共7个工作日)" in page_texts(out)[0]
    with store.session() as s:
        posts = list(s.scalars(select(Posting)))
    assert len(posts) == 1 and res.counts["postings"] == 1
    p = posts[0]
    assert (p.kind, p.status, p.printed_by, p.period_end, p.period_days, p.period_unit) == (
        "payout", "draft", "李会计", date(2025, 10, 14), 7, "working")
    stored = store.data_dir / p.pdf_path
    assert stored.read_bytes() == out.read_bytes() and p.pdf_sha256 in stored.name
    assert p.source_ref == f"payout_batch:{batch_id}" and p.page_count == len(page_texts(out))


def test_bad_options_are_refused(store, batch, tmp_path):
    batch_id, _, _ = batch
    with store.session() as s:
        with pytest.raises(InputRejected, match="没有天数") as exc:
            print_payout_notices(s, store.data_dir, batch_id, tmp_path / "x.pdf", NoticeOptions(start=date(2026, 1, 5)))
        assert exc.value.hint == Hint.NOTICE_PERIOD and "--" not in exc.value.message
        with pytest.raises(InputRejected, match="脱敏"):
            print_payout_notices(s, store.data_dir, batch_id, tmp_path / "x.pdf", NoticeOptions(mask="full"))
    assert not (tmp_path / "x.pdf").exists()
