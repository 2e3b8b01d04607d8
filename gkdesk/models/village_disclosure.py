"""A village's disclosure catalogue (村(居)务公开事项目录) and its disclosure profile.

The township adopts the built-in template (``resources/village_catalogue``) for all
villages; each village then has its own rows it can add to, remove (tombstone) or
change in frequency — never below the statutory minimum carried by the row.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gkdesk.models.base import Base, SyncMixin

FREQ_IMMEDIATE = "immediate"
FREQ_MONTHLY = "monthly"
FREQ_QUARTERLY = "quarterly"
FREQ_HALF_YEAR = "half_year"
FREQ_YEARLY = "yearly"
FREQUENCIES = (FREQ_IMMEDIATE, FREQ_MONTHLY, FREQ_QUARTERLY, FREQ_HALF_YEAR, FREQ_YEARLY)
FREQUENCY_LABELS = {FREQ_IMMEDIATE: "随时", FREQ_MONTHLY: "每月", FREQ_QUARTERLY: "每季度",
                    FREQ_HALF_YEAR: "每半年", FREQ_YEARLY: "每年"}
# Months between two postings; "immediate" is the strictest (0).
FREQUENCY_MONTHS = {FREQ_IMMEDIATE: 0, FREQ_MONTHLY: 1, FREQ_QUARTERLY: 3, FREQ_HALF_YEAR: 6, FREQ_YEARLY: 12}

SCHEME_FOUR = "four"  # 党务 / 村务 / 财务 / 事务
SCHEME_THREE = "three"  # 制度类 / 事务类 / 财务类
SCHEMES = (SCHEME_FOUR, SCHEME_THREE)
SCHEME_LABELS = {SCHEME_FOUR: "党务/村务/财务/事务", SCHEME_THREE: "制度类/事务类/财务类"}


class VillageCatalogueItem(SyncMixin, Base):
    __tablename__ = "village_catalogue_item"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), nullable=False, index=True)
    # Key of the template row it came from ("" for an item the village added itself).
    template_key: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    category: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    frequency: Mapped[str] = mapped_column(String(12), nullable=False)
    # Day of the first month of each period by which it is due (e.g. 20 for 每季度首月20日).
    fixed_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The least frequent the law allows for this item ("" = no statutory minimum).
    min_frequency: Mapped[str] = mapped_column(String(12), nullable=False, default="")
    # True for income/expenditure items, which must go monthly where finances are busy.
    finance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class VillageDisclosureProfile(SyncMixin, Base):
    """Per-village settings of disclosure: busy finances (monthly accounts) and usual reviewers."""

    __tablename__ = "village_disclosure_profile"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), nullable=False, unique=True)
    scheme: Mapped[str] = mapped_column(String(8), nullable=False, default=SCHEME_FOUR)
    busy_finance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    supervision_head: Mapped[str] = mapped_column(String(64), nullable=False, default="")  # 村务监督委员会主任
    finance_group_head: Mapped[str] = mapped_column(String(64), nullable=False, default="")  # 民主理财小组组长
    # First day of the month the township started keeping this village's calendar (migration
    # 0012): periods due before it are neither due nor overdue. None = tracked from the start.
    tracking_from: Mapped[date | None] = mapped_column(Date, nullable=True)
