"""Wording a clinician reads without a glossary (issue 11): dates and kinds, not internal ids."""

import datetime as dt
import re

import pytest

from blocks.formats import clinic_format
from tests.factories import EpisodeFactory, PatientFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_one_date_format_in_the_clinics_time(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    moment = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert clinic_format(moment) == "02 Mar 2026, 10:30"
    assert clinic_format(moment, with_time=False) == "02 Mar 2026"
    assert clinic_format(dt.date(1961, 4, 2)) == "02 Apr 1961"
    assert clinic_format(None) == ""


def headings(page: str) -> list[str]:
    found = re.findall(r"<h1.*?</h1>", page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in found]


def test_headings_name_the_complaint_and_date_not_the_id(staff, staff_user):
    patient = PatientFactory(mrn="W-1", given_name="Ada", family_name="Lovelace")
    episode = EpisodeFactory(
        patient=patient,
        created_by=staff_user,
        opened_at=dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC),
    )
    procedure = ProcedureFactory(episode=episode)
    pages = {
        "episode": staff.get(f"/episodes/{episode.pk}/").content.decode(),
        "log": staff.get(f"/episodes/{episode.pk}/procedures/new/").content.decode(),
        "edit": staff.get(f"/procedures/{procedure.pk}/edit/").content.decode(),
        "patient": staff.get(f"/patients/{patient.pk}/").content.decode(),
    }
    assert headings(pages["episode"]) == [
        "Lumbar, right, axial opened 20 Feb 2026 · Ada Lovelace, MRN W-1"
    ]
    assert headings(pages["log"])[0].startswith(
        "Log a procedure Lumbar, right, axial, opened 20 Feb"
    )
    assert headings(pages["edit"])[0].startswith("Edit the procedure of 02 Mar 2026")
    assert headings(pages["patient"]) == ["Ada Lovelace MRN W-1"]
    for name, page in pages.items():
        for heading in headings(page):
            assert not re.search(r"(Episode|Procedure|episode|procedure) \d", heading), name
    assert f">Episode {episode.pk}<" not in pages["patient"]
