"""``gkdesk demo``: a realistic demo township so every page has something to show.

Feature modules add their own demo data by appending a function to
``CONTRIBUTORS``; each receives the session, the operator and a ``random.Random``
seeded for reproducibility.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy.orm import Session

from gkdesk import township
from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.result import OpResult

DEMO_TOWNSHIP = {"name": "高桥镇", "code": "511702101", "county": "通川区", "phone": "0818-2345678"}
DEMO_VILLAGES = [
    ("高桥村", 8), ("柳树村", 6), ("石桥村", 7), ("白鹤村", 5), ("青龙村", 9),
    ("双河村", 6), ("红星村", 4), ("新华社区", 3),
]

Contributor = Callable[[Session, str, random.Random], dict[str, int]]
CONTRIBUTORS: list[Contributor] = []


def contributor(fn: Contributor) -> Contributor:
    CONTRIBUTORS.append(fn)
    return fn


def _load_contributors() -> None:
    """Import feature modules that register demo data (kept lazy: the core stays light)."""
    import importlib

    for name in DEMO_MODULES:
        importlib.import_module(name)


DEMO_MODULES: list[str] = [
    "gkdesk.catalogue.demo_data",
    "gkdesk.payouts.demo_data",
    "gkdesk.notices.demo_data",
    "gkdesk.sync.demo_data",
    "gkdesk.postings.demo_data",
]


def fill_demo(session: Session, operator: str = "演示", seed: int = 20261122) -> OpResult:
    if township.is_initialised(session):
        raise InputRejected("本数据目录已有数据,演示数据只能装入新的数据目录。", hint=Hint.NEW_DATA_DIR)
    township.init_installation(session, DEMO_TOWNSHIP["name"], DEMO_TOWNSHIP["code"], DEMO_TOWNSHIP["county"],
                               operator=operator, supervision_phone=DEMO_TOWNSHIP["phone"])
    for name, groups in DEMO_VILLAGES:
        township.add_village(session, name, groups, operator)
    counts = {"villages": len(DEMO_VILLAGES), "groups": sum(g for _, g in DEMO_VILLAGES)}
    _load_contributors()
    rng = random.Random(seed)
    for fn in CONTRIBUTORS:
        counts.update(fn(session, operator, rng))
    return OpResult(changes={"township", "villages"}, counts=counts)
