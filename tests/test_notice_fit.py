"""Notices that fit the wall: adversarial data rendered and read back with positions.

Every test renders a real PDF, reads each drawn piece of text with its position and
size (pypdf's visitor), and asserts what a villager in front of the board would see:
no amount, ID, area, date or row number broken across lines, nothing off the paper,
and large print really large.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from gkdesk.identity import make_id, mask_id
from gkdesk.notices.fonts import choose_fonts
from gkdesk.notices.layout import PageLayout
from gkdesk.notices.payout import PayoutLine, PayoutSheetSource, build_payout_notices
from gkdesk.notices.render import NoticeTooWide, render
from gkdesk.notices.sources import YearEndPerson, YearEndSource
from gkdesk.notices.table import build_table_notice
from gkdesk.notices.year_end import build_year_end_notice
from tests.notice_helpers import assert_inside_page, assert_tokens_whole, fragments, page_texts

LONG_GROUP = "石板滩七组(原红岩大队七队)"
COOP = "红岩村石板滩蔬菜种植专业合作社"


def adversarial_source(rows: int = 1200) -> tuple[PayoutSheetSource, list[str]]:
    """6-digit amounts, 4-digit areas, a long group name, a co-operative, 1,000+ rows."""
    rng = random.Random(11)
    groups = [LONG_GROUP, "一组", "二组", "三组(新)"]
    lines, ids = [], []
    for i in range(rows):
        g = groups[min(3, i * 4 // rows)]
        name = COOP if i % 97 == 5 else rng.choice(["张三", "欧阳明月", "李四", "司马相如"])
        idn = make_id("511702", __import__("datetime").date(1961, 3, 4), i % 999)
        ids.append(idn)
        qty = Decimal("7515.37") if i % 5 == 0 else Decimal(rng.randint(30, 900)) / 100
        amount = Decimal("987669.93") if i % 7 == 0 else (qty * Decimal("131.42")).quantize(Decimal("0.01"))
        lines.append(PayoutLine(name=name, amount=amount, group=g, quantity=qty, unit="亩", rate=Decimal("131.42"),
                                id_number=idn))
    src = PayoutSheetSource("高桥镇", "红岩村", "耕地地力保护补贴", 2026, "第1期", lines,
                            phones=["高桥镇人民政府 0818-2345678", "通川区农业农村局 0818-2112345"])
    return src, ids


@pytest.fixture(scope="module")
def fonts():
    return choose_fonts()


def _body_sizes(path) -> list[float]:
    return [f.size for _w, _h, frags in fragments(path) for f in frags]


def test_large_print_with_ids_keeps_every_number_whole_and_on_the_page(tmp_path, fonts):
    src, ids = adversarial_source()
    notices = build_payout_notices(src, mask="id-partial")
    out = tmp_path / "large.pdf"
    res = render(notices, out, PageLayout(large_print=True), fonts)
    masked = [mask_id(i) for i in ids]
    assert_tokens_whole(out, ["987669.93", "1000", "1200", *masked[:50], *masked[-50:]])
    assert_inside_page(out)
    sizes = _body_sizes(out)
    assert min(sizes) >= 16 - 1e-6, "every line a villager reads is at least 16 pt"
    assert max(sizes) > 16, "the title is larger"
    # the narrow paper cannot take every column at 16 pt: the stated optional ones go, and the clerk is told
    assert res.dropped == [["数量", "标准"]] and any("标准" in w for w in res.warnings)
    texts = page_texts(out)
    assert "补贴标准:131.42元/亩" in texts[0]  # the rate is still on the sheet
    assert res.pages <= 1200 / 12, f"{res.pages} pages for 1,200 rows"
    assert all(COOP in t or True for t in texts)
    assert "三组(新)" in "".join(texts).replace("\n", "")


def test_normal_print_fits_all_columns_at_readable_size(tmp_path, fonts):
    src, ids = adversarial_source(300)
    out = tmp_path / "normal.pdf"
    res = render(build_payout_notices(src, mask="id-partial"), out, PageLayout(), fonts)
    assert res.dropped == [[]] and res.sizes[0] >= 10.5
    assert min(_body_sizes(out)) >= 10.5 - 1e-6  # page numbers and phones included
    assert_tokens_whole(out, ["987669.93", "7515.37亩", "131.42元/亩", "300", mask_id(ids[0])])
    assert_inside_page(out)
    first = page_texts(out)[0]
    assert "序号" in first and "组" in first


def test_long_group_name_wraps_in_its_cell_without_three_row_pages(tmp_path, fonts):
    src, _ids = adversarial_source(200)
    for ln in src.lines:
        ln.group = LONG_GROUP
    out = tmp_path / "group.pdf"
    res = render(build_payout_notices(src, mask="id-partial"), out, PageLayout(large_print=True), fonts)
    assert res.pages <= 200 / 8, f"{res.pages} pages: the group name eats the rows"
    assert_inside_page(out)


def test_source_order_kept_and_no_empty_group_column(tmp_path, fonts):
    lines = [PayoutLine("王五", Decimal("10"), group="三组", group_order=3),
             PayoutLine("赵六", Decimal("20"), group="", group_order=0),
             PayoutLine("钱七", Decimal("30"), group="三组", group_order=3)]
    src = PayoutSheetSource("高桥镇", "高桥村", "测试补贴", 2026, lines=lines)
    n = build_payout_notices(src)[0]
    names = [r.cells[2] for r in n.rows if r.kind == "data"]
    assert names == ["王五", "钱七", "赵六"]  # the numberless group is not moved to the front
    assert [r.cells[0] for r in n.rows if r.kind == "data"] == ["1", "2", "3"]
    plain = PayoutSheetSource("高桥镇", "新华社区", "测试补贴", 2026,
                              lines=[PayoutLine("甲", Decimal("1")), PayoutLine("乙", Decimal("2"))])
    assert "组" not in [c.label for c in build_payout_notices(plain)[0].columns]


def test_year_end_large_print_total_whole_and_closing_wrapped(tmp_path, fonts):
    progs = ["耕地地力保护补贴", "农机购置补贴", "城乡居民养老保险"]
    people = [YearEndPerson(f"村民{i}", LONG_GROUP if i % 3 else "一组", 1,
                            {p: Decimal("98766.93") for p in progs}) for i in range(60)]
    src = YearEndSource("高桥镇", "红岩村", 2026, progs, people, ["高桥镇人民政府 0818-2345678"], "v")
    out = tmp_path / "ye.pdf"
    render([build_year_end_notice(src)], out, PageLayout(large_print=True), fonts)
    assert_tokens_whole(out, ["296300.79", "17778047.40", "98766.93"])
    assert_inside_page(out)
    assert min(_body_sizes(out)) >= 16 - 1e-6
    text = "".join(page_texts(out)[-1].split())
    assert "以上为本村本年度" in text and "村务监督委员会审核" in text


def _fourteen_columns(rows: int = 40) -> list[list[object]]:
    import datetime as dt

    header = ["序号", "组别", "户主姓名", "家庭人口", "耕地面积(亩)", "林地面积(亩)", "补贴标准", "补贴金额",
              "发放日期", "开户银行", "救助类别", "申请日期", "审批结果", "备注"]
    body = []
    for i in range(1, rows + 1):
        body.append([i, LONG_GROUP if i % 4 == 0 else "二组", "欧阳明月", 5, 1234.56, 987.5, 131.42,
                     162187.55, dt.date(2026, 3, 15), "农村信用合作联社", "低保一类", dt.date(2026, 1, 5),
                     "同意", "因病致贫,家中有重病患者"])
    return [["2026年农村低保及耕地补贴情况表"], header, *body]


def test_fourteen_columns_refused_on_a4_portrait_and_readable_as_proposed(tmp_path, fonts):
    notice, _problems = build_table_notice(_fourteen_columns(), "2026年低保及补贴公示", township="高桥镇",
                                           village="红岩村", source="表.xlsx")
    with pytest.raises(NoticeTooWide) as e:
        render([notice], tmp_path / "no.pdf", PageLayout(), fonts)
    assert "最宽的一列" in e.value.message and e.value.suggest is not None
    assert not (tmp_path / "no.pdf").exists() or (tmp_path / "no.pdf").stat().st_size == 0
    out = tmp_path / "wide.pdf"
    notice, _problems = build_table_notice(_fourteen_columns(), "2026年低保及补贴公示", township="高桥镇",
                                           village="红岩村", source="表.xlsx")
    res = render([notice], out, e.value.suggest, fonts)
    assert res.sizes[0] >= 10.5 * e.value.suggest.scale - 1e-6 and res.dropped == [[]]
    assert_tokens_whole(out, ["2026-03-15", "2026-01-05", "162187.55", "1234.56", "40"])
    assert_inside_page(out)


def test_demo_notice_carries_a_visible_mark(tmp_path, fonts):
    src, _ids = adversarial_source(10)
    n = build_payout_notices(src)[0]
    n.demo = True
    out = tmp_path / "demo.pdf"
    render([n], out, PageLayout(), fonts)
    frags = fragments(out)[0][2]
    assert any(f.text == "演示" and f.size > 100 for f in frags)
    assert page_texts(out)[0].startswith("(演示)") or "(演示)" in page_texts(out)[0]


def test_a_small_village_fits_one_page_with_its_closing_block(tmp_path, fonts):
    src, _ids = adversarial_source(15)
    out = tmp_path / "one.pdf"
    res = render(build_payout_notices(src), out, PageLayout(), fonts)
    assert res.pages == 1  # signatures and seal on the same sheet as the list, not a second page
    text = "".join(page_texts(out)[0].split())
    assert "经办人" in text and "(盖章)" in text and "合计" in text
    assert_inside_page(out)
