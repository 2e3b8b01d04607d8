"""The township (or county) this installation serves, its villages and 村民小组."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gkdesk.models.base import Base, SyncMixin

ROLE_TOWNSHIP = "township"
ROLE_COUNTY = "county"
ROLES = (ROLE_TOWNSHIP, ROLE_COUNTY)


class Township(SyncMixin, Base):
    """A township (乡镇/街道). In county mode the county office is a row with role ``county``
    and every enrolled township is a row too."""

    __tablename__ = "township"

    name: Mapped[str] = mapped_column(String(64), nullable=False)
    code: Mapped[str] = mapped_column(String(12), nullable=False, unique=True)  # 行政区划代码
    county_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(16), nullable=False, default=ROLE_TOWNSHIP)
    supervision_phone: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    villages: Mapped[list[Village]] = relationship(back_populates="township", order_by="Village.sort_order")


class Village(SyncMixin, Base):
    """A village (村) or urban community (社区)."""

    __tablename__ = "village"

    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(8), nullable=False, default="村")  # 村 / 社区
    code: Mapped[str] = mapped_column(String(12), nullable=False, default="")
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    township: Mapped[Township] = relationship(back_populates="villages")
    groups: Mapped[list[VillageGroup]] = relationship(back_populates="village", order_by="VillageGroup.number")


class VillageGroup(SyncMixin, Base):
    """A 村民小组 (group); notices are often posted per group."""

    __tablename__ = "village_group"

    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(32), nullable=False)

    village: Mapped[Village] = relationship(back_populates="groups")
