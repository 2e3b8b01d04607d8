"""money is 64-bit: every *_fen column becomes BIGINT

A PostgreSQL county refused a township batch of 21,474,836.48 yuan: ``INTEGER`` there is
32-bit (2^31 - 1 fen). PostgreSQL gets ``ALTER COLUMN … TYPE BIGINT``.

SQLite already stores any INTEGER in up to 8 bytes, and INTEGER and BIGINT have the same
(integer) affinity, so only the declared type in the schema text changes — the "simpler
procedure" of SQLite's ALTER TABLE documentation (writable_schema, schema_version bumped).
Re-creating the tables the batch way would need foreign keys off, which SQLite ignores inside
the transaction a multi-step upgrade is already in (dropping ``payout_batch`` under its
payouts then fails), and would copy every payout for nothing.

Revision ID: 0007_money_bigint
Revises: 0006_village_disclosure
Create Date: 2026-12-06 19:00:00
"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0007_money_bigint'
down_revision = '0006_village_disclosure'
branch_labels = None
depends_on = None

MONEY = (("payout_batch", "total_fen"), ("payout", "amount_fen"))


def _sqlite_retype(frm: str, to: str) -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("PRAGMA writable_schema=ON")
    try:
        for table, column in MONEY:
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type='table' AND name=?",
                                       (table,)).scalar_one()
            new, n = re.subn(rf'(\b"?{column}"?\s+){frm}\b', rf"\g<1>{to}", sql, flags=re.I)
            if n != 1:
                raise RuntimeError(f"{table}.{column}: declared type {frm} not found once in the schema")
            conn.exec_driver_sql("UPDATE sqlite_master SET sql=? WHERE type='table' AND name=?", (new, table))
        version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
        conn.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema=OFF")
    problems = conn.exec_driver_sql("PRAGMA quick_check").scalar_one()
    if problems != "ok":
        raise RuntimeError(f"schema check after retyping money columns: {problems}")


def _retype(frm: sa.types.TypeEngine, to: sa.types.TypeEngine, frm_sql: str, to_sql: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_retype(frm_sql, to_sql)
        return
    for table, column in MONEY:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=frm, type_=to, existing_nullable=False)


def upgrade() -> None:
    _retype(sa.Integer(), sa.BigInteger(), "INTEGER", "BIGINT")


def downgrade() -> None:
    _retype(sa.BigInteger(), sa.Integer(), "BIGINT", "INTEGER")
