"""Directories in parts, renamed items, whose duty, glyph-less channels, aliases (issue 16).

The books are reproduced in the published layouts (tests/catalogue_layouts.py): a first page
of rows 1–5 and a 续表 page of rows 11–13 with the header repeated (稻城 社会救助), the 2024 and
2025 涉农补贴 directories where 农机购置补贴 became 农机购置与应用补贴, 丰都's page whose ■/□
marks were lost, and domain titles as other provinces write them.
"""

from __future__ import annotations

from datetime import date

import pytest

from gkdesk.catalogue import core, due, importer
from gkdesk.errors import InputRejected
from tests.catalogue_layouts import RELIEF, directory_book

RELIEF_TITLE = "稻城县金珠镇社会救助领域基层政务公开标准目录"


def _labels(s, domain: str) -> list[str]:
    return [i.label for i in core.items(s, domain)]


def test_two_part_import_ends_with_every_row_of_both_parts(store, tmp_path):
    first = directory_book(tmp_path / "社会救助-1.xlsx", RELIEF[:5], RELIEF_TITLE)
    second = directory_book(tmp_path / "社会救助-2.xlsx", RELIEF[10:], RELIEF_TITLE + "(续表)")
    with store.session() as s:
        one = importer.import_directory(s, first, operator="测试员")
        assert one.data["domains"] == {"社会救助": 5}
        # vertical text merged down its block is read as one name for every row of the block
        got = {i.label for i in core.items(s, "社会救助") if i.origin == "imported"}
        assert got == {"综合业务 / 政策法规文件", "综合业务 / 监督检查", "最低生活保障 / 政策法规文件",
                       "最低生活保障 / 办事指南", "最低生活保障 / 审核信息"}

        pl = importer.plan(s, second)
        assert pl.assumed_part
        assert pl.reasons == ["“社会救助”的序号从11开始,不是从1开始", "“社会救助”所在表格标题写有“续表”"]
        two = importer.import_directory(s, second, operator="测试员")
        assert two.data["part"] and two.counts["removed"] == 0
        imported = [(i.seq, i.label) for i in core.items(s, "社会救助") if i.origin == "imported"]
    assert imported == [("1", "综合业务 / 政策法规文件"), ("2", "综合业务 / 监督检查"),
                        ("3", "最低生活保障 / 政策法规文件"), ("4", "最低生活保障 / 办事指南"),
                        ("5", "最低生活保障 / 审核信息"), ("11", "临时救助 / 政策法规文件"),
                        ("12", "临时救助 / 办事指南"), ("13", "临时救助 / 审核审批信息")]


def test_whole_mode_chosen_over_the_judgement_removes(store, tmp_path):
    first = directory_book(tmp_path / "a.xlsx", RELIEF, RELIEF_TITLE)
    cont = directory_book(tmp_path / "b.xlsx", RELIEF[10:], RELIEF_TITLE + "(续表)")
    with store.session() as s:
        importer.import_directory(s, first, operator="测试员")
        # the clerk says this is the whole directory after all: rows 1–10 go
        res = importer.import_directory(s, cont, operator="测试员", part=False)
        assert not res.data["part"] and res.counts["removed"] == 10
        assert len([i for i in core.items(s, "社会救助") if i.origin == "imported"]) == 3


def test_a_part_never_removes_even_with_fewer_rows(store, tmp_path):
    whole = directory_book(tmp_path / "a.xlsx", RELIEF, RELIEF_TITLE)
    again = directory_book(tmp_path / "b.xlsx", RELIEF[:4], RELIEF_TITLE)
    with store.session() as s:
        importer.import_directory(s, whole, operator="测试员")
        pl = importer.plan(s, again)
        # numbering from 1 and no 续表: whole is assumed, the shortfall is only noted
        assert not pl.assumed_part and pl.notes == ["“社会救助”文件中只有4项,少于已导入的13项"]
        res = importer.import_directory(s, again, operator="测试员", part=True)
        assert res.counts["removed"] == 0
        assert len([i for i in core.items(s, "社会救助") if i.origin == "imported"]) == 13


