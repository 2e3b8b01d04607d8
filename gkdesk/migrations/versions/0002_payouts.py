"""payouts: programs, payout batches, payouts

Revision ID: 0002_payouts
Revises: 0001_foundation
Create Date: 2026-11-22 01:41:23.870275
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_payouts'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('program',
    sa.Column('township_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_program_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program'))
    )
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_township_id'), ['township_id'], unique=False)

    op.create_table('payout_batch',
    sa.Column('township_id', sa.String(length=32), nullable=False),
    sa.Column('program_id', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('source_sheets', sa.Text(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('village_count', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.Integer(), nullable=False),
    sa.Column('warning_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('replaces_id', sa.String(length=32), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_payout_batch_program_id_program')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_payout_batch_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payout_batch'))
    )
    with op.batch_alter_table('payout_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payout_batch_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payout_batch_source_sha256'), ['source_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_payout_batch_township_id'), ['township_id'], unique=False)

    op.create_table('payout',
    sa.Column('batch_id', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.String(length=32), nullable=False),
    sa.Column('group_name', sa.String(length=32), nullable=False),
    sa.Column('group_number', sa.Integer(), nullable=True),
    sa.Column('recipient_name', sa.String(length=64), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('account_number', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.String(length=32), nullable=True),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('rate', sa.String(length=32), nullable=True),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('remark', sa.Text(), nullable=False),
    sa.Column('source_sheet', sa.String(length=64), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['payout_batch.id'], name=op.f('fk_payout_batch_id_payout_batch')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_payout_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payout'))
    )
    with op.batch_alter_table('payout', schema=None) as batch_op:
        batch_op.create_index('ix_payout_batch_seq', ['batch_id', 'seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('payout', schema=None) as batch_op:
        batch_op.drop_index('ix_payout_batch_seq')

    op.drop_table('payout')
    with op.batch_alter_table('payout_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payout_batch_township_id'))
        batch_op.drop_index(batch_op.f('ix_payout_batch_source_sha256'))
        batch_op.drop_index(batch_op.f('ix_payout_batch_program_id'))

    op.drop_table('payout_batch')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_township_id'))

    op.drop_table('program')
