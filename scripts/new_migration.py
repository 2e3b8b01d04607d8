"""Developer tool: autogenerate a migration against a scratch database at head.

Usage: python scripts/new_migration.py "message" [revision_id]
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from gkdesk.store import alembic_config

message = sys.argv[1]
rev_id = sys.argv[2] if len(sys.argv) > 2 else None
with tempfile.TemporaryDirectory() as tmp:
    engine = create_engine(f"sqlite:///{Path(tmp) / 'scratch.sqlite3'}")
    cfg = alembic_config(engine)
    command.upgrade(cfg, "head")
    command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
