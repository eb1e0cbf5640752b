"""No MRN and no patient token in any log: messages, request lines, access logs.

A database's refusal quotes the values it refused (PostgreSQL: "Key (mrn)=(DEMO-001) already
exists"); an MRN search carries the MRN in its query string; a patient's diary link carries
its token in the path. The logs keep the kind of error, the path and the status only.
"""

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import psycopg.errors
import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import DataError, IntegrityError
from django.test import Client
from gunicorn.config import Config

import blocks.services
from tests.factories import PatientFactory
from tracker.logging import RequestLineFilter, mask_tokens, scrub

MRN = "DEMO-001"
GUNICORN_CONF = Path(__file__).resolve().parents[2] / "tracker" / "gunicorn.conf.py"


@pytest.fixture
def all_logs(caplog):
    """Every record at every level, also from django.server (which does not propagate)."""
    caplog.set_level(logging.DEBUG)
    server = logging.getLogger("django.server")
    server.addHandler(caplog.handler)
    yield caplog
    server.removeHandler(caplog.handler)


def _raise(error):
    def raiser(*args, **kwargs):
        raise error

    return raiser


# --- messages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_search_by_mrn_logs_no_mrn(staff_client, staff_user, all_logs):
    PatientFactory(mrn=MRN)
    page = Client()
    page.force_login(staff_user)

    assert staff_client.get(f"/api/patients/?mrn={MRN}").status_code == 200
    assert page.get(f"/patients/?mrn={MRN}").status_code == 200
    assert staff_client.get(f"/api/patients/?mrn={MRN}&page=99").status_code == 404

    assert all_logs.records  # the 404 was logged ...
    assert MRN not in all_logs.text  # ... by its path alone


@pytest.mark.django_db
def test_a_duplicate_mrn_logs_no_mrn(staff_client, all_logs):
    PatientFactory(mrn=MRN)

    response = staff_client.post(
        "/api/patients/", {"mrn": MRN, "birth_date": "1961-04-02", "sex": "female"}
    )

    assert response.status_code == 400
    assert MRN not in all_logs.text


@pytest.mark.django_db
def test_a_unique_constraint_race_logs_the_error_kind_not_the_database_message(
    staff_client, all_logs, monkeypatch
):
    """Two creations of one MRN at once: the loser's IntegrityError quotes the MRN."""
    error = IntegrityError(
        'duplicate key value violates unique constraint "blocks_patient_mrn_key"\n'
        f"DETAIL:  Key (mrn)=({MRN}) already exists."
    )
    error.__cause__ = psycopg.errors.UniqueViolation(str(error))
    monkeypatch.setattr(blocks.services, "patient_create", _raise(error))

    response = staff_client.post(
        "/api/patients/", {"mrn": MRN, "birth_date": "1961-04-02", "sex": "female"}
    )

    assert response.status_code == 400
    assert "Refused a write that conflicts with stored records (UniqueViolation)." in (
        all_logs.messages
    )
    assert MRN not in all_logs.text


@pytest.mark.django_db
def test_a_value_out_of_range_logs_the_error_kind_not_the_value(
    staff_client, all_logs, monkeypatch
):
    error = DataError(f"value too long for type character varying(32): {MRN}")
    monkeypatch.setattr(blocks.services, "patient_create", _raise(error))

    response = staff_client.post(
        "/api/patients/", {"mrn": MRN, "birth_date": "1961-04-02", "sex": "female"}
    )

    assert response.status_code == 400
    assert "Refused a value the database cannot store (DataError)." in all_logs.messages
    assert MRN not in all_logs.text


# --- the development server's request lines -------------------------------------------------


