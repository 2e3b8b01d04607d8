"""Search: trigram index for 3+ characters, LIKE for short words, kept in step with edits."""

from __future__ import annotations

import pytest

from gkdesk.catalogue import core, search


def labels(s, q, **kw):
    return [core.find_item(s, i).label for i in search.search_ids(s, q, **kw)]


def test_search_finds_content_basis_and_short_words(store):
    with store.session() as s:
        core.ensure_seeded(s)
        assert labels(s, "初审对象名单") == ["最低生活保障 / 审核信息", "特困人员救助供养 / 审核信息"]
        assert labels(s, "国务院令第649号") == ["综合业务 / 政策法规文件"]
        assert labels(s, "农机") == ["农业产业发展资金 / 农机购置与应用补贴"]  # 2 characters: LIKE
        assert labels(s, "低保 名单") == ["最低生活保障 / 审批信息"]
        assert labels(s, "不存在的事项") == []
        assert labels(s, "100%") == []  # LIKE wildcards are escaped


def test_index_follows_updates_and_soft_deletes(store):
    with store.session() as s:
        core.ensure_seeded(s)
        item = core.find_item(s, "农机购置与应用补贴")
        item.content = "新增:农机报废更新补贴"
        s.flush()
        assert labels(s, "报废更新") == ["农业产业发展资金 / 农机购置与应用补贴"]
        item.soft_delete()
        s.flush()
        assert labels(s, "报废更新") == []
        assert search.rebuild_index(s) == len(core.items(s, include_deleted=True))
        assert labels(s, "初审对象名单")[:1] == ["最低生活保障 / 审核信息"]


def test_search_under_50ms_on_5000_items(store):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "catalogue_search_bench", Path(__file__).resolve().parent.parent / "benchmarks" / "catalogue_search.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.build(store, 5000)
    res = bench.measure(store)
    res.pop("(floor: one pk lookup)")
    assert max(res.values()) < bench.LIMIT_MS, res
    with store.session() as s:
        assert len(search.search_ids(s, "对象名单", limit=10000)) > 5000


@pytest.mark.postgres
def test_search_falls_back_to_like_on_postgresql(tmp_path):
    """On PostgreSQL there is no FTS5 table: the same call answers through LIKE."""
    import os

    url = os.environ.get("GKDESK_TEST_PG_URL")
    if not url:
        pytest.skip("GKDESK_TEST_PG_URL not set")
    from sqlalchemy import text

    from gkdesk import township
    from gkdesk.store import open_store

    store = open_store(tmp_path, database_url=url)
    try:
        with store.session() as s:
            s.execute(text("DELETE FROM audit_log"))  # a shared server: start from a clean township
            for table in ("catalogue_publication", "catalogue_item", "catalogue_domain", "village_group",
                          "village", "setting", "township"):
                s.execute(text(f"DELETE FROM {table}"))
        with store.session() as s:
            township.init_installation(s, "高桥镇", "511702101", "通川区", operator="测试员")
            core.ensure_seeded(s)
            assert labels(s, "初审对象名单") == ["最低生活保障 / 审核信息", "特困人员救助供养 / 审核信息"]
            assert labels(s, "农机") == ["农业产业发展资金 / 农机购置与应用补贴"]
    finally:
        store.close()
