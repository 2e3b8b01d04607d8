"""Messy payout lists as clerks receive them, generated for the tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook

from gkdesk.identity import make_id


def pid(n: int, born: date = date(1960, 3, 15)) -> str:
    """A valid ID number, distinct for each n."""
    return make_id("511702", born.replace(year=born.year + n // 500), n % 500)


FW = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def messy_area_xlsx(path: Path) -> Path:
    """Title rows, a two-row header, a village merged down its block, full-width digits,
    stray spaces, an amount as text, a 合计 row and signature lines after it.

    Data rows (Excel numbering): 5..9. Total = 131.42*(2.5+1+3) + 131.42*1.5 + 100.00 = 1151.36.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "清册"
    ws.append(["高桥镇2026年耕地地力保护补贴发放清册"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位:高桥镇农业服务中心", None, None, None, None, None, None, "单位:元"])
    ws.append(["序号", "村(社区)", "组", "户主\n姓名", "身份证号码", "一卡通账号", "补贴面积（亩）", "补贴资金", None])
    ws.append([None, None, None, None, None, None, None, "补贴标准", "补贴金额（元）"])
    ws.merge_cells("H3:I3")
    for col in "ABCDEFG":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([1, "高桥村", "1组", "张 三", pid(1), "6217000000000000001", 2.5, 131.42, 328.55])
    ws.append([2, None, "1组", "李四", pid(2).translate(FW), "6217000000000000002", 1, 131.42, "131.42元"])
    ws.append([3, None, "2组", "王五", pid(3), "6217000000000000003", 3, 131.42, 394.26])
    ws.merge_cells("B5:B7")
    ws.append([4, "柳树村", "第三村民小组", "赵六", pid(4), "6217000000000000004", 1.5, 131.42, 197.13])
    ws.append([5, "新华社区", "1组", "钱七", pid(5).lower(), "", None, None, "100.00"])
    ws.append([None])
    ws.append(["合计", None, None, None, None, None, 8, None, 1151.36])
    ws.append(["制表人:王芳", None, None, "审核人:李军", None, None, "日期:2026年11月20日"])
    wb.save(path)
    return path


def simple_xlsx(path: Path, rows: list[list[object]], header: list[str] | None = None,
                title: str | None = "2026年补贴发放名单", sheet: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(header or ["村", "组", "姓名", "身份证号", "面积", "标准", "金额"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path
