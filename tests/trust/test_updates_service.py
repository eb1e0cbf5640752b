"""procedure_update, episode_update, patient_update: a stale version never overwrites."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from blocks import services
from blocks.models import Procedure
from tests.factories import (
    DiscInjectionFactory,
    EpisodeFactory,
    PatientFactory,
    ProcedureFactory,
    update_procedure,
)

pytestmark = pytest.mark.django_db


def test_it_saves_the_change_and_bumps_the_version(staff_user):
    procedure = ProcedureFactory()

    updated = update_procedure(
        procedure=procedure, expected_version=1, updated_by=staff_user, pre_pain=6
    )

    assert (updated.pre_pain, updated.version) == (6, 2)
    latest = updated.history.first()
    assert (latest.pre_pain, latest.version, latest.history_user) == (6, 2, staff_user)


def test_it_refuses_a_stale_version_and_writes_nothing(staff_user, physician_user):
    procedure = ProcedureFactory()
    update_procedure(procedure=procedure, expected_version=1, updated_by=physician_user, pre_pain=5)

    with pytest.raises(services.StaleVersion) as raised:
        update_procedure(procedure=procedure, expected_version=1, updated_by=staff_user, pre_pain=9)

    assert raised.value.current.pre_pain == 5
    assert raised.value.current.version == 2
    assert Procedure.objects.get(pk=procedure.pk).pre_pain == 5
    assert procedure.history.count() == 2  # created, and the physician's edit only


def test_it_writes_nothing_when_nothing_changes(staff_user):
    procedure = ProcedureFactory(pre_pain=7)

    same = update_procedure(
        procedure=procedure, expected_version=1, updated_by=staff_user, pre_pain=7
    )

    assert same.version == 1
    assert procedure.history.count() == 1


def test_it_checks_levels_against_kind_and_region_and_keeps_the_version(staff_user):
    procedure = ProcedureFactory()  # a lumbar medial branch block

    with pytest.raises(ValidationError) as raised:
        update_procedure(
            procedure=procedure, expected_version=1, updated_by=staff_user, levels=["C4-C5"]
        )

    assert "levels" in raised.value.message_dict
    assert Procedure.objects.get(pk=procedure.pk).version == 1


def test_it_checks_the_agent_and_its_volume_together(staff_user):
    procedure = ProcedureFactory()

    with pytest.raises(ValidationError) as raised:
        update_procedure(
            procedure=procedure, expected_version=1, updated_by=staff_user, anesthetic="none"
        )

    assert "anesthetic_volume_ml" in raised.value.message_dict


def test_it_keeps_a_discography_with_discs_a_discography(staff_user):
    disc = DiscInjectionFactory()

    with pytest.raises(ValidationError) as raised:
        update_procedure(
            procedure=disc.procedure,
            expected_version=1,
            updated_by=staff_user,
            kind="facet_intraarticular",
            pre_pain=5,
        )

    assert "kind" in raised.value.message_dict


def test_it_refuses_a_change_that_makes_a_hard_stop_without_a_physicians_reason(
    staff_user, physician_user
):
    procedure = ProcedureFactory(contrast_used=False, contrast_flow_confirmed=False)
    procedure.screening.contraindications = ["contrast_allergy"]
    procedure.screening.save()

    with pytest.raises(ValidationError) as raised:
        update_procedure(
            procedure=procedure,
            expected_version=1,
            updated_by=staff_user,
            contrast_used=True,
            contrast_flow_confirmed=True,
        )
    assert "contraindications" in raised.value.message_dict

    updated = update_procedure(
        procedure=procedure,
        expected_version=1,
        updated_by=physician_user,
        contrast_used=True,
        contrast_flow_confirmed=True,
        override_reason="Allergy was to iodine skin prep only.",
    )
    updated.screening.refresh_from_db()
    assert updated.screening.overridden_by == physician_user


def test_it_refuses_to_edit_a_record_entered_in_error(staff_user):
    procedure = ProcedureFactory()
    services.mark_entered_in_error(record=procedure, reason="Wrong patient", user=staff_user)

    with pytest.raises(ValidationError):
        update_procedure(procedure=procedure, expected_version=2, updated_by=staff_user, pre_pain=3)


def test_an_episode_cannot_move_to_a_region_its_procedures_do_not_fit(staff_user):
    procedure = ProcedureFactory()

    with pytest.raises(ValidationError) as raised:
        services.episode_update(
            episode=procedure.episode, expected_version=1, updated_by=staff_user, region="cervical"
        )

    assert "region" in raised.value.message_dict


def test_an_episode_update_is_versioned(staff_user):
    episode = EpisodeFactory()
    when = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)

    updated = services.episode_update(
        episode=episode, expected_version=1, updated_by=staff_user, opened_at=when
    )

    assert (updated.opened_at, updated.version) == (when, 2)
    with pytest.raises(services.StaleVersion):
        services.episode_update(
            episode=episode, expected_version=1, updated_by=staff_user, side="left"
        )


def test_a_patient_cannot_take_another_patients_mrn(staff_user):
    PatientFactory(mrn="A1001")
    patient = PatientFactory(mrn="A1002")

    with pytest.raises(ValidationError) as raised:
        services.patient_update(
            patient=patient, expected_version=1, updated_by=staff_user, mrn="A1001"
        )

    assert "mrn" in raised.value.message_dict
