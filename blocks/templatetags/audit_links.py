"""`{% audit_links "procedure" procedure %}`: the record's History and Edit links, by role.

For the clinic pages (issue 3) to put on a record: physicians, quality and superusers
see "History"; staff, physicians and superusers see "Edit" on a procedure that still
stands. Load with `{% load audit_links %}`.
"""

from django import template
from django.urls import reverse

from blocks.policy import may_edit_records, may_read_history

register = template.Library()


@register.inclusion_tag("audit/_links.html", takes_context=True)
def audit_links(context, record: str, instance):
    request = context.get("request")
    user = getattr(request, "user", None)
    history_url = edit_url = None
    if may_read_history(user):
        history_url = reverse(f"audit:{record}-history", args=[instance.pk])
    if record == "procedure" and may_edit_records(user) and not instance.entered_in_error:
        edit_url = reverse("audit:procedure-edit", args=[instance.pk])
    return {"history_url": history_url, "edit_url": edit_url, "record": record}
