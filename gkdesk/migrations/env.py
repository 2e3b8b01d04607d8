"""Alembic environment: the engine comes from :func:`gkdesk.store.alembic_config`.

There is no alembic.ini; migrations ship inside the package and run at start-up.
``render_as_batch`` lets SQLite alter tables (copy-and-move) portably.
"""

from alembic import context

import gkdesk.models  # noqa: F401  (registers every table)
from gkdesk.models.base import Base, include_object

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` CLI use during development: a scratch database
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///:memory:")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
