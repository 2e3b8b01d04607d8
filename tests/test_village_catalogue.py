"""Village catalogue: adopt the template, adjust per village within the statutory minimums, import."""

from __future__ import annotations

import openpyxl
import pytest

from gkdesk import township
from gkdesk import village_catalogue as vc
from gkdesk.errors import InputRejected, UnreadableInput

OP = "测试员"


def test_template_has_the_usual_categories_and_minimums():
    four = vc.builtin_items("four")
    three = vc.builtin_items("three")
    assert {i.category for i in four} == {"党务", "村务", "财务", "事务"}
    assert {i.category for i in three} == {"制度类", "事务类", "财务类"}
    by_key = {i.key: i for i in four}
    assert by_key["cw-szmx"].frequency == "quarterly" and by_key["cw-szmx"].fixed_day == 20
    assert by_key["cw-szmx"].finance and by_key["cw-szmx"].min_frequency == "quarterly"
    assert by_key["cw-zdsx"].frequency == "immediate" and by_key["cw-zdsx"].min_frequency == "immediate"
    # no item is less frequent than its own statutory minimum
    for i in four:
        if i.min_frequency:
            assert vc.FREQUENCY_MONTHS[i.frequency] <= vc.FREQUENCY_MONTHS[i.min_frequency], i.name


@pytest.mark.parametrize(("text", "expected"), [
    ("每季度首月20日", ("quarterly", 20)), ("每月", ("monthly", None)), ("每月20日", ("monthly", 20)),
    ("每年1月15日", ("yearly", 15)), ("每半年", ("half_year", None)),
    ("每年", ("yearly", None)), ("年底前", ("yearly", None)), ("随时", ("immediate", None)),
    ("获取该信息之日起20个工作日内", ("immediate", None)), ("quarterly", ("quarterly", None)),
    (" 每 季 度 ", ("quarterly", None)),
])
def test_parse_frequency(text, expected):
    assert vc.parse_frequency(text) == expected


def test_parse_frequency_rejects_unknown_text():
    with pytest.raises(ValueError, match="无法识别公开频次“看情况”"):
        vc.parse_frequency("看情况")


def test_adopt_for_all_villages_is_idempotent_and_keeps_village_changes(store):
    n = len(vc.builtin_items())
    with store.session() as s:
        res = vc.adopt_template(s, OP)
        assert res.counts == {"villages": 3, "added": 3 * n, "kept": 0}
        vc.set_frequency(s, "高桥村", "村干部报酬", "每月", OP)
        vc.remove_item(s, "柳树村", "宅基地审批情况", OP, reason="本村已无宅基地审批")
        again = vc.adopt_template(s, OP)
        assert again.counts["added"] == 0  # the removed item stays removed: the village decided so
        items = {i.name: i for i in vc.items(s, township.find_village(s, "高桥村"))}
        assert items["村干部报酬(误工补贴)发放情况"].frequency == "monthly"


def test_frequency_changes_respect_the_statutory_minimum(store):
    with store.session() as s:
        vc.adopt_template(s, OP, village_names=["高桥村"])
        with pytest.raises(InputRejected) as e1:
            vc.set_frequency(s, "高桥村", "村集体财务收支明细", "每半年", OP)
        assert e1.value.message == "“村集体财务收支明细”依《村民委员会组织法》第三十条至少每季度公开一次,不能改为每半年"
        with pytest.raises(InputRejected, match="属于涉及村民利益的重大事项,依《村民委员会组织法》第三十条应当随时公开,不能改为每季度"):
            vc.set_frequency(s, "高桥村", "投入资金5万元以上", "每季度", OP)
        res = vc.set_busy_finance(s, "高桥村", True, OP)
        assert sorted(res.data["raised"]) == ["政府部门对农(渔)业补贴发放情况", "村集体债权债务情况", "村集体财务收支明细"]
        with pytest.raises(InputRejected, match="本村集体财务往来较多,“村集体财务收支明细”依《村民委员会组织法》第三十条应当每月公开,不能改为每季度"):
            vc.set_frequency(s, "高桥村", "村集体财务收支明细", "每季度首月20日", OP)
        # a no-minimum item may go yearly
        out = vc.set_frequency(s, "高桥村", "村民自治章程、村规民约", "每半年", OP)
        assert out.data["old"] == "每年" and out.data["item"]["frequency_text"] == "每半年"


