"""Subsidy payouts: programs (补贴项目), payout lists (发放清册 → PayoutBatch) and their rows.

Money is exact: ``Payout.amount_fen`` / ``PayoutBatch.total_fen`` hold integer fen (分)
so SQL can ``SUM`` them without floats; the ``amount`` / ``total_amount`` properties give
``Decimal`` yuan. ``quantity`` and ``rate`` keep the decimals the clerk typed (e.g. 3.275 亩,
131.42 元/亩) as decimal text through :class:`DecimalText`.

A batch is one imported file for one program, year and period; its rows are written
with SQLAlchemy Core ``insert()`` in one executemany (see ``gkdesk.payouts.importer``),
so this module keeps every default computable without the ORM.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from gkdesk.models.base import Base, SyncMixin, utcnow

KIND_AREA = "area"  # quantity (亩) × rate (元/亩)
KIND_PERSON_MONTH = "person_month"  # persons × monthly rate, one row per person and month
KIND_PERSON = "person"  # one-off payment per person (人数 × 标准)
PROGRAM_KINDS = (KIND_AREA, KIND_PERSON_MONTH, KIND_PERSON)
KIND_LABELS = {KIND_AREA: "按面积", KIND_PERSON_MONTH: "按人按月", KIND_PERSON: "按人次"}


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal stored as its exact text (portable: SQLite's NUMERIC would round via float)."""

    impl = String(32)
    cache_ok = True

    @property
    def python_type(self) -> type:
        """Decimal, not the impl's str: the sync codec relies on it to write exact text."""
        return Decimal

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value if isinstance(value, str) else format(value, "f")

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else Decimal(value)


def fen_to_yuan(fen: int | None) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(Decimal("0.01"))


class Program(SyncMixin, Base):
    """A subsidy program (补贴项目). Seeded with the common ones; clerks may add more."""

    __tablename__ = "program"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default=KIND_AREA)
    unit: Mapped[str] = mapped_column(String(8), nullable=False, default="亩")
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    batches: Mapped[list[PayoutBatch]] = relationship(back_populates="program")


class PayoutBatch(SyncMixin, Base):
    """One imported payout list (发放清册) for one program, year and period."""

    __tablename__ = "payout_batch"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("program.id"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    period: Mapped[str] = mapped_column(String(32), nullable=False, default="")  # e.g. "2026年10月", "第一批"
    source_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    source_sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="", index=True)
    source_sheets: Mapped[str] = mapped_column(Text, nullable=False, default="")  # sheet names, "、"-joined
    row_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    village_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    replaces_id: Mapped[str | None] = mapped_column(String(32), nullable=True, default=None)
    # A household list (户主 + 家庭人口/保障人口): the notice heads the name column 户主 and prints
    # the persons column under ``persons_label`` (保障人口 / 家庭人口 / 人数; "" = no persons column).
    household: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    persons_label: Mapped[str] = mapped_column(String(16), nullable=False, default="", server_default="")

    program: Mapped[Program] = relationship(back_populates="batches")

    @property
    def total_amount(self) -> Decimal:
        return fen_to_yuan(self.total_fen)


class Payout(SyncMixin, Base):
    """One person's line in a payout list (发放记录). ``id_number``/``account_number`` are
    stored in full for internal use and masked (``gkdesk.identity``) on anything shown."""

    __tablename__ = "payout"
    __table_args__ = (Index("ix_payout_batch_seq", "batch_id", "seq"),)

    batch_id: Mapped[str] = mapped_column(ForeignKey("payout_batch.id"), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)  # order within the batch (0-based)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), nullable=False)  # no index: bulk insert speed
    group_name: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    group_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recipient_name: Mapped[str] = mapped_column(String(64), nullable=False)
    id_number: Mapped[str] = mapped_column(String(18), nullable=False, default="")
    account_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    quantity: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    unit: Mapped[str] = mapped_column(String(8), nullable=False, default="")
    rate: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger, nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False, default="")  # "2026-10" for monthly programs
    remark: Mapped[str] = mapped_column(Text, nullable=False, default="")
    source_sheet: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    source_row: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # row number as Excel shows it

    @property
    def amount(self) -> Decimal:
        return fen_to_yuan(self.amount_fen)
