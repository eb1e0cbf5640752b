"""Rules and sources: every rule id the engine names, with its message, source and tag.

A clinician who reads a rule id beside a suggestion, a warning or a reason on the
episode page follows its link here to see which document it rests on, and what the
[P]/[S]/[L] tags mean.
"""

from django.shortcuts import render

from blocks.forms.labels import label
from blocks.rules import PROFILES, catalogue
from blocks.rules.frequency import limit_lines
from blocks.views.access import active_profile, clinical_page

KIND_WORDS = {
    "warning": "Warning",
    "non_diagnostic": "Non-diagnostic reason",
    "hard_stop": "Hard stop",
}


def _row(rule: catalogue.Rule) -> dict:
    return {
        "rule": rule,
        "raises": f"{KIND_WORDS[rule.kind]}: {label(rule.code)}" if rule.code else "",
        "elsewhere": [(when, source) for when, source in rule.elsewhere],
    }


@clinical_page()
def rules_page(request):
    """Any clinical role reads it; the frequency limits are the active profile's."""
    profile = active_profile(request)
    groups = [
        {"key": key, "title": title, "rows": [_row(rule) for rule in rules]}
        for key, title, rules in catalogue.rules_by_group()
    ]
    limits = {name: limit_lines(p) for name, p in PROFILES.items()}
    return render(
        request,
        "blocks/rules.html",
        {
            "groups": groups,
            "evidence": list(catalogue.EVIDENCE.items()),
            "profile": profile,
            "limits": limit_lines(profile),
            "limited_profiles": [name for name, lines in limits.items() if lines],
        },
    )
