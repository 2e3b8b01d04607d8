"""``gkdesk villages catalogue …`` and ``gkdesk posting …`` end to end (in-process CLI)."""

from __future__ import annotations

import openpyxl

from tests.photo_helpers import make_photo


def _init(cli):
    assert cli("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区").code == 0
    assert cli("villages", "add", "高桥村", "--groups", "3").code == 0
    assert cli("villages", "add", "柳树村").code == 0


def test_catalogue_adopt_list_set_import(cli, data_dir, tmp_path):
    _init(cli)
    r = cli("--json", "villages", "catalogue", "adopt")
    assert r.code == 0 and r.json == {"status": "ok", "villages": 2, "added": 56, "kept": 0}
    assert list((data_dir / "backups").glob("*-before-catalogue-adopt.sqlite3"))
    r = cli("villages", "catalogue", "remove", "--village", "柳树村", "--item", "宅基地", "--reason", "不涉及")
    assert r.code == 0 and "已从柳树村的目录中删除“宅基地审批情况”" in r.out
    assert list((data_dir / "backups").glob("*-before-catalogue-remove.sqlite3"))
    r = cli("--json", "villages", "catalogue", "list", "--village", "高桥村")
    assert len(r.json["items"]) == 28
    r = cli("villages", "catalogue", "set", "--village", "高桥村", "--item", "财务收支", "--frequency", "每半年")
    assert r.code == 1 and "至少每季度公开一次,不能改为每半年" in r.err
    r = cli("villages", "catalogue", "set", "--village", "高桥村", "--item", "财务收支", "--frequency", "每月")
    assert r.code == 0 and "每季度首月20日 → 每月" in r.out
    wb = openpyxl.Workbook()
    wb.active.append(["公开事项", "公开时限"])
    wb.active.append(["村级光伏电站收益分配", "每年"])
    wb.save(tmp_path / "县目录.xlsx")
    r = cli("--json", "villages", "catalogue", "import", str(tmp_path / "县目录.xlsx"), "--village", "柳树村")
    assert r.code == 0 and (r.json["items"], r.json["added"]) == (1, 1)
    r = cli("villages", "catalogue", "import", str(tmp_path / "没有.xlsx"))
    assert r.code == 2 and "找不到文件" in r.err


def test_posting_lifecycle_via_cli(cli, data_dir, tmp_path):
    _init(cli)
    cli("villages", "catalogue", "adopt")
    assert cli("villages", "catalogue", "tracking", "2026-01").code == 0  # the township kept the whole year
    r = cli("--json", "posting", "new", "--village", "高桥村", "--title", "三季度财务收支", "--item", "财务收支",
            "--slot", "2026-Q3", "--on", "2026-10-12")
    pid = r.json["posting"]["id"][:8]
    r = cli("posting", "post", pid, "--days", "7", "--on", "2026-10-13")
    assert r.code == 1 and "尚未经村务监督委员会或民主理财小组审核,不能张贴" in r.err
    assert "gkdesk posting review" in r.err  # the CLI renders the hint as the command to run
    r = cli("--json", "posting", "post", pid, "--days", "7", "--on", "2026-10-13")
    assert r.code == 1 and (r.json["code"], r.json["hint"]) == ("rejected", "review_posting")
    assert cli("posting", "review", pid, "--reviewer", "王建国", "--body", "民主理财小组", "--on", "2026-10-12").code == 0
    r = cli("posting", "post", pid, "--days", "5", "--working-days", "--on", "2026-10-13")
    assert r.code == 0 and "2026-10-13至2026-10-19(共5个工作日)" in r.out
    r = cli("posting", "attach", pid, str(make_photo(tmp_path / "栏.jpg")), "--on", "2026-10-13")
    assert r.code == 0 and "已附照片" in r.out
    r = cli("posting", "attach", pid, str(tmp_path / "无.jpg"))
    assert r.code == 2 and "找不到照片文件" in r.err
    r = cli("--json", "posting", "object", pid, "--content", "少列一笔支出", "--by", "李四", "--on", "2026-10-14")
    oid = r.json["objection_id"][:8]
    r = cli("posting", "archive", pid, "--on", "2026-10-25")
    assert r.code == 1 and "尚有 1 条异议未答复" in r.err
    assert cli("posting", "answer", oid, "--answer", "已补列并更正", "--on", "2026-10-15").code == 0
    r = cli("posting", "archive", pid, "--on", "2026-10-25")
    assert r.code == 0 and "[已归档]" in r.out
    r = cli("--json", "posting", "list", "--year", "2026")
    assert [(p["status"], p["photos"], p["objections"]) for p in r.json["postings"]] == [("archived", 1, 1)]
    r = cli("--json", "posting", "calendar", "--village", "高桥村", "--year", "2026", "--on", "2026-11-22")
    fin = next(row for row in r.json["rows"] if row["item"] == "村集体财务收支明细")
    assert [c["status"] for c in fin["cells"]] == ["missing", "missing", "late", "missing"]
    r = cli("posting", "show", pid)
    assert "归档" in r.out and "异议" in r.out and "栏.jpg" in r.out
    r = cli("--json", "posting", "register", "--year", "2026", "-o", str(tmp_path / "台账.xlsx"))
    assert r.code == 0 and r.json["rows"] == 1 and r.json["photos"] == 1
    assert (tmp_path / "台账.xlsx").exists()


def test_bad_date_is_a_usage_error(cli):
    _init(cli)
    r = cli("posting", "end", "abcdef12", "--on", "2026/10/1")
    assert r.code == 2
    assert "日期“2026/10/1”无效,应写成 YYYY-MM-DD" in r.err
