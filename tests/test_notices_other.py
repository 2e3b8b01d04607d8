"""Year-end summary, general table notices and the ``gkdesk notice`` command line."""

from __future__ import annotations

import random
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from gkdesk import township
from gkdesk.models import Payout, Posting, Village
from gkdesk.notices.samples import sample_year
from tests.notice_helpers import assert_no_secrets, page_texts


@pytest.fixture
def year_data(store):
    with store.session() as s:
        batches = sample_year(s, 2025, random.Random(3), per_village=30)
        ids = [b.id for b in batches]
        secrets = list(s.scalars(select(Payout.id_number))) + list(s.scalars(select(Payout.account_number)))
        vid = township.find_village(s, "柳树村").id
        total = s.scalar(select(func.sum(Payout.amount_fen)).where(Payout.village_id == vid))
    return ids, secrets, Decimal(total) / 100


def test_year_end_one_line_per_person_with_program_columns(store, year_data, cli, tmp_path):
    _ids, secrets, total = year_data
    out = tmp_path / "ye.pdf"
    r = cli("notice", "year-end", "--village", "柳树村", "--year", "2025", "--landscape", "-o", str(out))
    assert r.code == 0, r.err
    text = "\n".join(page_texts(out))
    assert "柳树村2025年度惠民惠农财政补贴资金发放情况公示" in text
    assert "耕地地力保护补贴" in text and "实际种粮农民一次性补贴" in text
    assert "共30人" in text.replace(" ", "") and f"{total:.2f}" in text
    assert_no_secrets(out, secrets)
    r = cli("notice", "year-end", "--village", "柳树村", "--year", "2019", "-o", str(tmp_path / "no.pdf"))
    assert r.code == 1 and "2019年没有任何补贴发放记录" in r.err


def _messy_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "低保名单"
    ws.append(["高桥村2025年第四季度低保对象名单"])
    ws.append([])
    ws.append(["序号", "户主姓名", "公民身份号码", "保障人数", "月保障金", "一卡通账号", "联系电话", "备注"])
    ws.append([1, "张大山", "11010519491231002X", 2, 860.5, "6217000012345678901", "13812345678", ""])
    ws.append([2, "李小花", "440524188001010014", 1, 430, "6217000098765432109", "13900001111", "卡号6228480012345678"])
    ws.append(["合计", "", "", 3, 1290.5, "", "", ""])
    wb.save(path)


def test_table_notice_masks_personal_columns_and_says_so(store, cli, tmp_path):
    src = tmp_path / "低保名单.xlsx"
    _messy_workbook(src)
    out = tmp_path / "t.pdf"
    r = cli("notice", "table", str(src), "--title", "高桥村低保对象公示", "--village", "高桥村", "-o", str(out))
    assert r.code == 0, r.err
    text = page_texts(out)[0]
    assert "高桥村低保对象公示" in text and "张大山" in text and "1290.5" in text
    assert "公民身份号码" not in text and "一卡通账号" not in text and "联系电话" not in text
    for col in ("公民身份号码", "一卡通账号", "联系电话"):
        assert f"“{col}”列" in r.err and "低保名单.xlsx" in r.err
    secrets = ["11010519491231002X", "440524188001010014", "6217000012345678901", "6217000098765432109",
               "13812345678", "6228480012345678"]
    assert_no_secrets(out, secrets)
    out2 = tmp_path / "t2.pdf"
    r = cli("notice", "table", str(src), "--title", "低保公示", "--mask", "id-partial", "--start", "2026-01-05",
            "--days", "7", "-o", str(out2))
    assert r.code == 0, r.err
    text2 = page_texts(out2)[0]
    assert "110105********002X" in text2 and "公示期:2026年1月5日至2026年1月11日(共7天)" in text2
    assert_no_secrets(out2, secrets)
    with store.session() as s:
        p = s.scalar(select(Posting))
        assert p.kind == "table" and p.source_ref == "file:低保名单.xlsx" and p.village_id is None


def test_typed_text_notice(store, cli, tmp_path):
    src = tmp_path / "通知.txt"
    src.write_text("关于2025年度村级财务收支情况的公示\n本年度收入合计 125,000.00 元。\n支出合计 98,300.00 元。\n",
                   encoding="gbk")
    out = tmp_path / "x.pdf"
    r = cli("notice", "table", str(src), "--title", "村级财务公开", "-o", str(out))
    assert r.code == 0, r.err
    text = page_texts(out)[0]
    assert "本年度收入合计 125,000.00 元。" in text and "第 1 页 共 1 页" in text
    r = cli("notice", "table", str(src), "--title", " ", "-o", str(tmp_path / "blank.pdf"))
    assert r.code == 1 and "公示标题不能为空" in r.err and "--title" in r.err


def test_cli_payouts_folder_and_errors(store, cli, tmp_path):
    with store.session() as s:
        from gkdesk.notices.samples import ensure_program, make_batch, make_people

        rng = random.Random(5)
        people = make_people(list(s.scalars(select(Village))), 20, rng)
        b = make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng)
        bid = b.id
    out = tmp_path / "folder"
    r = cli("--json", "notice", "payouts", bid[:8], "-o", str(out), "--start", "2026-03-02", "--days", "5")
    assert r.code == 0, r.err
    assert r.json["counts"]["files"] == 3 and r.json["counts"]["postings"] == 3
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{v}-2026年耕地地力保护补贴发放结果公示.pdf" for v in ("高桥村", "柳树村", "新华社区"))
    r = cli("notice", "payouts", "ffffffff", "-o", str(tmp_path / "a.pdf"))
    assert r.code == 1 and "gkdesk payouts list" in r.err  # the CLI renders the hint as the command to type
    r = cli("--json", "notice", "payouts", bid, "--start", "2026-03-02", "-o", str(tmp_path / "a.pdf"))
    assert r.code == 1 and r.json["hint"] == "notice_period" and "--days" in r.json["message"]
    r = cli("notice", "payouts", bid, "--village", "不存在村", "-o", str(tmp_path / "a.pdf"))
    assert r.code == 1 and "不存在村" in r.err
    r = cli("notice", "payouts", bid, "--start", "2026-13-01", "--days", "5", "-o", str(tmp_path / "a.pdf"))
    assert r.code == 2 and "2026-13-01" in r.err
    r = cli("notice", "payouts", bid, "--paper", "B5", "-o", str(tmp_path / "a.pdf"))
    assert r.code == 2 and "B5" in r.err
    assert not (tmp_path / "a.pdf").exists()


def test_table_notice_from_an_empty_workbook_or_missing_sheet_is_unreadable_input(store, cli, tmp_path) -> None:
    """Like ``payouts import``: a file with nothing to print, or a sheet name that is not there, is exit 2."""
    import openpyxl

    f = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(f)
    r = cli("notice", "table", str(f), "--title", "公示", "-o", str(tmp_path / "a.pdf"))
    assert r.code == 2 and "“空.xlsx”" in r.err and "都是空的" in r.err
    r = cli("notice", "table", str(f), "--title", "公示", "--sheet", "汇总", "-o", str(tmp_path / "a.pdf"))
    assert r.code == 2 and "没有工作表“汇总”" in r.err
    assert not (tmp_path / "a.pdf").exists()
