"""Guideline profiles as data: every parameter of CLINICAL_RULES.md section 3."""

import pytest

from blocks.rules import PROFILES, UnknownProfile, get_profile
from tests.rules.builders import ASRA, CMS, SIS

# parameter: (cms-2021, asra-2020, sis-controlled), straight from the section 3 table.
TABLE = {
    "nerve_root_positive_percent": (80, 80, 80),
    "little_relief_below_percent": (50, 50, 50),
    "medial_branch_positive_percent": (80, 50, 80),
    "medial_branch_blocks_before_rfa": (2, 1, 2),
    "rfa_requires_concordance": (False, False, True),
    "min_days_between_diagnostic_blocks": (14, None, 1),
    "facet_intraarticular_positive_percent": (80, 50, 80),
    "facet_intraarticular_blocks_before_therapeutic": (2, 1, 2),
    "si_joint_positive_percent": (75, 75, 75),
    "discography_concordant_pain_at_least": (7, 7, 7),
    "discography_pressure_above_opening_below_psi": (50, 50, 50),
    "discography_annular_grade_at_least": (3, 3, 3),
    "repeat_rfa_relief_at_least_percent": (50, 30, 50),
    "repeat_rfa_lasting_days": (180, 90, 180),
}
NAMES = ("cms-2021", "asra-2020", "sis-controlled")


def test_there_are_exactly_three_profiles():
    assert set(PROFILES) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_get_profile_returns_the_profile_of_that_name(name):
    assert get_profile(name).name == name


def test_an_unknown_profile_name_is_refused_naming_the_choices():
    with pytest.raises(UnknownProfile) as error:
        get_profile("cms-2019")
    assert isinstance(error.value, ValueError)
    for name in NAMES:
        assert name in str(error.value)


@pytest.mark.parametrize("parameter", sorted(TABLE))
@pytest.mark.parametrize("index, name", list(enumerate(NAMES)))
def test_every_threshold_of_the_table_is_exact(parameter, index, name):
    assert getattr(get_profile(name), parameter) == TABLE[parameter][index]


def test_the_absolute_duration_requirement_applies_under_cms_only():
    # s.2: "applies only under cms-2021 ... under sis-controlled it is met by concordance alone
    # ... asra-2020 has none".
    assert CMS.duration_consistent_with_agent_required is True
    assert ASRA.duration_consistent_with_agent_required is False
    assert SIS.duration_consistent_with_agent_required is False
    assert SIS.rfa_requires_concordance is True


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_the_thresholds_of_section_2_are_profile_parameters(profile):
    assert profile.baseline_at_least == 3
    assert profile.medial_branch_high_volume_above_ml == 0.5
    assert profile.intraarticular_high_volume_at_least_ml == 1.5
    assert profile.discography_min_discs == 2
    windows = {
        agent: (w.start_minutes, w.end_minutes) for agent, w in profile.evaluation_windows.items()
    }
    assert windows == {
        "lidocaine": (0, 180),
        "bupivacaine": (0, 480),
        "ropivacaine": (0, 480),
        "saline": (0, 480),
    }
    assert profile.min_duration_minutes == {"lidocaine": 60, "bupivacaine": 180, "ropivacaine": 180}


def test_sedation_and_ultrasound_differ_by_profile():
    assert set(CMS.sedation_invalidates) == {"deep", "general"}
    assert set(ASRA.sedation_invalidates) == {"deep", "general"}
    assert set(SIS.sedation_invalidates) == {"moderate", "deep", "general"}
    assert set(CMS.sedation_warns) == set(ASRA.sedation_warns) == {"moderate"}
    assert set(SIS.sedation_warns) == set()
    assert ASRA.ultrasound_valid_for_cervical_medial_branch is True
    assert CMS.ultrasound_valid_for_cervical_medial_branch is False
    assert SIS.ultrasound_valid_for_cervical_medial_branch is False


def test_frequency_limits_belong_to_the_medicare_profile_only():
    limits = CMS.frequency_limits
    assert (limits.rolling_days, limits.diagnostic_facet_sessions, limits.rfa_sessions) == (
        365,
        4,
        2,
    )
    assert (limits.epidural_sessions, limits.si_diagnostic_sessions) == (4, 2)
    assert limits.si_therapeutic_sessions == 4
    assert (
        limits.facet_levels_per_session,
        limits.transforaminal_levels_per_session,
        limits.interlaminar_levels_per_session,
    ) == (2, 2, 1)
    assert ASRA.frequency_limits is None
    assert SIS.frequency_limits is None


@pytest.mark.parametrize(
    "kind, cms, asra, sis",
    [
        ("medial_branch_block", 80, 50, 80),
        ("facet_intraarticular", 80, 50, 80),
        ("sacroiliac_joint", 75, 75, 75),
        ("transforaminal_epidural", 80, 80, 80),
    ],
)
def test_the_positive_threshold_depends_on_the_kind(kind, cms, asra, sis):
    assert (
        CMS.positive_threshold(kind),
        ASRA.positive_threshold(kind),
        SIS.positive_threshold(kind),
    ) == (cms, asra, sis)


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_each_profile_is_data_with_a_name_a_version_date_and_sources(profile):
    data = profile.as_dict()
    assert data["name"] == profile.name
    assert data["version_date"]
    assert data["sources"] and all(data["sources"])
    assert data["parameters"]["medial_branch_positive_percent"] == (
        profile.medial_branch_positive_percent
    )
    assert data["local_policy"], "the [L] choices must be shown as local policy"


def test_the_cms_profile_is_dated_from_the_lcds_effective_date():
    assert CMS.version_date == "2021-04-25"
