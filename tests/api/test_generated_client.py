"""A client generated from the schema by openapi-python-client, used as an integrator would.

The client is generated into a temporary folder with --fail-on-warning, imported, and driven
through httpx's WSGI transport against this Django (no server, no network). Its typed models
parse the JSON answers (a procedure's reading, the next steps, the profiles, the outcome
report) and its file operations fetch the exports. openapi-python-client reads only JSON,
text and application/octet-stream bodies; an integrator tells it the exports' content types
are bytes (content_type_overrides), as the README says.
"""

import importlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from tests.reports.clinic import small_clinic

BYTES = "application/octet-stream"
CONFIG = f"""\
package_name_override: tracker_client
project_name_override: tracker-client
post_hooks: []
content_type_overrides:
  application/zip: {BYTES}
  application/pdf: {BYTES}
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {BYTES}
  text/csv: {BYTES}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """The generated package, imported (module-wide: generating takes a second)."""
    import json

    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    folder = tmp_path_factory.mktemp("client")
    (folder / "schema.json").write_text(json.dumps(schema))
    (folder / "config.yaml").write_text(CONFIG)
    command = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(command),
            "generate",
            "--path",
            str(folder / "schema.json"),
            "--config",
            str(folder / "config.yaml"),
            "--output-path",
            str(folder / "tracker_client"),
            "--meta",
            "none",
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("tracker_client")
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m.split(".")[0] == "tracker_client"]:
            del sys.modules[name]


@pytest.fixture
def keep_the_test_connection():
    """The WSGI handler closes the database connection after each request; inside a test
    that would close the test's transaction (PostgreSQL). Django's own test client
    disconnects the same handlers."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def client(generated, physician_user, settings, keep_the_test_connection):
    settings.ALLOWED_HOSTS = ["testserver"]
    token = Token.objects.create(user=physician_user)
    client = generated.AuthenticatedClient(base_url="http://testserver", token=token.key)
    client.set_httpx_client(
        httpx.Client(
            base_url="http://testserver",
            transport=httpx.WSGITransport(app=get_wsgi_application()),
            headers={"Authorization": f"Token {token.key}"},
        )
    )
    return client


def module(generated, name):
    return importlib.import_module(f"{generated.__name__}.{name}")


def test_the_typed_models_parse_the_json_answers(generated, client, physician_user):
    clinic = small_clinic(physician_user)
    procedures = module(generated, "api.procedures.procedures_retrieve")
    block = clinic["procedures"][0]
    reading = procedures.sync(client=client, id=block.pk).interpretation
    ResponseEnum = module(generated, "models.response_enum").ResponseEnum  # noqa: N806
    assert reading.response is ResponseEnum.POSITIVE
    assert reading.relief_percent == 85.7

    profiles = module(generated, "api.profiles.profiles_list").sync(client=client)
    assert [profile.name.value for profile in profiles] == [
        "cms-2021",
        "asra-2020",
        "sis-controlled",
    ]
    assert {str(profile.version_date) for profile in profiles} >= {"2021-04-25"}

    episode = clinic["episodes"][0]
    steps = module(generated, "api.episodes.episodes_next_steps_retrieve").sync(
        client=client, id=episode.pk
    )
    assert steps.profile.value == "cms-2021"
    assert all(isinstance(s.code.value, str) for s in steps.suggestions)

    report = module(generated, "api.reports.reports_outcomes").sync(client=client)
    yields = {row.kind: row for row in report.tables.diagnostic_yield}
    assert yields["all"].blocks == 4
    assert report.meta.profile.value == "cms-2021"


def test_the_file_operations_fetch_the_exports(generated, client, physician_user):
    small_clinic(physician_user)
    workbook = module(generated, "api.reports.reports_outcomes_xlsx").sync(client=client)
    assert openpyxl.load_workbook(workbook.payload).sheetnames[0] == "Procedures per month"
    tables = module(generated, "api.reports.reports_outcomes_csv").sync(client=client)
    assert "data_dictionary.csv" in zipfile.ZipFile(tables.payload).namelist()
    rows = module(generated, "api.reports.reports_blocks_csv").sync(client=client)
    assert io.BytesIO(rows.payload.read()).getvalue().startswith(b"block_ref,")


def test_a_bad_filter_comes_back_as_the_shared_error_shape(generated, client, db):
    outcomes = module(generated, "api.reports.reports_outcomes")
    response = outcomes.sync_detailed(client=client, physician="nobody-by-that-name")
    assert response.status_code == 400
    FieldErrors = module(generated, "models.field_errors").FieldErrors  # noqa: N806
    assert isinstance(response.parsed, FieldErrors)
    assert response.parsed.additional_properties == {
        "physician": ["No user 'nobody-by-that-name'."]
    }
