"""Importing county directories: the official layout and the variants clerks receive."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gkdesk.catalogue import core, importer
from gkdesk.errors import UnreadableInput

HEADER_TOP = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
              "公开对象", None, "公开方式", None, "公开层级", None]
HEADER_SUB = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请",
              "县级", "乡级"]
TL = "自政府信息形成或者变更之日起20个工作日内"
CH1 = "■政府网站 □政府公报 □两微一端\n□公开查阅点 ■社区/企事业单位/村公示栏(电子屏)"


def official_book(path: Path, rows: list[list], title: str = "涉农补贴领域基层政务公开标准目录",
                  sheet: str = "涉农补贴") -> Path:
    """The national template layout: title, two-row merged header, merged 一级事项/依据, footnote."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.merge_cells("A1:N1")
    ws.append(HEADER_TOP)
    ws.append(HEADER_SUB)
    ws.merge_cells("A2:A3")
    ws["A2"] = "序号"
    ws.merge_cells("B2:C2")
    for col in "DEFGH":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("I2:J2")
    ws.merge_cells("K2:L2")
    ws.merge_cells("M2:N2")
    for r in rows:
        ws.append(r)
    n = 3 + len(rows)
    ws.append(["注:“■”表示必选项,“□”表示可选项。"])
    ws.merge_cells(f"A{n + 1}:N{n + 1}")
    wb.save(path)
    return path


def subsidy_rows() -> list[list]:
    return [
        [1, "农业生产发展资金", "农机购置补贴", "政策依据;申请指南;补贴结果", "《农业生产发展资金管理办法》(财农〔2017〕41号)",
         TL, "县级农业农村部门", CH1, "√", None, "√", None, "√", None],
        [2, None, "耕地地力保护", "补贴对象、补贴标准、补贴结果", None, "公示时间不少于7天", "乡镇人民政府",
         "■政府网站■社区/企事业单位/村公示栏(电子屏)", "√", None, "√", None, "√", "√"],
        [3, "农村综合改革转移支付", "村级公益事业一事一议财政奖补", "奖补项目、资金", "《村级公益事业建设一事一议财政奖补资金管理办法》",
         "每季度首月20日", "乡镇人民政府", "行政村公示栏 乡镇公示栏", None, "√", "√", "√", None, "√"],
    ]


def make_official(tmp_path: Path, rows=None, name: str = "涉农补贴目录.xlsx") -> Path:
    p = official_book(tmp_path / name, rows or subsidy_rows())
    ws_merge = openpyxl.load_workbook(p)
    ws = ws_merge.active
    ws.merge_cells("B4:B5")  # 一级事项 merged over two items
    ws.merge_cells("E4:E5")  # 公开依据 merged over two items
    ws_merge.save(p)
    return p


def test_official_layout_every_field(store, tmp_path):
    path = make_official(tmp_path)
    with store.session() as s:
        res = importer.import_directory(s, path, operator="测试员")
        assert res.status == "imported"
        assert res.data["domains"] == {"涉农补贴": 3}
        # 3 new; the 4 built-in template items of 涉农补贴 matched or superseded
        labels = {a["label"] for a in res.data["added"]}
        assert "农村综合改革转移支付 / 村级公益事业一事一议财政奖补" in labels
        assert res.warnings == []
        got = [core.item_dict(i) for i in core.items(s, "涉农补贴")]
    assert len(got) == 3
    a, b, c = got
    assert (a["seq"], a["level1"], a["level2"], a["level3"]) == ("1", "农业生产发展资金", "农机购置补贴", "")
    assert a["content"] == "政策依据;申请指南;补贴结果"
    assert a["basis"] == "《农业生产发展资金管理办法》(财农〔2017〕41号)"
    assert a["time_limit"] == TL and a["rule"]["kind"] == "working_days" and a["rule"]["n"] == 20
    assert a["publisher"] == "县级农业农村部门"
    assert a["channels"] == ["政府网站", "社区/企事业单位/村公示栏(电子屏)"]
    assert [ch["mark"] for ch in a["channels_all"]] == ["required", "optional", "optional", "optional", "required"]
    assert (a["audience"], a["mode"], a["levels"]) == (["全社会"], ["主动"], ["县级"])
    # merged 一级事项 and 公开依据 reach the second item
    assert b["level1"] == "农业生产发展资金" and b["basis"] == a["basis"]
    assert b["rule"] == {"text": "公示时间不少于7天", "kind": "window", "window": {"n": 7, "unit": "natural"}}
    assert b["channels"] == ["政府网站", "社区/企事业单位/村公示栏(电子屏)"]
    assert b["levels"] == ["县级", "乡级"]
    assert c["channels"] == ["行政村公示栏", "乡镇公示栏"]
    assert [ch["mark"] for ch in c["channels_all"]] == ["used", "used"]
    assert (c["audience"], c["mode"], c["levels"]) == (["特定群体"], ["主动", "依申请"], ["乡级"])
    assert c["rule"]["kind"] == "periodic" and c["rule"]["fixed_day"] == 20
    assert c["extra"] == {} and c["origin"] == "imported"


