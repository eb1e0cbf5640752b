"""Properties of the clinical engine for any valid block (hypothesis).

Whatever a clinic records within the vocabularies, the engine answers without an
exception: relief within [-900, 100] (a pre-block pain of 1 rising to 10 is -900 %),
one of the five responses, and suggestions that only use known next-step codes.
"""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocks.rules import PROFILES, Block, DiaryScore, DiscInjection, interpret_block, vocab
from blocks.rules import suggest_next_steps as suggest

PROFILE_LIST = list(PROFILES.values())
START = dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.UTC)
REGIONS_AND_KINDS = [
    (region, kind)
    for region in vocab.REGIONS
    for kind in vocab.KINDS
    if vocab.allowed_levels(kind, region)
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def decimal_or_none(agent: str, top: float):
    if agent == "none":
        return st.none()
    return st.none() | st.floats(min_value=0, max_value=top, allow_nan=False).map(
        lambda x: round(x, 2)
    )


@st.composite
def diary(draw):
    minutes = draw(st.lists(st.integers(0, 60 * 24 * 60), max_size=8, unique=True))
    return tuple(
        DiaryScore(
            minutes_after=m,
            score=draw(st.integers(0, 10)),
            patient_reported_relief_percent=draw(st.none() | st.integers(0, 100)),
        )
        for m in sorted(minutes)
    )


@st.composite
def discs(draw, levels):
    chosen = draw(st.lists(st.sampled_from(levels), unique=True, max_size=len(levels)))
    return tuple(
        DiscInjection(
            level=level,
            opening_pressure_psi=draw(st.none() | st.floats(0, 100, allow_nan=False)),
            provocation_pressure_psi=draw(st.none() | st.floats(0, 150, allow_nan=False)),
            pain_score=draw(st.none() | st.integers(0, 10)),
            concordance=draw(st.sampled_from(vocab.CONCORDANCE)),
            annular_grade=draw(st.none() | st.integers(0, 5)),
        )
        for level in chosen
    )


@st.composite
def blocks(draw, *, region=None, block_id=1):
    if region is None:
        region, kind = draw(st.sampled_from(REGIONS_AND_KINDS))
    else:
        kind = draw(st.sampled_from([k for r, k in REGIONS_AND_KINDS if r == region]))
    allowed = vocab.allowed_levels(kind, region)
    levels = tuple(draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=3, unique=True)))
    discography = kind == vocab.DISCOGRAPHY
    anesthetic = draw(st.sampled_from(vocab.ANESTHETICS))
    steroid = draw(st.sampled_from(vocab.STEROIDS))
    contrast_used = draw(st.booleans())
    return Block(
        id=block_id,
        performed_at=START + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 400))),
        kind=kind,
        intent="diagnostic" if discography else draw(st.sampled_from(vocab.INTENTS)),
        side=draw(st.sampled_from(vocab.SIDES)),
        levels=levels,
        anesthetic=anesthetic,
        anesthetic_volume_ml=draw(decimal_or_none(anesthetic, 20)),
        steroid=steroid,
        steroid_dose_mg=draw(decimal_or_none(steroid, 80)),
        guidance=draw(st.sampled_from(vocab.GUIDANCE)),
        contrast_used=contrast_used,
        contrast_flow_confirmed=contrast_used and draw(st.booleans()),
        sedation=draw(st.sampled_from(vocab.SEDATION)),
        pre_pain=draw(st.none() | st.integers(0, 10)) if discography else draw(st.integers(0, 10)),
        region=region,
        surgery_considered=draw(st.booleans()),
        pain_scores=draw(diary()),
        discs=draw(discs(levels)) if discography else (),
        contraindications=tuple(
            draw(st.lists(st.sampled_from(vocab.CONTRAINDICATIONS), unique=True, max_size=3))
        ),
    )


@st.composite
def episodes(draw):
    """The procedures of one episode: one region, distinct ids."""
    region = draw(st.sampled_from(sorted({r for r, _ in REGIONS_AND_KINDS})))
    count = draw(st.integers(1, 6))
    return [draw(blocks(region=region, block_id=n)) for n in range(1, count + 1)]


@SETTINGS
@given(block=blocks(), profile=st.sampled_from(PROFILE_LIST))
def test_any_valid_block_reads_within_bounds(block, profile):
    reading = interpret_block(block, profile)

    assert reading.relief_percent is None or -900 <= reading.relief_percent <= 100
    assert reading.response in vocab.RESPONSES
    assert reading.validity in vocab.VALIDITIES
    assert set(reading.warnings) <= set(vocab.WARNING_CODES)
    assert {disc.result for disc in reading.discs} <= set(vocab.DISC_RESULTS)
    assert reading.duration_minutes is None or reading.duration_minutes >= 0


@SETTINGS
@given(procedures=episodes(), profile=st.sampled_from(PROFILE_LIST))
def test_any_episode_gets_only_known_suggestions(procedures, profile):
    suggestions = suggest(procedures, profile)

    ids = {block.id for block in procedures}
    for suggestion in suggestions:
        assert suggestion.code in vocab.NEXT_STEP_CODES
        assert set(suggestion.based_on) <= ids
        assert suggestion.rule
    for block in procedures:
        history = [other for other in procedures if other.id != block.id]
        reading = interpret_block(block, profile, history=history)
        assert reading.response in vocab.RESPONSES
        assert reading.relief_percent is None or -900 <= reading.relief_percent <= 100
