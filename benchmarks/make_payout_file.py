"""Generate a realistic N-row payout list (.xlsx) for benchmarks: title rows, 10 columns, 合计."""

from __future__ import annotations

import random
import re
import sys
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from gkdesk.identity import make_id

VILLAGES = ["高桥村", "柳树村", "新华社区"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "国华建明秀英桂兰志强玉珍德福春梅海燕文军丽娟红霞永刚金凤"


def make(path: Path, n: int, seed: int = 7) -> Decimal:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("发放清册")
    ws.append(["高桥镇2026年耕地地力保护补贴发放清册"])
    ws.append(["填报单位:高桥镇农业服务中心", None, None, None, None, None, None, None, "单位:元"])
    ws.append(["序号", "村(社区)", "村民小组", "户主姓名", "身份证号码", "一卡通账号", "补贴面积(亩)",
               "补贴标准(元/亩)", "补贴金额(元)", "备注"])
    rate = Decimal("131.42")
    total = Decimal(0)
    for i in range(n):
        area = Decimal(rng.randint(50, 1500)) / 100
        amount = (area * rate).quantize(Decimal("0.01"))
        total += amount
        born = date(1940, 1, 1) + timedelta(days=(i // 1000) * 97 + rng.randint(0, 90))  # unique with seq
        ws.append([i + 1, VILLAGES[i % 3], f"{rng.randint(1, 5)}组",
                   rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                   make_id("511702", born, i % 1000), f"62170{rng.randint(10**13, 10**14 - 1)}",
                   float(area), 131.42, float(amount), ""])
    ws.append(["合计", None, None, None, None, None, None, None, float(total), None])
    ws.append(["制表人:王芳", None, None, "审核人:李军", None, None, "日期:2026年11月20日"])
    wb.save(path)
    return total


VARIED_VILLAGES = [f"{a}{b}村" for a in "高柳石红青白金新" for b in "桥树板岩山沙"][:40]
CN_GROUPS = "一二三四五六七八九十"


def make_varied(path: Path, n: int, seed: int = 11) -> Decimal:
    """A 一卡通-style export with 村 and 组 in one 村组 column, written every way clerks write it
    ("高桥村2组", "高桥村六组", "高桥村第3组", "柳树村3社", "石板村二组(原红岩大队)"), 40 villages,
    social-security and bank accounts, phone numbers, amounts as 合计 beside a standard."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("社保卡")
    ws.append(["序号", "村组", "收款人全称", "收款人身份证号", "收款人手机号", "面积", "补贴标准",
               "最终确定发放该人补贴总金额", "银行账号", "一卡通账号", "银行名称", "备注"])
    rate = Decimal("131.42")
    total = Decimal(0)
    for i in range(n):
        v = VARIED_VILLAGES[i % 40]
        g = rng.randint(1, 10)
        style = i % 5
        cell = (f"{v}{g}组", f"{v}{CN_GROUPS[g - 1]}组", f"{v}第{g}组", f"{v}{g}社",
                f"{v}{CN_GROUPS[g - 1]}组(原{v[:2]}大队)")[style]
        area = Decimal(rng.randint(50, 1500)) / 100
        amount = (area * rate).quantize(Decimal("0.01"))
        total += amount
        born = date(1940, 1, 1) + timedelta(days=(i // 1000) * 97 + rng.randint(0, 90))
        ws.append([i + 1, cell, rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                   make_id("511702", born, i % 1000), f"13{rng.randint(10**8, 10**9 - 1)}", float(area), 131.42,
                   float(amount), f"62170{rng.randint(10**13, 10**14 - 1)}", f"62305{rng.randint(10**13, 10**14 - 1)}",
                   "四川农信", ""])
    wb.save(path)
    return total


_INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?) t="inlineStr"([^>]*)>(?:<is><t(?: [^>]*)?>(.*?)</t></is>)?</c>',
                     re.DOTALL)


def as_excel_saves(src: Path, dst: Path) -> int:
    """``src`` (openpyxl's write-only mode writes every text inline in the sheet) rewritten the way
    Excel and WPS save a workbook: texts in ``xl/sharedStrings.xml``, cells pointing at them.
    The cells read back the same; what changes is how the reader gets at the text. Returns the
    number of distinct texts."""
    table: dict[bytes, int] = {}

    def shared(m: re.Match[bytes]) -> bytes:
        ref, before, after, text = m.groups()
        if not text:
            return b'<c r="' + ref + b'"' + before + after + b"/>"
        i = table.setdefault(text, len(table))
        return b'<c r="' + ref + b'"' + before + b' t="s"' + after + b"><v>" + str(i).encode() + b"</v></c>"

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = _INLINE.sub(shared, data)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdShared" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            zout.writestr(info.filename, data)
        items = b"".join(b"<si><t>" + t + b"</t></si>" for t in table)
        zout.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
                      b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="%d">' % len(table)
                      + items + b"</sst>")
    return len(table)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):  # "--help" is not a file name to write
        sys.exit("usage: make_payout_file.py OUT.xlsx [ROWS]")
    print(make(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000))
