"""Personas for the API tests: one client per clinic role, plus the outsiders.

- staff_client: clinic_staff, reads and writes records
- physician_client: physician, may also override a hard stop
- quality_client: quality, reads only
- nobody_client: signed in but in no clinic group
- anon_client: no credentials at all
- superuser_client: may do everything
"""

import pytest
from rest_framework.test import APIClient

# Models are imported inside the fixtures: `pytest tests/api` loads this file before
# pytest-django has set Django up.


def _client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff_client(staff_user):
    return _client_for(staff_user)


@pytest.fixture
def physician_client(physician_user):
    return _client_for(physician_user)


@pytest.fixture
def quality_client(quality_user):
    return _client_for(quality_user)


@pytest.fixture
def nobody_client(nobody_user):
    return _client_for(nobody_user)


@pytest.fixture
def superuser_client(superuser):
    return _client_for(superuser)


@pytest.fixture
def anon_client(db):
    return APIClient()


@pytest.fixture
def episode(staff_user):
    from tests.factories import EpisodeFactory

    return EpisodeFactory(created_by=staff_user, region="lumbar", side="right")


@pytest.fixture
def procedure_body(episode):
    """A valid POST /api/procedures/ body (the contract's example).

    Tests change one thing: `build(kind=...)`; `build(field=...)` with Ellipsis leaves it out.
    """

    def build(**changes):
        body = {
            "episode": episode.pk,
            "performed_at": "2026-03-02T09:30:00Z",
            "kind": "medial_branch_block",
            "intent": "diagnostic",
            "side": "right",
            "levels": ["L4-L5", "L5-S1"],
            "anesthetic": "lidocaine",
            "anesthetic_volume_ml": 0.5,
            "steroid": "none",
            "steroid_dose_mg": None,
            "guidance": "fluoroscopy",
            "contrast_used": True,
            "contrast_flow_confirmed": True,
            "sedation": "none",
            "pre_pain": 7,
            "pain_scores": [
                {"minutes_after": 30, "score": 1, "patient_reported_relief_percent": 90}
            ],
            "contraindications": ["uncontrolled_diabetes"],
            "override_reason": "",
        }
        body.update(changes)
        return {key: value for key, value in body.items() if value is not ...}

    return build


@pytest.fixture
def discography_body(procedure_body):
    def build(**changes):
        body = {
            "kind": "provocation_discography",
            "levels": ["L3-L4", "L4-L5"],
            "anesthetic": "none",
            "anesthetic_volume_ml": None,
            "pre_pain": None,
            "pain_scores": [],
            "discs": [
                {
                    "level": "L4-L5",
                    "opening_pressure_psi": 10,
                    "provocation_pressure_psi": 35,
                    "pain_score": 8,
                    "concordance": "concordant",
                    "annular_grade": 3,
                },
                {
                    "level": "L3-L4",
                    "opening_pressure_psi": 10,
                    "provocation_pressure_psi": 40,
                    "pain_score": 0,
                    "concordance": "none",
                    "annular_grade": 1,
                },
            ],
        }
        body.update(changes)
        return procedure_body(**body)

    return build
