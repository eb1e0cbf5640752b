"""The clinical records: database constraints, querysets, history, admin, groups."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from blocks.models import (
    Complication,
    DiscInjection,
    Episode,
    PainScore,
    Patient,
    Procedure,
    Screening,
    level_errors,
)
from tests.factories import (
    ComplicationFactory,
    DiscInjectionFactory,
    EpisodeFactory,
    PainScoreFactory,
    PatientFactory,
    ProcedureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(queryset, **values) -> bool:
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "values",
    [
        {"pre_pain": 11},
        {"pre_pain": None},
        {"kind": "acupuncture"},
        {"side": "up"},
        {"anesthetic": "none"},
        {"steroid_dose_mg": 4},
        {"anesthetic_volume_ml": -1},
        {"levels": []},
        {"intent": "therapeutic", "kind": "provocation_discography"},
        {"entered_in_error": True},
    ],
)
def test_it_refuses_an_impossible_procedure_at_the_database(values):
    procedure = ProcedureFactory()

    assert refused_by_database(Procedure.objects.filter(pk=procedure.pk), **values)


@pytest.mark.parametrize(
    ("factory", "model", "values"),
    [
        (PainScoreFactory, PainScore, {"score": 11}),
        (PainScoreFactory, PainScore, {"patient_reported_relief_percent": 101}),
        (DiscInjectionFactory, DiscInjection, {"annular_grade": 6}),
        (DiscInjectionFactory, DiscInjection, {"pain_score": 11}),
        (DiscInjectionFactory, DiscInjection, {"concordance": "maybe"}),
        (DiscInjectionFactory, DiscInjection, {"level": "L4"}),
        (DiscInjectionFactory, DiscInjection, {"provocation_pressure_psi": -1}),
        (ComplicationFactory, Complication, {"severity": "fatal"}),
        (ComplicationFactory, Complication, {"code": "hiccups"}),
        (PatientFactory, Patient, {"sex": "x"}),
        (PatientFactory, Patient, {"mrn": ""}),
        (EpisodeFactory, Episode, {"region": "sacral"}),
        (EpisodeFactory, Episode, {"conservative_care_weeks": -1}),
    ],
)
def test_it_refuses_impossible_findings_at_the_database(factory, model, values):
    row = factory()

    assert refused_by_database(model.objects.filter(pk=row.pk), **values)


def test_it_allows_one_score_per_minute():
    score = PainScoreFactory(minutes_after=30)

    with pytest.raises(IntegrityError), transaction.atomic():
        PainScore.objects.create(
            procedure=score.procedure, minutes_after=30, score=2, recorded_by=score.recorded_by
        )


def test_it_allows_one_row_per_disc():
    disc = DiscInjectionFactory(level="L4-L5")

    with pytest.raises(IntegrityError), transaction.atomic():
        DiscInjection.objects.create(procedure=disc.procedure, level="L4-L5", concordance="none")


def test_it_refuses_an_override_without_a_reason():
    screening = ProcedureFactory().screening
    user = UserFactory()

    assert refused_by_database(
        Screening.objects.filter(pk=screening.pk), overridden_by=user, overridden_at=None
    )


def test_it_keeps_the_mrn_unique():
    PatientFactory(mrn="A1")

    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(mrn="A1", birth_date="1970-01-01", sex="male")


def test_it_validates_levels_against_the_episode_region():
    procedure = ProcedureFactory.build(episode=EpisodeFactory(region="cervical"), levels=["L4-L5"])

    with pytest.raises(ValidationError) as refused:
        procedure.full_clean()

    assert "cervical" in refused.value.message_dict["levels"][0]


def test_it_describes_level_problems_without_a_database():
    assert level_errors(["L4"], kind="medial_branch_block", region="lumbar") == [
        "L4 does not fit a medial branch block in a lumbar episode: it names a segment: a "
        "facet joint or disc (such as L4-L5), one of L1-L2, L2-L3, L3-L4, L4-L5, L5-S1."
    ]
    assert level_errors(["L4", "L5"], kind="transforaminal_epidural", region="lumbar") == []
    assert level_errors(["SI"], kind="sacroiliac_joint", region="sacroiliac") == []


def test_it_has_domain_verbs_on_procedures():
    diagnostic = ProcedureFactory()
    therapeutic = ProcedureFactory(intent="therapeutic", steroid="dexamethasone", steroid_dose_mg=4)
    scored = ProcedureFactory()
    PainScoreFactory(procedure=scored)
    hidden = ProcedureFactory(
        entered_in_error=True,
        entered_in_error_reason="duplicate",
        entered_in_error_at=diagnostic.performed_at,
    )

    assert set(Procedure.objects.diagnostic()) == {diagnostic, scored, hidden}
    assert list(Procedure.objects.therapeutic()) == [therapeutic]
    assert set(Procedure.objects.active()) == {diagnostic, therapeutic, scored}
    assert list(Procedure.objects.entered_in_error()) == [hidden]
    assert set(Procedure.objects.active().awaiting_scores()) == {diagnostic}
    assert set(Procedure.objects.of_kind("medial_branch_block").active()) == {
        diagnostic,
        therapeutic,
        scored,
    }


def test_it_keeps_the_history_of_every_change():
    procedure = ProcedureFactory(pre_pain=7)
    procedure.pre_pain = 6
    procedure.save()

    assert [h.pre_pain for h in procedure.history.all()] == [6, 7]


def test_it_creates_the_clinic_groups():
    names = set(Group.objects.values_list("name", flat=True))

    assert {"clinic_staff", "physician", "quality"} <= names


@pytest.mark.parametrize(
    "model", [Patient, Episode, Procedure, PainScore, DiscInjection, Screening, Complication]
)
def test_it_lets_only_a_superuser_delete_in_the_admin(model):
    admin = site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True)
    assert not admin.has_delete_permission(request)
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert admin.has_delete_permission(request)


def test_it_finds_patients_by_mrn_in_the_admin(client):
    PatientFactory(mrn="FINDME")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/blocks/patient/?q=FINDME")

    assert response.status_code == 200
    assert b"FINDME" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/admin/blocks/procedure/",
        "/admin/blocks/episode/",
        "/admin/blocks/complication/",
        "/admin/blocks/painscore/",
        "/admin/blocks/discinjection/",
        "/admin/blocks/screening/",
    ],
)
def test_it_shows_the_admin_lists(client, url):
    DiscInjectionFactory()
    ComplicationFactory()
    PainScoreFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 200


def test_it_shows_the_procedure_change_page(client):
    procedure = ProcedureFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(f"/admin/blocks/procedure/{procedure.pk}/change/").status_code == 200
    assert client.get(f"/admin/blocks/procedure/{procedure.pk}/history/").status_code == 200
