"""payout layouts (导入模板) and township-level program totals (一览表)

Revision ID: 0008_payout_layouts
Revises: 0007_money_bigint
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_payout_layouts'
down_revision = '0007_money_bigint'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payout_layout',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=40), nullable=False),
    sa.Column('spec', sa.Text(), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('used_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payout_layout')),
    sa.UniqueConstraint('name', name=op.f('uq_payout_layout_name'))
    )
    with op.batch_alter_table('payout_layout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payout_layout_signature'), ['signature'], unique=False)
    op.create_table('program_total',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('program_id', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('area_name', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.String(length=32), nullable=False),
    sa.Column('rate', sa.String(length=32), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_program_total_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_total'))
    )
    with op.batch_alter_table('program_total', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_total_program_id'), ['program_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('program_total', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_total_program_id'))
    op.drop_table('program_total')
    with op.batch_alter_table('payout_layout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payout_layout_signature'))
    op.drop_table('payout_layout')
