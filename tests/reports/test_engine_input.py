"""The fast engine input equals blocks.adapters.to_block for every kind of record."""

from decimal import Decimal

from blocks.adapters import to_block
from blocks.models import Procedure
from reports.store.engine_input import load_for_patients, without_findings
from tests.factories import (
    DiscInjectionFactory,
    EpisodeFactory,
    PainScoreFactory,
    ProcedureFactory,
    ScreeningFactory,
)


def test_blocks_from_rows_equal_blocks_from_models(db):
    episode = EpisodeFactory(surgery_considered=True)
    mbb = ProcedureFactory(episode=episode, anesthetic_volume_ml=Decimal("0.375"))
    PainScoreFactory(procedure=mbb, minutes_after=60, score=2)
    PainScoreFactory(procedure=mbb, minutes_after=15, score=1, patient_reported_relief_percent=80)
    disco = DiscInjectionFactory(procedure__episode=episode, level="L4-L5").procedure
    DiscInjectionFactory(procedure=disco, level="L3-L4", pain_score=0, concordance="none")
    steroid = ProcedureFactory(
        episode=episode,
        steroid="dexamethasone",
        steroid_dose_mg=Decimal("4"),
        contrast_used=False,
        contrast_flow_confirmed=False,
        screening=None,
    )
    ScreeningFactory(procedure=steroid, contraindications=["uncontrolled_diabetes"])
    ProcedureFactory(episode=episode, screening=None)  # no screening row at all

    loaded = {item.block.id: item for item in load_for_patients([episode.patient_id])}
    models = (
        Procedure.objects.select_related("episode", "screening")
        .prefetch_related("pain_scores", "discs")
        .filter(episode=episode)
    )
    assert len(loaded) == 4
    for procedure in models:
        assert loaded[procedure.pk].block == to_block(procedure)
        assert without_findings(loaded[procedure.pk].block) == to_block(
            procedure, with_findings=False
        )
        assert loaded[procedure.pk].patient_id == episode.patient_id
