"""The staff home's list of follow-ups due and overdue, as an inclusion tag: the home page
includes `blocks/_followups_due.html`, which calls this, so no view needs to change."""

from django import template
from django.urls import reverse

from blocks.followup_chart import follow_up_chart
from blocks.forms.labels import label
from blocks.models import Procedure
from blocks.selectors import followup_points, treatment_outcome
from blocks.views.access import active_profile

register = template.Library()

SHOWN = 20


@register.inclusion_tag("blocks/_followups_due_list.html")
def followups_due_list():
    """The first SHOWN points, overdue first, and the counts of all (only the shown points'
    procedures and patients are loaded: a large clinic has thousands to chase)."""
    items = sorted(followup_points(), key=lambda i: (i.state != "overdue", i.due_on))
    shown = items[:SHOWN]
    procedures = Procedure.objects.select_related("episode__patient").in_bulk(
        {item.procedure_id for item in shown}
    )
    rows = [
        {
            "url": reverse("procedure-follow-ups", args=[item.procedure_id]),
            "mrn": procedures[item.procedure_id].episode.patient.mrn,
            "treatment": label(item.kind),
            "days_after": item.days_after,
            "due_on": item.due_on,
            "state": item.state,
        }
        for item in shown
    ]
    return {
        "rows": rows,
        "more": max(len(items) - SHOWN, 0),
        "overdue": sum(item.state == "overdue" for item in items),
        "due": sum(item.state == "due" for item in items),
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