def test_the_development_server_logs_request_lines_without_query_strings(all_logs):
    server = SimpleNamespace(request=None, log_date_time_string=lambda: "02/Mar/2026 09:30:00")

    WSGIRequestHandler.log_message(
        server, '"%s" %s %s', f"GET /patients/?mrn={MRN} HTTP/1.1", "200", "5120"
    )
    WSGIRequestHandler.log_message(
        server, '"%s" %s %s', "GET /api/diary/s3cr3t-t0ken/ HTTP/1.1", "404", "23"
    )

    assert all_logs.messages == [
        '"GET /patients/ HTTP/1.1" 200 5120',
        '"GET /api/diary/***/ HTTP/1.1" 404 23',
    ]
    assert all_logs.records[0].status_code == 200  # the server's colours still work


def test_the_request_loggers_carry_the_filter():
    for name in ("django.server", "django.request"):
        filters = logging.getLogger(name).filters
        assert any(isinstance(f, RequestLineFilter) for f in filters), name


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        (f"GET /patients/?mrn={MRN} HTTP/1.1", "GET /patients/ HTTP/1.1"),
        (f"/api/patients/?page=2&mrn={MRN}", "/api/patients/"),
        ("GET /diary/abc123/ HTTP/1.1", "GET /diary/***/ HTTP/1.1"),
        ("/api/diary/abc123/scores/", "/api/diary/***/scores/"),
        ("/follow-up/xyz_9-Q/", "/follow-up/***/"),
        ("/api/follow-up/xyz_9-Q?lang=en", "/api/follow-up/***"),
        ("/api/procedures/12/diary-link/", "/api/procedures/12/diary-link/"),
        ("/api/reports/diary/", "/api/reports/diary/"),
        ("Not Found: /patients/9/", "Not Found: /patients/9/"),
    ],
)
def test_scrub_strips_query_strings_and_masks_patient_tokens(text, scrubbed):
    assert scrub(text) == scrubbed


def test_mask_tokens_keeps_query_strings_it_was_not_asked_about():
    assert mask_tokens("/diary/abc/?x=1") == "/diary/***/?x=1"


# --- gunicorn's access log ------------------------------------------------------------------


def _gunicorn_access_line(tmp_path, path: str, query: str, referer: str = "-") -> str:
    """One request through the access logger the production config sets up."""
    conf = runpy.run_path(str(GUNICORN_CONF))
    cfg = Config()
    for name, value in conf.items():
        if name in cfg.settings:
            cfg.set(name, value)
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    logger = cfg.logger_class(cfg)
    raw_uri = f"{path}?{query}" if query else path
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text()


def test_the_gunicorn_access_log_records_the_path_without_the_query_string(tmp_path):
    line = _gunicorn_access_line(
        tmp_path, "/patients/", f"mrn={MRN}", referer=f"https://t.example/patients/?mrn={MRN}"
    )

    assert '"GET /patients/ HTTP/1.1" 200 512 12ms' in line
    assert MRN not in line
    assert "mrn" not in line


def test_the_gunicorn_access_log_masks_patient_tokens(tmp_path):
    line = _gunicorn_access_line(tmp_path, "/api/diary/s3cr3t-t0ken/scores/", "")

    assert '"GET /api/diary/***/scores/ HTTP/1.1"' in line
    assert "s3cr3t" not in line


def test_the_gunicorn_logger_scrubs_every_atom_a_format_could_use(tmp_path):
    conf = runpy.run_path(str(GUNICORN_CONF))
    cfg = Config()
    cfg.set("access_log_format", "%(r)s %(q)s %(f)s %({referer}i)s")
    cfg.set("accesslog", str(tmp_path / "access.log"))
    logger = conf["logger_class"](cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/diary/tok/?mrn={MRN}",
        "PATH_INFO": "/diary/tok/",
        "QUERY_STRING": f"mrn={MRN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"/patients/?mrn={MRN}",
    }
    atoms = logger.atoms(
        SimpleNamespace(status="200 OK", sent=1, headers=[]),
        SimpleNamespace(headers=[("REFERER", f"/patients/?mrn={MRN}")]),
        environ,
        timedelta(0),
    )

    assert atoms["r"] == "GET /diary/***/ HTTP/1.1"
    assert atoms["q"] == "-"
    assert atoms["f"] == "/patients/"
    assert atoms["{referer}i"] == "/patients/"
