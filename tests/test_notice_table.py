"""Table notices worth posting: formulas computed, the sheet's formats, masking in every form."""

from __future__ import annotations

import datetime as dt

import openpyxl

from tests.notice_helpers import (
    assert_inside_page,
    assert_no_secrets,
    assert_tokens_whole,
    page_texts,
)

FULL_ID = "511702196103040558"
ACCOUNT = "6217000012345678901"
PASSBOOK = "51170212345678"
MOBILE = "13812345678"


def _sheet(path, *, broken_formula: bool = False):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "低保"
    ws.append(["2026年3月低保发放情况"])
    ws.append(["序号", "姓名", "人数", "标准", "金额", "发放日期", "备注", "附注"])
    notes = [f"身份证 {FULL_ID[:6]}.{FULL_ID[6:14]}.{FULL_ID[14:]}",
             f"身份证{FULL_ID[:9]}\u200b{FULL_ID[9:]}",
             f"{FULL_ID[:6]},{FULL_ID[6:14]},{FULL_ID[14:]}",
             "账号" + "_".join([ACCOUNT[:4], ACCOUNT[4:8], ACCOUNT[8:12], ACCOUNT[12:16], ACCOUNT[16:]]),
             f"存折{PASSBOOK}", f"联系电话{MOBILE}", FULL_ID[:10], "无"]
    tails = ["", "", "", "", "", "", FULL_ID[10:], ""]  # an ID split over two cells
    for i in range(8):
        r = i + 3
        ws.append([9 - i, f"村民{i}", 2 + i % 3, 375.5, f"=C{r}*D{r}", dt.date(2026, 3, 15), notes[i], tails[i]])
        ws.cell(r, 4).number_format = "#,##0.00"
        ws.cell(r, 5).number_format = "#,##0.00"
        ws.cell(r, 6).number_format = 'yyyy"年"m"月"d"日"'
    ws.append(["合计", "", "=SUM(C3:C10)", "", "=SUM(E3:E10)" if not broken_formula else "=VLOOKUP(A1,B:C,2)"])
    ws.cell(11, 5).number_format = "#,##0.00"
    wb.save(path)


def test_table_notice_computes_formulas_keeps_formats_order_and_masks_every_form(store, cli, tmp_path):
    src = tmp_path / "低保3月.xlsx"
    _sheet(src)
    out = tmp_path / "t.pdf"
    r = cli("notice", "table", str(src), "--title", "2026年3月低保发放公示", "--village", "高桥村", "-o", str(out))
    assert r.code == 0, r.err
    text = "\n".join(page_texts(out))
    flat = "".join(text.split())
    assert "8,636.50" in flat  # =SUM(E3:E10) with no saved value, computed
    assert "751.00" in flat and "2026年3月15日" in flat  # =C3*D3 in #,##0.00; the date in the sheet's format
    assert "低保3月.xlsx" not in text and "来源" not in text  # no internal file name
    assert "高桥村村民委员会(盖章)" in flat and "发布单位:高桥村村民委员会" in flat
    assert flat.index("村民0") < flat.index("村民7")  # row order kept (序号 9 … 2 as in the sheet)
    assert_no_secrets(out, [FULL_ID, ACCOUNT, PASSBOOK, MOBILE, FULL_ID[6:14], "19610304", "12345678"])
    assert "注意" in r.err and "已部分隐藏" in r.err  # the clerk is told which rows were masked
    assert_tokens_whole(out, ["2026年3月15日", "8,636.50", "1,126.50"])
    assert_inside_page(out)


def test_formula_without_value_that_cannot_be_computed_is_refused(store, cli, tmp_path):
    src = tmp_path / "坏公式.xlsx"
    _sheet(src, broken_formula=True)
    out = tmp_path / "t.pdf"
    r = cli("notice", "table", str(src), "--title", "公示", "-o", str(out))
    assert r.code == 1 and "E11" in r.err and "VLOOKUP" in r.err
    assert not out.exists()


def test_printing_the_same_notice_again_updates_its_posting(store, cli, tmp_path):
    from sqlalchemy import select

    from gkdesk.models import Posting
    from gkdesk.models.posting_lifecycle import PostingEvent

    src = tmp_path / "低保3月.xlsx"
    _sheet(src)
    args = ["notice", "table", str(src), "--title", "2026年3月低保发放公示", "--village", "高桥村",
            "--start", "2026-03-02", "--days", "7"]
    r1 = cli("--json", *args, "-o", str(tmp_path / "a.pdf"))
    assert r1.code == 0, r1.err
    r2 = cli(*args, "--large-print", "--landscape", "-o", str(tmp_path / "b.pdf"))
    assert r2.code == 0, r2.err
    assert "已更新原公示记录" in r2.out
    with store.session() as s:
        postings = list(s.scalars(select(Posting).where(Posting.title == "2026年3月低保发放公示")))
        assert len(postings) == 1  # one posting per sheet, not one per print
        p = postings[0]
        assert p.paper == "A4 横向 大字版"
        import hashlib

        assert p.pdf_sha256 == hashlib.sha256((tmp_path / "b.pdf").read_bytes()).hexdigest()
        events = list(s.scalars(select(PostingEvent).where(PostingEvent.posting_id == p.id)))
        old = hashlib.sha256((tmp_path / "a.pdf").read_bytes()).hexdigest()
        assert any(e.action == "reprint" and old[:12] in e.detail for e in events)  # the first PDF in its history
        assert (store.data_dir / "attachments" / old[:2] / f"{old}.pdf").exists()
    r3 = cli(*[a if a != "2026年3月低保发放公示" else "2026年4月低保发放公示" for a in args], "-o", str(tmp_path / "c.pdf"))
    assert r3.code == 0
    with store.session() as s:
        assert len(list(s.scalars(select(Posting.id)))) == 2  # another sheet is another posting
