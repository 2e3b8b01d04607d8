"""The village-disclosure lifecycle of a posting (公示): statuses, places, reviewers and the
child records that travel with it.

The notices feature creates a ``Posting`` (``gkdesk.models.posting``) when a notice is
printed for posting; issue 6 extends it (extra columns appended to that class, migration
0006) into draft → reviewed (村务监督委员会 / 民主理财小组 sign-off) → posted (where, for
which period and unit) → period ended → archived. A corrected notice is a new posting whose
``replaces_id`` names the first; the first becomes ``superseded`` when the correction is
posted. Objections raised during the period, photos of the posted sheet and the history of
every step are the child records below; they reach ``Posting`` through backrefs
(``posting.objections``, ``posting.photos``, ``posting.events``) so the notices model file
stays theirs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from gkdesk.labels import (  # noqa: F401  (re-exported)
    LOCATION_GROUP,
    LOCATION_TOWNSHIP,
    LOCATION_VILLAGE,
    LOCATIONS,
    REVIEWER_BODIES,
    REVIEWER_FINANCE,
    REVIEWER_SUPERVISION,
    STATUS_LABELS,
)
from gkdesk.models.base import Base, SyncMixin, utcnow
from gkdesk.models.posting import KIND_LABELS, STATUS_POSTED, Posting

STATUS_REVIEWED = "reviewed"
STATUS_ENDED = "ended"
STATUS_ARCHIVED = "archived"
STATUS_SUPERSEDED = "superseded"
# Registered in error (wrong village, wrong period, a duplicate): kept with the reason, counts for nothing.
STATUS_WITHDRAWN = "withdrawn"
# Statuses in which the sheet has been on the board.
POSTED_STATUSES = (STATUS_POSTED, STATUS_ENDED, STATUS_ARCHIVED, STATUS_SUPERSEDED)

KIND_CATALOGUE = "catalogue"  # an item of the village catalogue (村务公开事项)
KIND_OTHER = "other"  # a sheet the village wrote itself
# Every kind a posting may have: the notices feature's (payout, year_end, table) and ours.
ALL_KIND_LABELS = {**KIND_LABELS, KIND_CATALOGUE: "村务公开事项", KIND_OTHER: "其他公示"}



def status_label(p: Posting) -> str:
    return STATUS_LABELS.get(p.status, p.status)


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

    posting: Mapped[Posting] = relationship(
        backref=backref("objections", order_by="PostingObjection.raised_on"))


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

    posting: Mapped[Posting] = relationship(
        backref=backref("photos", order_by="PostingPhoto.created_at"))

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

    posting: Mapped[Posting] = relationship(backref=backref("events", order_by="PostingEvent.at"))
