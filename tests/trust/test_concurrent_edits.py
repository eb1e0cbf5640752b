"""Two people edit the same procedure from the same version: one wins, one gets 409.

Runs on PostgreSQL with two real connections (one per thread). Both requests read the
record before either writes, so the race is the real one: only the database's
conditional UPDATE decides.
"""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from blocks.models import Procedure
from blocks.services import updates

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_clients_with_the_same_version_one_wins_and_nothing_is_lost(
    staff_user, physician_user, procedure, monkeypatch
):
    both_have_read = threading.Barrier(2, timeout=20)
    original_stored = updates._stored

    def stored_then_wait(model, pk):
        record = original_stored(model, pk)
        both_have_read.wait()  # neither writes before both have seen version 1
        return record

    monkeypatch.setattr(updates, "_stored", stored_then_wait)
    answers = {}

    def edit(user, change):
        client = APIClient()
        client.force_authenticate(user)
        try:
            answers[user.username] = client.patch(
                f"/api/procedures/{procedure.pk}/", {"version": 1, **change}, format="json"
            )
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=edit, args=(staff_user, {"pre_pain": 5})),
        threading.Thread(target=edit, args=(physician_user, {"side": "left"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    codes = sorted(response.status_code for response in answers.values())
    assert codes == [200, 409], {name: r.json() for name, r in answers.items()}
    winner = next(name for name, r in answers.items() if r.status_code == 200)
    loser = answers[next(name for name in answers if name != winner)].json()
    stored = Procedure.objects.get(pk=procedure.pk)
    assert stored.version == 2
    assert loser["current"]["version"] == 2
    if winner == "sam.staff":
        assert (stored.pre_pain, stored.side) == (5, "right")
    else:
        assert (stored.pre_pain, stored.side) == (7, "left")
    assert stored.history.filter(history_type="~").count() == 1  # one edit, not two
