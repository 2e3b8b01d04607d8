"""Saved column layouts of payout lists (导入模板/列对应) and township-level totals from 一览表.

Both are this installation's own working data, not records the county collects: plain
tables (no SyncMixin), so they do not travel in sync packages. The county hands layouts to
its townships as JSON (``gkdesk.payouts.layouts.export_layouts`` / ``import_layouts``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from gkdesk.models.base import Base, new_uuid, utcnow


class PayoutLayout(Base):
    """One learned layout: which header text is which field, keyed by the header signature."""

    __tablename__ = "payout_layout"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    signature: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    spec: Mapped[str] = mapped_column(Text, nullable=False)  # JSON: headers, fields (field -> header text / column)
    origin: Mapped[str] = mapped_column(String(16), nullable=False, default="local")  # local / county
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    used_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # County mode: this layout travels to the townships in the county's update packages.
    send_down: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, server_default=false())


class ProgramTotal(Base):
    """A township-level total of one program from a county's 一览表, to cross-check village lists."""

    __tablename__ = "program_total"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    program_id: Mapped[str] = mapped_column(ForeignKey("program.id"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    period: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    area_name: Mapped[str] = mapped_column(String(64), nullable=False)  # the township as the 一览表 names it
    quantity: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    rate: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger, nullable=False)
    source_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
