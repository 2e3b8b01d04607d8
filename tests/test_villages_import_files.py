"""村(社区)名单 files as they arrive: a DOS end-of-file mark, totals and signatures under the list."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def _names(cli) -> list[str]:
    return [v["name"] for v in cli("--json", "villages", "list").json["villages"]]


def test_ctrl_z_at_the_end_of_a_csv_is_not_a_village(store, cli, tmp_path: Path) -> None:
    store.close()
    f = tmp_path / "名单.csv"
    f.write_bytes("村名,村民小组数\r\n石𠮷村,2\r\n\x1a".encode("gb18030"))
    r = cli("villages", "import", str(f))
    assert r.code == 0, r.err
    assert _names(cli) == ["高桥村", "柳树村", "新华社区", "石𠮷村"]


def test_total_and_signature_lines_under_the_list_are_not_villages(store, cli, tmp_path: Path) -> None:
    store.close()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["村(社区)", "村民小组数"])
    ws.append(["石桥村", 4])
    ws.append(["全镇合计", 4])
    ws.append(["制表人:王芳"])
    ws.append(["注:村民小组数以2026年为准"])
    wb.save(tmp_path / "名单.xlsx")
    r = cli("villages", "import", str(tmp_path / "名单.xlsx"))
    assert r.code == 0, r.err
    assert _names(cli) == ["高桥村", "柳树村", "新华社区", "石桥村"]
