"""County directories reproduced as .xlsx in their published layouts (REAL-SOURCES §2).

Each book has a title row, the two-row merged header (公开事项 → 一级/二级事项, 公开对象 →
全社会/特定群体, 公开方式 → 主动/依申请, 公开层级 → 县级/乡级), ■/□ channel lists, 一级事项
written once as vertical text merged down its block ("临\\n时\\n救\\n助"), and a footnote.
A continuation page repeats the header and goes on numbering.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

TOP = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
       "公开对象", None, "公开方式", None, "公开层级", None]
SUB = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请",
       "县级", "乡级"]
T10 = "制定或获取信息之日起10个工作日内"
WEB = "■政府网站 □政府公报 □两微一端 ■公开查阅点 ■政务服务中心 □便民服务站"
BOARD = "■社区/企事业单位/村公示栏(电子屏) □政府网站"
CITY = "县级人民政府民政部门、乡镇人民政府(街道办事处)"
COUNTY = "县级人民政府民政部门"
TOWN = "乡镇人民政府(街道办事处)"
BOTH = ["√", None, "√", None, "√", "√"]  # 全社会, 主动, 县级+乡级
TOWN_ONLY = [None, "√", "√", None, None, "√"]  # 特定群体, 主动, 乡级
COUNTY_ONLY = [None, "√", "√", None, "√", None]  # 特定群体, 主动, 县级


def _row(seq, l1, l2, content, basis, tl, pub, ch, flags):
    return [seq, l1, l2, content, basis, tl, pub, ch, *flags]


# 社会救助 as the 稻城 / 马边 pages publish the 民办函〔2019〕52号 template: 13 rows.
RELIEF = [
    _row(1, "综合业务", "政策法规文件", "《社会救助暂行办法》(国务院令第649号);各地配套政策法规文件",
         "《中华人民共和国政府信息公开条例》", T10, CITY, WEB, BOTH),
    _row(2, None, "监督检查", "社会救助信访通讯地址;社会救助投诉举报电话", "《中华人民共和国政府信息公开条例》",
         T10, CITY, WEB, BOTH),
    _row(3, "最低生活保障", "政策法规文件", "低保政策法规文件", "《社会救助暂行办法》", T10, CITY, WEB, BOTH),
    _row(4, None, "办事指南", "申请条件、办理流程、所需材料、咨询电话", "《社会救助暂行办法》", T10, CITY, WEB, BOTH),
    _row(5, None, "审核信息", "初审对象名单及相关信息", "国发〔2012〕45号", "制定或获取信息之日起10个工作日内,公示7个工作日",
         TOWN, BOARD, TOWN_ONLY),
    _row(6, None, "审批信息", "低保对象名单及相关信息", "国发〔2012〕45号", T10, COUNTY, BOARD, COUNTY_ONLY),
    _row(7, "特困人员救助供养", "政策法规文件", "特困政策法规文件", "《社会救助暂行办法》", T10, CITY, WEB, BOTH),
    _row(8, None, "办事指南", "申请条件、办理流程、所需材料、咨询电话", "《社会救助暂行办法》", T10, CITY, WEB, BOTH),
    _row(9, None, "审核信息", "初审对象名单及相关信息;终止供养名单", "国发〔2016〕14号", T10, TOWN, BOARD, TOWN_ONLY),
    _row(10, None, "审批信息", "特困人员名单及相关信息", "国发〔2016〕14号", T10, COUNTY, BOARD, COUNTY_ONLY),
    _row(11, "临时救助", "政策法规文件", "临时救助政策法规文件", "《社会救助暂行办法》", T10, CITY, WEB, BOTH),
    _row(12, None, "办事指南", "申请条件、办理流程、所需材料、咨询电话", "《社会救助暂行办法》", T10, CITY, WEB, BOTH),
    _row(13, None, "审核审批信息", "支出型临时救助对象名单、救助金额、救助事由", "国发〔2014〕47号", T10, COUNTY,
         BOARD, COUNTY_ONLY),
]


def directory_book(path: Path, rows: list[list], title: str, sheet: str = "Sheet1",
                   footnote: str = "注:“■”表示必选项,“□”表示可选项。") -> Path:
    """One published page: title, the two-row merged header, the rows with 一级事项 as vertical
    text merged down its block, and the footnote."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.merge_cells("A1:N1")
    ws.append(TOP)
    ws.append(SUB)
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:C2")
    for col in "DEFGH":
        ws.merge_cells(f"{col}2:{col}3")
    for rng in ("I2:J2", "K2:L2", "M2:N2"):
        ws.merge_cells(rng)
    start = 4
    block_start, block_name = None, None
    for i, r in enumerate(rows):
        excel = start + i
        r = list(r)
        if r[1]:
            if block_start is not None and excel - 1 > block_start:
                ws.merge_cells(f"B{block_start}:B{excel - 1}")
            block_start, block_name = excel, r[1]
            r[1] = "\n".join(r[1])  # vertical text, one character a line
        ws.append(r)
        ws.cell(excel, 2).alignment = Alignment(wrap_text=True, vertical="center")
    last = start + len(rows) - 1
    if block_start is not None and last > block_start and block_name:
        ws.merge_cells(f"B{block_start}:B{last}")
    if footnote:
        ws.append([footnote])
        ws.merge_cells(f"A{last + 1}:N{last + 1}")
    wb.save(path)
    return path
