"""An episode whose two medial branch blocks lead to RFA under cms-2021, logged through the API.

Block 1 (2 Mar 2026, lidocaine): 7 before, 1 at 30 and 60 min, 2 at 120, 6 at 240: relief
85.7 %, lowest at 30 min; 2/10 is only 71 % relief, below Medicare's 80 %, so the relief lasts
60 min. Block 2 (16 Mar 2026, bupivacaine): 7 before, 1 at 30, 120 and 240 min, 2 at 360, 6 at
600: relief 85.7 %, lasting 240 min.
"""

import pytest

from tests.api.conftest import _client_for
from tests.api.test_scenarios import LONG, block


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
def superuser_client(superuser):
    return _client_for(superuser)


@pytest.fixture
def rfa_episode(physician_client):
    """(patient id, episode id, [procedure ids]) of the two-block RFA pathway."""
    client = physician_client
    patient = client.post(
        "/api/patients/",
        {
            "mrn": "SHARE-001",
            "birth_date": "1961-04-02",
            "sex": "female",
            "given_name": "Perpetua",
            "family_name": "Wigglesworth",
        },
        format="json",
    ).json()["id"]
    episode = client.post(
        "/api/episodes/",
        {
            "patient": patient,
            "region": "lumbar",
            "side": "right",
            "pain_pattern": "axial",
            "surgery_considered": False,
            "conservative_care_weeks": 12,
        },
        format="json",
    ).json()["id"]
    ids = []
    for body in (block(), block(day=14, anesthetic="bupivacaine", diary=LONG)):
        response = client.post("/api/procedures/", {"episode": episode, **body}, format="json")
        assert response.status_code == 201, response.json()
        ids.append(response.json()["id"])
    return patient, episode, ids