SUBSIDY_TOP = "涉农补贴领域基层政务公开标准目录"
C4 = "政策依据;申请指南:补贴对象、补贴范围、补贴标准、申请程序、申请材料、咨询电话、受理单位、办理时限、联系方式等;补贴结果"
TL20 = "自政府信息形成或者变更之日起20个工作日内"
CH = "■政府网站 □政府公报 □两微一端 □公开查阅点 □社区/企事业单位/村公示栏(电子屏)"


def subsidy_2024() -> list[list]:
    return [
        [1, "农业生产发展资金", "农机购置补贴", C4,
         "《农业生产发展资金管理办法》(财农〔2017〕41号);《2018—2020年农机购置补贴实施指导意见》(农办财〔2018〕13号)",
         TL20, "县级农业农村部门", CH, "√", None, "√", None, "√", None],
        [2, None, "耕地地力保护", C4, "《农业生产发展资金管理办法》(财农〔2017〕41号)", TL20, "县级农业农村部门、乡镇人民政府",
         CH, "√", None, "√", None, "√", "√"],
        [3, "农村综合改革转移支付", "村级公益事业一事一议财政奖补", "奖补项目、资金", "财农〔2011〕153号", "每季度首月20日",
         "乡镇人民政府", CH, "√", None, "√", None, None, "√"],
    ]


def subsidy_2025() -> list[list]:
    rows = subsidy_2024()
    rows[0][1:5] = ["农业产业发展资金", "农机购置与应用补贴", C4,
                    "《农业产业发展资金管理办法》(财农〔2023〕11号);《2024—2026年农机购置与应用补贴实施意见》(农办机〔2024〕3号)"]
    rows[1][1:5] = ["耕地建设与利用资金", "耕地地力保护和种粮大户补贴", C4, "《耕地建设与利用资金管理办法》(财农〔2023〕12号)"]
    return rows


def test_renamed_item_keeps_its_publication_history_and_due_state(store, tmp_path):
    y2024 = directory_book(tmp_path / "2024.xlsx", subsidy_2024(), "某县某镇" + SUBSIDY_TOP)
    y2025 = directory_book(tmp_path / "2025.xlsx", subsidy_2025(), "某县某镇" + SUBSIDY_TOP + "(2025年版)")
    with store.session() as s:
        importer.import_directory(s, y2024, operator="测试员")
        old = core.find_item(s, "涉农补贴/农业生产发展资金/农机购置补贴")
        old_id = old.id
        core.add_publication(s, old_id, date(2024, 5, 6), channel="政府网站", title="2024年农机购置补贴实施方案")
        land = core.find_item(s, "涉农补贴/耕地地力保护")
        core.set_pending(s, land.id, date(2025, 3, 3), operator="测试员")

        pl = importer.plan(s, y2025)
        assert not pl.assumed_part
        pairs = {(p.old_label, p.new_label): p for p in pl.proposals}
        assert set(pairs) == {("农业生产发展资金 / 农机购置补贴", "农业产业发展资金 / 农机购置与应用补贴"),
                              ("农业生产发展资金 / 耕地地力保护", "耕地建设与利用资金 / 耕地地力保护和种粮大户补贴")}
        assert pairs[("农业生产发展资金 / 农机购置补贴", "农业产业发展资金 / 农机购置与应用补贴")].publications == 1

        # the clerk accepts one pair by name and rejects the other
        res = importer.import_directory(s, y2025, operator="测试员", renames=["农机购置补贴=农机购置与应用补贴"])
        # 耕地地力保护和种粮大户补贴 revives the built-in template row the 2024 import replaced
        assert (res.counts["renamed"], res.counts["removed"], res.counts["items"]) == (1, 1, 3)
        assert res.data["renamed"][0]["old"] == "农业生产发展资金 / 农机购置补贴"
        assert res.data["renamed"][0]["new"] == "农业产业发展资金 / 农机购置与应用补贴"
        assert [p["old"] for p in res.data["proposals"]] == ["农业生产发展资金 / 耕地地力保护"]
        item = core.find_item(s, "涉农补贴/农机购置与应用补贴")
        assert item.id == old_id
        assert [p.title for p in core.publications(item)] == ["2024年农机购置补贴实施方案"]
        assert item.former_names[0]["label"] == "农业生产发展资金 / 农机购置补贴"
        assert "财农〔2023〕11号" in item.basis
        # the rejected pair: the old row is gone (with its pending date), the new one is new
        assert core.find_item(s, "涉农补贴/耕地地力保护和种粮大户补贴").pending_since is None
        assert not any(i.label == "农业生产发展资金 / 耕地地力保护" for i in core.items(s, "涉农补贴"))


