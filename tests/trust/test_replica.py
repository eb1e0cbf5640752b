"""Reports read from a PostgreSQL streaming replica; a user who just wrote reads the primary.

Run with a real replica: `scripts/with-postgres.sh --replica .venv/bin/pytest tests/trust`
(`make test-postgres` does). Without DATABASE_REPLICA_URL these tests skip on a developer
machine and fail under CI=true. The replica sees only committed data, so the tests commit
(transaction=True).
"""

from __future__ import annotations

import io
import time

import pandas as pd
import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import skip_or_fail
from tracker import replica

HAS_REPLICA = replica.REPLICA in settings.DATABASES
BLOCKS_EXPORT = "/api/reports/blocks/"
REPLAY_WAIT_SECONDS = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(
        transaction=True, databases=["default", "replica"] if HAS_REPLICA else ["default"]
    ),
]


@pytest.fixture(autouse=True)
def _needs_replica():
    if not HAS_REPLICA:
        skip_or_fail(
            "needs a PostgreSQL replica: DATABASE_REPLICA_URL is not set "
            "(use `make test-postgres` or scripts/with-postgres.sh --replica)"
        )


def _one(alias: str, sql: str):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for_replay() -> None:
    """Until the replica has replayed everything the primary has committed so far."""
    target = _one("default", "SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    pytest.fail(f"the replica did not replay up to {target} in {REPLAY_WAIT_SECONDS} s")


@pytest.fixture
def paused_replay():
    """The replica stops replaying the primary's changes: it lags, as under load.

    Paused only once it has replayed what the primary committed so far: paused halfway
    through the previous test's flush (a TRUNCATE), the replica would hold that flush's
    exclusive locks while paused, and every read there would wait for ever (seen once: the
    report's first query on the paused replica waited 13 minutes)."""
    wait_for_replay()
    _one("replica", "SELECT pg_wal_replay_pause()::text")
    try:
        yield
    finally:
        _one("replica", "SELECT pg_wal_replay_resume()::text")


def exported_blocks(client) -> int:
    response = client.get(BLOCKS_EXPORT, {"format": "csv"})
    assert response.status_code == 200
    return len(pd.read_csv(io.BytesIO(response.content)))


def queried_procedures(captured) -> int:
    return sum('"blocks_procedure"' in query["sql"] for query in captured.captured_queries)


def test_the_replica_is_a_real_standby_of_the_primary():
    primary = connections["default"].settings_dict
    standby = connections["replica"].settings_dict
    assert (standby["HOST"], standby["PORT"]) != (primary["HOST"], primary["PORT"])
    assert standby["NAME"] == primary["NAME"]  # the test database, received by streaming
    assert _one("replica", "SELECT pg_is_in_recovery()") is True
    assert _one("default", "SELECT pg_is_in_recovery()") is False


def test_a_report_reads_the_replica_and_nothing_else_does(
    physician_client, physician_user, procedure_body
):
    assert (
        physician_client.post("/api/procedures/", procedure_body(), format="json").status_code
        == 201
    )
    wait_for_replay()
    other_reader = type(physician_client)()
    other_reader.force_authenticate(physician_user)  # no pin: this browser wrote nothing

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert exported_blocks(other_reader) == 1
    assert queried_procedures(on_replica) >= 1
    # The procedure list is not a report: it reads the primary only.
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert other_reader.get("/api/procedures/").status_code == 200
    assert on_replica.captured_queries == []
    assert queried_procedures(on_primary) >= 1


def test_while_the_replica_lags_the_writer_sees_their_block_and_others_see_it_later(
    physician_client, physician_user, procedure_body, paused_replay
):
    other_reader = type(physician_client)()
    other_reader.force_authenticate(physician_user)
    assert exported_blocks(other_reader) == 0

    saved = physician_client.post("/api/procedures/", procedure_body(), format="json")
    assert saved.status_code == 201
    assert replica.PIN_COOKIE in saved.cookies

    # The writer's next report is pinned to the primary: their block is in it.
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert exported_blocks(physician_client) == 1
    assert on_replica.captured_queries == []
    # Everyone else reads the paused replica: not there yet.
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert exported_blocks(other_reader) == 0
    assert queried_procedures(on_replica) >= 1

    _one("replica", "SELECT pg_wal_replay_resume()::text")
    wait_for_replay()
    assert exported_blocks(other_reader) == 1


def test_the_pin_ends_after_the_pin_seconds(
    physician_client, procedure_body, settings, paused_replay
):
    settings.TRACKER_REPLICA_PIN_SECONDS = 1
    saved = physician_client.post("/api/procedures/", procedure_body(), format="json")
    assert saved.status_code == 201
    assert saved.cookies[replica.PIN_COOKIE]["max-age"] == 1
    assert exported_blocks(physician_client) == 1  # pinned: the primary
    time.sleep(1.2)
    assert exported_blocks(physician_client) == 0  # the paused replica again


def test_a_forged_pin_cookie_pins_nothing(physician_client, paused_replay):
    physician_client.cookies[replica.PIN_COOKIE] = f"{time.time() + 3600:.3f}"
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert exported_blocks(physician_client) == 0
    assert queried_procedures(on_replica) >= 1
