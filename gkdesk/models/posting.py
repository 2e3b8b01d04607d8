"""A posting (公示): a notice sheet put up on a village's 村务公开栏 for a period.

Printing a notice "for posting" records one. The printed PDF is kept in the data
directory under ``attachments/`` by its SHA-256 (it travels to the county with the
record). The status starts at ``draft`` (printed, not yet confirmed on the board);
the village-disclosure work adds review, posting, objections and archiving on top.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gkdesk.models.base import Base, SyncMixin, utcnow

KIND_PAYOUT = "payout"  # 惠民惠农补贴发放结果公示
KIND_YEAR_END = "year_end"  # 年度补贴汇总公示
KIND_TABLE = "table"  # any table or text notice
POSTING_KINDS = (KIND_PAYOUT, KIND_YEAR_END, KIND_TABLE)
KIND_LABELS = {KIND_PAYOUT: "补贴发放公示", KIND_YEAR_END: "年度汇总公示", KIND_TABLE: "表格公示"}

STATUS_DRAFT = "draft"
STATUS_POSTED = "posted"
STATUS_LABELS = {STATUS_DRAFT: "已打印待张贴", STATUS_POSTED: "公示中"}


class Posting(SyncMixin, Base):
    __tablename__ = "posting"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    village_id: Mapped[str | None] = mapped_column(ForeignKey("village.id"), nullable=True, index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("village_group.id"), nullable=True)
    group_name: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default=KIND_TABLE)
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    # What the notice was made from, e.g. "payout_batch:<id>", "year_end:2026", "file:财务收支.xlsx".
    source_ref: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    period_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    period_unit: Mapped[str] = mapped_column(String(16), nullable=False, default="")  # natural / working
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=STATUS_DRAFT)
    printed_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    printed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    paper: Mapped[str] = mapped_column(String(32), nullable=False, default="")  # e.g. "A4 纵向 大字版"
    page_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    row_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    pdf_sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    pdf_path: Mapped[str] = mapped_column(String(255), nullable=False, default="")  # relative to the data dir
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