def test_accept_all_renames_keeps_the_pending_date(store, tmp_path):
    y2024 = directory_book(tmp_path / "2024.xlsx", subsidy_2024(), SUBSIDY_TOP)
    y2025 = directory_book(tmp_path / "2025.xlsx", subsidy_2025(), SUBSIDY_TOP)
    with store.session() as s:
        importer.import_directory(s, y2024, operator="测试员")
        core.set_pending(s, "涉农补贴/耕地地力保护", date(2025, 3, 3), operator="测试员")
        res = importer.import_directory(s, y2025, operator="测试员", accept_renames=True)
        assert res.counts["renamed"] == 2 and res.counts["removed"] == 0
        land = core.find_item(s, "涉农补贴/耕地地力保护和种粮大户补贴")
        assert land.pending_since == date(2025, 3, 3)
        board = due.dashboard(s, today=date(2025, 4, 30))
        assert "耕地建设与利用资金 / 耕地地力保护和种粮大户补贴" in {o.label for o in board.overdue}


def test_rename_that_names_nothing_is_refused(store, tmp_path):
    y2024 = directory_book(tmp_path / "2024.xlsx", subsidy_2024(), SUBSIDY_TOP)
    y2025 = directory_book(tmp_path / "2025.xlsx", subsidy_2025(), SUBSIDY_TOP)
    with store.session() as s:
        importer.import_directory(s, y2024, operator="测试员")
        with pytest.raises(InputRejected, match="找不到改名“不存在的事项 → 农机购置与应用补贴”"):
            importer.import_directory(s, y2025, operator="测试员", renames=["不存在的事项=农机购置与应用补贴"])


def test_county_only_item_is_not_the_townships_due(store, tmp_path):
    book = directory_book(tmp_path / "社会救助.xlsx", RELIEF, RELIEF_TITLE)
    with store.session() as s:
        importer.import_directory(s, book, operator="测试员")
        core.set_pending(s, "社会救助/最低生活保障/审批信息", date(2025, 9, 1), operator="测试员")  # 县级 only
        core.set_pending(s, "社会救助/最低生活保障/审核信息", date(2025, 9, 1), operator="测试员")  # 乡级
        board = due.dashboard(s, today=date(2025, 10, 10))
        overdue = {o.label for o in board.overdue}
        never = {o.label for o in board.never}
        county = {c["label"] for c in board.county_duty if c["domain"] == "社会救助"}
        assert "最低生活保障 / 审核信息" in overdue
        assert "最低生活保障 / 审批信息" not in overdue | never
        assert county == {"最低生活保障 / 审批信息", "特困人员救助供养 / 审批信息", "临时救助 / 审核审批信息"}
        relief = next(c for c in board.completion if c["domain"] == "社会救助")
        assert relief["items"] == 10  # 13 rows, 3 the county's
        # the clerk corrects one: 临时救助 is approved by this township here
        core.set_duty(s, "社会救助/临时救助/审核审批信息", "本乡镇", operator="测试员")
        assert "临时救助 / 审核审批信息" not in {c["label"] for c in due.dashboard(s, today=date(2025, 10, 10)).county_duty}


