import pytest


@pytest.fixture
def episode(staff_user):
    from tests.factories import EpisodeFactory

    return EpisodeFactory(created_by=staff_user, region="lumbar", side="right")
