"""The standard catalogue (基层政务公开标准目录): domains, their items, and publications.

A township keeps one catalogue: the national/provincial domains seeded from the
built-in data file, the county's directories imported from Excel, and its own
additions. Every row travels to the county (SyncMixin) and hangs off the township.
Lists (aliases, channels, ticked flags, extra columns, parsed time rule) are JSON
so a county's odd columns survive an import unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gkdesk.models.base import Base, SyncMixin

SOURCE_NATIONAL = "national-26"
SOURCE_PROVINCIAL = "provincial"
SOURCE_OWN = "own"
SOURCES = (SOURCE_NATIONAL, SOURCE_PROVINCIAL, SOURCE_OWN)
SOURCE_LABELS = {SOURCE_NATIONAL: "国家26个试点领域", SOURCE_PROVINCIAL: "省级扩展领域", SOURCE_OWN: "本乡镇自定"}

# Where an item's wording comes from: a national template the county has not yet
# confirmed, a template line the county must fill in, the county's imported directory,
# or the township's own entry.
ORIGIN_TEMPLATE = "template"
ORIGIN_CONFIRM = "confirm"
ORIGIN_IMPORTED = "imported"
ORIGIN_OWN = "own"
ORIGIN_LABELS = {ORIGIN_TEMPLATE: "国家指引模板", ORIGIN_CONFIRM: "需县级确认",
                 ORIGIN_IMPORTED: "县级目录导入", ORIGIN_OWN: "本乡镇自定"}


class Domain(SyncMixin, Base):
    """A 领域 (one of the 26 national pilot domains, a provincial extension, or the township's own)."""

    __tablename__ = "catalogue_domain"
    __table_args__ = (UniqueConstraint("township_id", "name", name="uq_catalogue_domain_township_name"),)

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    aliases: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    source: Mapped[str] = mapped_column(String(16), nullable=False, default=SOURCE_OWN)
    department: Mapped[str] = mapped_column(String(64), nullable=False, default="")  # 县级牵头部门
    applicable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    not_applicable_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    items: Mapped[list[CatalogueItem]] = relationship(back_populates="domain", order_by="CatalogueItem.sort_order")


class CatalogueItem(SyncMixin, Base):
    """One row of a standard directory (公开事项)."""

    __tablename__ = "catalogue_item"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    domain_id: Mapped[str] = mapped_column(ForeignKey("catalogue_domain.id"), nullable=False, index=True)
    identity: Mapped[str] = mapped_column(String(255), nullable=False, default="", index=True)
    seq: Mapped[str] = mapped_column(String(16), nullable=False, default="")  # 序号 as written
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    level1: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    level2: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    level3: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    time_limit: Mapped[str] = mapped_column(Text, nullable=False, default="")  # 公开时限 as written
    rule: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)  # parsed TimeRule
    publisher: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    # [{"name": "政府网站", "mark": "required" | "optional" | "used"}]
    channels: Mapped[list[dict[str, str]]] = mapped_column(JSON, nullable=False, default=list)
    audience: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)  # ticked 公开对象 labels
    mode: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)  # ticked 公开方式 labels
    levels: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)  # ticked 公开层级 labels
    extra: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False, default=dict)  # other columns
    origin: Mapped[str] = mapped_column(String(16), nullable=False, default=ORIGIN_OWN)
    source_file: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    applicable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    not_applicable_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The date information was formed and is waiting to be published (event-based rules).
    pending_since: Mapped[date | None] = mapped_column(Date, nullable=True, default=None)
    # Whose duty the item is when the clerk corrected it ("" = derived from 公开层级/公开主体,
    # gkdesk.catalogue.duty): township | village | county.
    duty: Mapped[str] = mapped_column(String(16), nullable=False, default="", server_default="")
    # Names before accepted renames: [{"label", "identity", "on", "file"}], oldest first.
    former_names: Mapped[list[dict[str, str]]] = mapped_column(JSON, nullable=False, default=list,
                                                               server_default="[]")

    domain: Mapped[Domain] = relationship(back_populates="items")
    publications: Mapped[list[Publication]] = relationship(back_populates="item",
                                                           order_by="Publication.published_on")

    @property
    def label(self) -> str:
        return " / ".join(x for x in (self.level1, self.level2, self.level3) if x)


class Publication(SyncMixin, Base):
    """A record that an item was published (发布记录)."""

    __tablename__ = "catalogue_publication"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("catalogue_item.id"), nullable=False, index=True)
    formed_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # 信息形成(变更)日期
    published_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    title: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    doc_number: Mapped[str] = mapped_column(String(128), nullable=False, default="")  # 文号
    link: Mapped[str] = mapped_column(String(512), nullable=False, default="")
    attachment_path: Mapped[str] = mapped_column(String(512), nullable=False, default="")
    attachment_sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    item: Mapped[CatalogueItem] = relationship(back_populates="publications")
