"""Saved layouts (导入模板) from the CLI: --map, --save-layout, automatic reuse, --layout, and
list/show/export/import/delete — the JSON a county can send to its townships."""

from __future__ import annotations

import json
from pathlib import Path

from tests.payout_files import pid
from tests.ui.test_payout_mapping import unknown_export

ARGS = ["--program", "临时救助", "--year", "2026"]


def test_map_save_reuse_export_import(store, cli, tmp_path: Path) -> None:
    f = unknown_export(tmp_path / "导出数据.xlsx")
    r = cli("payouts", "import", str(f), *ARGS, "--json")
    assert r.code == 2 and "金额列" in r.json["message"]  # the amount column's header is unknown
    r = cli("payouts", "import", str(f), *ARGS, "--period", "第一批", "--map", "金额=本期应领(元)",
            "--map", "姓名=B", "--save-layout", "某系统导出", "--json")
    assert r.code == 0, r.out
    j = r.json
    assert (j["rows"], j["total_amount"], j["columns"]["amount"], j["columns"]["name"]) == \
        (4, "749.75", "本期应领(元)", "领取人")
    assert j["layout"] is None and j["layout_saved"] == "某系统导出"
    g = unknown_export(tmp_path / "导出数据-2.xlsx")
    r = cli("payouts", "import", str(g), *ARGS, "--period", "第二批", "--dry-run", "--json")
    assert r.code == 0 and r.json["layout"] == "某系统导出" and r.json["rows"] == 4
    r = cli("payouts", "layouts", "list", "--json")
    assert [x["name"] for x in r.json["layouts"]] == ["某系统导出"]
    assert r.json["layouts"][0]["fields"]["amount"] == "本期应领(元)"
    out = tmp_path / "layouts.json"
    assert cli("payouts", "layouts", "export", str(out)).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "gkdesk-payout-layouts" and data["layouts"][0]["name"] == "某系统导出"
    assert cli("payouts", "layouts", "delete", "某系统导出").code == 0
    assert cli("payouts", "layouts", "list", "--json").json["layouts"] == []
    r = cli("payouts", "layouts", "import", str(out), "--json")
    assert r.code == 0 and r.json["names"] == ["某系统导出"]
    r = cli("payouts", "layouts", "show", "某系统导出", "--json")
    assert r.json["headers"][:3] == ["编号", "领取人", "证件"]
    # forced by name, even when the header moved by a row
    r = cli("payouts", "import", str(g), *ARGS, "--period", "第三批", "--layout", "某系统导出", "--dry-run", "--json")
    assert r.code == 0 and r.json["layout"] == "某系统导出"
    r = cli("payouts", "import", str(g), *ARGS, "--layout", "没有这个", "--json")
    assert r.code != 0 and "没有名为" in (r.out + r.err)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "x"}', encoding="utf-8")
    r = cli("payouts", "layouts", "import", str(bad))
    assert r.code != 0 and "Traceback" not in r.err
    assert pid(1)  # the helper module stays in use


def test_map_refuses_unknown_field_and_column(store, cli, tmp_path: Path) -> None:
    f = unknown_export(tmp_path / "u.xlsx")
    r = cli("payouts", "import", str(f), *ARGS, "--map", "工资=F", "--json")
    assert r.code != 0 and "不认识的字段" in (r.out + r.err)
    r = cli("payouts", "import", str(f), *ARGS, "--map", "金额=没有的列", "--json")
    assert r.code != 0 and "没有“没有的列”" in (r.out + r.err)
