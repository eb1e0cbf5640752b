#!/usr/bin/env bash
# Load test: 50 users signed in as staff, physicians and quality use a synthetic clinic of
# 100,000 blocks for 60 s, against gunicorn on a throwaway PostgreSQL; then a check that every
# diary score the server confirmed is in the database (benchmarks/README.md, Load test).
#
#   benchmarks/load.sh                       (LOAD_USERS=50 LOAD_SECONDS=60 by default)
#   LOAD_PROCEDURES=20000 benchmarks/load.sh (the clinic's size; LOAD_FRESH=1 seeds it again)
#   GUNICORN_WORKERS=4 GUNICORN_THREADS=8 benchmarks/load.sh   (tracker/gunicorn.conf.py's)
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
PROCEDURES="${LOAD_PROCEDURES:-100000}"
PHYSICIANS="${LOAD_PHYSICIANS:-24}"
THREADS="${GUNICORN_THREADS:-8}"  # as tracker/gunicorn.conf.py

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

# The clinic: the demo users and patients, then a synthetic clinic of LOAD_PROCEDURES blocks
# (24 physicians: about 2,000 blocks a year each). Seeding 100,000 takes minutes, so the seeded
# database is kept as a pg_dump under $TMPDIR/tracker-benchmarks, named by the size and a hash
# of what builds it (migrations, the synthetic clinic, the demo, the engine); LOAD_FRESH=1
# builds it again.
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
CACHE_DIR="${TMPDIR:-/tmp}/tracker-benchmarks"
BUILD_KEY="$(cat $(find blocks reports tracker -path '*/migrations/*.py' | sort) \
    reports/synthetic.py reports/synthetic_pathways.py reports/store/readings.py blocks/demo.py \
    blocks/management/commands/seed_demo.py blocks/rules/__init__.py | sha256sum | cut -c1-12)"
DUMP="$CACHE_DIR/load-pg-$PROCEDURES-p$PHYSICIANS-$BUILD_KEY.dump"
started=$SECONDS
if [ -s "$DUMP" ] && [ -z "${LOAD_FRESH:-}" ]; then
    "$PGBIN/pg_restore" --no-owner -j 2 -d "$DATABASE_URL" "$DUMP"
    "$PY" manage.py migrate --noinput >"$WORK/migrate.log"
    echo "load: restored $DUMP in $((SECONDS - started))s" >&2
else
    "$PY" manage.py migrate --noinput >"$WORK/migrate.log"
    "$PY" manage.py seed_demo >"$WORK/seed.log"
    "$PY" manage.py make_synthetic_clinic --procedures "$PROCEDURES" --physicians "$PHYSICIANS" \
        --quiet >>"$WORK/seed.log"
    echo "load: seeded $PROCEDURES synthetic procedures in $((SECONDS - started))s" >&2
    mkdir -p "$CACHE_DIR"
    "$PGBIN/pg_dump" -Fc -f "$DUMP.$$" "$DATABASE_URL" && mv "$DUMP.$$" "$DUMP"
fi
# pg_restore brings no planner statistics, and a fresh bulk load has none yet either.
"$PGBIN/psql" -q -d "$DATABASE_URL" -c "VACUUM ANALYZE" >/dev/null

# Who signs in (LOAD_ACCOUNTS, for the locustfile) and what they open in the clinic
# (LOAD_CLINIC): a password shared by every load account (hashed once), a TOTP device for
# each account whose role must confirm its sign-in (physicians, quality), the episodes each
# physician performed blocks in, MRNs to search by prefix, and blocks whose diary still has
# time points to fill in, most recent first (staff phone those patients).
"$PY" - "$WORK/accounts.json" "$WORK/clinic.json" "$WORK/token" "$USERS" "$PHYSICIANS" \
    >"$WORK/accounts.log" <<'PYTHON'
import json
import os
import random
import secrets
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from blocks.models import Episode, Patient, Procedure  # noqa: E402
from blocks.rules import diary  # noqa: E402
from blocks.services.diary import answered_points  # noqa: E402
from tracker.auth import tokens  # noqa: E402

accounts_path, clinic_path, token_path = sys.argv[1:4]
users, synthetic_physicians = int(sys.argv[4]), int(sys.argv[5])
User = get_user_model()
quiet = open(os.devnull, "w")
password = secrets.token_urlsafe(16)
hashed = make_password(password)
rng = random.Random(7)


def account(username: str, role: str, *, two_factor: bool) -> dict:
    call_command("create_clinic_user", username, role=role, stdout=quiet)
    user = User.objects.get(username=username)
    User.objects.filter(pk=user.pk).update(password=hashed)
    entry = {"username": username, "password": password, "totp_key": None}
    if two_factor:
        # As if the user had enrolled an authenticator app (tracker/auth/views.py).
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        entry["totp_key"] = device.key
    return entry


