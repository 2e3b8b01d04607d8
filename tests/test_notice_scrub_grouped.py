"""The last-resort scrub also catches ID and card numbers written in groups, the way
bank cards and ID cards print them ("6228 4800 1234 5678 901", "511702 19530401 0633",
"6228-4800-…"), in a free-text column the column check does not flag; dates, phone
numbers and amounts next to each other are left alone."""

from __future__ import annotations

import openpyxl

from gkdesk.notices.render import scrub
from tests.notice_helpers import assert_no_secrets, page_texts


def test_grouped_numbers_in_a_remarks_column_never_reach_the_notice(store, cli, tmp_path):
    src = tmp_path / "名单.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "金额", "备注"])
    ws.append(["张大山", 860, "卡号 6228 4800 1234 5678 901 已核实"])
    ws.append(["李小花", 430, "身份证 511702 19530401 0633"])
    ws.append(["王五", 100, "一卡通6217-0000-1234-5678"])
    ws.append(["赵六", 100, "新增 2026-01-05 2026-01-11"])
    ws.append(["钱七", 100, "电话 0818-2345678"])
    wb.save(src)
    out = tmp_path / "t.pdf"
    r = cli("notice", "table", str(src), "--title", "高桥村低保公示", "-o", str(out))
    assert r.code == 0, r.err
    assert_no_secrets(out, ["6228480012345678901", "511702195304010633", "6217000012345678"])
    text = page_texts(out)[0]
    assert "张大山" in text and "已核实" in text and "5678" in text
    assert "2026-01-05 2026-01-11" in text and "0818-2345678" in text


def test_scrub_of_grouped_numbers():
    assert scrub("卡号 6228 4800 1234 5678 901") == "卡号 622************8901"
    assert scrub("511702 19530401 063X") == "511***********063X"
    assert scrub("共 125,000.00 元,98,300.00 元") == "共 125,000.00 元,98,300.00 元"
    assert scrub("2026-01-05 至 2026-01-11") == "2026-01-05 至 2026-01-11"