def variant_book(path: Path) -> Path:
    """One sheet for two domains via a 领域 column; odd glyphs and header words; extra columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["某某镇基层政务公开事项目录(2024年修订)"])
    ws.append(["序号", "领域", "公开事项", None, None, "公开内容", "公开依据", "公开时限", "公开主体",
               "公开渠道和载体", "公开对象", None, "公开方式", None, "公开层级", None, "公开时长", "网站所属栏目"])
    ws.append([None, None, "一级事项", "二级事项", "三级事项", None, None, None, None, None,
               "全社会", "特定群众", "主动", "依申请公开", "县级", "乡、村级", None, None])
    ws.append([1.0, "社会救助", "最低生活保障", "审核信息", "初审公示", "初审对象名单及相关信息", "国发〔2012〕45号",
               "制定或获取信息之日起10个工作日内,公示7个工作日", "乡镇人民政府(街道办事处)",
               "t政府网站 口政务公开专区 £两微一端 ◆社区/企事业单位/村公示栏(电子屏)",
               None, "✓", "✓", None, None, "✓", "任期内", "社会救助"])
    ws.append([2.0, "扶贫", "政策文件", "帮扶政策", None, "帮扶政策文件", "", "及时公开", "乡镇人民政府",
               "1.政府网站; 2.其他", "√", None, "√", None, "√", "√", "长期", "乡村振兴"])
    ws.append([3.0, "社会救助", "临时救助", "审批信息", None, "救助对象、金额", "", "按有关规定办理", "乡镇人民政府",
               "■政府网站", "√", None, "√", None, "?", None, None, None])
    ws.append(["备注:本目录由县政务公开办统一编制"])
    wb.save(path)
    return path


def test_variant_layout(store, tmp_path):
    path = variant_book(tmp_path / "variant.xlsx")
    with store.session() as s:
        res = importer.import_directory(s, path, operator="测试员")
        assert res.data["domains"] == {"社会救助": 2, "乡村振兴": 1}  # 扶贫 is an alias of 乡村振兴
        warn = [(w.row, w.column, w.message) for w in res.warnings]
        assert warn == [(6, "县级", "无法识别的勾选标记“?”,按已勾选处理")]
        sj = {i.level1: core.item_dict(i) for i in core.items(s, "社会救助")}
        fp = core.item_dict(core.items(s, "乡村振兴")[0])
    low = sj["最低生活保障"]
    assert (low["level2"], low["level3"], low["seq"]) == ("审核信息", "初审公示", "1")
    assert low["channels"] == ["政府网站", "社区/企事业单位/村公示栏(电子屏)"]
    assert [c["name"] for c in low["channels_all"]] == ["政府网站", "政务公开专区", "两微一端",
                                                        "社区/企事业单位/村公示栏(电子屏)"]
    assert low["audience"] == ["特定群体"] and low["mode"] == ["主动"] and low["levels"] == ["乡、村级"]
    assert low["extra"] == {"公开时长": "任期内", "网站所属栏目": "社会救助"}
    assert low["rule"]["n"] == 10 and low["rule"]["window"] == {"n": 7, "unit": "working"}
    assert fp["level1"] == "政策文件" and fp["channels"] == ["政府网站", "其他"]
    assert fp["rule"]["kind"] == "prompt" and fp["rule"]["backstop_working_days"] == 20
    assert fp["mode"] == ["主动"] and fp["levels"] == ["县级", "乡、村级"]
    assert sj["临时救助"]["rule"]["kind"] == "reference" and sj["临时救助"]["levels"] == ["县级"]


def test_one_sheet_per_domain_and_unknown_time_limit(store, tmp_path):
    p = tmp_path / "两个领域.xlsx"
    official_book(p, subsidy_rows()[:1])
    wb = openpyxl.load_workbook(p)
    ws = wb.create_sheet("养老服务")
    ws.append(["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道和载体"])
    ws.append([1, "养老服务政策", "补贴政策", "高龄津贴标准", "", "视工作进展而定", "乡镇人民政府", "■政府网站"])
    wb.create_sheet("说明").append(["本表由县民政局提供"])
    wb.save(p)
    with store.session() as s:
        res = importer.import_directory(s, p, operator="测试员")
        assert res.data["domains"] == {"涉农补贴": 1, "养老服务": 1}
        w = [(w.sheet, w.row, w.column, w.message) for w in res.warnings]
        assert ("养老服务", 2, "公开时限", "无法识别公开时限“视工作进展而定”(第2行共1处),按文字保存,不计算期限") in w
        assert any(x[0] == "说明" and "找不到标准目录表头" in x[3] for x in w)
        item = core.items(s, "养老服务")[0]
        assert item.rule["kind"] == "text" and "n" not in item.rule


def test_reimport_diff_keeps_publications(store, tmp_path):
    path = make_official(tmp_path)
    with store.session() as s:
        importer.import_directory(s, path, operator="测试员")
        core.add_publication(s, "涉农补贴/耕地地力保护", date(2025, 3, 5), channel="政府网站", title="2025年耕地地力保护补贴发放公示")
    rows = subsidy_rows()
    rows[0][5] = "自政府信息形成或者变更之日起10个工作日内"  # changed
    del rows[2]  # removed
    rows.append([3, "农业资源及生态保护补助资金", "草原生态保护补助奖励", "补助对象、标准", "", TL, "县级农业农村部门",
                 "■政府网站", "√", None, "√", None, "√", None])  # added
    p2 = make_official(tmp_path, rows, "v2.xlsx")
    with store.session() as s:
        res = importer.import_directory(s, p2, operator="测试员")
        assert res.counts == {"added": 1, "changed": 1, "removed": 1, "renamed": 0, "items": 3}
        assert res.data["proposals"] == []  # 一事一议 → 草原生态 is no rename
        assert res.data["changed"][0]["label"] == "农业生产发展资金 / 农机购置补贴"
        assert res.data["changed"][0]["fields"] == ["公开时限"]
        assert res.data["removed"][0]["label"] == "农村综合改革转移支付 / 村级公益事业一事一议财政奖补"
        it = core.find_item(s, "涉农补贴/耕地地力保护")
        assert [p.title for p in core.publications(it)] == ["2025年耕地地力保护补贴发放公示"]
        assert core.find_item(s, "农机购置补贴").rule["n"] == 10
    # importing the same file again changes nothing
    with store.session() as s:
        res = importer.import_directory(s, p2, operator="测试员")
        assert res.status == "unchanged" and res.counts["added"] == res.counts["changed"] == 0


def test_no_header_is_unreadable(store, tmp_path):
    p = tmp_path / "乱.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "金额"])
    wb.save(p)
    with store.session() as s, pytest.raises(UnreadableInput) as e:
        importer.import_directory(s, p)
    assert "乱.xlsx" in e.value.message


def test_old_xls_with_section_rows_and_blank_level1(store, tmp_path):
    """An .xls from an old system: no merge information survives, so a blank 一级事项 under a
    filled one continues it; section rows ("二、社会救助领域") switch the domain."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("目录")
    rows = [
        ["某镇基层政务公开标准目录"],
        ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "全社会", "特定群体"],
        ["一、涉农补贴领域"],
        [1, "农业生产发展资金", "耕地地力保护", "补贴结果", "", "20个工作日内", "乡镇人民政府", "■政府网站", "√", ""],
        [2, "", "农机购置补贴", "补贴结果", "", "20个工作日内", "乡镇人民政府", "■政府网站", "√", ""],
        ["二、社会救助领域"],
        [1, "最低生活保障", "审核信息", "初审对象名单", "", "10个工作日内,公示7个工作日", "乡镇人民政府", "口村公示栏", "", "√"],
    ]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            ws.write(r, c, v)
    p = tmp_path / "旧目录.xls"
    wb.save(str(p))
    with store.session() as s:
        res = importer.import_directory(s, p, operator="测试员")
        assert res.data["domains"] == {"涉农补贴": 2, "社会救助": 1}
        nj = core.item_dict(core.find_item(s, "涉农补贴/农机购置补贴"))
        assert nj["level1"] == "农业生产发展资金" and nj["audience"] == ["全社会"]
        low = core.item_dict(core.find_item(s, "社会救助/最低生活保障/审核信息"))
        assert low["audience"] == ["特定群体"]
        assert low["channels_all"] == [{"name": "村公示栏", "mark": "optional"}] and low["channels"] == []


def test_core_imports_without_qt():
    import subprocess
    import sys

    code = ("import sys; sys.modules['PySide6'] = None\n"
            "import gkdesk.catalogue.core, gkdesk.catalogue.importer, gkdesk.catalogue.due, "
            "gkdesk.catalogue.search, gkdesk.catalogue.selfcheck, gkdesk.catalogue.selfcheck_pdf, "
            "gkdesk.catalogue.demo_data, gkdesk.cli.catalogue_cmds\n")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).returncode == 0
