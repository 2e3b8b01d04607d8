"""Payout lists reproducing real system exports and hand-made village lists (REAL-SOURCES.md §1).

Synthetic people; the headers, their order, title rows and cell spellings are as seen in
the 一卡通 platform export, the 民政 social-assistance export, an 高龄津贴 roster, village lists
with 村组 in one column and a county's per-township 一览表.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tests.payout_files import pid


def yikatong_export(path: Path) -> Path:
    """一卡通 export (耕地地力保护补贴, 社保卡): no village column, the village is in the address;
    an account only as 银行账号; the amount is 最终确定发放该人补贴总金额. Total 1000.50."""
    wb = Workbook()
    ws = wb.active
    ws.title = "社保卡"
    ws.append(["序号", "收款人全称", "收款人身份证号", "收款人手机号", "最终确定发放该人补贴总金额", "面积",
               "收款人家庭地址", "银行账号", "银行名称", "开户网点", "备注"])
    rows = [("张大山", 1, "13800000001", 300.25, 2.3, "四川省达州市通川区高桥镇高桥村3组", "6230580000000000011"),
            ("李秀英", 2, "13800000002", 200.00, 1.5, "高桥镇高桥村六组", "6230580000000000022"),
            ("王建国", 3, "13800000003", 500.25, 3.8, "四川省达州市通川区高桥镇柳树村1组15号", "6230580000000000033")]
    for i, (name, n, phone, amount, area, addr, acc) in enumerate(rows, 1):
        ws.append([i, name, pid(n), phone, amount, area, addr, acc, "四川农信", "高桥分社", ""])
    wb.save(path)
    return path


def minzheng_family_export(path: Path) -> Path:
    """农村低保家庭查询 export: one row per household, 户月保障金额 and 合计 both money, bank
    and 一卡通 accounts both present, 所属社区 for the village. Paid = 合计: 1250.00 in total."""
    wb = Workbook()
    ws = wb.active
    ws.title = "农村低保家庭查询"
    ws.append(["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入（元）", "户月保障金额（元）",
               "家庭分类施保总额（元）", "人员分类施保总额（元）", "合计（元）", "联系电话", "家庭住址", "所属省",
               "所属市", "所属区县", "所属街道", "所属社区", "低保（特困）证号", "最初享受月份", "开户银行",
               "银行账户名称", "银行帐号", "一卡通账号"])
    data = [("赵老三", 11, 4, 3, 600.0, 60.0, 40.0, 700.0, "高桥村"), ("钱二妹", 12, 2, 2, 400.0, 0, 50.0, 450.0, "柳树村"),
            ("孙·阿依", 13, 1, 1, 90.0, 10.0, 0, 100.0, "新华社区")]
    for name, n, fam, prot, std, fcls, pcls, total, village in data:
        ws.append([name, pid(n), fam, prot, 12000, std, fcls, pcls, total, "13900000000", f"{village}某街1号", "四川省",
                   "达州市", "通川区", "高桥镇", village, f"DB{n:06d}", "2020-01", "农商银行", name,
                   f"62170000000000{n:05d}", f"62305800000000{n:05d}"])
    wb.save(path)
    return path


def gaoling_roster(path: Path) -> Path:
    """津贴对象.xlsx: a title row, header on row 2, 老人姓名, 户籍地址 naming the village. Total 350.00."""
    wb = Workbook()
    ws = wb.active
    ws.title = "津贴对象"
    ws.append(["高桥镇2026年10月高龄津贴发放花名册"])
    ws.merge_cells("A1:I1")
    ws.append(["序号", "老人姓名", "身份证号码", "老人联系方式", "户籍地址", "发放金额", "银行卡号", "人员类型", "原始类型"])
    rows = [("周福寿", 21, "高桥镇高桥村2组", 100.0, "80-89周岁"), ("吴桂兰", 22, "高桥镇柳树村第三组", 100.0, "80-89周岁"),
            ("郑长青", 23, "高桥镇新华社区", 150.0, "90-99周岁")]
    for i, (name, n, addr, amount, kind) in enumerate(rows, 1):
        ws.append([i, name, pid(n), "0818-1234567", addr, amount, f"62170000111100{n:05d}", kind, kind])
    wb.save(path)
    return path


CUNZU = [("高桥村2组", "高桥村", "2组", 2), ("高桥村六组", "高桥村", "6组", 6), ("高桥村第六组", "高桥村", "6组", 6),
         ("柳树村3社", "柳树村", "3社", 3), ("高桥村二组(原红岩大队)", "高桥村", "2组", 2),
         ("高桥村 第十二村民小组", "高桥村", "12组", 12), ("柳树村委会", "柳树村", "", None),
         ("高桥2组", "高桥村", "2组", 2)]


def cunzu_list(path: Path) -> Path:
    """A village list with 村 and 组 in one 村组 column, every spelling of CUNZU; 100 yuan each."""
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年耕地地力保护补贴公示表"])
    ws.append(["序号", "村组", "户主", "身份证号", "面积(亩)", "金额(元)"])
    for i, (cell, *_rest) in enumerate(CUNZU, 1):
        ws.append([i, cell, f"户主{'甲乙丙丁戊己庚辛'[i - 1]}", pid(30 + i), 1, 100.0])
    wb.save(path)
    return path


def overview_table(path: Path) -> Path:
    """金寨县-style 一览表: per-township totals, the per-mu rate merged down the column."""
    wb = Workbook()
    ws = wb.active
    ws.append(["某县2021年实际种粮农民一次性补贴资金发放一览表"])
    ws.append(["序号", "乡 镇", "粮食种植面积(亩)", "每亩补助资金(元)", "应打卡发放资金(元)", "备注"])
    ws.append([1, "高桥镇", 10000, 12.5, 125000.0, None])
    ws.append([2, "梅山镇", 8000, None, 100000.0, None])
    ws.append([3, "石板滩乡", 2000, None, 25000.0, None])
    ws.merge_cells("D3:D5")
    ws.append(["合计", None, 20000, None, 250000.0, None])
    wb.save(path)
    return path
