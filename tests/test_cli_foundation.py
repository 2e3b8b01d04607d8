"""The foundation's CLI contract: exit codes, JSON, bilingual help, village import."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import run_gkdesk


def test_init_villages_and_json(cli) -> None:
    r = cli("--json", "init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区", "--phone", "0818-1")
    assert r.code == 0 and r.json["township"]["name"] == "高桥镇"
    assert cli("villages", "add", "高桥村", "--groups", "8").code == 0
    r = cli("--json", "villages", "list")
    assert r.json["villages"][0]["group_names"][:2] == ["1组", "2组"]
    again = cli("init", "--township", "别的镇", "--code", "511702102", "--county", "通川区")
    assert again.code == 1 and "不能重复初始化" in again.err
    dup = cli("villages", "add", "高桥村")
    assert dup.code == 1 and "已存在" in dup.err


@pytest.mark.parametrize(("args", "code", "message"), [
    (["init", "--township", "镇", "--code", "12ab", "--county", "县"], 1, "行政区划代码"),
    (["init", "--township", "镇"], 2, "usage"),
    (["nonsense"], 2, "usage"),
])
def test_exit_codes(cli, args, code, message) -> None:
    r = cli(*args)
    assert r.code == code and message in r.err


def test_real_process_usage_error_exits_2_and_help_is_bilingual(tmp_path: Path) -> None:
    r = run_gkdesk("villages", "add", data_dir=tmp_path)
    assert r.code == 2 and "用法错误" in r.err
    h = run_gkdesk("backup", "restore", "--help")
    assert h.code == 0 and "从备份恢复" in h.out and "restore a backup" in h.out
    assert run_gkdesk("--version").out.startswith("gkdesk ")


def test_command_before_init_says_what_to_do(cli) -> None:
    r = cli("villages", "list")
    assert r.code == 2 and "gkdesk init" in r.err


def test_import_villages_from_messy_workbook(cli, tmp_path: Path) -> None:
    cli("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")
    cli("villages", "add", "高桥村", "--groups", "2")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "村名单"
    ws.append(["高桥镇村(社区)名单"])
    ws.append(["填报单位:高桥镇党政办"])
    ws.append(["序号", "村(社区)\n名称", "村民小组数(个)", "备注"])
    ws.append([1, "高桥村", 5, ""])
    ws.append([2, " 柳 树村", 6.0, ""])
    ws.append([None, None, None, None])
    ws.append([3, "新华社区", None, "城镇社区"])
    ws.append(["合计", None, 11, None])
    f = tmp_path / "villages.xlsx"
    wb.save(f)
    r = cli("--json", "villages", "import", str(f))
    assert r.code == 0, r.err
    assert (r.json["added"], r.json["existing"], r.json["groups_added"]) == (2, 1, 9)
    v = {x["name"]: x for x in cli("--json", "villages", "list").json["villages"]}
    assert v["高桥村"]["groups"] == 5 and v["柳树村"]["groups"] == 6 and v["新华社区"]["kind"] == "社区"


def test_village_import_rejects_bad_rows_and_names_them(cli, tmp_path: Path) -> None:
    cli("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["村名", "组数"])
    ws.append(["甲村", 3])
    ws.append(["乙村", "三"])
    f = tmp_path / "v.xlsx"
    wb.save(f)
    r = cli("villages", "import", str(f))
    assert r.code == 1
    assert "第3行" in r.err and "“组数”列" in r.err and "v.xlsx" in r.err
    assert cli("--json", "villages", "list").json["villages"] == []  # all-or-nothing


def test_unreadable_file_exit_2(cli, tmp_path: Path) -> None:
    cli("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")
    fake = tmp_path / "名单.xlsx"
    fake.write_text("这不是表格", encoding="utf-8")
    r = cli("villages", "import", str(fake))
    assert r.code == 2 and "名单.xlsx" in r.err


def test_check_and_demo(cli, tmp_path: Path) -> None:
    r = cli("--json", "demo")
    assert r.code == 0 and r.json["counts"]["villages"] == 8
    r = cli("--json", "check")
    checks = {c["check"]: c for c in r.json["checks"]}
    assert checks["integrity"]["ok"] and checks["schema"]["ok"] and checks["calendar"]["ok"]
    assert cli("demo").code == 1  # never over real (or existing) data


def test_building_the_parser_imports_no_heavy_library() -> None:
    """Command modules import their core inside handlers: `gkdesk payouts import` (and --help)
    must not pay for PDF, crypto, Excel-writing or database libraries it does not use."""
    import subprocess
    import sys

    code = ("import sys, gkdesk.cli as c\nc.build_parser()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'sqlalchemy', 'alembic', 'reportlab', 'nacl', 'openpyxl', 'PIL', 'chinese_calendar'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_unwritable_output_is_a_clear_message_not_a_traceback(cli, tmp_path: Path) -> None:
    cli("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")
    blocked = tmp_path / "只读"
    blocked.write_text("这是一个文件,不是文件夹", encoding="utf-8")
    r = cli("catalogue", "list", "--json")  # something that works first
    assert r.code == 0
    r = cli("selfcheck", "-o", str(blocked / "回头看.xlsx"))
    assert r.code == 2 and "文件读写失败" in r.err and "Traceback" not in r.err


def test_output_piped_into_a_reader_that_leaves_early_is_no_traceback(tmp_path: Path) -> None:
    """``gkdesk … | head`` — the reader closes the pipe before the command has said everything."""
    import subprocess
    import sys

    data = tmp_path / "data"
    assert run_gkdesk("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区",
                      data_dir=data).code == 0
    proc = subprocess.Popen([sys.executable, "-m", "gkdesk", "--data-dir", str(data), "villages", "add", "高桥村",
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # gone before the first line arrives
    err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and code == 2, err
    listed = run_gkdesk("villages", "list", "--json", data_dir=data)
    assert "高桥村" in listed.out  # the work was done all the same
