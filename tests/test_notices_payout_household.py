"""Household lists (户主 + 保障人口) print as households: the notice heads the name column
户主 and prints the persons column; lists of persons print as before (issue 13, Deliver 4)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from gkdesk.models import PayoutBatch
from gkdesk.notices.service import NoticeOptions, print_payout_notices
from tests.notice_helpers import assert_no_secrets, page_texts
from tests.payout_files import pid
from tests.payout_real_files import minzheng_family_export, yikatong_export

DIBAO = ["--program", "城乡居民最低生活保障金", "--year", "2026", "--period", "2026年10月", "--json"]


def _print(store, batch: str, out: Path, mask: str = "none") -> list[str]:
    with store.session() as s:
        print_payout_notices(s, store.data_dir, batch, out, NoticeOptions(mask=mask), operator="测试员")
    return [t.replace(" ", "") for t in page_texts(out)]


def test_household_list_notice_prints_huzhu_and_persons(store, cli, tmp_path: Path) -> None:
    f = minzheng_family_export(tmp_path / "农村低保家庭查询.xlsx")
    j = cli("payouts", "import", str(f), *DIBAO).json
    assert j["status"] == "imported", j
    with store.session() as s:
        b = s.get(PayoutBatch, j["batch"])
        assert (b.household, b.persons_label) == (True, "保障人口")  # stored at import
    shown = cli("payouts", "show", j["batch"], "--json").json
    assert (shown["household"], shown["persons_label"]) == (True, "保障人口")  # and said by the CLI
    out = tmp_path / "低保公示.pdf"
    pages = _print(store, j["batch"], out, mask="id-partial")
    gaoqiao = next(t for t in pages if "高桥村" in t)
    assert "户主" in gaoqiao and "保障人口" in gaoqiao and "姓名" not in gaoqiao
    assert "赵老三" in gaoqiao and "3人" in gaoqiao and "700.00" in gaoqiao  # 保障人口 3, 合计 700
    assert "发放户数:1户" in gaoqiao and "保障人口:3人" in gaoqiao and "共1户" in gaoqiao
    liushu = next(t for t in pages if "柳树村" in t)
    assert "钱二妹" in liushu and "2人" in liushu and "450.00" in liushu
    # the full IDs and both account numbers never reach the paper (masked IDs only)
    secrets = [pid(n) for n in (11, 12, 13)] + [f"62170000000000{n:05d}" for n in (11, 12, 13)] \
        + [f"62305800000000{n:05d}" for n in (11, 12, 13)]
    assert_no_secrets(out, secrets)


def test_person_list_notice_unchanged(store, cli, tmp_path: Path) -> None:
    f = yikatong_export(tmp_path / "耕地地力保护补贴_社保卡.xlsx")
    j = cli("payouts", "import", str(f), "--program", "耕地地力保护补贴", "--year", "2026", "--json").json
    assert j["status"] == "imported", j
    with store.session() as s:
        b = s.scalar(select(PayoutBatch).where(PayoutBatch.id == j["batch"]))
        assert (b.household, b.persons_label) == (False, "")
    pages = _print(store, j["batch"], tmp_path / "耕地.pdf")
    assert all("姓名" in t and "户主" not in t and "数量" in t and "发放人数" in t for t in pages)


def test_household_list_keeps_its_own_word_for_persons(store, cli, tmp_path: Path) -> None:
    """A 户主 list whose persons column says 保障人数(人) prints 保障人数; the unit in brackets goes."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["所属村", "户主", "身份证号", "保障人数(人)", "发放金额(元)"])
    ws.append(["高桥村", "赵老三", pid(21), 3, 700.0])
    ws.append(["高桥村", "钱二妹", pid(22), 2, 450.0])
    wb.save(tmp_path / "特困.xlsx")
    j = cli("payouts", "import", str(tmp_path / "特困.xlsx"), *DIBAO).json
    assert j["status"] == "imported", j
    with store.session() as s:
        b = s.get(PayoutBatch, j["batch"])
        assert (b.household, b.persons_label) == (True, "保障人数")
    [page] = _print(store, j["batch"], tmp_path / "特困.pdf")
    assert "户主" in page and "保障人数" in page and "共2户" in page and "保障人数:5人" in page


def test_print_and_preview_summaries_count_households(store, cli, tmp_path: Path) -> None:
    """What the window and the CLI say after printing a household list: 户, not 人."""
    from gkdesk.app import notices as ops
    from gkdesk.app.workspace import Workspace

    f = minzheng_family_export(tmp_path / "农村低保家庭查询.xlsx")
    j = cli("payouts", "import", str(f), *DIBAO).json
    ws = Workspace(store, "测试员")
    done = ops.print_payouts(ws, j["batch"], tmp_path / "低保公示.pdf", NoticeOptions(mask="id-partial"))
    assert f"{done.rows} 户" in done.summary() and " 人" not in done.summary()
    seen = ops.preview_payouts(ws, j["batch"], NoticeOptions(mask="id-partial"))
    assert f"{seen.rows} 户。" in seen.summary()
    yk = yikatong_export(tmp_path / "耕地地力保护补贴_社保卡.xlsx")
    k = cli("payouts", "import", str(yk), "--program", "耕地地力保护补贴", "--year", "2026", "--json").json
    person = ops.print_payouts(ws, k["batch"], tmp_path / "耕地.pdf", NoticeOptions(mask="id-partial"))
    assert f"{person.rows} 人" in person.summary()
