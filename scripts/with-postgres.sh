#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 server.
#
#   scripts/with-postgres.sh .venv/bin/pytest -x
#
# Starts a private server from Debian's postgresql-15 binaries in a fresh directory under
# /tmp, on a free port on 127.0.0.1 only (trust auth), exports
# DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres, runs the command, then stops the
# server and deletes the directory -- also when the command fails or is interrupted.
# Exits with the command's exit status. A missing PostgreSQL is an error, never a skip.
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"

die() {
    echo "with-postgres: $*" >&2
    exit 1
}

[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

have_pg() { [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] && [ -x "$PGBIN/postgres" ]; }

if ! have_pg; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "with-postgres: $PGBIN not found; installing postgresql-15 with apt-get" >&2
        apt-get update >&2 || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-15 >&2 \
            || die "apt-get install postgresql-15 failed"
    fi
    have_pg || die "PostgreSQL 15 server binaries not found in $PGBIN.
Install them (as root: apt-get install postgresql-15) or set PGBIN to their directory."
fi

# PostgreSQL refuses to run as root: as root, run the server as the 'postgres' user.
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
    RUNUSER="$(command -v runuser || echo /usr/sbin/runuser)"
    [ -x "$RUNUSER" ] || die "running as root but runuser (util-linux) is not available"
    as_pg() { "$RUNUSER" -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

PGROOT="$(mktemp -d /tmp/with-postgres.XXXXXX)"
PGDATA_DIR="$PGROOT/data"

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
        if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1; then
            pid="$(head -n1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
            if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
        fi
    fi
    rm -rf "$PGROOT"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$PGDATA_DIR" "$PGROOT/sock"
chmod 700 "$PGDATA_DIR"
if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$PGROOT"
fi

PGPORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$PGROOT/initdb.log" 2>&1 || { cat "$PGROOT/initdb.log" >&2; die "initdb failed"; }

if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGROOT/server.log" -w -t 30 \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $PGROOT/sock -c fsync=off" start >/dev/null; then
    cat "$PGROOT/server.log" >&2 || true
    die "PostgreSQL did not start"
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT" >&2

set +e
"$@"
rc=$?
set -e
exit "$rc"
