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
#
#   scripts/with-postgres.sh --replica .venv/bin/pytest -x
#
# --replica also starts a streaming replica: the primary runs with wal_level=replica and lets
# 127.0.0.1 replicate (trust), pg_basebackup -R copies it into a second directory, and the
# standby (hot_standby=on) listens on another free port; DATABASE_REPLICA_URL points at it.
# Both servers stop on exit.
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"

die() {
    echo "with-postgres: $*" >&2
    exit 1
}

WITH_REPLICA=0
if [ "${1:-}" = "--replica" ]; then
    WITH_REPLICA=1
    shift
fi

[ $# -gt 0 ] || { echo "usage: $0 [--replica] COMMAND [ARGS...]" >&2; exit 2; }

have_pg() { [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] && [ -x "$PGBIN/postgres" ]; }

if ! have_pg || { [ "$WITH_REPLICA" -eq 1 ] && [ ! -x "$PGBIN/pg_basebackup" ]; }; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "with-postgres: $PGBIN not found; installing postgresql-15 with apt-get" >&2
        apt-get update >&2 || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-15 >&2 \
            || die "apt-get install postgresql-15 failed"
    fi
    have_pg || die "PostgreSQL 15 server binaries not found in $PGBIN.
Install them (as root: apt-get install postgresql-15) or set PGBIN to their directory."
    if [ "$WITH_REPLICA" -eq 1 ] && [ ! -x "$PGBIN/pg_basebackup" ]; then
        die "--replica needs $PGBIN/pg_basebackup (postgresql-15) and it is not there"
    fi
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
REPLICA_DIR="$PGROOT/replica"

stop_server() {
    local dir="$1"
    if [ -f "$dir/postmaster.pid" ]; then
        if ! as_pg "$PGBIN/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null 2>&1; then
            pid="$(head -n1 "$dir/postmaster.pid" 2>/dev/null || true)"
            if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
        fi
    fi
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    # The standby first: stopped after its primary it would only retry the connection.
    stop_server "$REPLICA_DIR"
    stop_server "$PGDATA_DIR"
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

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
PGPORT="$(free_port)"

as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$PGROOT/initdb.log" 2>&1 || { cat "$PGROOT/initdb.log" >&2; die "initdb failed"; }

PRIMARY_OPTS=""
if [ "$WITH_REPLICA" -eq 1 ]; then
    # A standby streams the primary's WAL over a replication connection from 127.0.0.1.
    echo "host replication all 127.0.0.1/32 trust" | as_pg tee -a "$PGDATA_DIR/pg_hba.conf" >/dev/null
    PRIMARY_OPTS="-c wal_level=replica -c max_wal_senders=5"
fi

if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGROOT/server.log" -w -t 30 \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $PGROOT/sock -c fsync=off $PRIMARY_OPTS" start >/dev/null; then
    cat "$PGROOT/server.log" >&2 || true
    die "PostgreSQL did not start"
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT" >&2

if [ "$WITH_REPLICA" -eq 1 ]; then
    REPLICA_PORT="$(free_port)"
    # -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PGPORT" -U postgres -D "$REPLICA_DIR" -R \
        -X stream --no-sync >"$PGROOT/basebackup.log" 2>&1 \
        || { cat "$PGROOT/basebackup.log" >&2; die "pg_basebackup failed"; }
    chmod 700 "$REPLICA_DIR"
    if ! as_pg "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -l "$PGROOT/replica.log" -w -t 30 \
        -o "-p $REPLICA_PORT -c listen_addresses=127.0.0.1 -k $PGROOT/sock -c fsync=off -c hot_standby=on" \
        start >/dev/null; then
        cat "$PGROOT/replica.log" >&2 || true
        die "the PostgreSQL replica did not start"
    fi
    in_recovery="$("$PGBIN/psql" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atc \
        'SELECT pg_is_in_recovery()' 2>&1)" || die "cannot query the replica: $in_recovery"
    [ "$in_recovery" = "t" ] || die "the replica on 127.0.0.1:$REPLICA_PORT is not a standby"
    export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
    echo "with-postgres: streaming replica on 127.0.0.1:$REPLICA_PORT" >&2
fi

set +e
"$@"
rc=$?
set -e
exit "$rc"