def test_channel_names_run_together_are_split_and_warned(store, tmp_path):
    rows = [[1, "综合业务", "政策法规文件", "政策文件", "条例", T10_, CITY_, "政府网站政府公报", "√", None, "√", None, "√", "√"],
            [2, None, "监督检查", "举报电话", "条例", T10_, CITY_, "公开查阅点政务服务中心 便民服务站", "√", None, "√", None,
             "√", "√"],
            [3, None, "其他", "其他信息", "条例", T10_, CITY_, "■政府网站", None, None, None, None, None, None]]
    book = directory_book(tmp_path / "都督乡.xlsx", rows, "丰都县都督乡社会救助领域基层政务公开标准目录", footnote="")
    with store.session() as s:
        res = importer.import_directory(s, book, operator="测试员")
        items = {i.level2: core.item_dict(i) for i in core.items(s, "社会救助") if i.origin == "imported"}
    assert items["政策法规文件"]["channels"] == ["政府网站", "政府公报"]
    assert items["监督检查"]["channels"] == ["公开查阅点", "政务服务中心", "便民服务站"]
    warn = [(w.row, w.column, w.message) for w in res.warnings]
    assert (4, "公开渠道和载体", "公开渠道没有■/□标记,名称连在一起,已按标准渠道名称拆分为:政府网站、政府公报(请核对是否必选)") in warn
    assert (6, "公开对象/公开方式/公开层级", "公开对象、公开方式、公开层级一栏都没有勾选,请按县级目录补充") in warn


T10_ = "制定或获取信息之日起10个工作日内"
CITY_ = "县级人民政府民政部门、乡镇人民政府(街道办事处)"


@pytest.mark.parametrize(("title", "domain"), [
    ("广州市某街国土空间规划领域基层政务公开标准目录", "城乡规划"),
    ("某县城乡规划领域基层政务公开标准目录(2025年)", "城乡规划"),
    ("安徽省某县国有土地上房屋征收领域基层政务公开标准目录", "国有土地上房屋征收与补偿"),
    ("某区广播电视领域基层政务公开标准目录", "广播电视和网络视听"),
    ("某县扶贫领域基层政务公开标准目录", "乡村振兴"),
    ("某县环境保护领域基层政务公开标准目录", "生态环境"),
])
def test_domain_titles_as_other_places_write_them(store, tmp_path, title, domain):
    rows = [[1, "政策文件", "规划文件", "规划文件", "", "20个工作日内", "县级主管部门", "■政府网站", "√", None, "√", None,
             "√", None]]
    book = directory_book(tmp_path / "d.xlsx", rows, title)
    with store.session() as s:
        res = importer.import_directory(s, book, operator="测试员")
        assert res.data["domains"] == {domain: 1}
        assert not any("自定领域" in w.message for w in res.warnings)
        if domain == "城乡规划":  # 未涉及 by default (merged into 自然资源); a county file brings it back
            assert core.find_domain(s, domain).applicable


def test_county_adds_an_alias(store, tmp_path):
    rows = [[1, "海关事项", "通关指南", "指南", "", "20个工作日内", "县级", "■政府网站", "√", None, "√", None, "√", None]]
    book = directory_book(tmp_path / "d.xlsx", rows, "某县口岸通关领域基层政务公开标准目录")
    with store.session() as s:
        res = core.add_aliases(s, {"口岸通关": "交通运输", "扶贫": "生态环境"}, operator="县级下发")
        assert res.data["added"] == ["口岸通关 → 交通运输"]
        assert res.data["skipped"] == ["扶贫(已是“乡村振兴”)"]
        assert importer.import_directory(s, book, operator="测试员").data["domains"] == {"交通运输": 1}


