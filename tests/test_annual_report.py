"""The annual report from a register spanning two years: every cell of tables 三 and 四, every
check, a wrong hand-entered figure caught, and the exports opened again (python-docx,
pdftotext, openpyxl) without an applicant's name in any of them."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from gkdesk.annual_report import tables as T
from gkdesk.app import annual_report as rep_app
from gkdesk.app import disclosure as app
from gkdesk.app.workspace import Workspace
from gkdesk.errors import GkError

COLS = ("natural", "business", "research", "public_interest", "legal_service", "other_org", "total")
NAMES = ["孙某甲", "周某乙", "吴某丙", "郑某丁", "冯某戊", "陈某己", "褚某庚", "卫某辛"]


def _row(**kw: int) -> dict[str, int]:
    r = dict.fromkeys(COLS, 0) | kw
    r["total"] = sum(v for k, v in r.items() if k != "total")
    return r


@pytest.fixture
def ws(store):
    ws = Workspace(store, operator="测试员")
    names = iter(NAMES)

    def add(day: date, kind: str, content: str) -> str:
        return app.add(ws, channel="in_person", arrived_on=day, applicant_type=kind, content=content,
                       applicant_name=next(names), contact="13912340000", today=day).request["number"]

    # 2025
    a = add(date(2025, 3, 3), "natural", "A 低保名单")
    app.reply(ws, a, "open", "direct", day=date(2025, 3, 20), today=date(2025, 3, 20))
    b = add(date(2025, 12, 15), "business", "B 招标文件")
    c = add(date(2025, 12, 22), "natural", "C 征收补偿")
    d = add(date(2025, 6, 2), "research", "D 规划图")
    app.reply(ws, d, "deny_4", "post", day=date(2025, 6, 20), today=date(2025, 6, 20))
    app.appeal(ws, d, "review", date(2025, 7, 1), result="corrected", decided_on=date(2025, 9, 1))
    # 2026: B and C answered after New Year
    app.reply(ws, b, "partial", "post", day=date(2026, 1, 9), today=date(2026, 1, 9))
    app.reply(ws, c, "unable_1", "direct", day=date(2026, 1, 15), today=date(2026, 1, 15))
    app.appeal(ws, b, "suit_direct", date(2026, 2, 1))
    e = add(date(2026, 2, 2), "public_interest", "E 重复")
    app.reply(ws, e, "noproc_2", "electronic", day=date(2026, 2, 10), repeat_of=a, today=date(2026, 2, 10))
    f = add(date(2026, 3, 2), "legal_service", "F 不明确")
    app.supplement(ws, f, date(2026, 3, 4), "写明年份", until=date(2026, 3, 25), today=date(2026, 3, 4))
    app.reply(ws, f, "other_1", "post", day=date(2026, 4, 10), today=date(2026, 4, 10))
    app.appeal(ws, f, "review", date(2026, 5, 1), result="upheld", decided_on=date(2026, 6, 30))
    h = add(date(2026, 5, 6), "natural", "H 财务")
    app.reply(ws, h, "open", "direct", day=date(2026, 5, 8), today=date(2026, 5, 8))
    app.appeal(ws, h, "review", date(2026, 6, 1), result="upheld", decided_on=date(2027, 1, 5))  # pending on 31 Dec
    add(date(2026, 11, 30), "other_org", "G 年底收到")
    return ws


def test_tables_three_and_four_for_both_years(ws):
    r25 = rep_app.show(ws, 2025).report
    assert r25.table3 == {k: _row() for k in T.T3_ROWS} | {
        "new": _row(natural=2, business=1, research=1), "open": _row(natural=1), "deny_4": _row(research=1),
        "total": _row(natural=1, research=1), "carry_next": _row(natural=1, business=1)}
    assert r25.table4 == T.empty_table4() | {"review": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0,
                                                         "total": 1}}
    r26 = rep_app.show(ws, 2026).report
    assert r26.table3 == {k: _row() for k in T.T3_ROWS} | {
        "new": _row(public_interest=1, legal_service=1, other_org=1, natural=1),
        "carried": _row(natural=1, business=1),
        "open": _row(natural=1), "partial": _row(business=1), "unable_1": _row(natural=1),
        "noproc_2": _row(public_interest=1), "other_1": _row(legal_service=1),
        "total": _row(natural=2, business=1, public_interest=1, legal_service=1),
        "carry_next": _row(other_org=1)}
    assert r26.table4 == {"review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
                          "suit_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
                          "suit_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}}
    checks = {c.key: c for c in r26.checks}
    assert [k for k, c in checks.items() if c.ok] == ["t3.balance", "t3.results_sum", "t3.total_column", "t4.totals",
                                                       "t3.carry_over", "register"]
    assert not checks["table2"].ok and "尚未填写" in checks["table2"].problems[0]
    assert not checks["text"].ok and "五、存在的主要问题及改进情况”尚未填写" in checks["text"].problems[0]
    assert "新收政府信息公开申请4件，上年结转2件" in r26.sections["三"]


T2_2025 = {"rules.issued": "0", "rules.repealed": "0", "rules.in_force": "0", "normative.issued": "3",
           "normative.repealed": "1", "normative.in_force": "12", "license.decisions": "41",
           "penalty.decisions": "7", "coercion.decisions": "0", "fees.amount": "1.25"}


def _fill(ws, year: int, t2: dict[str, str], text: str) -> None:
    rep_app.set_figures(ws, year, t2)
    rep_app.set_section(ws, year, "一", f"{year}年总体情况:{text}")
    rep_app.set_section(ws, year, "五", f"{year}年存在的问题:{text}")


def test_checks_block_export_until_fixed_or_waived(ws, tmp_path):
    _fill(ws, 2025, T2_2025, "一季度起推行依申请公开登记台账。")
    assert rep_app.show(ws, 2025).report.blocking == []
    rep_app.export(ws, 2025, tmp_path / "2025.docx")

    # 2026: a wrong hand-entered figure (12 + 2 − 1 is 13, not 14) and last year's text copied
    _fill(ws, 2026, T2_2025 | {"normative.issued": "2", "normative.repealed": "1", "normative.in_force": "14"},
          "一季度起推行依申请公开登记台账。")
    rep_app.set_section(ws, 2026, "一", "2025年总体情况:一季度起推行依申请公开登记台账。")
    view = rep_app.show(ws, 2026)
    blocking = {c.key: c for c in view.report.blocking}
    assert set(blocking) == {"table2", "text"}
    assert blocking["table2"].problems == ["行政规范性文件:上年现行有效12件+本年制发2件−本年废止1件=13件,填报现行有效14件"]
    assert any("一、总体情况”与2025年报告的文字相同" in p for p in blocking["text"].problems)
    with pytest.raises(GkError) as exc:
        rep_app.export(ws, 2026, tmp_path / "2026.docx")
    assert exc.value.code == "checks_failed" and "行政规范性文件" in exc.value.message
    assert not (tmp_path / "2026.docx").exists()

    rep_app.set_figures(ws, 2026, {"normative.in_force": "13"})
    rep_app.override(ws, 2026, "text", "总体情况与上年相同,经镇长审定")
    view = rep_app.show(ws, 2026)
    assert view.report.blocking == [] and "已放行" in "\n".join(view.check_lines())
    res = rep_app.export(ws, 2026, tmp_path / "2026.docx")
    assert res.waived == ["文字部分已按本年情况填写(未照搬上年)"]


def test_a_cell_typed_over_the_register_fails_the_sums(ws):
    rep_app.set_figures(ws, 2026, {"t3.open.natural": "2", "t4.review.total": "3"})
    checks = {c.key: c for c in rep_app.show(ws, 2026).report.checks}
    assert checks["t3.results_sum"].problems == ["“自然人”列:（七）总计为2,（一）至（六）之和为3"]
    assert checks["t3.total_column"].problems == ["“（一）予以公开”行:总计为1,各列之和为2"]
    assert checks["t4.totals"].problems == ["“行政复议”:总计为3,各项之和为2"]
    assert checks["register"].problems == ["表三“（一）予以公开”行“自然人”列填报2,登记台账为1",
                                           "表四“行政复议”的“总计”填报3,登记台账为2"]
    assert checks["t3.balance"].ok  # 一 + 二 and （七）/四 are untouched
    rep_app.set_figures(ws, 2026, {"t3.open.natural": "", "t4.review.total": ""})
    assert {c.key for c in rep_app.show(ws, 2026).report.checks if not c.ok} == {"table2", "text"}


def test_exports_open_with_the_official_shapes_and_no_names(ws, tmp_path):
    _fill(ws, 2025, T2_2025, "推行登记台账。")
    rep_app.export(ws, 2025, tmp_path / "2025.xlsx")
    _fill(ws, 2026, T2_2025 | {"normative.issued": "2", "normative.in_force": "13"}, "按季度更新标准目录。")
    rep_app.set_section(ws, 2026, "六", "本年度未收取信息处理费。无其他需要报告的事项。")
    from docx import Document

    out = tmp_path / "报告.docx"
    rep_app.export(ws, 2026, out)
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "高桥镇人民政府2026年政府信息公开工作年度报告"
    heads = [p.text for p in doc.paragraphs if p.text.startswith(("一、", "二、", "三、", "四、", "五、", "六、"))]
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    t2, t3, t4 = doc.tables
    assert (len(t2.rows), len(t2.columns)) == (14, 4)
    assert (len(t3.rows), len(t3.columns)) == (28, 10)
    assert (len(t4.rows), len(t4.columns)) == (4, 15)
    assert t3.cell(0, 0).text.startswith("（本列数据的勾稽关系为") and t3.cell(0, 0)._tc is t3.cell(2, 2)._tc
    assert t3.cell(0, 3).text == "申请人情况" and t3.cell(0, 3)._tc is t3.cell(0, 9)._tc
    assert t3.cell(1, 3).text == "自然人" and t3.cell(1, 4).text == "法人或其他组织" and t3.cell(1, 9).text == "总计"
    assert [t3.cell(2, c).text for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert t3.cell(3, 0).text == "一、本年新收政府信息公开申请数量" and t3.cell(3, 0)._tc is t3.cell(3, 2)._tc
    assert [t3.cell(3, c).text for c in range(3, 10)] == ["1", "0", "0", "1", "1", "1", "4"]
    assert [t3.cell(4, c).text for c in range(3, 10)] == ["1", "1", "0", "0", "0", "0", "2"]
    assert t3.cell(5, 0).text == "三、本年度办理结果" and t3.cell(5, 0)._tc is t3.cell(26, 0)._tc
    assert t3.cell(7, 1).text == "（三）不予公开" and t3.cell(7, 2).text == "1.属于国家秘密"
    assert t3.cell(26, 1).text == "（七）总计" and [t3.cell(26, c).text for c in range(3, 10)] == list("2101105")
    assert t3.cell(27, 0).text == "四、结转下年度继续办理" and t3.cell(27, 9).text == "1"
    assert t4.cell(0, 0).text == "行政复议" and t4.cell(0, 5).text == "行政诉讼" and t4.cell(1, 5).text == "未经复议直接起诉"
    assert [c.text for c in t4.rows[3].cells] == list("100120001100000")
    assert t2.cell(3, 0).text == "行政规范性文件" and t2.cell(3, 3).text == "13"
    assert t2.cell(13, 0).text == "行政事业性收费" and t2.cell(13, 1).text == "1.25"
    everything = "\n".join([p.text for p in doc.paragraphs]
                           + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    assert not any(n in everything for n in NAMES) and "13912340000" not in everything

    pdf = tmp_path / "报告.pdf"
    rep_app.export(ws, 2026, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "收到和处理政府信息公开申请情况" in text and "申请人情况" in text
    assert not any(n in text for n in NAMES)

    from openpyxl import load_workbook

    xlsx = tmp_path / "报告.xlsx"
    rep_app.export(ws, 2026, xlsx)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["表二", "表三", "表四"]
    sh = wb["表三"]
    assert sh.cell(2 + 3, 10).value == 4 and sh.cell(2 + 27, 10).value == 1  # 总计 of 一 and of 四
    assert "A2:C4" in {str(r) for r in sh.merged_cells.ranges}
    notes = [c.value for c in wb["表二"]["A"] if c.value and str(c.value).startswith("注")]
    assert notes == ["注:表二各数字为手工填报(本系统无相关记录)。"]


def test_county_collects_submitted_reports(ws, tmp_path):
    from gkdesk import sync
    from tests.sync.helpers import enrol, make_county

    _fill(ws, 2025, T2_2025, "推行登记台账。")
    rep_app.export(ws, 2025, tmp_path / "2025.pdf")
    county = make_county(tmp_path / "c")
    try:
        enrol(ws.store, county, tmp_path)
        res = sync.export_data(ws.store, tmp_path / "usb", "乡镇")
        [rep] = sync.import_files(county, res.files, "县级")
        assert rep.status == "applied", rep.reason
        cres = rep_app.county_reports(Workspace(county, operator="县级"), 2025)
        assert cres.townships == [{"township": "高桥镇", "code": "511702101", "submitted": True, "checks_ok": True,
                                   "exported_on": date.today().isoformat()}]
        assert cres.table3["new"]["total"] == 4 and cres.table3["carry_next"]["business"] == 1
        assert cres.table4["review"]["corrected"] == 1
        assert "1/1 个乡镇(街道)已报送" in cres.summary()
        out = tmp_path / "全县.xlsx"
        rep_app.county_reports(Workspace(county, operator="县级"), 2025, out)
        from openpyxl import load_workbook

        wb = load_workbook(out)
        assert "通川区政务公开办(全县1个乡镇、街道合计)2025年" in wb["表三"]["A1"].value
        assert wb["表三"].cell(5, 10).value == 4 and wb["表二"].cell(5, 4).value == 12
    finally:
        county.close()


def test_report_cli(ws, cli, tmp_path):
    r = cli("report", "annual", "--year", "2026", "--check")
    assert r.code == 1 and "[未通过] 表二手工填报数字完整且前后衔接" in r.out
    r = cli("report", "figures", "--year", "2026", "--set", "normative.issued=-1")
    assert r.code == 1 and "负数" in r.err
    r = cli("report", "figures", "--year", "2026", "--set", *[f"{k}={v}" for k, v in T2_2025.items()])
    assert r.code == 0, r.err
    (tmp_path / "五.txt").write_text("问题与改进:今年新增登记台账。", encoding="utf-8")
    assert cli("report", "text", "--year", "2026", "--section", "五", "--file", str(tmp_path / "五.txt")).code == 0
    r = cli("report", "annual", "--year", "2026", "--check", "--json")
    assert r.code == 0 and r.json["blocking"] == []
    out = tmp_path / "r.docx"
    r = cli("report", "annual", "--year", "2026", "-o", str(out))
    assert r.code == 0 and out.exists(), r.err
    r = cli("report", "annual", "--year", "2026", "--json")
    assert r.json["table3"]["new"]["total"] == 4 and "table2.normative.issued" in r.json["hand_entered"]
    r = cli("report", "override", "--year", "2026", "--check", "nope", "--reason", "x")
    assert r.code == 1 and "没有名为“nope”的检查" in r.err


def test_window_page(ws, qtbot, monkeypatch, tmp_path):
    pytest.importorskip("pytestqt")
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.pages.annual_report import AnnualReportPage
    from gkdesk.ui.qt import QtWidgets

    page = AnnualReportPage(UiContext(ws))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.year.setCurrentIndex(page.year.findData(2026))
    page.show()
    assert page.t3.item(0, 7).text() == "4" and page.t3.item(1, 7).text() == "2"
    assert page.checks.item(6, 1).text() == "未通过" and "尚未填写" in page.checks.item(6, 2).text()
    for k, v in T2_2025.items():
        page.t2_edits[k].setText(v)
    page.do_save_t2()
    assert page.checks.item(6, 1).text() == "通过"
    page.checks.selectRow(7)
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("镇长审定,第五部分另附", True))
    page.do_override()
    assert page.checks.item(7, 1).text() == "已放行" and "各项" not in page.status.text()
    assert not page.tabs.isTabVisible(page.county_tab)
    page.tabs.setCurrentIndex(0)
    if os.environ.get("GKDESK_SCREENSHOTS"):  # refresh docs/ only when asked
        page.grab().save(str(Path(__file__).resolve().parents[1] / "docs" / "annual-report-page.png"))
    out = tmp_path / "r.xlsx"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.do_export(".xlsx")
    assert out.exists()


def test_draft_text_counts_publications_and_postings(store):
    from gkdesk.app import catalogue
    from gkdesk.postings import lifecycle as lc

    ws = Workspace(store, operator="测试员")
    catalogue.seed(ws)
    its = catalogue.items(ws)[:3]
    catalogue.add_publication(ws, its[0]["id"], date(2026, 3, 1), channel="政府网站", title="一")
    catalogue.add_publication(ws, its[1]["id"], date(2026, 4, 1), channel="政府网站", title="二")
    catalogue.add_publication(ws, its[2]["id"], date(2026, 5, 1), channel="公开栏", title="三")
    catalogue.add_publication(ws, its[2]["id"], date(2025, 5, 1), channel="公开栏", title="去年")
    with store.session() as s:
        pid = lc.create_posting(s, "测试员", village_name="柳树村", title="财务公开", on=date(2026, 4, 1)).data[
            "posting"]["id"]
        lc.review(s, pid, "测试员", reviewer="王", body="民主理财小组", on=date(2026, 4, 1))
        lc.post(s, pid, "测试员", on=date(2026, 4, 2), location="村公示栏", length=7)
    text = rep_app.show(ws, 2026).report.sections["一"]
    assert "主动公开政府信息3条，其中通过政府网站2条、通过公开栏1条" in text
    assert "柳树村1期" in text and "共1期" in text