accounts = {"clinic_staff": [], "physician": [], "quality": []}
for n in range(users):
    accounts["clinic_staff"].append(account(f"load.staff.{n}", "clinic_staff", two_factor=False))
    accounts["quality"].append(account(f"load.quality.{n}", "quality", two_factor=True))
    # The synthetic clinic's own physicians first (their worklists hold their episodes).
    name = f"synthetic.physician{n + 1}" if n < synthetic_physicians else f"load.physician.{n}"
    accounts["physician"].append(account(name, "physician", two_factor=True))

# An API token for warming the server up before the measured run (not used by the users).
call_command("create_clinic_user", "load.warmup", role="quality", stdout=quiet)
open(token_path, "w").write(tokens.usable_token(User.objects.get(username="load.warmup")).key)

synthetic = Episode.objects.filter(patient__mrn__startswith="SYN-")
by_physician = {}
for entry in accounts["physician"]:
    ids = list(
        synthetic.filter(procedures__performed_by__username=entry["username"])
        .values_list("pk", flat=True)
        .distinct()
    )
    by_physician[entry["username"]] = rng.sample(ids, min(len(ids), 400))
episodes = list(synthetic.order_by("?").values_list("pk", flat=True)[:4000])
mrns = list(
    Patient.objects.filter(mrn__startswith="SYN-").order_by("?").values_list("mrn", flat=True)[:2000]
)

now = timezone.now()
recent = (
    Procedure.objects.active()
    .filter(
        episode__patient__mrn__startswith="SYN-",
        performed_at__gte=now - timedelta(days=60),
        performed_at__lte=now - timedelta(hours=12),
    )
    .exclude(kind="discography")
    .exclude(anesthetic="none")
    .prefetch_related("pain_scores")
    .order_by("-performed_at")
)
to_fill = []
for procedure in recent:
    if not procedure.has_diary():
        continue
    scores = [s for s in procedure.pain_scores.all() if not s.entered_in_error]
    points = diary.time_points(procedure.anesthetic)
    missing = diary.missing(points, answered_points(procedure, scores), procedure.performed_at, now)
    if missing:
        to_fill.append(procedure.pk)

json.dump(accounts, open(accounts_path, "w"))
json.dump(
    {"episodes": episodes, "by_physician": by_physician, "mrns": mrns, "diaries": to_fill},
    open(clinic_path, "w"),
)
print(
    f"{len(episodes)} episodes, {len(mrns)} MRNs, {len(to_fill)} diaries to fill; "
    f"{sum(map(len, by_physician.values()))} physicians' episodes"
)
PYTHON
cat "$WORK/accounts.log" >&2

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
"$PY" - "http://127.0.0.1:$PORT" "$WORK/token" "$((WORKERS * THREADS * 3))" <<'PYTHON'
import sys
import urllib.request

base, token, rounds = sys.argv[1], open(sys.argv[2]).read().strip(), int(sys.argv[3])
for n in range(rounds):
    for path in ("/api/episodes/?page_size=5", "/api/procedures/?page_size=5", "/api/profiles/"):
        request = urllib.request.Request(base + path, headers={"Authorization": f"Token {token}"})
        urllib.request.urlopen(request, timeout=30).read()
    urllib.request.urlopen(base + "/accounts/login/", timeout=30).read()
PYTHON

