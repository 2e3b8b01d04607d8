"""The CLI end to end: init both sides, enrol by identity files, export, import, receipt, views."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gkdesk.cli import main as cli_main


@pytest.fixture
def gk(capsys):
    def run(data: Path, *argv: str):
        code = cli_main(["--data-dir", str(data), *argv])
        cap = capsys.readouterr()
        return code, cap.out, cap.err

    return run


def test_cli_full_cycle(gk, tmp_path):
    T, C, usb = tmp_path / "t", tmp_path / "c", tmp_path / "usb"
    assert gk(T, "init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")[0] == 0
    assert gk(C, "init", "--township", "通川区政务公开办", "--code", "511702", "--county", "通川区", "--role", "county")[0] == 0
    assert gk(T, "villages", "add", "高桥村", "--groups", "4")[0] == 0
    code, out, _ = gk(T, "keys", "export", "-o", str(tmp_path / "t.json"))
    assert code == 0 and "指纹" in out
    gk(C, "keys", "export", "-o", str(tmp_path / "c.json"))
    code, out, _ = gk(T, "keys", "trust", str(tmp_path / "c.json"))
    assert code == 0 and "已导入(待核验):通川区政务公开办" in out and "keys verify 511702" in out
    t_fp = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["fingerprint"]
    c_fp = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["fingerprint"]
    code, out, _ = gk(C, "keys", "trust", str(tmp_path / "t.json"))
    assert code == 0 and t_fp in out and "登记文件" in out
    # the county wrote the township's enrolment file next to its identity file (the USB stick)
    [enrol_file] = list(tmp_path.glob("登记文件-高桥镇-511702101.json"))
    code, out, _ = gk(T, "keys", "trust", str(enrol_file))
    assert code == 0 and "核验县级指纹后" in out
    # trust is pending until the clerk types back what was read out on the phone
    code, _, err = gk(T, "sync", "export", "-o", str(usb))
    assert code == 1 and "尚未核验" in err and "keys verify" in err
    code, _, err = gk(T, "keys", "verify", "511702", c_fp.replace(" ", "")[:-1] + "0" if c_fp[-1] != "0" else "1")
    assert code == 1
    assert gk(T, "keys", "verify", "511702", *c_fp.split())[0] == 0
    assert gk(C, "keys", "verify", "511702101", *t_fp.split())[0] == 0
    code, out, _ = gk(T, "keys", "show")
    assert "已核验" in out

    code, out, _ = gk(T, "sync", "export", "-o", str(usb))
    assert code == 0 and "可以安全拔出 U 盘" in out
    [pkg] = list(usb.glob("*.gkpkg"))

    code, out, _ = gk(C, "sync", "import", str(pkg), "--json", "--receipts-dir", str(usb))
    assert code == 0
    rep = json.loads(out)["packages"][0]
    assert rep["status"] == "applied" and rep["totals"]["new"] == 5  # 1 village + 4 groups
    [receipt] = rep["receipt_files"]

    code, out, _ = gk(C, "sync", "import", str(pkg))
    assert code == 0 and "重复" in out

    code, out, _ = gk(T, "sync", "import", receipt, "--json")
    assert code == 0 and json.loads(out)["packages"][0]["totals"] == {"acked_seq": 1}

    code, out, _ = gk(C, "county", "status", "--json")
    [st] = json.loads(out)["townships"]
    assert (st["name"], st["last_seq"], st["rows"]["village"], st["rows"]["village_group"]) == ("高桥镇", 1, 1, 4)
    assert gk(C, "county", "payouts")[0] == 0
    xlsx = tmp_path / "汇总.xlsx"
    assert gk(C, "county", "export", "-o", str(xlsx))[0] == 0
    ws = load_workbook(xlsx)["同步状态"]
    assert [c.value for c in ws[2]][:3] == ["高桥镇", "511702101", 1]

    code, out, _ = gk(C, "sync", "update", "-o", str(usb / "down"), "--years", "2025")
    assert code == 0
    [upd] = list((usb / "down").glob("*.gkpkg"))
    code, out, _ = gk(T, "sync", "import", str(upd), "--json")
    assert code == 0 and json.loads(out)["packages"][0]["kind"] == "update"

    code, out, _ = gk(T, "sync", "history", "--json")
    kinds = {(h["direction"], h["kind"]) for h in json.loads(out)["history"]}
    assert kinds == {("out", "data"), ("in", "receipt"), ("in", "update")}


def test_cli_refusal_exit_code_and_chinese_reason(gk, tmp_path):
    C = tmp_path / "c"
    gk(C, "init", "--township", "通川区政务公开办", "--code", "511702", "--county", "通川区", "--role", "county")
    junk = tmp_path / "坏包.gkpkg"
    junk.write_bytes(b"not a zip at all")
    code, out, _ = gk(C, "sync", "import", str(junk))
    assert code == 1 and "坏包.gkpkg" in out and "已损坏或不完整" in out


def test_cli_views_refused_on_a_township(gk, tmp_path):
    T = tmp_path / "t"
    gk(T, "init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")
    code, _, err = gk(T, "county", "status")
    assert code == 1 and "县级" in err


def test_cli_re_enrolment_after_key_reset(gk, tmp_path):
    T, C, usb = tmp_path / "t", tmp_path / "c", tmp_path / "usb"
    gk(T, "init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区")
    gk(C, "init", "--township", "通川区政务公开办", "--code", "511702", "--county", "通川区", "--role", "county")
    gk(T, "keys", "export", "-o", str(tmp_path / "t.json"))
    gk(C, "keys", "export", "-o", str(tmp_path / "c.json"))
    gk(T, "keys", "trust", str(tmp_path / "c.json"))
    gk(C, "keys", "trust", str(tmp_path / "t.json"))
    assert gk(C, "keys", "enrolment", "511702101", "-o", str(tmp_path / "e.json"))[0] == 0
    gk(T, "keys", "trust", str(tmp_path / "e.json"))
    fp = {w: json.loads((tmp_path / f"{w}.json").read_text(encoding="utf-8"))["fingerprint"] for w in "tc"}
    gk(T, "keys", "verify", "511702", fp["c"])
    gk(C, "keys", "verify", "511702101", fp["t"])
    # new keys while the old ones still open: the change is signed by the old key, stays verified
    assert gk(T, "keys", "reset", "--yes")[0] == 0
    gk(T, "keys", "export", "-o", str(tmp_path / "t2.json"))
    code, out, _ = gk(C, "keys", "trust", str(tmp_path / "t2.json"))
    assert code == 0 and "由原密钥签名确认" in out
    gk(T, "sync", "export", "-o", str(usb / "x.gkpkg"))
    code, out, _ = gk(C, "sync", "import", str(usb / "x.gkpkg"))
    assert code == 0 and "已导入" in out
    # keys lost (the key file is gone): new keys carry no endorsement; re-enrol and verify by phone
    for f in (T / "keys").glob("*.kek"):
        f.unlink()
    code, _, err = gk(T, "sync", "export", "-o", str(usb / "y.gkpkg"))
    assert code == 1 and "重新生成密钥" in err
    assert gk(T, "keys", "reset", "--yes")[0] == 0
    gk(T, "keys", "export", "-o", str(tmp_path / "t3.json"))
    code, _, err = gk(C, "keys", "trust", str(tmp_path / "t3.json"))
    assert code == 1 and "--replace" in err
    code, out, _ = gk(C, "keys", "trust", str(tmp_path / "t3.json"), "--replace")
    assert code == 0 and "已重新登记" in out and "原指纹" in out
    gk(T, "sync", "export", "-o", str(usb / "z.gkpkg"))
    code, out, _ = gk(C, "sync", "import", str(usb / "z.gkpkg"))
    assert code == 1 and "尚未核验" in out
    t3 = json.loads((tmp_path / "t3.json").read_text(encoding="utf-8"))["fingerprint"]
    assert gk(C, "keys", "verify", "511702101", t3)[0] == 0
    code, out, _ = gk(C, "sync", "import", str(usb / "z.gkpkg"))
    assert code == 0 and "已导入" in out
