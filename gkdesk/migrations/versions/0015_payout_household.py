"""payout household lists and county layouts: payout_batch.household / persons_label,
payout_layout.send_down

A batch imported from a household list (户主 with 家庭人口/保障人口) remembers it, so its
village notice heads the name column 户主 and prints the persons column under the list's
own word. A layout saved at the county can be marked to travel in its update packages.

Revision ID: 0015_payout_household
Revises: 0014_county_view_cache
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_payout_household'
# The lead re-chains at merge.
down_revision = '0014_county_view_cache'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payout_batch') as batch_op:
        batch_op.add_column(sa.Column('household', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('persons_label', sa.String(length=16), nullable=False, server_default=''))
    with op.batch_alter_table('payout_layout') as batch_op:
        batch_op.add_column(sa.Column('send_down', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('payout_layout') as batch_op:
        batch_op.drop_column('send_down')
    with op.batch_alter_table('payout_batch') as batch_op:
        batch_op.drop_column('persons_label')
        batch_op.drop_column('household')
