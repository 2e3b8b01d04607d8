"""The ``request`` commands end to end on a real data directory: register, clock, reply,
documents as real PDFs, and the register as a real, print-ready .xlsx without names."""

from __future__ import annotations

import os
import subprocess
from datetime import date

import pytest

from gkdesk.app import disclosure as app
from gkdesk.app.workspace import Workspace
from gkdesk.errors import GkError


@pytest.fixture
def ready(store, cli):
    return cli


def test_request_flow_through_the_cli(ready, store, tmp_path):
    cli = ready
    arrived = "2026-03-02"
    r = cli("request", "add", "--channel", "当面提交", "--received", arrived, "--applicant-type", "商业企业",
            "--name", "某某建材有限公司", "--contact", "13912345678",
            "--content", "=HYPERLINK(\"x\") 2026年高桥村道路硬化工程招标文件", "--json")
    assert r.code == 0, r.err
    req = r.json["request"]
    assert req["number"].endswith("-001") and req["applicant_type_label"] == "商业企业"
    assert "13912345678" not in r.out and "某某建材" not in r.out
    n = req["number"]
    r = cli("request", "supplement", n, "--items", "请写明标段名称", "--on", arrived, "--json")
    assert r.code == 0, r.err and r.json["request"]["state"] == "awaiting_supplement"
    r = cli("request", "supplement", n, "--received", "2026-03-20", "--json")
    assert r.code == 0, r.err
    assert r.json["request"]["state"] == "running"
    assert r.json["request"]["due_on"] == "2026-04-20"
    r = cli("request", "reply", n, "--outcome", "partial", "--delivery", "邮政企业邮寄", "--on", "2026-04-10",
            "--note", "投标人报价已作区分处理。")
    assert r.code == 0, r.err
    assert "已登记答复" in r.out
    r = cli("request", "appeal", n, "--kind", "review", "--filed", "2026-05-06", "--json")
    assert r.code == 0, r.err
    assert r.json["request"]["appeals"][0]["result"] == "pending"
    r = cli("request", "show", n)
    assert "某某建材有限公司" in r.out and "补正" in r.out  # the clerk's own view shows the applicant
    r = cli("request", "list", "--json")
    assert [d["number"] for d in r.json["requests"]] == [n]
    assert "某某建材" not in r.out

    # documents: real PDFs with the township, number and dates filled in
    out = tmp_path / "reply.pdf"
    r = cli("request", "print", n, "-o", str(out))
    assert r.code == 0, r.err
    assert "政府信息部分公开告知书" in r.out
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "高桥镇人民政府" in text and "依申〔" in text and "某某建材有限公司" in text
    r = cli("request", "print", n, "--doc", "supplement", "-o", str(tmp_path / "sup.pdf"))
    assert r.code == 0, r.err
    text = subprocess.run(["pdftotext", str(tmp_path / "sup.pdf"), "-"], capture_output=True, text=True).stdout
    assert "请写明标段名称" in text.replace("\n", "")
    r = cli("request", "print", n, "--doc", "extension", "-o", str(tmp_path / "ext.pdf"))
    assert r.code == 1 and "没有登记延期答复" in r.err

    # the register export
    xlsx = tmp_path / "台账.xlsx"
    r = cli("request", "export", "-o", str(xlsx))
    assert r.code == 0, r.err
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    ws = wb.active
    assert [c.value for c in ws[2]] == ["编号", "收到日期", "申请人类型", "申请内容", "补正", "延期", "答复日期",
                                        "答复类型", "是否超期"]
    row = [c.value for c in ws[3]]
    assert row[0] == n and row[2] == "商业企业" and row[4] == "是" and row[7] == "部分公开" and row[8] == "否"
    assert ws["D3"].data_type == "s" and ws["D3"].value.startswith("=HYPERLINK")  # text, not a live formula
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$2:$2" or ws.print_title_rows == "2:2"
    assert "高桥镇" in ws["A1"].value
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "某某建材" not in cells and "13912345678" not in cells


def test_bad_input_is_refused_in_chinese(ready, store):
    cli = ready
    r = cli("request", "add", "--channel", "飞鸽", "--received", "2026-03-02", "--content", "x")
    assert r.code == 2 and "收到方式“飞鸽”不认识" in r.err
    r = cli("request", "show", "2026-999")
    assert r.code == 1 and "找不到编号" in r.err
    r = cli("request", "add", "--channel", "in_person", "--received", "2026-12-04", "--content", "x", "--json")
    # today's real date decides whether 2027 is needed; either way no traceback
    assert r.code in (0, 1) and "Traceback" not in r.err


