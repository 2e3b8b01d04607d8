"""county view cache: per-township results of the date-dependent county views

Revision ID: 0014_county_view_cache
Revises: 0012_tracking_start
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_county_view_cache'
# The lead re-chains at merge.
down_revision = '0012_tracking_start'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('county_view_cache',
    sa.Column('township_id', sa.String(length=32), nullable=False),
    sa.Column('view', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('township_id', 'view')
    )


def downgrade() -> None:
    op.drop_table('county_view_cache')
