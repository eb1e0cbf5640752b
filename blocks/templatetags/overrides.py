"""{% awaiting_overrides as items %}: the procedures waiting for a physician's override.

A tag rather than a context processor, so that only the page that shows the list (the
worklist, through templates/blocks/_awaiting_override.html) pays its one query, and the
worklist's view does not change.
"""

from django import template
from django.urls import reverse

from blocks import selectors
from blocks.forms.labels import label
from blocks.policy import is_physician
from blocks.services.hard_stops import hard_stop_sentence, hard_stops_of

register = template.Library()


def hard_stop_words(procedure) -> list[str]:
    screening = getattr(procedure, "screening", None)
    codes = (
        hard_stops_of(
            screening.contraindications,
            contrast_used=procedure.contrast_used,
            steroid=procedure.steroid,
        )
        if screening is not None
        else ()
    )
    return [hard_stop_sentence(code) for code in codes]


@register.simple_tag(takes_context=True)
def awaiting_overrides(context) -> list[dict]:
    request = context.get("request")
    if request is None or not is_physician(request.user):
        return []
    return [
        {
            "procedure": p,
            "patient": p.episode.patient,
            "what": f"{label(p.side)} {label(p.kind).lower()} at {', '.join(p.levels or ())}",
            "hard_stops": hard_stop_words(p),
            "url": reverse("procedure-override", args=[p.pk]),
        }
        for p in selectors.awaiting_override_procedures()
    ]
