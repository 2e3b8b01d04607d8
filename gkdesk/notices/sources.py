"""Reading what a notice prints from the payout tables.

Only the columns a notice may show are selected: the account number never, the ID
number only when the masking policy prints its masked form. Rows are read village
by village so a 100,000-row batch never sits in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from gkdesk import settings, township
from gkdesk.errors import InputRejected, NotFound
from gkdesk.hints import Hint
from gkdesk.models import Payout, PayoutBatch, Program, Township, Village, VillageGroup
from gkdesk.models.payout import fen_to_yuan
from gkdesk.notices.masking import MASK_ID_PARTIAL
from gkdesk.notices.payout import PayoutLine, PayoutSheetSource

# e.g. "通川区农业农村局 0818-2112345" (several separated by ";"): printed under the township's phone.
COUNTY_PHONES = settings.TextOption("notices.county_phones", "")


def supervision_phones(session: Session, t: Township) -> list[str]:
    phones = [f"{t.name}人民政府 {t.supervision_phone}"] if t.supervision_phone else []
    phones += [p.strip() for p in COUNTY_PHONES.get(session).replace(";", ";").split(";") if p.strip()]
    return phones


def find_batch(session: Session, ref: str) -> PayoutBatch:
    """A batch by id or by an unambiguous id prefix (at least 4 characters)."""
    ref = ref.strip().lower()
    t = township.current(session)
    q = select(PayoutBatch).where(PayoutBatch.township_id == t.id, PayoutBatch.deleted_at.is_(None))
    b = session.scalar(q.where(PayoutBatch.id == ref))
    if b is not None:
        return b
    if len(ref) >= 4:
        found = list(session.scalars(q.where(PayoutBatch.id.like(ref + "%")).limit(2)))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise InputRejected(f"发放清册编号“{ref}”对应多个清册,请多写几位")
    raise NotFound(f"找不到发放清册“{ref}”", hint=Hint.LIST_BATCHES)


def batch_villages(session: Session, batch: PayoutBatch) -> list[Village]:
    ids = select(distinct(Payout.village_id)).where(Payout.batch_id == batch.id, Payout.deleted_at.is_(None))
    return list(session.scalars(select(Village).where(Village.id.in_(ids))
                                .order_by(Village.sort_order, Village.name)))


def _group_ids(session: Session, village: Village) -> dict[str, str]:
    rows = session.execute(select(VillageGroup.name, VillageGroup.id)
                           .where(VillageGroup.village_id == village.id, VillageGroup.deleted_at.is_(None)))
    return {name: gid for name, gid in rows}


def payout_source(session: Session, batch: PayoutBatch, village: Village, mask: str) -> PayoutSheetSource:
    t = session.get(Township, batch.township_id)
    assert t is not None
    program = session.get(Program, batch.program_id)
    cols = [Payout.recipient_name, Payout.amount_fen, Payout.group_name, Payout.group_number,
            Payout.quantity, Payout.unit, Payout.rate]
    if mask == MASK_ID_PARTIAL:
        cols.append(Payout.id_number)
    rows = session.execute(select(*cols).where(Payout.batch_id == batch.id, Payout.village_id == village.id,
                                               Payout.deleted_at.is_(None)).order_by(Payout.seq))
    lines = [PayoutLine(name=r[0], amount=fen_to_yuan(r[1]), group=r[2] or "", group_order=r[3] or 0,
                        quantity=r[4], unit=r[5] or (program.unit if program else ""), rate=r[6],
                        id_number=r[7] if len(r) > 7 else "")
             for r in rows]
    return PayoutSheetSource(
        township=t.name, village=village.name, program=program.name if program else "", year=batch.year,
        period_label=batch.period, lines=lines, phones=supervision_phones(session, t),
        village_id=village.id, group_ids=_group_ids(session, village), source_ref=f"payout_batch:{batch.id}",
        household=bool(batch.household), persons_label=batch.persons_label or "")


def payout_sources(session: Session, batch: PayoutBatch, village_name: str | None,
                   mask: str) -> Iterator[PayoutSheetSource]:
    villages = batch_villages(session, batch)
    if village_name:
        wanted = township.find_village(session, village_name)
        if wanted.id not in {v.id for v in villages}:
            raise NotFound(f"发放清册中没有“{wanted.name}”的发放记录")
        villages = [wanted]
    if not villages:
        raise InputRejected("这个发放清册没有任何发放记录,无法生成公示")
    for v in villages:
        yield payout_source(session, batch, v, mask)


# --- year-end summary ------------------------------------------------------------------

@dataclass
class YearEndPerson:
    name: str
    group: str
    group_order: int
    amounts: dict[str, Decimal] = field(default_factory=dict)  # program name → yuan


@dataclass
class YearEndSource:
    township: str
    village: str
    year: int
    programs: list[str]
    people: list[YearEndPerson]
    phones: list[str]
    village_id: str


def year_end_source(session: Session, village_name: str, year: int) -> YearEndSource:
    """Every live payout of every program in ``year`` to each person of the village.

    Persons are told apart by ID number (never printed) so two 张伟 stay two lines;
    a batch that has been replaced by a newer import of the same list is left out.
    """
    t = township.current(session)
    village = township.find_village(session, village_name)
    replaced = select(PayoutBatch.replaces_id).where(PayoutBatch.replaces_id.is_not(None),
                                                     PayoutBatch.deleted_at.is_(None))
    q = (select(Payout.id_number, Payout.recipient_name, Payout.group_name, Payout.group_number,
                Program.name, Program.sort_order, func.sum(Payout.amount_fen))
         .join(PayoutBatch, Payout.batch_id == PayoutBatch.id)
         .join(Program, PayoutBatch.program_id == Program.id)
         .where(Payout.village_id == village.id, PayoutBatch.year == year, PayoutBatch.deleted_at.is_(None),
                Payout.deleted_at.is_(None), PayoutBatch.id.not_in(replaced))
         .group_by(Payout.id_number, Payout.recipient_name, Payout.group_name, Payout.group_number,
                   Program.name, Program.sort_order))
    people: dict[tuple[str, str], YearEndPerson] = {}
    programs: dict[str, int] = {}
    for idn, name, gname, gnum, prog, order, fen in session.execute(q):
        key = (idn or "", name if not idn else "")
        p = people.setdefault(key, YearEndPerson(name=name, group=gname or "", group_order=gnum or 0))
        p.amounts[prog] = p.amounts.get(prog, Decimal("0")) + fen_to_yuan(fen)
        programs[prog] = order
    if not people:
        raise NotFound(f"{village.name}在{year}年没有任何补贴发放记录")
    # numbered groups in order, groups without a number after them (not in front)
    ordered = sorted(people.values(), key=lambda p: (not p.group_order, p.group_order, p.group, p.name))
    return YearEndSource(township=t.name, village=village.name, year=year,
                         programs=sorted(programs, key=lambda n: (programs[n], n)), people=ordered,
                         phones=supervision_phones(session, t), village_id=village.id)
