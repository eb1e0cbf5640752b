"""A database too busy to take a write answers 503 with Retry-After: 1, never 500.

The embedded default (SQLite) lets one writer in at a time. It runs in WAL mode with
IMMEDIATE transactions and a busy timeout, so writers queue for the lock instead of failing;
whatever still cannot get the lock in time, and PostgreSQL's serialization and lock-timeout
refusals, answer 503 on the API and on the pages (tracker/busy.py).
"""

import copy
import threading

import psycopg.errors
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection, connections
from django.test import Client
from rest_framework.test import APIClient

import blocks.services
from blocks.models import Patient, Procedure
from blocks.services import updates
from tracker.busy import is_busy

LOCKED = "database is locked"


def _raise(error):
    def raiser(*args, **kwargs):
        raise error

    return raiser


# --- the handler: API and pages -----------------------------------------------------------


@pytest.mark.django_db
def test_an_api_write_that_meets_a_locked_database_answers_503_with_retry_after(
    staff_client, procedure, monkeypatch
):
    monkeypatch.setattr(updates, "_stored", _raise(OperationalError(LOCKED)))

    response = staff_client.patch(
        f"/api/procedures/{procedure.pk}/", {"version": 1, "pre_pain": 3}, format="json"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json() == {
        "detail": "The database is busy; nothing was saved. Please retry in a moment."
    }
    assert Procedure.objects.get(pk=procedure.pk).pre_pain == 7


@pytest.mark.django_db
def test_a_postgresql_serialization_failure_is_a_503_too(staff_client, procedure, monkeypatch):
    error = OperationalError("could not serialize access due to concurrent update")
    error.__cause__ = psycopg.errors.SerializationFailure("could not serialize access")
    monkeypatch.setattr(updates, "_stored", _raise(error))

    response = staff_client.patch(
        f"/api/procedures/{procedure.pk}/", {"version": 1, "pre_pain": 3}, format="json"
    )

    assert (response.status_code, response["Retry-After"]) == (503, "1")


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("database table is locked: blocks_procedure"), True),
        (OperationalError("no such table: blocks_procedure"), False),
        (ValueError("database is locked"), False),
        (None, False),
    ],
)
def test_only_a_busy_database_counts_as_busy(error, busy):
    assert is_busy(error) is busy


@pytest.mark.parametrize(
    "cause", [psycopg.errors.LockNotAvailable("lock timeout"), psycopg.errors.DeadlockDetected()]
)
def test_postgresql_lock_timeouts_and_deadlocks_count_as_busy(cause):
    error = OperationalError(str(cause))
    error.__cause__ = cause

    assert is_busy(error)


@pytest.mark.django_db
def test_a_page_save_that_meets_a_locked_database_shows_the_busy_page(staff_user, monkeypatch):
    client = Client()
    client.force_login(staff_user)
    monkeypatch.setattr(blocks.services, "patient_create", _raise(OperationalError(LOCKED)))

    response = client.post(
        "/patients/new/", {"mrn": "BUSY-001", "birth_date": "1970-01-01", "sex": "female"}
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "The tracker is busy" in response.content.decode()
    assert not Patient.objects.filter(mrn="BUSY-001").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "kind"), [("/", "text/html"), ("/api/patients/", "json")])
def test_a_session_that_cannot_be_saved_is_a_503_not_a_500(staff_user, monkeypatch, path, kind):
    """The session is saved after the view ran, outside any view's error handling."""
    from tracker.session_keep import TOUCHED_KEY

    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    session = client.session
    session[TOUCHED_KEY] = 0  # last saved long ago: this request saves it (at most once a minute)
    session.save()
    monkeypatch.setattr(SessionStore, "save", _raise(OperationalError(LOCKED)))

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert kind in response["Content-Type"]


@pytest.mark.django_db
def test_any_other_database_error_is_still_a_server_error(staff_client, procedure, monkeypatch):
    monkeypatch.setattr(updates, "_stored", _raise(OperationalError("disk I/O error")))

    with pytest.raises(OperationalError):
        staff_client.patch(
            f"/api/procedures/{procedure.pk}/", {"version": 1, "pre_pain": 3}, format="json"
        )


# --- a real SQLite file, many writers -------------------------------------------------------


@pytest.fixture
def file_database(tmp_path):
    """Move the test's records into a real SQLite file and point every thread at it.

    The test database is in memory (one connection for all threads), where no lock is ever
    contended. The copy keeps the settings' OPTIONS, so it runs as a clinic's would.
    Returns a function that gives the calling thread its own connection to the file.
    """
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking")
    path = tmp_path / "clinic.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM INTO '{path}'")
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["NAME"] = str(path)
    in_memory = connections["default"]

    def use_file():
        wrapper = type(in_memory)(copy.deepcopy(settings_dict), "default")
        connections["default"] = wrapper
        return wrapper

    main = use_file()
    yield use_file
    main.close()  # each thread closes its own
    connections["default"] = in_memory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sqlite_file_runs_in_wal_mode_with_the_busy_timeout(file_database, settings):
    with connections["default"].cursor() as cursor:
        journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        busy_timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]

    assert journal_mode == "wal"
    assert busy_timeout == settings.DATABASE_BUSY_TIMEOUT_SECONDS * 1000 == 5000
    assert synchronous == 1  # NORMAL: safe in WAL mode, one fsync per checkpoint
    assert connections["default"].transaction_mode == "IMMEDIATE"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixty_concurrent_edits_on_sqlite_answer_200_409_or_503_and_lose_nothing(
    staff_user, procedure, file_database
):
    """6 clients x 10 PATCHes of one procedure, each from the last version it saw.

    Every 200 is one change (pre_pain always moves: it is a function of the new version),
    so the stored version is 1 + the number of 200s and the history has one edit per 200.
    """
    start = threading.Barrier(6, timeout=30)
    answers = []

    def edit(user):
        own = file_database()
        client = APIClient()
        client.force_authenticate(user)
        version = 1
        start.wait()
        for _ in range(10):
            body = {"version": version, "pre_pain": (version + 1) % 4 + 6}
            try:
                response = client.patch(f"/api/procedures/{procedure.pk}/", body, format="json")
            except Exception as error:  # a 500: the test reports it
                answers.append((500, repr(error), None))
                continue
            data = response.json()
            answers.append((response.status_code, data, response.get("Retry-After")))
            if response.status_code == 200:
                version = data["version"]
            elif response.status_code == 409:
                version = data["current"]["version"]
        own.close()

    threads = [threading.Thread(target=edit, args=(staff_user,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert len(answers) == 60
    unexpected = [a for a in answers if a[0] not in (200, 409, 503)]
    assert unexpected == []
    assert all(retry == "1" for status, _, retry in answers if status == 503)
    saved = sum(1 for status, _, _ in answers if status == 200)
    stored = Procedure.objects.get(pk=procedure.pk)
    assert saved >= 1
    assert stored.version == saved + 1
    assert stored.history.filter(history_type="~").count() == saved


# --- the schema -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schema_documents_503_with_retry_after_on_every_operation(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    ]

    assert len(operations) > 20
    for path, method, operation in operations:
        busy = operation["responses"].get("503")
        assert busy is not None, f"{method.upper()} {path} does not document 503"
        assert busy["headers"]["Retry-After"]["required"] is True
        assert busy["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorDetail"
        }
    patch = schema["paths"]["/api/procedures/{id}/"]["patch"]
    assert "409" in patch["responses"] and "503" in patch["responses"]
