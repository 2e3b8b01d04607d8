"""Shared helpers for sync tests: a township and its county, enrolled with each other."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, select, text

from gkdesk import township
from gkdesk.models.base import Base
from gkdesk.store import Store, open_store
from gkdesk.sync import keys
from gkdesk.sync.tables import Codec, travelling_tables


@dataclass
class Pair:
    township: Store
    county: Store
    root: Path

    def close(self) -> None:
        self.township.close()
        self.county.close()


def make_county(root: Path, name: str = "通川区政务公开办", code: str = "511702") -> Store:
    c = open_store(root / "county")
    with c.session() as s:
        township.init_installation(s, name, code, "通川区", role="county", operator="县级")
    return c


def make_township(root: Path, folder: str, name: str = "高桥镇", code: str = "511702101",
                  villages: tuple[tuple[str, int], ...] = (("高桥村", 3), ("柳树村", 2))) -> Store:
    t = open_store(root / folder)
    with t.session() as s:
        township.init_installation(s, name, code, "通川区", operator="乡镇")
        for v, g in villages:
            township.add_village(s, v, g, "乡镇")
    return t


def enrol(t: Store, c: Store, tmp: Path) -> None:
    """Enrol as the clerks would by USB stick: the township's identity file to the county,
    which enrols it (its registry assigns the township id) and writes the township's
    enrolment file; the township imports that, and both verify fingerprints by phone."""
    tf, ef = tmp / f"t-{id(t)}.json", tmp / f"e-{id(c)}-{id(t)}.json"
    with t.session() as s:
        keys.export_identity(s, tf, t.data_dir)
    with c.session() as s:
        town = keys.trust(s, tf, "县级", data_dir=c.data_dir)["peer"]
        keys.verify(s, town["code"], town["fingerprint"], "县级")
        keys.enrolment_file(s, town["code"], ef, c.data_dir)
    with t.session() as s:
        county = keys.trust(s, ef, "乡镇", data_dir=t.data_dir)["peer"]
        keys.verify(s, county["code"], county["fingerprint"], "乡镇")  # as read out on the phone; adopts the id


def make_pair(root: Path) -> Pair:
    root.mkdir(parents=True, exist_ok=True)
    t = make_township(root, "township")
    c = make_county(root)
    enrol(t, c, root)
    return Pair(t, c, root)


def copy_pair(template: Path, dest: Path) -> Pair:
    shutil.copytree(template, dest)
    return Pair(open_store(dest / "township"), open_store(dest / "county"), dest)


def township_rows(store: Store, township_id: str) -> dict[str, list[dict]]:
    """One township's travelling rows, per table, as JSON-ready dicts (sorted by id)."""
    out = {}
    with store.session() as s:
        conn = s.connection()
        for p in travelling_tables(conn):
            codec = Codec(p.table)
            rows = conn.execute(select(p.table).where(p.clause(township_id)).order_by(p.table.c.id)).mappings()
            out[p.table.name] = [codec.dump(dict(r)) for r in rows]
    return out


def db_fingerprint(store: Store) -> str:
    """A content hash of every table (logical, so WAL vs main file does not matter)."""
    h = hashlib.sha256()
    with store.session() as s:
        conn = s.connection()
        for name in sorted(inspect(conn).get_table_names()):
            t = Base.metadata.tables.get(name)
            h.update(name.encode())
            cols = ", ".join(f'"{c.name}"' for c in t.columns) if t is not None else "*"
            for line in sorted(repr(tuple(row)) for row in conn.execute(text(f'SELECT {cols} FROM "{name}"'))):
                h.update(line.encode())
    return h.hexdigest()


def self_id(store: Store) -> str:
    with store.session() as s:
        return township.current(s).id
