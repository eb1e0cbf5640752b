"""The report filters: one form for the page, the API and the export command.

`from` and `to` are dates (inclusive, in the clinic's time zone); `kind`,
`region`, `side` take one vocabulary code each; `physician` a username or a
user id; `profile` a guideline profile name (the clinic's default if omitted).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from blocks.models import Procedure
from blocks.policy import PHYSICIAN
from blocks.rules import PROFILES, vocab

FILTER_FIELDS = ("from", "to", "kind", "region", "side", "physician", "profile")
# Dates outside these are typing mistakes (and date.max + 1 day would overflow).
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


@dataclass(frozen=True)
class ReportFilters:
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    region: str = ""
    side: str = ""
    physician: str = ""
    physician_id: int | None = None
    profile: str = ""

    def __post_init__(self):
        if not self.profile:
            object.__setattr__(self, "profile", settings.TRACKER_GUIDELINE_PROFILE)

    def performed_from(self) -> datetime | None:
        return _start_of(self.date_from) if self.date_from else None

    def performed_before(self) -> datetime | None:
        return _start_of(self.date_to + timedelta(days=1)) if self.date_to else None

    def as_dict(self) -> dict:
        """The filters as asked, for JSON output and the audit log."""
        data = asdict(self)
        data.pop("physician_id")
        data["from"] = data.pop("date_from")
        data["to"] = data.pop("date_to")
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in data.items()
            if value not in (None, "")
        }


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _choices(codes) -> list[tuple[str, str]]:
    return [("", "All")] + [(code, code.replace("_", " ")) for code in codes]


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=_choices(vocab.KINDS), required=False)
    region = forms.ChoiceField(choices=_choices(vocab.REGIONS), required=False)
    side = forms.ChoiceField(choices=_choices(vocab.SIDES), required=False)
    # A list of names on the page; the API still takes a username or a user id.
    physician = forms.CharField(
        required=False, max_length=150, label="Physician", widget=forms.Select
    )
    profile = forms.ChoiceField(choices=[(name, name) for name in PROFILES], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two fields are added by name.
        self.fields = {
            "from": forms.DateField(required=False, label="From", input_formats=["%Y-%m-%d"]),
            "to": forms.DateField(required=False, label="To", input_formats=["%Y-%m-%d"]),
            **self.fields,
        }
        self.fields["from"].widget.input_type = "date"
        self.fields["to"].widget.input_type = "date"
        # A callable: the list is read only when the page renders the select, not per API call.
        asked = self.data.get("physician")
        self.fields["physician"].widget.choices = lambda: physician_choices(asked)

    def clean_physician(self) -> str:
        return self.cleaned_data["physician"].strip()

    def clean(self):
        cleaned = super().clean()
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Give a date between {EARLIEST} and {LATEST}.")
                cleaned[name] = None
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        who = cleaned.get("physician")
        if who:
            users = get_user_model().objects
            by_id = who.isascii() and who.isdigit() and len(who) <= 18
            match = users.filter(pk=int(who)) if by_id else users.filter(username=who)
            found = match.values_list("pk", flat=True).first()
            if found is None:
                self.add_error("physician", f"No user {who!r}.")
            cleaned["physician_id"] = found
        return cleaned

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            date_from=data.get("from"),
            date_to=data.get("to"),
            kind=data.get("kind") or "",
            region=data.get("region") or "",
            side=data.get("side") or "",
            physician=data.get("physician") or "",
            physician_id=data.get("physician_id"),
            profile=data.get("profile") or "",
        )


def physician_choices(asked: str | None = None) -> list[tuple[str, str]]:
    """Who may be filtered on: physicians and anyone who performed a procedure, by name
    (the username where no name is recorded). The value is the user id, which the filter
    takes as well as a username: the page then carries no login names (the reports are
    de-identified). A value asked for that is not listed stays selectable as given.

    Physicians and performers are asked apart and united: a user is probed for a procedure
    on its index (a semi-join; inside an OR, PostgreSQL read all 100,000 procedures for each
    user who performed none), where joining every procedure and DISTINCT cost 17 ms, twice a
    page, at 100,000 procedures."""
    users = get_user_model().objects
    physicians = users.filter(groups__name=PHYSICIAN)
    performers = users.filter(Exists(Procedure.objects.filter(performed_by_id=OuterRef("pk"))))
    users = physicians.union(performers).order_by("last_name", "first_name", "username")
    choices = [("", "All")] + [
        (str(user.pk), user.get_full_name() or user.username) for user in users
    ]
    if asked and asked not in {value for value, _ in choices}:
        choices.append((asked, asked))
    return choices


def parse_filters(params) -> tuple[ReportFilters | None, dict[str, list[str]]]:
    """Filters from query parameters, or the errors as {"field": ["message", ...]}."""
    form = ReportFilterForm({key: params.get(key) for key in FILTER_FIELDS if params.get(key)})
    if not form.is_valid():
        return None, {field: list(messages) for field, messages in form.errors.items()}
    return form.filters(), {}
