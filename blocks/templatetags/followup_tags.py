"""The staff home's list of follow-ups due and overdue, as an inclusion tag: the home page
includes `blocks/_followups_due.html`, which calls this, so no view needs to change."""

from django import template
from django.urls import reverse

from blocks.followup_chart import follow_up_chart
from blocks.forms.labels import label
from blocks.selectors import followups_due, treatment_outcome
from blocks.views.access import active_profile

register = template.Library()

SHOWN = 20


@register.inclusion_tag("blocks/_followups_due_list.html")
def followups_due_list():
    items = followups_due()
    rows = [
        {
            "url": reverse("procedure-follow-ups", args=[item.procedure.pk]),
            "mrn": item.procedure.episode.patient.mrn,
            "treatment": label(item.procedure.kind),
            "days_after": item.days_after,
            "due_on": item.due_on,
            "state": item.state,
        }
        for item in sorted(items, key=lambda i: (i.state != "overdue", i.due_on))
    ]
    return {
        "rows": rows[:SHOWN],
        "more": max(len(rows) - SHOWN, 0),
        "overdue": sum(r["state"] == "overdue" for r in rows),
        "due": sum(r["state"] == "due" for r in rows),
    }


@register.inclusion_tag("blocks/_treatment_follow_up_card.html", takes_context=True)
def treatment_follow_up(context, procedure):
    """A treatment's follow-up on the episode page: chart, selection and repeat-RFA
    eligibility. Nothing for a diagnostic block."""
    if procedure is None or not procedure.is_treatment():
        return {"outcome": None}
    from blocks.adapters import to_blocks
    from blocks.rules import suggest_next_steps

    profile = active_profile(context["request"])
    outcome = treatment_outcome(procedure, profile=profile)
    points = [(int(d), r) for d, r in outcome["relief_percent"].items() if r is not None]
    episode_rows = procedure.episode.procedures.active().prefetch_related(
        "pain_scores", "discs", "follow_ups"
    )
    repeat = [
        s
        for s in suggest_next_steps(to_blocks(episode_rows), profile)
        if s.rule == "rfa.repeat" and procedure.pk in s.based_on
    ]
    return {
        "procedure": procedure,
        "outcome": outcome,
        "profile": profile,
        "repeat": repeat[0] if repeat else None,
        "can_write": context.get("can_write"),
        "chart": follow_up_chart(
            chart_id=f"follow-up-{procedure.pk}",
            points=points,
            substantial=profile.follow_up_substantial_relief_percent,
            meaningful=profile.follow_up_meaningful_relief_percent,
        ),
    }
