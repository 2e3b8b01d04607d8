"""Generate a realistic N-row payout list (.xlsx) for benchmarks: title rows, 10 columns, 合计."""

from __future__ import annotations

import random
import sys
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


if __name__ == "__main__":
    print(make(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000))
