"""A SQLite county moves into PostgreSQL with everything: keys, enrolments, packages, rows.

After the move the county opened on PostgreSQL shows the same views and still accepts the
township's next package (its keys and counters came along); a second move into the same,
now non-empty, database is refused and changes nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gkdesk import county, sync
from gkdesk.county_migrate import migrate_to_postgresql, redact
from gkdesk.errors import InputRejected
from gkdesk.models.payout import Payout
from gkdesk.store import open_store


@pytest.mark.postgres
def test_county_moves_to_postgresql_whole(tmp_path, pg_url):
    from tests.sync.helpers import enrol, make_county, make_township
    from tests.sync.test_county_views import _fill

    c = make_county(tmp_path)
    t = make_township(tmp_path, "t1")
    enrol(t, c, tmp_path)
    _fill(t, 3, (2025, 2026), with_catalogue=False)
    reps = sync.import_files(c, sync.export_data(t, tmp_path / "usb", "乡镇").files, "县级")
    assert [r.status for r in reps] == ["applied"]
    with c.session() as s:
        before = (county.payout_totals(s), s.scalar(select(func.count()).select_from(Payout)))
    res = migrate_to_postgresql(c, pg_url)
    assert res.tables["payout"] == before[1] and res.rows > before[1]
    pg = open_store(c.data_dir, database_url=pg_url)
    with pg.session() as s:
        assert county.payout_totals(s) == before[0]
    # The township's next package is accepted by the county now living in PostgreSQL.
    _fill(t, 4, (2027,), with_catalogue=False)
    reps = sync.import_files(pg, sync.export_data(t, tmp_path / "usb2", "乡镇").files, "县级")
    assert [r.status for r in reps] == ["applied"], [r.reason for r in reps]
    # A second move into the now filled database is refused.
    with pytest.raises(InputRejected) as err:
        migrate_to_postgresql(c, pg_url)
    assert "已有数据" in err.value.message
    for st in (c, t, pg):
        st.close()


def test_password_never_shown():
    assert redact("postgresql+psycopg://gk:s3cret@db.local:5432/county") == \
        "postgresql+psycopg://gk@db.local:5432/county"


@pytest.mark.postgres
def test_cli_migrate_reports_without_the_password(tmp_path, pg_url, capsys):
    import json

    from gkdesk.cli import main as cli_main
    from tests.sync.helpers import make_county

    c = make_county(tmp_path)
    d = str(c.data_dir)
    c.close()
    # Trust authentication on the test server ignores a password: give one all the same, to
    # see that it is kept wrapped, never in clear, and still used to connect.
    with_password = pg_url.replace("postgres@", "postgres:s3cret@", 1)
    assert "s3cret" in with_password
    code = cli_main(["--data-dir", d, "county", "migrate", "--to", with_password, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["status"] == "migrated" and out["tables"]["township"] == 1
    saved = (c.data_dir / "database.json").read_text(encoding="utf-8")
    assert "s3cret" not in saved and "s3cret" not in json.dumps(out)
    # From now on the data directory opens the PostgreSQL database by itself.
    (c.data_dir / "gkdesk.sqlite3").rename(c.data_dir / "old.sqlite3")
    code = cli_main(["--data-dir", d, "county", "status", "--json"])
    assert code == 0, capsys.readouterr().err
    assert not (c.data_dir / "gkdesk.sqlite3").exists()
    assert ":" not in out["target"].split("//", 1)[1].split("@")[0]  # no password in what is shown
