# Sourced by .ci/run: provides a throwaway PostgreSQL server on loopback for the gateway's persistence tests.
# Installs PostgreSQL from Debian packages if it is missing, creates a fresh cluster in a temporary folder owned
# by the unprivileged 'postgres' user, starts it on 127.0.0.1, creates a role and a database, and exports
#   TERMINAL_TEST_POSTGRES  (Npgsql connection string)
# The cluster is stopped and deleted when the shell that sourced this file exits (pg_stop_throwaway).
# Usable on its own too: `source .ci/pg.sh; echo "$TERMINAL_TEST_POSTGRES"`.

pg_bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

if [ -z "$(pg_bin_dir)" ]; then
  echo "pg.sh: installing PostgreSQL from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(pg_bin_dir)
if [ -z "$PG_BIN" ]; then
  echo "pg.sh: PostgreSQL binaries not found after install" >&2
  return 1 2>/dev/null || exit 1
fi

# initdb refuses to run as root: the cluster belongs to an unprivileged user.
PG_USER=postgres
if ! id "$PG_USER" >/dev/null 2>&1; then
  useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER"
fi

PG_DIR=$(mktemp -d /tmp/terminal-pg.XXXXXX)
chown "$PG_USER" "$PG_DIR"
chmod 700 "$PG_DIR"
PG_PORT=${TERMINAL_TEST_POSTGRES_PORT:-55432}
while (echo > /dev/tcp/127.0.0.1/$PG_PORT) 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done
PG_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')

as_pg() { (cd / && runuser -u "$PG_USER" -- "$@"); }

as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" --auth=trust -E UTF8 --no-instructions >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log" >&2; return 1 2>/dev/null || exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$PG_DIR/server.log" >&2; return 1 2>/dev/null || exit 1; }

as_pg "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE ROLE terminal LOGIN PASSWORD '$PG_PASSWORD'" \
  -c "CREATE DATABASE terminal_test OWNER terminal" >/dev/null

export TERMINAL_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=terminal;Password=$PG_PASSWORD;Database=terminal_test"
export TERMINAL_TEST_PG_DIR="$PG_DIR"
echo "pg.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (TERMINAL_TEST_POSTGRES set)"

pg_stop_throwaway() {
  if [ -n "${TERMINAL_TEST_PG_DIR:-}" ] && [ -d "$TERMINAL_TEST_PG_DIR/data" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$TERMINAL_TEST_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$TERMINAL_TEST_PG_DIR"
  fi
}
