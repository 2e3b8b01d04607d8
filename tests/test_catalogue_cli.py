"""The catalogue commands end to end: import, list, domains, 未涉及, publications, due, selfcheck."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pypdf import PdfReader

from tests.test_catalogue_import import make_official, subsidy_rows


def _init(cli):
    r = cli("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")
    assert r.code == 0, r.err


def test_import_list_and_reimport(cli, tmp_path: Path, data_dir: Path):
    _init(cli)
    path = make_official(tmp_path)
    r = cli("catalogue", "import", str(path), "--json")
    assert r.code == 0, r.err
    j = r.json
    assert j["status"] == "imported" and j["domains"] == {"涉农补贴": 3}
    # a 2019-era directory against the 2023-era template: nothing matches by name, the
    # template rows go, and the renamed pairs are proposed (not applied without --accept-renames)
    assert (j["added"], j["changed"], j["removed"]) == (3, 0, 4)
    assert ("农业产业发展资金 / 农机购置与应用补贴", "农业生产发展资金 / 农机购置补贴") in {
        (p["old"], p["new"]) for p in j["proposals"]}
    assert j["warnings"] == [] and j["errors"] == []
    assert list((data_dir / "backups").glob("*")), "a backup is made before the import"

    r = cli("catalogue", "list", "--domain", "涉农补贴", "--json")
    items = r.json["items"]
    assert [(i["level1"], i["level2"]) for i in items] == [
        ("农业生产发展资金", "农机购置补贴"), ("农业生产发展资金", "耕地地力保护"),
        ("农村综合改革转移支付", "村级公益事业一事一议财政奖补")]
    first = items[0]
    for key in ("domain", "level1", "level2", "level3", "content", "basis", "time_limit", "rule", "publisher",
                "channels", "audience", "mode", "levels"):
        assert key in first
    assert first["channels"] == ["政府网站", "社区/企事业单位/村公示栏(电子屏)"]
    assert (first["audience"], first["mode"], first["levels"]) == (["全社会"], ["主动"], ["县级"])

    rows = subsidy_rows()
    rows[1][3] = "补贴对象、补贴标准、补贴面积、补贴结果"
    p2 = make_official(tmp_path, rows, "v2.xlsx")
    j = cli("catalogue", "import", str(p2), "--json").json
    assert (j["added"], j["changed"], j["removed"]) == (0, 1, 0)
    assert j["items"]["changed"] == [{"domain": "涉农补贴", "label": "农业生产发展资金 / 耕地地力保护",
                                      "sheet": "涉农补贴", "row": 5, "fields": ["公开内容"]}]


def test_bad_file_exit_codes(cli, tmp_path: Path):
    _init(cli)
    r = cli("catalogue", "import", str(tmp_path / "没有.xlsx"))
    assert r.code == 2 and "找不到文件" in r.err
    r = cli("publication", "add", "--item", "不存在的事项", "--published", "2025-10-09")
    assert r.code == 1 and "找不到公开事项“不存在的事项”" in r.err
    r = cli("publication", "add", "--item", "审核信息", "--published", "2025-10-09")
    assert r.code == 1 and "对应多个公开事项" in r.err


def test_domains_and_not_applicable(cli):
    _init(cli)
    j = cli("catalogue", "domains", "--json").json["domains"]
    assert len(j) == 31  # 城乡规划 kept as its own domain, 未涉及 by default
    names = {d["name"]: d for d in j}
    assert names["乡村振兴"]["aliases"] == ["扶贫"] and names["自然资源"]["aliases"] == ["征地补偿"]
    assert names["城乡规划"]["aliases"] == ["国土空间规划"] and not names["城乡规划"]["applicable"]
    assert names["卫生健康"]["department"] == "卫生健康局"
    assert sum(d["applicable"] for d in j) == 25  # 26 pilot domains with 城乡规划+征地补偿 merged
    j = cli("catalogue", "domains", "--use", "30", "--json").json["domains"]
    assert sum(d["applicable"] for d in j) == 30
    r = cli("catalogue", "not-applicable", "环境保护", "--reason", "本镇无相关职责")
    assert r.code == 0 and "生态环境" in r.out
    r = cli("catalogue", "not-applicable", "社会救助", "--item", "临时救助/审核审批信息", "--reason", "县民政局审批")
    assert r.code == 0
    rows = cli("catalogue", "not-applicable", "--json").json["not_applicable"]
    assert rows[1:] == [{"domain": "生态环境", "item": None, "reason": "本镇无相关职责"},
                        {"domain": "社会救助", "item": "临时救助 / 审核审批信息", "reason": "县民政局审批"}]
    assert rows[0]["domain"] == "城乡规划" and "自然资源" in rows[0]["reason"]
    r = cli("catalogue", "not-applicable", "社会救助")
    assert r.code == 1 and "必须说明理由" in r.err


def test_publication_due_and_selfcheck(cli, tmp_path: Path, data_dir: Path):
    _init(cli)
    photo = tmp_path / "公示照片.jpg"
    photo.write_bytes(b"\xff\xd8fake jpeg")
    r = cli("publication", "add", "--item", "涉农补贴/耕地地力保护和种粮大户补贴", "--published", "2025-10-09",
            "--formed", "2025-09-01", "--channel", "村务公开栏", "--title", "2025年耕地地力保护补贴公示",
            "--attach", str(photo), "--json")
    assert r.code == 0, r.err
    pub = r.json["publication"]
    assert pub["attachment"].startswith("attachments/") and (data_dir / pub["attachment"]).exists()
    assert cli("catalogue", "pending", "社会救助/最低生活保障/审批信息", "--since", "2025-09-26").code == 0
    assert cli("catalogue", "pending", "社会救助/最低生活保障/审核信息", "--since", "2025-09-10").code == 0

    j = cli("due", "--today", "2025-10-10", "--json").json
    assert j["horizon_end"] == "2025-10-23"
    assert [(o["label"], o["due"], o["status_label"]) for o in j["overdue"]] == [
        ("最低生活保障 / 审核信息", "2025-09-24", "逾期未公开")]
    # 低保 审批信息 is the county 民政's (公开层级 县级): listed apart, never due for the township
    assert j["due_soon"] == []
    assert "最低生活保障 / 审批信息" in {c["label"] for c in j["county_duty"]}
    never = {o["label"] for o in j["never_published"]}
    assert "综合业务 / 政策法规文件" in never and "耕地建设与利用资金 / 耕地地力保护和种粮大户补贴" not in never
    sj = next(c for c in j["completion"] if c["domain"] == "涉农补贴")
    # 农机购置与应用补贴 (公开层级 县级) and the two 县级农业农村部门 rows are the county's:
    # only 耕地地力保护和种粮大户补贴 (县级+乡级) is the township's
    assert sj == {"domain": "涉农补贴", "items": 1, "published": 1, "overdue": 0, "percent": 100}

    out = tmp_path / "回头看.xlsx"
    r = cli("selfcheck", "-o", str(out), "--today", "2025-10-10")
    assert r.code == 0, r.err
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[3]] == ["一级指标", "二级指标", "存在问题", "责任单位", "完成期限", "落实情况"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
    assert rows["最低生活保障 / 审核信息"][2] == "信息形成于2025-09-10逾期未公开(应于2025-09-24前)"
    assert rows["最低生活保障 / 审核信息"][4] == "2025-09-24"
    assert rows["耕地建设与利用资金 / 耕地地力保护和种粮大户补贴"][2] == "信息形成于2025-09-01:2025-10-09公开,晚于期限2025-09-28"
    assert rows["耕地建设与利用资金 / 耕地地力保护和种粮大户补贴"][5] == "已落实;最近公开 2025-10-09(村务公开栏)"

    pdf = tmp_path / "回头看.pdf"
    assert cli("selfcheck", "-o", str(pdf), "--today", "2025-10-10").code == 0
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "回头看" in text and "逾期未公开(应于2025-09-24前)" in text.replace("\n", "")
    assert "第 1 页 共" in text
    assert cli("selfcheck", "-o", str(tmp_path / "x.doc")).code == 1


def test_refusals_print_the_flag_or_command_that_fixes_them(cli, tmp_path: Path):
    """The core's messages carry hints; the command line renders them as what to type."""
    _init(cli)
    r = cli("catalogue", "not-applicable", "不存在的领域", "--reason", "无")
    assert r.code == 1 and "找不到领域“不存在的领域”" in r.err and "gkdesk catalogue domains" in r.err
    book = tmp_path / "目录.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["序号", "一级事项", "二级事项", "公开内容", "公开时限"])
    wb.active.append([1, "农业生产发展资金", "耕地地力保护", "补贴对象", "20个工作日内"])
    wb.save(book)
    r = cli("catalogue", "import", str(book), "--json")
    assert r.code == 2 and "--domain" in r.err
    assert r.json["code"] == "unreadable" and r.json["hint"] == "choose_domain"
    r = cli("catalogue", "import", str(book), "--domain", "涉农补贴", "--json")
    assert r.code == 0 and r.json["domains"] == {"涉农补贴": 1}