echo "load: gunicorn $WORKERS workers x $THREADS threads on PostgreSQL; $USERS users for ${SECONDS_TO_RUN}s" >&2
# CPU seconds so far of the server (gunicorn and its workers), of PostgreSQL (the postmaster
# and its backends) and of the whole machine (/proc/stat), and the clock: the run's share of
# the machine, and what else ran on it meanwhile (other jobs share these cores).
POSTMASTER_PID="$(head -n1 "$("$PGBIN/psql" -Atqd "$DATABASE_URL" -c 'SHOW data_directory')/postmaster.pid" 2>/dev/null || echo 0)"
cpu_snapshot() {
    "$PY" - "$SERVER_PID" "$POSTMASTER_PID" <<'PYTHON'
import json
import os
import sys
import time

tick = os.sysconf("SC_CLK_TCK")
stats = {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    stats[pid] = (fields[1], (int(fields[11]) + int(fields[12])) / tick)  # ppid, utime + stime


def tree(root: str) -> float:
    return sum(cpu for pid, (ppid, cpu) in stats.items() if root in (pid, ppid))


busy = open("/proc/stat").readline().split()[1:]
idle = int(busy[3]) + int(busy[4])
print(json.dumps({
    "server": tree(sys.argv[1]),
    "postgres": tree(sys.argv[2]),
    "machine": (sum(map(int, busy[:8])) - idle) / tick,
    "clock": time.monotonic(),
}))
PYTHON
}
cpu_snapshot >"$WORK/cpu-before.json"
# This shell's children's CPU (bash `times`, second line; a builtin run here, not in a
# subshell, which would have no children), to tell locust's own share.
times >"$WORK/times-before"

# The locustfile measures LOAD_SECONDS from the moment every user has signed in, then stops
# (-t only bounds a run whose sign-ins never finish).
LOAD_ACCOUNTS="$WORK/accounts.json" LOAD_CLINIC="$WORK/clinic.json" \
    LOAD_CONFIRMED="$WORK/confirmed.json" LOAD_SIGN_IN="$WORK/sign-in.json" \
    LOAD_USERS="$USERS" LOAD_SECONDS="$SECONDS_TO_RUN" \
    "$BIN/locust" -f benchmarks/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" \
    -t "$((SECONDS_TO_RUN + 300))s" --host "http://127.0.0.1:$PORT" --only-summary \
    --csv "$WORK/load" --exit-code-on-error 0 >"$WORK/locust.log" 2>&1 || {
        cat "$WORK/locust.log" >&2; echo "load: locust failed" >&2; exit 1; }
sed -n '/Type *Name/,$p' "$WORK/locust.log" >&2
times >"$WORK/times-after"
cpu_snapshot >"$WORK/cpu-after.json"
# gunicorn's own time per request (from reading the request to the response), over the whole
# run: far below locust's figures, the requests waited for a worker thread, not for the app.
"$PY" - "$WORK/access.log" >&2 <<'PYTHON'
import re
import statistics
import sys

times = sorted(int(m) for m in re.findall(r" (\d+)ms$", open(sys.argv[1]).read(), re.M))
if len(times) > 20:
    cuts = statistics.quantiles(times, n=20)
    print(f"load: gunicorn's own time per request: p50 {cuts[9]:.0f} ms, p95 {cuts[18]:.0f} ms")
PYTHON
"$PY" - "$WORK/cpu-before.json" "$WORK/cpu-after.json" "$WORK/times-before" \
    "$WORK/times-after" >&2 <<'PYTHON'
import json
import os
import re
import sys


def children(path: str) -> float:
    """Seconds of user plus system time in bash's `times` line for children: "0m1.2s 0m0.3s"."""
    line = open(path).read().splitlines()[-1]
    return sum(int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", line))


before, after = (json.load(open(path)) for path in sys.argv[1:3])
used = {name: after[name] - before[name] for name in before}
used["locust"] = children(sys.argv[4]) - children(sys.argv[3])
clock, cores = used.pop("clock"), os.cpu_count()
others = used["machine"] - used["server"] - used["postgres"] - used["locust"]
print(
    f"load: CPU over {clock:.0f} s on {cores} cores: gunicorn {used['server'] / clock:.2f} cores, "
    f"PostgreSQL {used['postgres'] / clock:.2f}, locust {used['locust'] / clock:.2f}, "
    f"other jobs {others / clock:.2f}, the whole machine {used['machine'] / clock:.2f}"
)
PYTHON

set +e
"$PY" benchmarks/check_load.py "$WORK/confirmed.json" >"$WORK/check.log"
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

# The last line: the measured window's requests and times; failures include the sign-ins'.
"$PY" - "$WORK/load_stats.csv" "$WORK/sign-in.json" "$USERS" "${LOST:-unknown}" <<'PYTHON'
import csv
import json
import sys

path, sign_in_path, users, lost = sys.argv[1:]
total = next(row for row in csv.DictReader(open(path)) if row["Name"] == "Aggregated")
try:
    sign_in = json.load(open(sign_in_path))
except FileNotFoundError:
    sign_in = {"requests": 0, "failures": 0, "pages": {}}
    print("load: not every user signed in; nothing was measured after the sign-ins", file=sys.stderr)
print("load: before the measured window (sign-ins and the first clicks):", file=sys.stderr)
for name, page in sign_in["pages"].items():
    print(
        f"  {name:<34} {page['requests']:>4} requests {page['failures']:>3} failures "
        f"p50 {page['p50_ms']} ms p95 {page['p95_ms']} ms max {page['max_ms']} ms",
        file=sys.stderr,
    )
failures = int(total["Failure Count"]) + sign_in["failures"]
print(
    f"users={users} requests={total['Request Count']} failures={failures} "
    f"p50_ms={total['50%']} p95_ms={total['95%']} lost_records={lost}"
)
PYTHON
