"""Postings (公示): a notice on a village board and its life from draft to archive.

A posting is made when a notice is printed "for posting" (payout lists, village
catalogue items, year-end summaries) or entered by hand for a sheet the village
wrote itself. It then goes draft → reviewed (村务监督委员会 / 民主理财小组 sign-off)
→ posted (where and for which period, with its unit) → period ended → archived.
A corrected notice is a new posting whose ``replaces_id`` names the first one;
the first becomes ``superseded`` once the correction is posted.

Objections raised during the period, the photos of the posted sheet and the
history of every step are child records (``PostingObjection``, ``PostingPhoto``,
``PostingEvent``) so they travel to the county with the posting.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gkdesk.models.base import Base, SyncMixin, utcnow

STATUS_DRAFT = "draft"
STATUS_REVIEWED = "reviewed"
STATUS_POSTED = "posted"
STATUS_ENDED = "ended"
STATUS_ARCHIVED = "archived"
STATUS_SUPERSEDED = "superseded"
STATUS_LABELS = {
    STATUS_DRAFT: "草稿",
    STATUS_REVIEWED: "已审核",
    STATUS_POSTED: "公示中",
    STATUS_ENDED: "公示期满",
    STATUS_ARCHIVED: "已归档",
    STATUS_SUPERSEDED: "已更正重贴",
}
# Statuses in which the sheet has been on the board.
POSTED_STATUSES = (STATUS_POSTED, STATUS_ENDED, STATUS_ARCHIVED, STATUS_SUPERSEDED)

KIND_PAYOUT = "payout"  # a payout list (发放名单) printed by the notices feature
KIND_CATALOGUE = "catalogue"  # an item of the village catalogue (村务公开事项)
KIND_YEAR_SUMMARY = "year_summary"  # the year-end summary of a program's payouts per village
KIND_OTHER = "other"
KIND_LABELS = {KIND_PAYOUT: "补贴发放公示", KIND_CATALOGUE: "村务公开事项",
               KIND_YEAR_SUMMARY: "年度补贴发放结果", KIND_OTHER: "其他公示"}

LOCATION_VILLAGE = "村公示栏"
LOCATION_GROUP = "组"
LOCATION_TOWNSHIP = "乡镇栏"
LOCATIONS = (LOCATION_VILLAGE, LOCATION_GROUP, LOCATION_TOWNSHIP)

REVIEWER_SUPERVISION = "村务监督委员会"
REVIEWER_FINANCE = "民主理财小组"
REVIEWER_BODIES = (REVIEWER_SUPERVISION, REVIEWER_FINANCE)


class Posting(SyncMixin, Base):
    __tablename__ = "posting"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), nullable=False, index=True)
    group_name: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default=KIND_OTHER)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    # What the notice was made from, e.g. ("payout_batch", <id>); free for hand-entered sheets.
    source_kind: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    source_id: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    catalogue_item_id: Mapped[str | None] = mapped_column(
        ForeignKey("village_catalogue_item.id"), nullable=True, index=True)
    program_id: Mapped[str | None] = mapped_column(ForeignKey("program.id"), nullable=True, index=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    # Calendar slot a catalogue posting fulfils: "2026-03", "2026-Q1", "2026-H1", "2026".
    slot: Mapped[str] = mapped_column(String(10), nullable=False, default="")

    status: Mapped[str] = mapped_column(String(12), nullable=False, default=STATUS_DRAFT, index=True)
    printed_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    printed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    reviewer_body: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    reviewer: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    location: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    posted_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    period_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_length: Mapped[int | None] = mapped_column(Integer, nullable=True)
    period_unit: Mapped[str] = mapped_column(String(8), nullable=False, default="")  # workdays UNIT_*

    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    archived_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    archive_place: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    replaces_id: Mapped[str | None] = mapped_column(ForeignKey("posting.id"), nullable=True, index=True)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    objections: Mapped[list[PostingObjection]] = relationship(
        back_populates="posting", order_by="PostingObjection.raised_on")
    photos: Mapped[list[PostingPhoto]] = relationship(back_populates="posting", order_by="PostingPhoto.created_at")
    events: Mapped[list[PostingEvent]] = relationship(back_populates="posting", order_by="PostingEvent.at")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class PostingObjection(SyncMixin, Base):
    """An objection (异议) raised during the posting period, and the village's answer."""

    __tablename__ = "posting_objection"

    posting_id: Mapped[str] = mapped_column(ForeignKey("posting.id"), nullable=False, index=True)
    raised_on: Mapped[date] = mapped_column(Date, nullable=False)
    raised_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    content: Mapped[str] = mapped_column(Text, nullable=False)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    answered_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    posting: Mapped[Posting] = relationship(back_populates="objections")


class PostingPhoto(SyncMixin, Base):
    """A photo of the posted sheet; the bytes live in attachments/ab/<sha256>.<ext>."""

    __tablename__ = "posting_photo"

    posting_id: Mapped[str] = mapped_column(ForeignKey("posting.id"), nullable=False, index=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    ext: Mapped[str] = mapped_column(String(5), nullable=False)  # "jpg" / "png"
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    height: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    original_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    taken_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    attached_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    posting: Mapped[Posting] = relationship(back_populates="photos")

    @property
    def relpath(self) -> str:
        return f"{self.sha256[:2]}/{self.sha256}.{self.ext}"


class PostingEvent(SyncMixin, Base):
    """One step of a posting's history (reviewed, posted, objection, photo …), travelling with it."""

    __tablename__ = "posting_event"

    posting_id: Mapped[str] = mapped_column(ForeignKey("posting.id"), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    on: Mapped[date | None] = mapped_column(Date, nullable=True)  # the day the step happened (clerk's date)
    action: Mapped[str] = mapped_column(String(24), nullable=False)
    operator: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")

    posting: Mapped[Posting] = relationship(back_populates="events")
