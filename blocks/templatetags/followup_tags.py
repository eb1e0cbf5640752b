"""The staff home's list of follow-ups due and overdue, as an inclusion tag: the home page
includes `blocks/_followups_due.html`, which calls this, so no view needs to change."""

from django import template
from django.urls import reverse

from blocks.forms.labels import label
from blocks.selectors import followups_due

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
