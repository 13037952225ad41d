# shellcheck shell=bash
# A throwaway PostgreSQL for tests: initdb into a fresh temporary directory, listen only on a unix
# socket there (no TCP port is opened, so nothing clashes with another server on the machine), create
# the database msp_test, and export DATABASE_URL for the test suite.
#
# Used by .ci/run; developers can use it too:
#   source .ci/pg.sh && pg_start && trap pg_stop EXIT    # then: npx -y pnpm@12.4.2 test
# or, in an interactive shell, `source .ci/pg.sh; pg_start` and later `pg_stop`.
#
# Debian keeps the binaries in /usr/lib/postgresql/<major>/bin, off PATH; the newest major is used
# (PG_BIN overrides). As root the server runs as the `postgres` user: PostgreSQL refuses to run as root.

pg__bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then
    echo "$PG_BIN"
    return 0
  fi
  local dirs
  dirs=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$dirs" ] && [ -x "$dirs/initdb" ] && echo "$dirs"
}

# Run a PostgreSQL tool as the user the server runs as, from a directory that user can enter.
pg__as() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

pg_start() {
  local bin
  bin=$(pg__bin || true)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "pg.sh: installing PostgreSQL (apt-get)" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin=$(pg__bin || true)
    fi
    if [ -z "$bin" ]; then
      echo "pg.sh: no PostgreSQL found in /usr/lib/postgresql/*/bin (install postgresql, set PG_BIN, or set DATABASE_URL)" >&2
      return 1
    fi
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
  fi

  PG_SH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/msp-pg.XXXXXX")
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_SH_DIR"
  # Any port will do: the socket file lives in our own fresh directory. A random one keeps the URL
  # distinct from a developer's own server.
  PG_SH_PORT=$((20000 + RANDOM % 40000))
  PG_SH_BIN=$bin

  pg__as "$bin/initdb" -D "$PG_SH_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$PG_SH_DIR/initdb.log" 2>&1 || {
    cat "$PG_SH_DIR/initdb.log" >&2
    return 1
  }
  # A test server: durability is not the point, speed is (fsync off is never for production).
  pg__as "$bin/pg_ctl" -D "$PG_SH_DIR/data" -l "$PG_SH_DIR/server.log" -w -t 60 \
    -o "-k $PG_SH_DIR -p $PG_SH_PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || {
    cat "$PG_SH_DIR/server.log" >&2
    return 1
  }
  pg__as "$bin/createdb" -h "$PG_SH_DIR" -p "$PG_SH_PORT" -U postgres msp_test || return 1
  export DATABASE_URL="postgresql://postgres@/msp_test?host=$PG_SH_DIR&port=$PG_SH_PORT"
  echo "pg.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $PG_SH_DIR (port $PG_SH_PORT); DATABASE_URL=$DATABASE_URL" >&2
}

pg_stop() {
  [ -n "${PG_SH_DIR:-}" ] || return 0
  if [ -f "$PG_SH_DIR/data/postmaster.pid" ]; then
    pg__as "$PG_SH_BIN/pg_ctl" -D "$PG_SH_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_SH_DIR"
  unset PG_SH_DIR PG_SH_PORT PG_SH_BIN
}
