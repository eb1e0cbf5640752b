"""Personas and records for the trust tests (the API personas, reused)."""

import pytest

from tests.api.conftest import *  # noqa: F403  (the API personas, found by name)


@pytest.fixture
def procedure(staff_client, procedure_body):
    """A procedure recorded through the API, with one diary score and a screening."""
    from blocks.models import Procedure

    response = staff_client.post("/api/procedures/", procedure_body(), format="json")
    assert response.status_code == 201, response.json()
    return Procedure.objects.get(pk=response.json()["id"])
