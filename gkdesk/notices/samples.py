"""Realistic payout batches made by code: for the demo, the tests and the benchmark.

Rows are written with one Core ``insert`` (as the payout importer does), so a
100,000-row batch takes seconds. IDs are valid GB 11643 numbers; accounts 19 digits.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from gkdesk import identity, township
from gkdesk.models import Payout, PayoutBatch, Program, Village
from gkdesk.models.payout import KIND_AREA

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国秀英志强桂兰明华玉梅德福淑珍海燕春生文军红霞永平小龙金凤国庆丽娟世民秋菊玉兰家宝"
GROUP_DIGITS = "一二三四五六七八九十"


def group_label(n: int) -> str:
    return f"第{GROUP_DIGITS[n - 1] if n <= 10 else n}组"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def ensure_program(session: Session, name: str, kind: str = KIND_AREA, unit: str = "亩") -> Program:
    t = township.current(session)
    p = session.scalar(select(Program).where(Program.township_id == t.id, Program.name == name))
    if p is None:
        p = Program(township_id=t.id, name=name, kind=kind, unit=unit)
        session.add(p)
        session.flush()
    return p


Person = tuple[Village, int, str, str, str]  # village, group number, name, ID, account


def make_people(villages: list[Village], per_village: int, rng: random.Random, groups: int = 5) -> list[Person]:
    people = []
    for v in villages:
        for _ in range(per_village):
            born = date(rng.randint(1940, 1995), rng.randint(1, 12), rng.randint(1, 28))
            people.append((v, rng.randint(1, groups), person_name(rng),
                           identity.make_id("511702", born, rng.randint(0, 999)),
                           "6217" + "".join(rng.choice("0123456789") for _ in range(15))))
    return people


def make_batch(session: Session, program: Program, year: int, people: list[Person], rng: random.Random,
               rate: Decimal = Decimal("131.42"), period: str = "") -> PayoutBatch:
    """A batch paying every one of ``people`` (quantities drawn at random)."""
    t = township.current(session)
    batch = PayoutBatch(township_id=t.id, program_id=program.id, year=year, period=period,
                        source_name=f"{program.name}{year}.xlsx", imported_by="样例")
    session.add(batch)
    session.flush()
    values = []
    total = 0
    for seq, (v, g, name, idn, acct) in enumerate(people):
        if program.kind == KIND_AREA:
            qty, unit = Decimal(rng.randint(30, 1500)) / 100, program.unit
        else:
            qty, unit = Decimal(rng.randint(1, 4)), "人"
        fen = int((qty * rate * 100).quantize(Decimal("1")))
        values.append(dict(batch_id=batch.id, seq=seq, village_id=v.id, group_name=group_label(g),
                           group_number=g, recipient_name=name, id_number=idn, account_number=acct,
                           quantity=qty, unit=unit, rate=rate, amount_fen=fen))
        total += fen
    for k in range(0, len(values), 5000):
        session.execute(insert(Payout), values[k:k + 5000])
    batch.row_count, batch.total_fen = len(values), total
    batch.village_count = len({p[0].id for p in people})
    return batch


def sample_year(session: Session, year: int, rng: random.Random, per_village: int = 40) -> list[PayoutBatch]:
    """Two programs paid to the same people of every village in ``year`` (for year-end notices)."""
    people = make_people(township.villages(session), per_village, rng)
    area = ensure_program(session, "耕地地力保护补贴")
    grain = ensure_program(session, "实际种粮农民一次性补贴")
    return [make_batch(session, area, year, people, rng, Decimal("131.42"), "第1期"),
            make_batch(session, grain, year, people, rng, Decimal("7.80"), "第1批")]
