"""sync trust: encrypted keys, installation id, peer verification/revocation, package receipts

Revision ID: 0011_sync_trust
Revises: 0010_disclosure_requests
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = '0011_sync_trust'
down_revision = '0010_disclosure_requests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_identity', schema=None) as b:
        b.alter_column('signing_seed', existing_type=sa.String(length=64), type_=sa.String(length=255))
        b.alter_column('box_secret', existing_type=sa.String(length=64), type_=sa.String(length=255))
        b.add_column(sa.Column('installation_id', sa.String(length=32), nullable=False, server_default=''))
        b.add_column(sa.Column('endorsement', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('sync_peer', schema=None) as b:
        b.alter_column('fingerprint', existing_type=sa.String(length=32), type_=sa.String(length=64))
        b.add_column(sa.Column('verified_at', sa.DateTime(), nullable=True))
        b.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        b.add_column(sa.Column('enrolment', sa.Text(), nullable=False, server_default=''))
    # Fingerprints are now 40 digits over keys + code + role (gkdesk.sync.keys.fingerprint); every
    # peer must be verified again by phone (verified_at stays NULL).
    conn = op.get_bind()
    for pid, code, role, vk, bk in conn.execute(sa.text("SELECT id, code, role, verify_key, box_key FROM sync_peer")):
        h = hashlib.sha256(b"gkdesk/fingerprint/v2\n" + role.encode() + b"\n" + code.encode() + b"\n"
                           + bytes.fromhex(vk) + bytes.fromhex(bk)).digest()
        d = f"{int.from_bytes(h[:20], 'big') % 10**40:040d}"
        conn.execute(sa.text("UPDATE sync_peer SET fingerprint = :f WHERE id = :i"),
                     {"f": " ".join(d[i:i + 5] for i in range(0, 40, 5)), "i": pid})
    # A package applied twice by the race this revision closes: keep the first history row.
    op.execute("UPDATE sync_package SET direction = 'in-dup' WHERE direction = 'in' AND id NOT IN "
               "(SELECT min(id) FROM sync_package WHERE direction = 'in' GROUP BY package_id)")
    with op.batch_alter_table('sync_package', schema=None) as b:
        b.add_column(sa.Column('payload_sha256', sa.String(length=64), nullable=False, server_default=''))
        b.add_column(sa.Column('acks_package', sa.String(length=32), nullable=False, server_default=''))
        b.add_column(sa.Column('content', sa.LargeBinary(), nullable=True))
        b.add_column(sa.Column('watermark_n', sa.Integer(), nullable=True))
        b.create_unique_constraint('uq_sync_package_direction', ['direction', 'package_id'])
    op.create_table('sync_change',
    sa.Column('n', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('n', name=op.f('pk_sync_change')),
    sqlite_autoincrement=True,
    )
    op.create_index('ix_sync_change_table_n', 'sync_change', ['table_name', 'n'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sync_change_table_n', table_name='sync_change')
    op.drop_table('sync_change')
    with op.batch_alter_table('sync_package', schema=None) as b:
        b.drop_constraint('uq_sync_package_direction', type_='unique')
        b.drop_column('watermark_n')
        b.drop_column('content')
        b.drop_column('acks_package')
        b.drop_column('payload_sha256')
    with op.batch_alter_table('sync_peer', schema=None) as b:
        b.drop_column('enrolment')
        b.drop_column('revoked_at')
        b.drop_column('verified_at')
    with op.batch_alter_table('sync_identity', schema=None) as b:
        b.drop_column('endorsement')
        b.drop_column('installation_id')

