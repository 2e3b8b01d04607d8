"""Fixtures for sync tests: an enrolled township/county pair, and a test-only deep table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from gkdesk.models.base import Base, SyncMixin
from gkdesk.sync import tables as sync_tables

from .helpers import Pair, copy_pair, make_pair

PHOTO_TABLE = "zz_test_sync_photo"


@pytest.fixture(scope="session")
def pair_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pair-template") / "pair"
    p = make_pair(root)
    p.close()
    return root


@pytest.fixture
def pair(pair_template: Path, tmp_path: Path) -> Pair:
    p = copy_pair(pair_template, tmp_path / "pair")
    yield p
    p.close()


@pytest.fixture(scope="module")
def photo_model(request: pytest.FixtureRequest):
    """A test-only travelling table three FK hops below the township, with Decimal, date and
    an attachment column. Defined here (not at import) and removed from the metadata
    afterwards so no other test or migration check ever sees it."""

    Photo = type(f"Photo_{request.module.__name__.replace('.', '_')}", (SyncMixin, Base), {
        "__tablename__": PHOTO_TABLE,
        "__annotations__": {"village_group_id": Mapped[str], "amount": Mapped[Decimal],
                            "taken_on": Mapped[date], "photo_sha": Mapped[str]},
        "village_group_id": mapped_column(ForeignKey("village_group.id"), nullable=False),
        "amount": mapped_column(Numeric(14, 2), nullable=False),
        "taken_on": mapped_column(Date, nullable=False),
        "photo_sha": mapped_column(String(80), nullable=False, default=""),
    })

    sync_tables.register_attachment(PHOTO_TABLE, "photo_sha")
    yield Photo
    sync_tables._ATTACHMENTS.pop(PHOTO_TABLE, None)
    Base.metadata.remove(Photo.__table__)


@pytest.fixture
def photo_pair(pair: Pair, photo_model):
    for st in (pair.township, pair.county):
        photo_model.__table__.create(st.engine)
    return pair


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database on the test server that scripts/gk.sh test starts."""
    import os
    import uuid

    base = os.environ.get("GKDESK_TEST_PG_URL")
    if not base:
        pytest.skip("没有 PostgreSQL 测试服务器(GKDESK_TEST_PG_URL 未设置;用 bash scripts/gk.sh test 运行可自动启动)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = "gk_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
