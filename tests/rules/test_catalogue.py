"""Every code and rule the engine can emit is catalogued with a rule id, a source and a tag.

The vocabularies of blocks/rules/vocab.py and the rule ids written in the pathway
modules are enumerated here, so a new warning, reason, hard stop or pathway rule
fails until it has its catalogue entry (CLINICAL_RULES.md: traceable to a source).
"""

import ast
import inspect

import pytest

from blocks.rules import catalogue, comparative, facet, pathways, suggest_next_steps, vocab
from blocks.rules.findings import Finding, interpretation_findings, screening_findings
from blocks.rules.interpretation import interpret_block
from blocks.rules.screening import screen
from tests.rules.builders import ALL_PROFILES, ASRA, CMS, SIS, block, day, discography

HARD_STOP_CODES = vocab.HARD_STOPS + vocab.CONDITIONAL_HARD_STOPS
EMITTED = (
    [("warning", code) for code in vocab.WARNING_CODES]
    + [("warning", code) for code in vocab.SCREENING_WARNINGS]
    + [("non_diagnostic", code) for code in vocab.NON_DIAGNOSTIC_CODES]
    + [("hard_stop", code) for code in HARD_STOP_CODES]
)


def _rule_ids_written_in(module) -> set[str]:
    """The rule argument (4th) of every make_suggestion call, every branch of it."""
    ids = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "make_suggestion":
            for part in ast.walk(node.args[3]):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    ids.add(part.value)
    return ids


PATHWAY_RULE_IDS = sorted(set().union(*map(_rule_ids_written_in, (pathways, facet, comparative))))


def _is_traceable(rule: catalogue.Rule) -> bool:
    return bool(
        rule.id.strip()
        and rule.message.strip()
        and all(source.citation.strip() for source in rule.sources)
        and all(source.evidence in {"P", "S", "L"} for source in rule.sources)
    )


@pytest.mark.parametrize(("kind", "code"), EMITTED)
def test_every_code_the_engine_emits_names_a_rule_a_source_and_a_tag(kind, code):
    rule = catalogue.rule_for(kind, code)
    assert rule.code == code and rule.kind == kind
    assert _is_traceable(rule)


def test_the_pathway_modules_name_their_rules_literally():
    # A guard against a rule id the AST walk cannot see (then the test below would miss it).
    # 25 since block.diary.incomplete (CLINICAL_RULES.md section 2, the unfinished diary).
    assert len(PATHWAY_RULE_IDS) == 25
    assert "mbb.rfa.dual-block" in PATHWAY_RULE_IDS


@pytest.mark.parametrize("rule_id", PATHWAY_RULE_IDS)
def test_every_pathway_rule_has_a_catalogue_entry(rule_id):
    rule = catalogue.RULES[rule_id]
    assert rule.group == "pathway"
    assert _is_traceable(rule)


def test_the_catalogue_holds_no_rule_the_engine_cannot_raise():
    raised = {catalogue.rule_for(kind, code).id for kind, code in EMITTED}
    assert set(catalogue.RULES) == raised | set(PATHWAY_RULE_IDS)


def test_every_sedation_a_profile_refuses_has_a_non_diagnostic_code():
    for profile in ALL_PROFILES:
        for sedation in profile.sedation_invalidates:
            assert f"sedation_{sedation}" in vocab.NON_DIAGNOSTIC_CODES


def test_no_source_reads_as_a_placeholder():
    sources = {source for rule in catalogue.RULES.values() for source in rule.sources}
    for source in sources:
        assert "seed" not in str(source).lower()
    assert str(catalogue.SEED) == "AAOS OrthoInfo patient handout “Spinal Injections” [P]"


