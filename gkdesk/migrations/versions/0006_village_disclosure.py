"""village disclosure: catalogue items, profiles, posting lifecycle columns, objections, photos, events

Revision ID: 0006_village_disclosure
Revises: 0005_sync
Create Date: 2026-11-22 01:47:53.724697
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_village_disclosure'
# Chained after 0005_sync (main as merged into this branch); the lead re-chains at merge if needed.
down_revision = '0005_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('village_catalogue_item',
    sa.Column('township_id', sa.String(length=32), nullable=False),
    sa.Column('village_id', sa.String(length=32), nullable=False),
    sa.Column('template_key', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('frequency', sa.String(length=12), nullable=False),
    sa.Column('fixed_day', sa.Integer(), nullable=True),
    sa.Column('min_frequency', sa.String(length=12), nullable=False),
    sa.Column('finance', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_village_catalogue_item_township_id_township')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_village_catalogue_item_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_catalogue_item'))
    )
    with op.batch_alter_table('village_catalogue_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_catalogue_item_township_id'), ['township_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_village_catalogue_item_village_id'), ['village_id'], unique=False)

    op.create_table('village_disclosure_profile',
    sa.Column('township_id', sa.String(length=32), nullable=False),
    sa.Column('village_id', sa.String(length=32), nullable=False),
    sa.Column('scheme', sa.String(length=8), nullable=False),
    sa.Column('busy_finance', sa.Boolean(), nullable=False),
    sa.Column('supervision_head', sa.String(length=64), nullable=False),
    sa.Column('finance_group_head', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_village_disclosure_profile_township_id_township')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_village_disclosure_profile_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_disclosure_profile')),
    sa.UniqueConstraint('village_id', name=op.f('uq_village_disclosure_profile_village_id'))
    )
    with op.batch_alter_table('village_disclosure_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_disclosure_profile_township_id'), ['township_id'], unique=False)

    op.create_table('posting_event',
    sa.Column('posting_id', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('on', sa.Date(), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_posting_event_posting_id_posting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_event'))
    )
    with op.batch_alter_table('posting_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_event_posting_id'), ['posting_id'], unique=False)

    op.create_table('posting_objection',
    sa.Column('posting_id', sa.String(length=32), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('raised_by', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answered_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_posting_objection_posting_id_posting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_objection'))
    )
    with op.batch_alter_table('posting_objection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_objection_posting_id'), ['posting_id'], unique=False)

    op.create_table('posting_photo',
    sa.Column('posting_id', sa.String(length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('ext', sa.String(length=5), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=True),
    sa.Column('attached_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_posting_photo_posting_id_posting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_photo'))
    )
    with op.batch_alter_table('posting_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_photo_posting_id'), ['posting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_photo_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('catalogue_item_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('program_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('slot', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reviewer_body', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reviewer', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reviewed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('location', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('posted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('archived_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('archive_place', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('replaces_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_posting_catalogue_item_id'), ['catalogue_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_posted_on'), ['posted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_replaces_id'), ['replaces_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_year'), ['year'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_posting_program_id_program'), 'program', ['program_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_posting_catalogue_item_id_village_catalogue_item'), 'village_catalogue_item', ['catalogue_item_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_posting_replaces_id_posting'), 'posting', ['replaces_id'], ['id'])

    # Notices already marked as posted by the printing feature: their posting day is the period start.
    op.execute("UPDATE posting SET posted_on = period_start WHERE status = 'posted' AND posted_on IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posting_replaces_id_posting'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posting_catalogue_item_id_village_catalogue_item'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posting_program_id_program'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_posting_year'))
        batch_op.drop_index(batch_op.f('ix_posting_replaces_id'))
        batch_op.drop_index(batch_op.f('ix_posting_program_id'))
        batch_op.drop_index(batch_op.f('ix_posting_posted_on'))
        batch_op.drop_index(batch_op.f('ix_posting_catalogue_item_id'))
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('archive_place')
        batch_op.drop_column('archived_on')
        batch_op.drop_column('ended_on')
        batch_op.drop_column('posted_on')
        batch_op.drop_column('location')
        batch_op.drop_column('reviewed_on')
        batch_op.drop_column('reviewer')
        batch_op.drop_column('reviewer_body')
        batch_op.drop_column('slot')
        batch_op.drop_column('year')
        batch_op.drop_column('program_id')
        batch_op.drop_column('catalogue_item_id')

    with op.batch_alter_table('posting_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_photo_sha256'))
        batch_op.drop_index(batch_op.f('ix_posting_photo_posting_id'))

    op.drop_table('posting_photo')
    with op.batch_alter_table('posting_objection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_objection_posting_id'))

    op.drop_table('posting_objection')
    with op.batch_alter_table('posting_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_event_posting_id'))

    op.drop_table('posting_event')
    with op.batch_alter_table('village_disclosure_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_disclosure_profile_township_id'))

    op.drop_table('village_disclosure_profile')
    with op.batch_alter_table('village_catalogue_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_catalogue_item_village_id'))
        batch_op.drop_index(batch_op.f('ix_village_catalogue_item_township_id'))

    op.drop_table('village_catalogue_item')
