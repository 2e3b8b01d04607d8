"""Demo data for 公示打印: the county hotline, and payout batches if the payout demo made none."""

from __future__ import annotations

import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gkdesk import demo
from gkdesk.models import PayoutBatch
from gkdesk.notices.samples import sample_year
from gkdesk.notices.service import DEMO_DATA
from gkdesk.notices.sources import COUNTY_PHONES


@demo.contributor
def notices_demo(session: Session, operator: str, rng: random.Random) -> dict[str, int]:
    COUNTY_PHONES.set(session, "通川区农业农村局 0818-2112345")
    DEMO_DATA.set(session, True)  # every notice printed from demo data says 演示
    if session.scalar(select(func.count()).select_from(PayoutBatch)):
        return {}
    batches = sample_year(session, 2025, rng, per_village=25)
    return {"notice_sample_batches": len(batches)}
