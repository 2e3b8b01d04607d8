"""The register of disclosure requests (依申请公开登记台账) and its child records.

``disclosure_request`` travels to the county (it has ``township_id``); so do its events,
appeals and attachments (through ``request_id``). The applicant's name, contact and address
live in ``disclosure_applicant``, which is *not* a travelling table (no SyncMixin): they stay
in the township's database and never reach a package, a register export or a report. The
categories the codes stand for are in :mod:`gkdesk.disclosure.labels`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gkdesk.models.base import Base, SyncMixin, utcnow


class DisclosureRequest(SyncMixin, Base):
    """One request for disclosure and where its clock stands."""

    __tablename__ = "disclosure_request"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    number: Mapped[str] = mapped_column(String(32), nullable=False, index=True)  # 2026-003
    year: Mapped[int] = mapped_column(Integer, nullable=False, index=True)  # year of arrival
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    arrived_on: Mapped[date] = mapped_column(Date, nullable=False)  # the day it physically arrived
    # The receipt day in law (by the channel's rule); None: a letter not yet confirmed.
    received_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    applicant_type: Mapped[str] = mapped_column(String(16), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    form: Mapped[str] = mapped_column(String(32), nullable=False, default="")  # 纸质/电子 as asked
    handler: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    # Clock cache (recomputed from the events on every step; read by lists, the 首页 and the county).
    state: Mapped[str] = mapped_column(String(24), nullable=False, default="running")
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    # Reply
    replied_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    on_the_spot: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    delivery: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    reply_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    overdue: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    repeat_of_id: Mapped[str | None] = mapped_column(ForeignKey("disclosure_request.id"), nullable=True)
    # Fees (国办函〔2020〕109号): "" none, "per_request" 按件, "per_page" 按量
    fee_mode: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    fee_pages: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    fee_amount: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False, default=Decimal("0"))
    fee_paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    events: Mapped[list[DisclosureEvent]] = relationship(
        back_populates="request", order_by=lambda: [DisclosureEvent.day, DisclosureEvent.seq])
    appeals: Mapped[list[DisclosureAppeal]] = relationship(back_populates="request",
                                                           order_by="DisclosureAppeal.filed_on")
    attachments: Mapped[list[DisclosureAttachment]] = relationship(back_populates="request")


class DisclosureEvent(SyncMixin, Base):
    """One step of a request's clock: receipt, 补正, consultation, extension, reply …"""

    __tablename__ = "disclosure_event"

    request_id: Mapped[str] = mapped_column(ForeignKey("disclosure_request.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # order within a day
    days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # extension / period given
    until: Mapped[date | None] = mapped_column(Date, nullable=True)  # deadline given (补正, consultation)
    subkind: Mapped[str] = mapped_column(String(16), nullable=False, default="")  # consultation kind
    party: Mapped[str] = mapped_column(String(128), nullable=False, default="")  # third party / approver
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    operator: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    request: Mapped[DisclosureRequest] = relationship(back_populates="events")


class DisclosureAppeal(SyncMixin, Base):
    """A 行政复议 or 行政诉讼 against a reply, and its result (table 四)."""

    __tablename__ = "disclosure_appeal"

    request_id: Mapped[str] = mapped_column(ForeignKey("disclosure_request.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    filed_on: Mapped[date] = mapped_column(Date, nullable=False)
    result: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    request: Mapped[DisclosureRequest] = relationship(back_populates="appeals")


class DisclosureAttachment(SyncMixin, Base):
    """A scan of the request (or of a reply) kept by content hash under ``attachments/``."""

    __tablename__ = "disclosure_attachment"

    request_id: Mapped[str] = mapped_column(ForeignKey("disclosure_request.id"), nullable=False, index=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    ext: Mapped[str] = mapped_column(String(8), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    original_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    attached_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    request: Mapped[DisclosureRequest] = relationship(back_populates="attachments")


class DisclosureApplicant(Base):
    """Who asked: kept only in the township's own database (deliberately not a SyncMixin table)."""

    __tablename__ = "disclosure_applicant"

    request_id: Mapped[str] = mapped_column(ForeignKey("disclosure_request.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    contact: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    id_number: Mapped[str] = mapped_column(String(32), nullable=False, default="")


class DisclosureAnnualReport(SyncMixin, Base):
    """A township's 政府信息公开工作年度报告 for one year: what the clerk entered and what was exported.

    ``figures`` (JSON) holds the hand-entered numbers (table 二, and any table 三/四 cell the
    clerk typed over the register's count); ``sections`` (JSON) the edited texts of 一–六;
    ``overrides`` (JSON) the checks waived, each with its reason. ``tables`` and ``checks_ok``
    are the snapshot taken at export; the row travels, so the county collects them.
    """

    __tablename__ = "disclosure_annual_report"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    figures: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    sections: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    overrides: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    tables: Mapped[str] = mapped_column(Text, nullable=False, default="")
    checks_ok: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    exported_on: Mapped[date | None] = mapped_column(Date, nullable=True)
