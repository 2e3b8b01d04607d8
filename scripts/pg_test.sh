#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the county tests (sourced by scripts/gk.sh test).
#   pg_test_start  → initdb into a temp dir, start on 127.0.0.1:<free port>, export GKDESK_TEST_PG_URL
#   pg_test_stop   → stop it and delete the directory
# Without Debian's postgresql the tests marked `postgres` skip with a clear reason.
# Works as root (the server runs as the `postgres` user) and as a normal user; safe to re-run:
# a cluster left behind by a killed run is stopped and removed first.

PG_TEST_DIR="${TMPDIR:-/tmp}/gkdesk-pg-test-$(id -u)-$(printf '%s' "$PWD" | cksum | cut -d' ' -f1)"

_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

_pg_as() {  # run a command as the cluster owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_test_stop() {
  local bin; bin="$(_pg_bin)"
  if [ -n "$bin" ] && [ -f "$PG_TEST_DIR/data/postmaster.pid" ]; then
    _pg_as "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TEST_DIR"
}

pg_test_start() {
  local bin port
  bin="$(_pg_bin)"
  if [ -z "$bin" ]; then
    echo "提示 / note: 未安装 PostgreSQL,县级 PostgreSQL 测试将跳过 / PostgreSQL not installed: postgres tests skip" >&2
    return 0
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "提示 / note: 没有 postgres 用户,PostgreSQL 测试将跳过 / no postgres user: postgres tests skip" >&2
    return 0
  fi
  pg_test_stop
  mkdir -p "$PG_TEST_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TEST_DIR"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  if ! _pg_as "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1 \
     || ! _pg_as "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/data/server.log" -w -t 60 \
          -o "-p $port -k $PG_TEST_DIR/data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null; then
    echo "提示 / note: PostgreSQL 测试服务器未能启动,相关测试将跳过 / could not start PostgreSQL (see $PG_TEST_DIR)" >&2
    return 0
  fi
  export GKDESK_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL 测试服务器 / test server: 127.0.0.1:$port" >&2
}
