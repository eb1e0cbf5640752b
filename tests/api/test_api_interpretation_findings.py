"""The API's findings: each warning, non-diagnostic reason and hard stop with its rule and source.

Additive to the contract: `interpretation.warnings` and `reasons` stay as they are.
"""

from django.utils import timezone

from tests.factories import PainScoreFactory, ProcedureFactory, ScreeningFactory

URL = "/api/procedures/"


def test_an_interpretation_lists_its_findings_with_rule_source_and_evidence(staff_client, episode):
    procedure = ProcedureFactory(
        episode=episode, guidance="none", contrast_used=False, contrast_flow_confirmed=False
    )
    PainScoreFactory(procedure=procedure, minutes_after=30, score=1)

    reading = staff_client.get(f"{URL}{procedure.pk}/").json()["interpretation"]

    assert reading["warnings"] == ["no_contrast"]
    assert reading["non_diagnostic_codes"] == ["no_image_guidance"]
    assert reading["findings"] == [
        {
            "code": "no_contrast",
            "kind": "warning",
            "rule": "block.technique.no-contrast",
            "source": "AAOS OrthoInfo patient handout “Spinal Injections”",
            "evidence": "P",
            "message": "No contrast was used, so the spread of the injectate was not confirmed "
            "(acceptable with a contrast allergy).",
        },
        {
            "code": "no_image_guidance",
            "kind": "non_diagnostic",
            "rule": "block.technique.no-image-guidance",
            "source": "ASRA multisociety guidelines (Cohen SP et al. 2020; Hurley RW et al. "
            "2021/22) and the Medicare facet LCDs 2021: fluoroscopic or CT guidance",
            "evidence": "P",
            "message": "The block was done without image guidance (fluoroscopy or CT is required).",
        },
    ]


def test_a_sound_block_has_no_findings(staff_client, episode):
    procedure = ProcedureFactory(episode=episode)
    for minutes, score in ((30, 1), (90, 1), (240, 6)):
        PainScoreFactory(procedure=procedure, minutes_after=minutes, score=score)

    body = staff_client.get(f"{URL}{procedure.pk}/").json()

    assert body["interpretation"]["findings"] == []
    assert body["screening"]["findings"] == []


def test_a_screening_names_the_rule_of_an_overridden_hard_stop_and_of_its_warnings(
    staff_client, episode, physician_user
):
    procedure = ProcedureFactory(episode=episode, screening=None)
    ScreeningFactory(
        procedure=procedure,
        contraindications=["anticoagulant_not_held", "pregnancy"],
        override_reason="Warfarin stopped 4 days ago, INR 1.1",
        overridden_by=physician_user,
        overridden_at=timezone.now(),
    )

    screening = staff_client.get(f"{URL}{procedure.pk}/").json()["screening"]

    assert screening["hard_stops"] == ["anticoagulant_not_held"]
    assert screening["warnings"] == ["pregnancy"]
    assert [(f["kind"], f["code"], f["rule"], f["evidence"]) for f in screening["findings"]] == [
        ("hard_stop", "anticoagulant_not_held", "screening.hard-stop.anticoagulant-not-held", "S"),
        ("warning", "pregnancy", "screening.warning.pregnancy", "L"),
    ]
    assert screening["findings"][0]["message"] == "Anticoagulant not held for its required time."
    assert screening["findings"][0]["source"].startswith(
        "Narouze S et al., ASRA/ESRA/AAPM/INS/NANS/WIP guideline"
    )
