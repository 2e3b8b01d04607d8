"""Demo payout lists for ``gkdesk demo``: imported through the real importer from generated files."""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.orm import Session

from gkdesk import demo, township
from gkdesk.identity import make_id

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "国华建明秀英桂兰志强玉珍德福春梅海燕文军丽娟红霞永刚金凤淑芬长生桂香大勇"
AREA_RATE = Decimal("131.42")


def _person(rng: random.Random, used: set[str], old: bool = False) -> tuple[str, str]:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        born = date(1935 if old else 1950, 1, 1) + timedelta(days=rng.randint(0, 365 * (25 if old else 45)))
        number = make_id("511702", born, rng.randint(0, 999))
        if number not in used:
            used.add(number)
            return name, number


def _area_file(path: Path, villages: list[tuple[str, int]], rng: random.Random) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "发放清册"
    ws.append(["高桥镇2026年耕地地力保护补贴发放清册"])
    ws.append(["序号", "村(社区)", "村民小组", "户主姓名", "身份证号码", "一卡通账号", "补贴面积(亩)", "补贴标准(元/亩)", "补贴金额(元)"])
    used: set[str] = set()
    n = 0
    for village, groups in villages:
        if village.endswith("社区"):
            continue
        for _ in range(rng.randint(18, 30)):
            n += 1
            name, number = _person(rng, used)
            area = Decimal(rng.randint(80, 900)) / 100
            ws.append([n, village, f"{rng.randint(1, max(1, groups))}组", name, number,
                       f"6217{rng.randint(10**14, 10**15 - 1)}", float(area), float(AREA_RATE),
                       float((area * AREA_RATE).quantize(Decimal("0.01")))])
    wb.save(path)


def _dibao_file(path: Path, villages: list[tuple[str, int]], rng: random.Random) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "低保"
    ws.append(["高桥镇2026年10月农村低保金发放名单"])
    ws.append(["村(社区)", "组", "户主姓名", "身份证号", "社保卡号", "保障人数", "人均补差", "月保障金额", "发放月份"])
    used: set[str] = set()
    for village, groups in villages:
        for _ in range(rng.randint(4, 9)):
            name, number = _person(rng, used, old=True)
            persons = rng.randint(1, 4)
            per = rng.choice((285, 320, 365, 410))
            ws.append([village, f"{rng.randint(1, max(1, groups))}组", name, number,
                       f"6230{rng.randint(10**14, 10**15 - 1)}", persons, per, persons * per, "2026年10月"])
    wb.save(path)


@demo.contributor
def demo_payouts(session: Session, operator: str, rng: random.Random) -> dict[str, int]:
    from gkdesk.payouts.importer import ImportOptions, import_payouts

    villages = [(v.name, len(v.groups)) for v in township.villages(session)]
    rows = 0
    with tempfile.TemporaryDirectory() as tmp:
        area = Path(tmp) / "高桥镇2026年耕地地力保护补贴发放清册.xlsx"
        _area_file(area, villages, rng)
        rows += import_payouts(session, area, ImportOptions("耕地地力保护补贴", 2026), operator=operator).counts["rows"]
        dibao = Path(tmp) / "2026年10月低保金发放名单.xlsx"
        _dibao_file(dibao, villages, rng)
        rows += import_payouts(session, dibao, ImportOptions("低保金", 2026, "2026年10月"),
                               operator=operator).counts["rows"]
    return {"payout_batches": 2, "payouts": rows}
