"""payout household lists and county layouts: payout_batch.household / persons_label,
payout_layout.send_down

A batch imported from a household list (户主 with 家庭人口/保障人口) remembers it, so its
village notice heads the name column 户主 and prints the persons column under the list's
own word. A layout saved at the county can be marked to travel in its update packages.

Revision ID: 0015_payout_household
Revises: 0014_county_view_cache
"""
import sqlite3

import sqlalchemy as sa
from alembic import op

revision = '0015_payout_household'
# The lead re-chains at merge.
down_revision = '0014_county_view_cache'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite and PostgreSQL both take it with a constant default): a batch
    # rebuild of payout_batch would DROP a table every payout row points at, which SQLite
    # refuses with foreign keys on (and would copy every batch for nothing).
    op.add_column('payout_batch', sa.Column('household', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('payout_batch', sa.Column('persons_label', sa.String(length=16), nullable=False,
                                            server_default=''))
    op.add_column('payout_layout', sa.Column('send_down', sa.Boolean(), nullable=False, server_default=sa.false()))


def _drop(table: str, *columns: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or sqlite3.sqlite_version_info >= (3, 35):
        for column in columns:  # ALTER TABLE … DROP COLUMN: no rebuild of a referenced table
            op.drop_column(table, column)
        return
    with op.batch_alter_table(table) as batch_op:  # SQLite before 3.35 (Debian 11's) has no DROP COLUMN
        for column in columns:
            batch_op.drop_column(column)


def downgrade() -> None:
    _drop('payout_layout', 'send_down')
    _drop('payout_batch', 'persons_label', 'household')