def test_county_revision_carries_renames_and_aliases(store, tmp_path):
    """The county's update package: a renamed item (with its former identity) renames the
    township's row, keeping its publication; the county's own aliases are added."""
    from gkdesk.catalogue import revision

    y2024 = directory_book(tmp_path / "2024.xlsx", subsidy_2024(), SUBSIDY_TOP)
    y2025 = directory_book(tmp_path / "2025.xlsx", subsidy_2025(), SUBSIDY_TOP)
    with store.session() as s:
        importer.import_directory(s, y2024, operator="测试员")
        old = core.find_item(s, "涉农补贴/农机购置补贴")
        old_id, old_identity = old.id, old.identity
        core.add_publication(s, old_id, date(2024, 5, 6), channel="政府网站", title="农机补贴方案")
        parsed, _, _ = importer.read_directory(y2025, importer._domain_names(s), "涉农补贴")
        items = [{"identity": p.identity, "values": {**{f: p.values[f] for f in importer.COMPARED},
                                                    "rule": p.values["rule"]},
                  "former": [old_identity] if p.values["level2"] == "农机购置与应用补贴" else []} for p in parsed]
        payload = {"county": "某县", "domains": [{"name": "涉农补贴", "items": items}],
                   "aliases": {"惠农补贴": "涉农补贴", "海关": "不存在的领域"}}
        counts = revision.apply(s, payload)
        assert counts["catalogue_removed"] == 1  # 耕地地力保护: no former identity was sent
        item = core.find_item(s, "涉农补贴/农机购置与应用补贴")
        assert item.id == old_id and [p.title for p in core.publications(item)] == ["农机补贴方案"]
        assert "惠农补贴" in core.find_domain(s, "涉农补贴").aliases
        again = revision.apply(s, payload)
        assert again["catalogue_changed"] == 0, again  # applying twice changes nothing


def test_builtin_update_renames_old_template_rows_keeping_publications(store):
    """A township seeded with the 2019-era template (农业生产发展资金/农机购置补贴, two 临时救助 rows)."""
    from gkdesk.catalogue import builtin_update

    with store.session() as s:
        core.ensure_seeded(s)
        machine = core.find_item(s, "涉农补贴/农机购置与应用补贴")
        machine.level1, machine.level2 = "农业生产发展资金", "农机购置补贴"
        machine.basis = "《农业生产发展资金管理办法》(财农〔2017〕41号)"
        machine.identity = core.identity_of(machine.level1, machine.level2, "")
        core.add_publication(s, machine.id, date(2024, 5, 6), channel="政府网站", title="农机补贴方案")
        machine_id = machine.id
        res = builtin_update.update(s, "测试员")
        assert res.counts["renamed"] == 1 and res.data["kept"] == []
        item = core.find_item(s, "涉农补贴/农机购置与应用补贴")
        assert item.id == machine_id and item.origin == "template"
        assert "财农〔2023〕11号" in item.basis and "模板来源" in item.extra
        assert [p.title for p in core.publications(item)] == ["农机补贴方案"]
        assert builtin_update.update(s, "测试员").status == "unchanged"  # twice changes nothing


def test_workbook_holding_both_pages_is_whole(store, tmp_path):
    """Page 1 and the 续表 page as two sheets of one workbook: the directory starts at 1, so whole."""
    import openpyxl

    a = directory_book(tmp_path / "a.xlsx", RELIEF[:10], RELIEF_TITLE, sheet="第1页")
    b = directory_book(tmp_path / "b.xlsx", RELIEF[10:], RELIEF_TITLE + "(续表)", sheet="第2页")
    wb = openpyxl.load_workbook(a)
    src = openpyxl.load_workbook(b)["第2页"]
    dst = wb.create_sheet("第2页")
    for row in src.iter_rows(values_only=True):
        dst.append(list(row))
    for rng in src.merged_cells.ranges:
        dst.merge_cells(str(rng))
    wb.save(tmp_path / "both.xlsx")
    with store.session() as s:
        pl = importer.plan(s, tmp_path / "both.xlsx")
        assert not pl.assumed_part and sum(len(p) for p in pl.by_domain.values()) == 13
