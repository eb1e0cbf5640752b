"""A freshly logged block, its diary link, and clients for staff, quality and the patient.

The block is a right L4-L5/L5-S1 bupivacaine medial branch block done 70 minutes ago in a
lumbar episode, scored in recovery at 15 and 30 minutes: its next points are 60 (due), 120
and so on, as a clinic's morning list would have it.
"""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def episode(staff_user):
    from tests.factories import EpisodeFactory

    return EpisodeFactory(created_by=staff_user, region="lumbar", side="right")


@pytest.fixture
def block(episode, physician_user):
    from tests.factories import record_block

    return record_block(
        episode=episode,
        performed_by=physician_user,
        pain_scores=[{"minutes_after": 15, "score": 1}, {"minutes_after": 30, "score": 1}],
    )


@pytest.fixture
def link_and_token(block, staff_user):
    from blocks import services

    return services.diary_link_create(procedure=block, created_by=staff_user)


@pytest.fixture
def token(link_and_token):
    return link_and_token[1]


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
def patient_client():
    """No session, no API token: only the link."""
    return APIClient()
