"""One definition of "diagnostic": the engine's, which the procedure queries reuse.

Pathways, the reading of a block and the database query must agree, or a block
could count in the diagnostic yield and still be left off the list awaiting scores.
"""

import itertools

import pytest

from blocks.models import Procedure
from blocks.models.procedures import DIAGNOSTIC
from blocks.rules import vocab
from blocks.rules.pathways import is_diagnostic_block
from tests.factories import ProcedureFactory
from tests.rules.builders import block

pytestmark = pytest.mark.django_db

COMBINATIONS = list(itertools.product(vocab.KINDS, vocab.INTENTS))


@pytest.mark.parametrize(("kind", "intent"), COMBINATIONS)
def test_the_query_and_the_engine_agree_for_every_kind_and_intent(kind, intent):
    assert DIAGNOSTIC.check({"kind": kind, "intent": intent}) is vocab.is_diagnostic(kind, intent)
    assert is_diagnostic_block(block(kind=kind, intent=intent)) is vocab.is_diagnostic(kind, intent)


def test_discography_is_always_diagnostic_and_an_rfa_never():
    assert [
        vocab.is_diagnostic(kind, intent)
        for kind, intent in COMBINATIONS
        if kind in {vocab.DISCOGRAPHY, vocab.RFA}
    ] == [True, True, False, False]


def test_the_diagnostic_queryset_returns_what_the_engine_reads_as_diagnostic():
    # Every combination the database accepts (discography is never therapeutic).
    rows = {
        (kind, intent): ProcedureFactory(kind=kind, intent=intent)
        for kind, intent in COMBINATIONS
        if not (kind == vocab.DISCOGRAPHY and intent == "therapeutic")
    }
    diagnostic = set(Procedure.objects.diagnostic())
    therapeutic = set(Procedure.objects.therapeutic())
    for (kind, intent), row in rows.items():
        assert (row in diagnostic) is vocab.is_diagnostic(kind, intent)
        assert (row in therapeutic) is not vocab.is_diagnostic(kind, intent)
