#!/usr/bin/env bash
# Load test: 50 users for 60 s against gunicorn on a throwaway PostgreSQL, then a check that
# every procedure the API confirmed is in the database with all its diary scores.
#
#   benchmarks/load.sh                       (LOAD_USERS=50 LOAD_SECONDS=60 by default)
#   GUNICORN_WORKERS=4 GUNICORN_THREADS=2 benchmarks/load.sh
#
# Last line: users=50 requests=N failures=F p50_ms=… p95_ms=… lost_records=0
# Not part of `make test` (timed runs belong here, not in CI).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"

# Re-run inside scripts/with-postgres.sh, which starts the server, exports DATABASE_URL and
# removes everything afterwards.
if [ -z "${LOAD_INSIDE_POSTGRES:-}" ]; then
    LOAD_INSIDE_POSTGRES=1 exec scripts/with-postgres.sh "$0" "$@"
fi

PY="${PY:-$ROOT/.venv/bin/python}"
BIN="$(dirname "$PY")"
USERS="${LOAD_USERS:-50}"
SECONDS_TO_RUN="${LOAD_SECONDS:-60}"
SPAWN_RATE="${LOAD_SPAWN_RATE:-5}"
WORKERS="${GUNICORN_WORKERS:-4}"
THREADS="${GUNICORN_THREADS:-2}"

WORK="$(mktemp -d /tmp/load.XXXXXX)"
SERVER_PID=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Production settings (DEBUG off, a real secret key) over plain HTTP on 127.0.0.1.
unset DJANGO_DEBUG DJANGO_TESTING
export DJANGO_SECRET_KEY="load-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export TRACKER_PSEUDONYM_KEY="load-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(32))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_SECURE_COOKIES=0
export DJANGO_LOG_LEVEL=WARNING
export DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-600}"
export XDG_CACHE_HOME="$WORK/cache" MPLCONFIGDIR="$WORK/cache/matplotlib" MPLBACKEND=Agg

"$PY" manage.py migrate --noinput >"$WORK/migrate.log"
"$PY" manage.py seed_demo >"$WORK/seed.log"
"$PY" - >"$WORK/tokens.json" <<'PYTHON'
import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

tokens = {}
for role, count in (("clinic_staff", 8), ("physician", 6), ("quality", 2)):
    tokens[role] = []
    for n in range(count):
        username = f"load.{role}.{n}"
        call_command("create_clinic_user", username, role=role, stdout=open(os.devnull, "w"))
        user = get_user_model().objects.get(username=username)
        tokens[role].append(Token.objects.get_or_create(user=user)[0].key)
print(json.dumps(tokens))
PYTHON

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
# The production configuration (README), with this run's port, sizes and log files.
"$BIN/gunicorn" -c tracker/gunicorn.conf.py tracker.wsgi --bind "127.0.0.1:$PORT" \
    --workers "$WORKERS" --worker-class gthread --threads "$THREADS" --keep-alive 75 --preload \
    --log-level warning --access-logfile "$WORK/access.log" >"$WORK/gunicorn.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
    if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api/schema/', timeout=2)" 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; echo "load: gunicorn died" >&2; exit 1; }
    sleep 0.2
done

# A server that has been up a while: every worker has imported its views and opened its
# database connection before the measured minute starts.
"$PY" - "http://127.0.0.1:$PORT" "$WORK/tokens.json" "$((WORKERS * THREADS * 3))" <<'PYTHON'
import json
import sys
import urllib.request

base, tokens, rounds = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3])
token = tokens["quality"][0]
for n in range(rounds):
    for path in ("/api/episodes/?page_size=5", "/api/procedures/?page_size=5", "/api/profiles/"):
        request = urllib.request.Request(base + path, headers={"Authorization": f"Token {token}"})
        urllib.request.urlopen(request, timeout=30).read()
PYTHON

echo "load: gunicorn $WORKERS workers x $THREADS threads on PostgreSQL; $USERS users for ${SECONDS_TO_RUN}s" >&2
LOAD_TOKENS="$WORK/tokens.json" LOAD_CREATED="$WORK/created.json" \
    "$BIN/locust" -f benchmarks/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" \
    -t "${SECONDS_TO_RUN}s" --host "http://127.0.0.1:$PORT" --only-summary \
    --csv "$WORK/load" --exit-code-on-error 0 >"$WORK/locust.log" 2>&1 || {
        cat "$WORK/locust.log" >&2; echo "load: locust failed" >&2; exit 1; }
sed -n '/Type *Name/,$p' "$WORK/locust.log" >&2

set +e
"$PY" benchmarks/check_load.py "$WORK/created.json" >"$WORK/check.log"
set -e
cat "$WORK/check.log" >&2
LOST="$(sed -n 's/^lost_records=//p' "$WORK/check.log")"
if grep -q '?' "$WORK/access.log" 2>/dev/null; then
    echo "load: the access log holds query strings (it must not: README, Logs)" >&2
fi
if grep -q "Traceback" "$WORK/gunicorn.log"; then
    echo "load: the server logged $(grep -c Traceback "$WORK/gunicorn.log") tracebacks; the first:" >&2
    # The project's own frames and the error line (library frames left out).
    awk '/^Traceback/ {on=1} on && /^  File/ && !/site-packages/ {print; getline; print}
         on && /^[^ T]/ {print; exit}' "$WORK/gunicorn.log" | tail -20 >&2
fi

"$PY" - "$WORK/load_stats.csv" "$USERS" "${LOST:-unknown}" <<'PYTHON'
import csv
import sys

path, users, lost = sys.argv[1:]
total = next(row for row in csv.DictReader(open(path)) if row["Name"] == "Aggregated")
print(
    f"users={users} requests={total['Request Count']} failures={total['Failure Count']} "
    f"p50_ms={total['50%']} p95_ms={total['95%']} lost_records={lost}"
)
PYTHON
