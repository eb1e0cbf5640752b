"""The engine names each non-diagnostic reason with a code the data dictionary explains."""

import datetime as dt

import pytest

from blocks.rules import get_profile, interpret_block
from blocks.rules.catalogue import NON_DIAGNOSTIC_MESSAGES
from blocks.rules.types import Block, DiaryScore


def block(**changes) -> Block:
    fields = dict(
        id=1,
        performed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        kind="medial_branch_block",
        intent="diagnostic",
        side="right",
        levels=("L4-L5",),
        anesthetic="lidocaine",
        anesthetic_volume_ml=0.5,
        steroid="none",
        steroid_dose_mg=None,
        guidance="fluoroscopy",
        contrast_used=True,
        contrast_flow_confirmed=True,
        sedation="none",
        pre_pain=7,
        region="lumbar",
        pain_scores=(DiaryScore(30, 1),),
    )
    return Block(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "profile", "code"),
    [
        ({"guidance": "none"}, "cms-2021", "no_image_guidance"),
        ({"guidance": "ultrasound"}, "cms-2021", "guidance_not_accepted"),
        ({"contrast_flow_confirmed": False}, "cms-2021", "contrast_flow_not_confirmed"),
        ({"sedation": "moderate"}, "sis-controlled", "sedation_moderate"),
        ({"sedation": "deep"}, "cms-2021", "sedation_deep"),
        ({"sedation": "general"}, "asra-2020", "sedation_general"),
    ],
)
def test_each_engine_reason_has_its_code(changes, profile, code):
    reading = interpret_block(block(**changes), get_profile(profile))
    assert reading.response == "non_diagnostic"
    assert reading.non_diagnostic_codes == (code,)
    assert code in NON_DIAGNOSTIC_MESSAGES
    assert len(reading.non_diagnostic_reasons) == 1