EPISODES = (
    [block(id=1, guidance="none")],
    [block(id=1, pain_scores=[])],
    [block(id=1, pre_pain=2)],
    [block(id=1, pain_scores=[(600, 1)])],
    [block(id=1, pain_scores=[(30, 4)])],
    [block(id=1, pain_scores=[(30, 9)])],
    [block(id=1), block(id=2, performed_at=day(20), anesthetic="bupivacaine")],
    [block(id=1, anesthetic="saline")],
    [block(id=1), block(id=2, performed_at=day(20), pain_scores=[(30, 9)])],
    [block(id=1, kind="facet_intraarticular", anesthetic_volume_ml=1)],
    [block(id=1, kind="sacroiliac_joint", levels=("SI",), pain_scores=[(30, 1)])],
    [block(id=1, kind="transforaminal_epidural", levels=("L5",))],
    [discography(id=1)],
    [discography(id=1, surgery_considered=False)],
)


@pytest.mark.parametrize("profile", ALL_PROFILES, ids=lambda p: p.name)
def test_each_suggestion_cites_a_source_its_rule_lists(profile):
    seen = 0
    for blocks in EPISODES:
        for suggestion in suggest_next_steps(blocks, profile):
            rule = catalogue.RULES[suggestion.rule]
            assert suggestion.source in {str(source) for source in rule.sources}
            seen += 1
    assert seen >= len(EPISODES)


def test_a_reading_lists_its_warnings_then_its_reasons_with_rule_and_source():
    reading = interpret_block(block(guidance="none", contrast_used=False), CMS)
    assert interpretation_findings(reading) == (
        Finding(
            code="no_contrast",
            kind="warning",
            rule="block.technique.no-contrast",
            source="AAOS OrthoInfo patient handout “Spinal Injections”",
            evidence="P",
            message="No contrast was used, so the spread of the injectate was not confirmed "
            "(acceptable with a contrast allergy).",
        ),
        Finding(
            code="no_image_guidance",
            kind="non_diagnostic",
            rule="block.technique.no-image-guidance",
            source="ASRA multisociety guidelines (Cohen SP et al. 2020; Hurley RW et al. "
            "2021/22) and the Medicare facet LCDs 2021: fluoroscopic or CT guidance",
            evidence="P",
            message="The block was done without image guidance (fluoroscopy or CT is required).",
        ),
    )


def test_a_frequency_finding_keeps_the_reading_s_own_words():
    history = [block(id=n, performed_at=day(-30 * n)) for n in range(1, 5)]
    reading = interpret_block(block(id=9), CMS, history=history)
    [limit] = [f for f in interpretation_findings(reading) if f.code == "frequency_limit"]
    assert (limit.rule, limit.evidence) == ("frequency.medicare-limit", "S")
    assert limit.message == (
        "5 diagnostic facet sessions in the lumbar region within 365 days; Medicare covers 4."
    )


def test_a_screening_lists_hard_stops_then_warnings_with_their_rules():
    result = screen(
        ["anticoagulant_not_held", "uncontrolled_diabetes"],
        contrast_used=True,
        steroid="dexamethasone",
    )
    assert [(f.kind, f.code, f.rule, f.evidence) for f in screening_findings(result)] == [
        ("hard_stop", "anticoagulant_not_held", "screening.hard-stop.anticoagulant-not-held", "S"),
        ("warning", "uncontrolled_diabetes", "screening.warning.uncontrolled-diabetes", "P"),
        (
            "warning",
            "steroid_raises_blood_sugar",
            "screening.warning.steroid-raises-blood-sugar",
            "P",
        ),
    ]
    assert screening_findings(result)[0].source.startswith("Narouze S et al.")


def test_per_profile_sources_are_listed_beside_the_rule():
    rule = catalogue.RULES["rfa.repeat"]
    assert rule.source == catalogue.MEDICARE_REPEAT_RFA
    assert rule.elsewhere == (("under asra-2020", catalogue.ASRA_REPEAT_RFA),)
    assert {str(s) for s in rule.sources} >= {
        str(catalogue.REPEAT_RFA[p.name]) for p in (CMS, ASRA, SIS)
    }
