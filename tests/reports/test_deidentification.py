"""No identifier in any default export, in any format; identified exports are audited."""

import io
import json
import zipfile

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from blocks.services.decisions import decision_record
from reports import deid
from reports.models import IdentifiedExport
from tests.reports.clinic import (
    BIRTH_DATE,
    COMPLICATION_NOTE,
    FAMILY_NAME,
    GIVEN_NAME,
    MRN,
    OVERRIDE_REASON,
    small_clinic,
)

DECLINE_REASON = "Declined because Wombat 4471 said so"


@pytest.fixture
def clinic(physician_user):
    made = small_clinic(physician_user)
    negative = made["procedures"][3]
    decision_record(
        episode=made["episodes"][1],
        status="declined",
        reason=DECLINE_REASON,
        decided_by=physician_user,
        profile="cms-2021",
        code="evaluate_other_source",
        side="left",
        levels=negative.levels,
    )
    return made


def identifiers(physician_user) -> list[str]:
    return [
        MRN,
        "ZZ-OTHER-1",
        BIRTH_DATE.isoformat(),
        BIRTH_DATE.strftime("%d/%m/%Y"),
        "1931-07",
        OVERRIDE_REASON,
        "Xylophone",
        COMPLICATION_NOTE,
        "Quokka",
        DECLINE_REASON,
        "Wombat",
        physician_user.username,
        GIVEN_NAME,
        FAMILY_NAME,
    ]


def texts_of(content: bytes, fmt: str) -> str:
    """Everything a person could read in the file, as one text."""
    if fmt == "json":
        return json.dumps(json.loads(content))
    if fmt == "csv" and content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    if fmt == "csv":
        return content.decode()
    sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, dtype=str)
    return "\n".join(frame.to_csv() for frame in sheets.values())


@pytest.mark.parametrize("table", ["outcomes", "blocks", "diary"])
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_no_identifier_in_any_default_export(
    clinic, physician_user, quality_client, report_urls, table, fmt
):
    response = quality_client.get(f"/api/reports/{table}/", {"format": fmt})
    assert response.status_code == 200
    text = texts_of(response.content, fmt)
    for identifier in identifiers(physician_user):
        assert identifier not in text, identifier
    if table != "diary":
        assert "P-" in text  # patients are there, under pseudonyms
    assert not IdentifiedExport.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_no_identifier_in_the_export_command(clinic, physician_user, tmp_path, fmt):
    for table in ("outcomes", "blocks", "diary"):
        out = tmp_path / f"{table}.{fmt}"
        call_command("export_outcomes", "--table", table, "--format", fmt, "--out", out, "--quiet")
        text = texts_of(out.read_bytes(), fmt)
        for identifier in identifiers(physician_user):
            assert identifier not in text, (table, identifier)


def test_the_page_shows_no_identifier(clinic, physician_user, quality_user, client, report_urls):
    client.force_login(quality_user)
    text = client.get("/reports/").content.decode()
    for identifier in identifiers(physician_user):
        assert identifier not in text, identifier


def test_a_superuser_gets_identifiers_only_by_asking_and_it_is_recorded(
    clinic, superuser_client, superuser, report_urls
):
    plain = superuser_client.get("/api/reports/blocks/", {"format": "csv"})
    assert MRN not in plain.content.decode()
    response = superuser_client.get(
        "/api/reports/blocks/", {"format": "csv", "identified": "true", "kind": "sacroiliac_joint"}
    )
    assert response.status_code == 200
    outcomes = superuser_client.get("/api/reports/outcomes/", {"identified": "true"})
    text = outcomes.content.decode()
    assert MRN in text or "ZZ-OTHER-1" in text
    assert OVERRIDE_REASON in text
    records = list(IdentifiedExport.objects.order_by("id"))
    assert [(r.table, r.export_format, r.channel) for r in records] == [
        ("blocks", "csv", "api"),
        ("outcomes", "json", "api"),
    ]
    assert records[0].requested_by == superuser
    assert records[0].filters == {"kind": "sacroiliac_joint", "profile": "cms-2021"}


def test_others_may_not_ask_for_identifiers(clinic, quality_client, report_urls):
    response = quality_client.get("/api/reports/outcomes/", {"identified": "true"})
    assert response.status_code == 403
    assert not IdentifiedExport.objects.exists()


def test_the_command_needs_a_superuser_for_an_identified_export(
    clinic, superuser, quality_user, tmp_path
):
    out = tmp_path / "blocks.csv"
    with pytest.raises(CommandError, match="needs --user"):
        call_command("export_outcomes", "--table", "blocks", "--identified", "--out", out)
    with pytest.raises(CommandError, match="not an active superuser"):
        call_command(
            "export_outcomes", "--identified", "--user", quality_user.username, "--out", out
        )
    call_command(
        "export_outcomes",
        "--table",
        "blocks",
        "--identified",
        "--user",
        superuser.username,
        "--out",
        out,
        "--quiet",
    )
    assert MRN in out.read_text()
    record = IdentifiedExport.objects.get()
    assert (record.requested_by, record.channel, record.table) == (superuser, "command", "blocks")


def test_pseudonyms_are_stable_and_depend_on_the_key(settings):
    settings.TRACKER_PSEUDONYM_KEY = "key-one"
    first = deid.pseudonym("patient", 42)
    assert first == deid.pseudonym("patient", 42)
    assert first != deid.pseudonym("patient", 43)
    assert first.startswith("P-") and len(first) == 18
    settings.TRACKER_PSEUDONYM_KEY = "key-two"
    assert deid.pseudonym("patient", 42) != first


@override_settings(DEBUG=False, TRACKER_PSEUDONYM_KEY="")
def test_without_a_key_outside_development_there_is_no_pseudonym(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("TRACKER_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("DJANGO_TESTING", "0")
    with pytest.raises(ImproperlyConfigured, match="TRACKER_PSEUDONYM_KEY"):
        deid.pseudonym_key()


def test_ages_are_whole_years_with_the_oldest_grouped():
    born = pd.Series(pd.to_datetime(["1935-06-15", "1935-06-15", "1936-06-16", "1990-01-01"]))
    on = pd.Series(pd.to_datetime(["2025-06-14", "2025-06-15", "2026-06-15", "2025-06-15"]))
    years = deid.age_in_years(born, on)
    assert years.tolist() == [89, 90, 89, 35]
    assert deid.age_group(years).tolist() == ["89", "90+", "89", "35"]


def test_dates_become_months_in_the_clinic_time_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    moments = pd.Series(pd.to_datetime(["2025-03-01T02:00:00Z", "2025-03-15T12:00:00Z"], utc=True))
    assert deid.month(moments).tolist() == ["2025-02", "2025-03"]


def test_months_are_those_strftime_gives_row_by_row(settings):
    settings.TIME_ZONE = "America/New_York"
    moments = pd.Series(
        pd.to_datetime(
            ["2025-03-01T02:00:00Z", None, "2024-12-31T23:00:00Z", "2025-03-01T06:00:00Z"],
            utc=True,
        ),
        index=[4, 3, 2, 1],
    )
    expected = deid.local(moments).dt.strftime("%Y-%m").astype("str")

    result = deid.month(moments)

    pd.testing.assert_series_equal(result, expected, check_exact=True)
    assert deid.month(moments.iloc[:0]).empty