def test_county_template_replaces_the_default(store, tmp_path):
    ws = Workspace(store)
    app.add(ws, channel="in_person", arrived_on=date(2026, 3, 2), applicant_type="natural", content="低保名单",
            applicant_name="王五", today=date(2026, 3, 2))
    app.reply(ws, "2026-001", "open", "direct", day=date(2026, 3, 10), today=date(2026, 3, 10))
    folder = store.data_dir / "templates" / "disclosure"
    res = app.export_templates(ws, folder)
    assert "reply_open.txt" in res.files
    (folder / "reply_open.txt").write_text("县定公开告知书\n${applicant}:\n编号${number},于${reply_date}答复。${unknown}\n",
                                           encoding="gb18030")
    out = tmp_path / "r.pdf"
    res = app.print_document(ws, "2026-001", "reply", out)
    assert res.title == "县定公开告知书" and "templates" in res.template
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "编号2026-001,于2026年3月10日答复" in text and "${unknown}" in text


@pytest.mark.parametrize("outcome,title", [("open", "政府信息公开告知书"), ("deny_1", "政府信息不予公开告知书"),
                                           ("unable_1", "政府信息不存在告知书"), ("unable_2", "政府信息公开申请答复告知书"),
                                           ("noproc_1", "政府信息公开申请不予处理告知书"),
                                           ("other_3", "政府信息公开申请处理告知书")])
def test_each_outcome_prints_its_notice(store, tmp_path, outcome, title):
    ws = Workspace(store)
    app.add(ws, channel="email", arrived_on=date(2026, 3, 2), applicant_type="natural", content="村级财务公开",
            applicant_name="蒋某", today=date(2026, 3, 2))
    app.reply(ws, "2026-001", outcome, "electronic", day=date(2026, 3, 9), today=date(2026, 3, 9))
    out = tmp_path / "r.pdf"
    assert app.print_document(ws, "2026-001", "reply", out).title == title
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.replace("\n", "")
    assert title in text and "2026年3月2日" in text and "2026-001" in text and "${" not in text


def test_every_step_document(store, tmp_path):
    ws = Workspace(store)
    add = dict(channel="registered_post", applicant_type="business", content="高桥村征地补偿明细",
               applicant_name="某某公司")
    app.add(ws, arrived_on=date(2026, 3, 2), today=date(2026, 3, 2), **add)
    app.consult(ws, "2026-001", date(2026, 3, 4), "某某养殖合作社", today=date(2026, 3, 4))
    app.consult_end(ws, "2026-001", date(2026, 3, 10), today=date(2026, 3, 10))
    app.extend(ws, "2026-001", date(2026, 3, 20), 10, "王主任", reason="涉及多个村的档案", today=date(2026, 3, 20))
    expect = {"consult": ("征求第三方意见书", ["某某养殖合作社", "2026年3月25日前"]),
              "extension": ("延期答复告知书", ["延长10个工作日", "涉及多个村的档案"]),
              "provide_date": ("政府信息提供日期通知书", ["2026年5月15日前"])}
    for doc, (title, bits) in expect.items():
        out = tmp_path / f"{doc}.pdf"
        res = app.print_document(ws, "2026-001", doc, out, provide_on=date(2026, 5, 15))
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.replace("\n", "")
        assert res.title == title and all(b in text for b in bits), (doc, text)
    consult_text = subprocess.run(["pdftotext", str(tmp_path / "consult.pdf"), "-"], capture_output=True,
                                  text=True).stdout
    assert "某某公司" not in consult_text  # the third party is not told who asked
    app.add(ws, arrived_on=date(2026, 3, 3), today=date(2026, 3, 3), **add)
    app.reply(ws, "2026-002", "noproc_2", "post", day=date(2026, 3, 5), repeat_of="2026-001", today=date(2026, 3, 5))
    res = app.print_document(ws, "2026-002", "reply", tmp_path / "repeat.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "repeat.pdf"), "-"], capture_output=True, text=True).stdout
    assert res.title == "重复申请告知书" and "2026-001" in text.replace("\n", "")
    if os.name == "posix":  # a notice names the applicant: readable by its owner only
        assert (tmp_path / "repeat.pdf").stat().st_mode & 0o077 == 0


def test_unwritable_output_is_a_clear_refusal(store, tmp_path):
    ws = Workspace(store)
    app.add(ws, channel="in_person", arrived_on=date(2026, 3, 2), applicant_type="natural", content="x",
            today=date(2026, 3, 2))
    target = tmp_path / "台账.xlsx"
    target.mkdir()  # a folder where the file should go: os.replace fails like a file locked by WPS
    with pytest.raises(GkError) as exc:
        app.export_register(ws, target)
    assert "无法写入文件“台账.xlsx”" in exc.value.message
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]  # no temporary file left behind
