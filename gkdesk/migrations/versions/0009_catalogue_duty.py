"""catalogue duty: a clerk's override of whose duty an item is, and the names an item had before a rename

Revision ID: 0009_catalogue_duty
Revises: 0008_payout_layouts
Create Date: 2026-12-06 19:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_catalogue_duty'
down_revision = '0008_payout_layouts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('catalogue_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duty', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('former_names', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('catalogue_item', schema=None) as batch_op:
        batch_op.drop_column('former_names')
        batch_op.drop_column('duty')