def test_import_parts_renames_duty_and_alias(cli, tmp_path: Path):
    from tests.catalogue_layouts import RELIEF, directory_book
    from tests.test_catalogue_parts import SUBSIDY_TOP, subsidy_2024, subsidy_2025

    _init(cli)
    title = "社会救助领域基层政务公开标准目录"
    assert cli("catalogue", "import", str(directory_book(tmp_path / "1.xlsx", RELIEF[:5], title))).code == 0
    r = cli("catalogue", "import", str(directory_book(tmp_path / "2.xlsx", RELIEF[10:], title + "(续表)")))
    assert r.code == 0, r.err
    assert "按目录的一部分导入" in r.out and "判断为目录的一部分:“社会救助”的序号从11开始" in r.out
    assert "--whole" in r.out  # the CLI says how to override its judgement
    j = cli("catalogue", "import", str(tmp_path / "2.xlsx"), "--part", "--json").json
    assert j["mode"] == "part" and j["removed"] == 0

    assert cli("catalogue", "import", str(directory_book(tmp_path / "a.xlsx", subsidy_2024(), SUBSIDY_TOP))).code == 0
    assert cli("publication", "add", "--item", "涉农补贴/农机购置补贴", "--published", "2024-05-06").code == 0
    y2025 = directory_book(tmp_path / "b.xlsx", subsidy_2025(), SUBSIDY_TOP)
    bad = cli("catalogue", "import", str(y2025), "--rename", "农机购置补贴")
    assert bad.code == 1 and "应写成“原事项=新事项”" in bad.err
    j = cli("catalogue", "import", str(y2025), "--rename", "农机购置补贴=农机购置与应用补贴", "--json").json
    assert [(x["old"], x["new"], x["publications"]) for x in j["renamed"]] == [
        ("农业生产发展资金 / 农机购置补贴", "农业产业发展资金 / 农机购置与应用补贴", 1)]
    pubs = cli("publication", "list", "--item", "涉农补贴/农机购置与应用补贴", "--json").json["publications"]
    assert [p["published_on"] for p in pubs] == ["2024-05-06"]

    r = cli("catalogue", "duty", "社会救助/临时救助/审核审批信息", "本乡镇")
    assert r.code == 0 and r.out.strip() == "社会救助 临时救助 / 审核审批信息:本乡镇"
    assert cli("catalogue", "duty", "社会救助/临时救助/审核审批信息", "省级").code == 1
    r = cli("catalogue", "alias", "国土空间规划", "城乡规划")
    assert r.code == 0 and "没有新的领域别名" in r.out  # built in already
    r = cli("catalogue", "alias", "惠农补贴", "涉农补贴")
    assert r.code == 0 and "惠农补贴 → 涉农补贴" in r.out
    r = cli("catalogue", "seed", "--update")
    assert r.code == 0 and r.out.startswith("内置标准目录模板已是最新")
    assert "已导入县级目录、未改动的领域:" in r.out and "社会救助" in r.out
