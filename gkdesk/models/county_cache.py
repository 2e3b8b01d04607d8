"""Per-township results of the county's date-dependent views, computed once per day and package.

Catalogue completion/overdue and village posting status depend on today's date and on a
township's rows; recomputing them for 40 townships on every refresh took seconds. A row
here is valid while ``(day, last_seq)`` match today and the township's last applied
package, so a new package or a new day recomputes that township only — no hook to forget.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gkdesk.models.base import Base


class CountyViewCache(Base):
    __tablename__ = "county_view_cache"

    township_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    view: Mapped[str] = mapped_column(String(16), primary_key=True)   # "catalogue" | "villages"
    day: Mapped[date] = mapped_column(Date, nullable=False)
    last_seq: Mapped[int] = mapped_column(Integer, nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False)          # JSON
