"""Opening the database: engine, pragmas, integrity, migrations (after a backup).

Everything that touches the SQLite file's lifecycle lives here, so the rest of
the core only ever sees a ``Store`` with a session factory. A PostgreSQL URL is
accepted for a county that outgrows one file; backups then belong to the DBA.
"""

from __future__ import annotations

import ast
import functools
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from gkdesk import paths
from gkdesk.errors import DatabaseCorrupt, DatabaseTooNew
from gkdesk.hints import Hint

if TYPE_CHECKING:
    from alembic.config import Config

    from gkdesk.dirlock import DirLock

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


_REV_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*([^\n#]+)", re.M)


@functools.cache
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision of every shipped migration, read from the files' assignments.

    Every command opens the store; building Alembic's ScriptDirectory (and importing
    Alembic, ~0.2 s) just to learn that the database is already current would be most of
    a small command's run time. Our migrations are plain modules with literal
    ``revision = "..."`` / ``down_revision = "..."`` lines (tests compare this with Alembic).
    """
    graph: dict[str, str | None] = {}
    for f in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = {m.group(1): ast.literal_eval(m.group(2).strip())
                 for m in _REV_LINE.finditer(f.read_text(encoding="utf-8"))}
        rev, down = found.get("revision"), found.get("down_revision")
        if isinstance(rev, str):
            if down is not None and not isinstance(down, str):
                raise RuntimeError(f"migration {rev} merges branches; migrations must form one line")
            graph[rev] = down
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {d for d in graph.values() if d}
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads; they must form one line")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


def sqlite_url(db_path: Path) -> str:
    return f"sqlite:///{db_path}"


#: How long a write waits for another process's transaction before the clerk is told who holds it.
BUSY_TIMEOUT_S = 10


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # hide_parameters: a failed statement's message must not quote IDs or accounts into a log
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {"connect_timeout": 10} if url.startswith("postgresql") else {}  # a dead server: 10 s, not minutes
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args)


def check_sqlite_file(db_path: Path, *, full: bool = False) -> list[str]:
    """Run ``quick_check`` (or the full ``integrity_check``) on a file; return problems.

    Read-only first. A process killed mid-transaction in rollback-journal mode (or while
    switching journal modes) leaves a *hot journal* that only a writing connection may roll
    back; read-only, SQLite then says "attempt to write a readonly database". That is not
    damage: the check is repeated read-write, which lets SQLite finish the rollback.
    """
    def run(mode: str) -> list[str]:
        con = sqlite3.connect(f"file:{db_path}?mode={mode}", uri=True, timeout=30)
        try:
            return [r[0] for r in con.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check")]
        finally:
            con.close()

    try:
        try:
            rows = run("ro")
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc) or not Path(f"{db_path}-journal").exists():
                raise
            rows = run("rw")
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


#: Files up to this size get SQLite's ``quick_check`` on every open (≈0.3 s); a bigger file (a
#: county: gigabytes, 4.6 s at 3.2 GB and growing) gets the cheap structural check below on open,
#: and the full ``quick_check`` once a day off the GUI thread (:func:`daily_check_due`).
QUICK_CHECK_LIMIT = 96 * 2**20

_MAGIC = b"SQLite format 3\x00"


def check_header(db_path: Path) -> list[str]:
    """What can be checked without reading the file: the header, its page size and page count.

    Catches a truncated file, one overwritten from the start (another program, a failed copy)
    and one that is not a database at all — in microseconds, at any size. The schema pages
    are read right after (``stored_revision_of_file``), which catches a damaged schema.
    """
    try:
        with open(db_path, "rb") as f:
            head = f.read(100)
        size = db_path.stat().st_size
    except OSError as exc:
        return [str(exc)]
    if len(head) < 100 or not head.startswith(_MAGIC):
        return ["文件头不是 SQLite 数据库"]
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return [f"页大小无效({page})"]
    wal = db_path.with_name(db_path.name + "-wal")
    try:
        replaying = wal.exists() and wal.stat().st_size > 0
    except OSError:
        replaying = True
    if replaying:
        # A checkpoint cut by a power failure leaves page 1 (new page count) written and the
        # file not yet grown; the WAL still holds every page and SQLite replays it on open.
        # Judging the length now would call a sound database truncated.
        return []
    pages = int.from_bytes(head[28:32], "big")
    valid_for = int.from_bytes(head[92:96], "big") == int.from_bytes(head[24:28], "big")
    if valid_for and pages and size < pages * page:
        return [f"文件被截断(应有 {pages * page} 字节,只有 {size} 字节)"]
    if size % page:
        return [f"文件长度不是页大小的整数倍({size} 字节)"]
    return []


def check_on_open(db_path: Path) -> list[str]:
    """``quick_check`` for a small file; the header and schema for a big one (seconds saved)."""
    if db_path.stat().st_size <= QUICK_CHECK_LIMIT:
        return check_sqlite_file(db_path)
    problems = check_header(db_path)
    if problems:
        return problems
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the whole schema
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc):  # a hot journal: let the full check roll it back
            return check_sqlite_file(db_path)
        return [str(exc)]
    return []


def _stamp(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".checked")


def daily_check_due(db_path: Path | None, now: float | None = None) -> bool:
    """A big file whose last full ``quick_check`` (:func:`run_daily_check`) is a day old or more."""
    import time

    if db_path is None or not db_path.exists() or db_path.stat().st_size <= QUICK_CHECK_LIMIT:
        return False
    stamp = _stamp(db_path)
    return not stamp.exists() or (now or time.time()) - stamp.stat().st_mtime >= 86400


def run_daily_check(db_path: Path) -> list[str]:
    """The full ``quick_check`` of a big file, meant for a worker thread; stamped when clean."""
    problems = check_sqlite_file(db_path)
    if not problems:
        _stamp(db_path).write_text("ok\n", encoding="ascii")
    return problems


#: Above this size the query planner gets table statistics (``sqlite_stat1``), refreshed daily.
STATS_LIMIT = 16 * 2**20


def _exact_payout_statistics(con: sqlite3.Connection) -> None:
    """Payout rows per batch from the batches' own ``row_count`` (O(batches)), not a 400-row sample.

    The sample said 401 rows per batch where a county has ~3,000; with that the planner
    still preferred the batch index for 2,000 incoming ids. The summaries know exactly.
    """
    have = {r[0] for r in con.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'payout'")}
    if "ix_payout_batch_seq" not in have:
        return
    batches, rows = con.execute("SELECT count(*), coalesce(sum(row_count), 0) FROM payout_batch").fetchone()
    if not batches or not rows:
        return
    per_batch = max(1, -(-int(rows) // int(batches)))
    con.execute("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = 'payout' AND idx = 'ix_payout_batch_seq'",
                (f"{rows} {per_batch} 1",))
    con.execute("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = 'payout' AND idx LIKE 'sqlite_autoindex_payout_%'",
                (f"{rows} 1",))


def refresh_statistics(db_path: Path, now: float | None = None) -> bool:
    """An approximate ``ANALYZE`` (milliseconds at 5 GB), at most once a day; True when run.

    Without statistics SQLite guesses, and on a county's payout table it guessed wrong: the
    ownership check of every 500 incoming rows (``id IN (…) AND batch_id IN (SELECT … WHERE
    township_id = …)``) walked all of the township's rows through ``ix_payout_batch_seq``
    — 0.37 s per chunk, 30 s for one package at 15 M rows — instead of 500 primary-key
    lookups (3 ms). ``analysis_limit`` samples each index instead of reading it whole.
    Skipped quietly when another process holds the database (it is only an optimisation).
    """
    import time

    if not db_path.exists() or db_path.stat().st_size <= STATS_LIMIT:
        return False
    stamp = db_path.with_name(db_path.name + ".analyzed")
    if stamp.exists() and (now or time.time()) - stamp.stat().st_mtime < 86400:
        return False
    try:
        con = sqlite3.connect(str(db_path), timeout=0.5)
        try:
            con.execute("PRAGMA analysis_limit=400")
            con.execute("ANALYZE")
            _exact_payout_statistics(con)
            con.commit()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    stamp.write_text("ok\n", encoding="ascii")
    return True


def stored_revision_of_file(db_path: Path) -> str | None:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    return row[0] if row else None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass
class Store:
    """An open database. ``data_dir`` is None only for a non-SQLite county database."""

    engine: Engine
    data_dir: Path
    db_path: Path | None
    lock: DirLock | None = None  # the shared "open" lock this process holds on the data directory
    session_factory: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception.

        A database that another process keeps busy, a full disk or a read-only file become
        Chinese messages (:mod:`gkdesk.storeerrors`) instead of a driver traceback.
        """
        from sqlalchemy.exc import OperationalError

        try:
            with self.session_factory() as s, s.begin():
                yield s
        except OperationalError as exc:
            from gkdesk.storeerrors import translate_operational

            known = translate_operational(exc, self.data_dir, self.db_path)
            if known is exc:
                raise
            raise known from exc

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _reach(engine: Engine, ddir: Path) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from gkdesk import dbconfig

    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        saved = dbconfig.path(ddir)
        raise dbconfig.DatabaseUnreachable(
            dbconfig.explain(exc, engine.url) + "\n县级数据保存在数据库服务器上,服务器恢复后再打开即可。"
            + (f"如需改回本电脑上的数据文件,可删除“{saved}”。" if saved.exists() else "")) from exc


def open_store(
    data_dir: str | Path | None = None,
    *,
    database_url: str | None = None,
    migrate: bool = True,
) -> Store:
    """Open (creating if needed) the installation's database and bring its schema up to date.

    Refuses a corrupt or empty file (:class:`DatabaseCorrupt`), a file from a newer gkdesk
    (:class:`DatabaseTooNew`) and a read-only one (:class:`DatabaseReadOnly`) without writing
    to it. An existing database is backed up before any migration runs. A SQLite store holds
    the data directory's shared "open" lock until :meth:`Store.close` (restore needs it
    exclusively); the first process in cleans temporary files a killed run left behind.
    """
    from gkdesk import privacy

    ddir = paths.resolve_data_dir(data_dir)
    if database_url is None:  # a county that moved to PostgreSQL remembers where
        from gkdesk import dbconfig

        database_url = dbconfig.load(ddir)
    if database_url is not None:  # a county's PostgreSQL: no file, no lock
        ddir.mkdir(parents=True, exist_ok=True)
        return _open(ddir, database_url, None, migrate=migrate, lock=None)
    privacy.make_private_dir(ddir)
    privacy.restrict_umask()
    from gkdesk.storeerrors import check_writable

    check_writable(ddir)
    lock = privacy.first_in_cleanup(ddir)
    try:
        return _open(ddir, None, ddir / paths.DB_FILENAME, migrate=migrate, lock=lock)
    except BaseException:
        lock.release()
        raise


def _open(ddir: Path, database_url: str | None, db_path: Path | None, *, migrate: bool,
          lock: DirLock | None) -> Store:
    from gkdesk import backups, privacy, workdays

    current = False  # the SQLite file is known to be at the head revision: no Alembic needed
    if db_path is not None:
        if db_path.exists():
            if db_path.stat().st_size == 0:
                raise DatabaseCorrupt(
                    f"数据库文件“{db_path}”是空文件(0 字节),可能在写入时被中断或被截断。"
                    "为免把它当作新库而丢掉数据,程序没有改动它。", hint=Hint.RESTORE_BACKUP)
            problems = check_on_open(db_path)
            if problems:
                raise DatabaseCorrupt(f"数据库文件“{db_path}”已损坏({problems[0]})。", hint=Hint.RESTORE_BACKUP)
            stored = stored_revision_of_file(db_path)
            if stored is not None and stored not in known_revisions():
                raise DatabaseTooNew(
                    f"数据库“{db_path}”由更新版本的 gkdesk 创建(结构版本 {stored}),"
                    "本版本无法打开,也不会改动它。请安装最新版本的 gkdesk。"
                )
            current = stored == head_revision()
            if migrate and not current:
                backups.create_backup(ddir, reason="before-migration", force=True)
        privacy.make_private_file(db_path)  # an older gkdesk left it 0644; new files get the umask
        database_url = sqlite_url(db_path)
    assert database_url is not None
    engine = make_engine(database_url)
    store = Store(engine=engine, data_dir=ddir, db_path=db_path, lock=lock)
    if db_path is None:  # a server: say in Chinese why it cannot be reached, never a driver traceback
        _reach(engine, ddir)
    if migrate:
        rev = head_revision() if current else current_revision(engine)
        if rev is not None and rev not in known_revisions():
            engine.dispose()
            raise DatabaseTooNew(f"数据库由更新版本的 gkdesk 创建(结构版本 {rev}),本版本不会改动它。")
        if rev != head_revision():
            from alembic import command

            command.upgrade(alembic_config(engine), "head")
        with store.session() as s:
            workdays.ensure_seeded(s)
    if db_path is not None:
        if refresh_statistics(db_path):
            engine.dispose()  # pooled connections load the new statistics when they reconnect
        for suffix in ("", "-wal", "-shm"):
            privacy.make_private_file(Path(str(db_path) + suffix))
    return store