def test_add_and_remove_items(store):
    with store.session() as s:
        vc.adopt_template(s, OP, village_names=["新华社区"])
        vc.add_item(s, "新华社区", "物业服务收费情况", "事务", "每季度首月15日", OP)
        v = township.find_village(s, "新华社区")
        item = vc.find_item(s, v, "物业服务收费情况")
        assert (item.frequency, item.fixed_day, vc.frequency_text(item)) == ("quarterly", 15, "每季度首月15日")
        with pytest.raises(InputRejected, match="已有“物业服务收费情况”"):
            vc.add_item(s, "新华社区", "物业服务收费情况", "事务", "每月", OP)
        with pytest.raises(InputRejected, match="是法定公开事项,删除时请写明原因"):
            vc.remove_item(s, "新华社区", "宅基地审批情况", OP)
        vc.remove_item(s, "新华社区", "宅基地审批情况", OP, reason="社区不涉及宅基地")
        assert "宅基地审批情况" not in {i.name for i in vc.items(s, v)}


def _county_template(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "村务公开目录"
    ws.append(["XX县村(居)务公开事项参考目录"])
    ws.append([])
    ws.append(["序号", "类别", "公开事项", "公开内容", "公开时限", "公开依据"])
    for r in rows:
        ws.append(r)
    ws.merge_cells("B4:B5")
    wb.save(path)


def test_import_county_template(store, tmp_path):
    f = tmp_path / "县模板.xlsx"
    _county_template(f, [
        [1, "财务", "村级财务收支情况", "收入支出明细", "每季度首月20日", "组织法"],
        [2, None, "村集体资产出租", "出租合同", "每 季度", ""],
        [3, "事务", "临时救助对象", "姓名、金额", "获取该信息之日起20个工作日内", ""],
        [None, None, None, None, None, None],
        [4, "党务", "党员发展", "", "每半年", ""],
    ])
    with store.session() as s:
        res = vc.import_template(s, f, OP)
        assert res.counts["items"] == 4 and res.counts["added"] == 12
        v = township.find_village(s, "柳树村")
        got = {i.name: (i.category, i.frequency, i.fixed_day, i.min_frequency, i.finance) for i in vc.items(s, v)}
        assert got == {
            "村级财务收支情况": ("财务", "quarterly", 20, "quarterly", True),
            "村集体资产出租": ("财务", "quarterly", None, "quarterly", False),  # category merged down
            "临时救助对象": ("事务", "immediate", None, "immediate", False),
            "党员发展": ("党务", "half_year", None, "", False),
        }


def test_import_rejects_bad_rows_with_their_place_and_stores_nothing(store, tmp_path):
    f = tmp_path / "坏模板.xlsx"
    _county_template(f, [[1, "财务", "村级财务收支情况", "", "看情况", ""],
                         [2, "财务", "村级财务收支情况", "", "每月", ""]])
    with store.session() as s:
        with pytest.raises(InputRejected) as err:
            vc.import_template(s, f, OP)
        assert "文件“坏模板.xlsx” 工作表“村务公开目录” 第4行 “公开时限”列:无法识别公开频次“看情况”" in err.value.message
        assert "第5行 “公开事项”列:公开事项“村级财务收支情况”重复出现" in err.value.message
        assert vc.items(s, township.find_village(s, "高桥村")) == []


def test_import_without_header_is_unreadable(store, tmp_path):
    f = tmp_path / "无关.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "金额"])
    wb.save(f)
    with store.session() as s, pytest.raises(UnreadableInput, match="找不到公开事项目录的表头"):
        vc.import_template(s, f, OP)


def test_reviewers_profile(store):
    with store.session() as s:
        res = vc.set_reviewers(s, "高桥村", OP, supervision_head="王建国", finance_group_head=" 李秀英 ")
        assert res.data == {"supervision_head": "王建国", "finance_group_head": "李秀英"}
        prof = vc.profile(s, township.find_village(s, "高桥村"))
        assert (prof.supervision_head, prof.finance_group_head) == ("王建国", "李秀英")


@pytest.mark.parametrize(("scheme", "categories"), [
    ("four", {"党务", "村务", "财务", "事务"}),
    ("party", {"党务", "政务", "事务", "财务"}),  # 攀枝花 2022
    ("service", {"政务", "村务", "财务"}),  # 泰州 (服务 items are the village's own)
])
def test_category_schemes_counties_use(scheme, categories):
    from gkdesk import village_catalogue as vc

    items = vc.builtin_items(scheme)
    assert {i.category for i in items} == categories
    low = next(i for i in items if i.name == "城乡居民最低生活保障对象名单")
    assert low.category == {"four": "事务", "party": "事务", "service": "政务"}[scheme]
    assert {c for c, _, src in vc.scheme_choices() if src} == {"four", "three", "party", "service"}
