#!/usr/bin/env bash
# Fuzz the JSON API with schemathesis against a server started for the purpose.
#
#   scripts/fuzz.sh                 20 examples per operation, seed 1 (as `make fuzz`)
#   FUZZ_EXAMPLES=200 scripts/fuzz.sh
#
# Starts `manage.py runserver --noreload` on a free port of 127.0.0.1 with a fresh SQLite
# database in a temporary folder (migrated, demo records loaded, one physician with an API
# token), runs schemathesis with every check against the live OpenAPI schema, then stops
# the server and removes the folder -- also when the run fails or is interrupted.
set -euo pipefail

cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
SCHEMATHESIS="${SCHEMATHESIS:-.venv/bin/schemathesis}"
EXAMPLES="${FUZZ_EXAMPLES:-20}"
SEED="${FUZZ_SEED:-1}"

WORK="$(mktemp -d /tmp/fuzz.XXXXXX)"
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

# Test mode: DEBUG off (no debug pages to hide errors behind), plain HTTP, development key.
unset DJANGO_DEBUG DJANGO_SECRET_KEY
export DJANGO_TESTING=1
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export DJANGO_LOG_LEVEL=WARNING
# schemathesis probes every operation with invalid tokens (its ignored_auth check); the
# throttle on failed token attempts would then lock the fuzzer's own token out with 429s.
export TRACKER_API_TOKEN_FAILURE_LIMIT=1000000
# Likewise the patient's diary and follow-up endpoints are throttled per client address; the
# fuzzer's thousands of requests from one address would only ever meet the 429 (which the
# unit tests check), never the endpoint.
export TRACKER_DIARY_RATE=1000000/minute

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

"$PY" manage.py migrate --noinput >"$WORK/migrate.log"
"$PY" manage.py seed_demo >"$WORK/seed.log"
TOKEN="$("$PY" manage.py create_clinic_user fuzzer --role physician --token | sed -n 's/^Token: //p')"
[ -n "$TOKEN" ] || { echo "fuzz: no API token was made" >&2; exit 1; }

"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api/schema/', timeout=2)" 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "fuzz: the server died" >&2; exit 1; }
    sleep 0.2
done

set +e
"$SCHEMATHESIS" run "http://127.0.0.1:$PORT/api/schema/" \
    --checks all \
    -n "$EXAMPLES" --seed "$SEED" --workers 1 --generation-database none --no-color \
    -H "Authorization: Token $TOKEN"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    echo "fuzz: schemathesis failed (server log follows)" >&2
    grep -E "Traceback|Error|\" 5[0-9][0-9] " "$WORK/server.log" | tail -40 >&2 || true
fi
exit "$rc"
