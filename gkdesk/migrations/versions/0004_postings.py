"""notices: postings (a notice sheet printed for a village board)

Revision ID: 0004_postings
Revises: 0003_catalogue
Create Date: 2026-11-22 01:43:02.992328
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_postings'
# Chained after 0002_payouts on this branch (it merges payouts); the lead re-chains at merge.
down_revision = '0003_catalogue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('posting',
    sa.Column('township_id', sa.String(length=32), nullable=False),
    sa.Column('village_id', sa.String(length=32), nullable=True),
    sa.Column('group_id', sa.String(length=32), nullable=True),
    sa.Column('group_name', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('source_ref', sa.String(length=255), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('period_days', sa.Integer(), nullable=True),
    sa.Column('period_unit', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('printed_by', sa.String(length=64), nullable=False),
    sa.Column('printed_at', sa.DateTime(), nullable=False),
    sa.Column('paper', sa.String(length=32), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['village_group.id'], name=op.f('fk_posting_group_id_village_group')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_posting_township_id_township')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_posting_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting'))
    )
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_township_id'), ['township_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_village_id'), ['village_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_village_id'))
        batch_op.drop_index(batch_op.f('ix_posting_township_id'))

    op.drop_table('posting')
