"""village disclosure: the month tracking of a village's calendar starts

Revision ID: 0012_tracking_start
Revises: 0011_sync_trust
Create Date: 2026-12-06 19:00:00

Villages whose catalogue was adopted before this column existed get the month of that
adoption (the earliest catalogue row), so upgrading does not suddenly mark a whole year overdue
nor forgive months the township really tracked.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_tracking_start'
down_revision = '0011_sync_trust'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('village_disclosure_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_from', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('village_disclosure_profile', schema=None) as batch_op:
        batch_op.drop_column('tracking_from')
