"""0011_sync_trust on a database that already synced: keys get encrypted on first use, peers get
the new fingerprint and must be verified again, a package applied twice by the old race keeps one
history row, and the package id becomes unique."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from nacl.encoding import HexEncoder
from nacl.public import PrivateKey
from nacl.signing import SigningKey
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from gkdesk.models import SyncIdentity, SyncPeer
from gkdesk.store import alembic_config, open_store
from gkdesk.sync import keys


def test_upgrade_from_0006_with_sync_history(tmp_path: Path) -> None:
    db = tmp_path / "gkdesk.sqlite3"
    engine = create_engine(f"sqlite:///{db}")
    command.upgrade(alembic_config(engine), "0006_village_disclosure")
    sk, bk = SigningKey.generate(), PrivateKey.generate()
    vk, pk = sk.verify_key.encode(HexEncoder).decode(), bk.public_key.encode(HexEncoder).decode()
    now = datetime(2026, 11, 1)
    with engine.begin() as c:
        c.execute(text("INSERT INTO sync_identity (id, signing_seed, box_secret, created_at) VALUES (1, :s, :b, :t)"),
                  {"s": sk.encode(HexEncoder).decode(), "b": bk.encode(HexEncoder).decode(), "t": now})
        c.execute(text("INSERT INTO sync_peer (code, name, role, township_id, verify_key, box_key, fingerprint, "
                       "trusted_at, last_seq_in, last_seq_out, acked_seq, held_counts) VALUES "
                       "('511702', '通川区', 'county', '', :v, :b, 'ABCD-EF01-2345-6789-ABCD', :t, 0, 0, 0, '')"),
                  {"v": vk, "b": pk, "t": now})
        for _ in range(2):  # the same package applied twice by the old race
            c.execute(text("INSERT INTO sync_package (package_id, direction, kind, peer_code, seq, based_on, "
                           "created_at, processed_at, file_name, status, report) VALUES "
                           "('p1', 'in', 'receipt', '511702', 1, 0, :t, :t, 'x', 'applied', '')"), {"t": now})
    engine.dispose()
    store = open_store(tmp_path)  # migrates to head
    with store.session() as s:
        from gkdesk import township

        township.init_installation(s, "高桥镇", "511702101", "通川区", operator="t")
    with store.session() as s:
        peer = s.query(SyncPeer).one()
        assert peer.verified_at is None and len(keys.digits_of(peer.fingerprint)) == 40
        assert peer.fingerprint == keys.fingerprint(vk, pk, "511702", "county")
        ident = keys.ensure_keys(s, tmp_path)  # the old clear keys, now encrypted at rest
        assert ident.verify_hex == vk
    with store.session() as s:
        row = s.get(SyncIdentity, 1)
        assert row.signing_seed.startswith("enc:") and sk.encode(HexEncoder).decode() not in row.signing_seed
        dirs = [r[0] for r in s.execute(text("SELECT direction FROM sync_package ORDER BY id"))]
        assert dirs == ["in", "in-dup"]
    with pytest.raises(IntegrityError), store.session() as s:
        s.execute(text("INSERT INTO sync_package (package_id, direction, kind, peer_code, seq, based_on, "
                       "created_at, processed_at, file_name, status, report, payload_sha256, acks_package) "
                       "VALUES ('p1', 'in', 'receipt', '511702', 1, 0, :t, :t, 'x', 'applied', '', '', '')"),
                  {"t": now})
    store.close()
