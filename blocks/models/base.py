"""What every clinical record shares: vocabulary choices and entered-in-error."""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

INT_MAX = 2_147_483_647  # the largest integer every supported database stores


def choices(codes) -> list[tuple[str, str]]:
    """Field choices from a vocabulary tuple: the code is stored, a label is shown."""
    return [(code, code.replace("_", " ").capitalize()) for code in codes]


def code_field(codes, **kwargs) -> models.CharField:
    return models.CharField(max_length=48, choices=choices(codes), **kwargs)


def in_vocabulary(field: str, codes, model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": list(codes)}),
        name=f"{model}_{field}_in_vocabulary",
        violation_error_message=f"Unknown {field}.",
    )


def between(field: str, low: int, high: int, model: str, *, nullable: bool = False):
    condition = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=f"{model}_{field}_between_{low}_and_{high}",
        violation_error_message=f"{field} must be between {low} and {high}.",
    )


def not_negative(field: str, model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
        name=f"{model}_{field}_not_negative",
        violation_error_message=f"{field} must not be negative.",
    )


class EnteredInErrorQuerySet(models.QuerySet):
    def active(self):
        """Records that still stand: those not marked as entered in error."""
        return self.filter(entered_in_error=False)

    def entered_in_error(self):
        return self.filter(entered_in_error=True)


class EnteredInError(models.Model):
    """Clinical records are never deleted: a mistake is marked, with who, when and why."""

    entered_in_error = models.BooleanField(default=False)
    entered_in_error_reason = models.TextField(blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_in_error_at = models.DateTimeField(null=True, blank=True)

    objects = EnteredInErrorQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(entered_in_error=False)
                | (Q(entered_in_error_at__isnull=False) & ~Q(entered_in_error_reason="")),
                name="%(app_label)s_%(class)s_entered_in_error_has_reason_and_time",
                violation_error_message="A record entered in error needs a reason and a time.",
            ),
        ]


# Plausible dates (API_CONTRACT.md v1.1 "Plausible input"). A date far outside the clinic's
# life is a typo, and one such row would reach every rule and report that reads the record.
EARLIEST_PERFORMED = datetime(1990, 1, 1, tzinfo=UTC)
EARLIEST_BIRTH = date(1900, 1, 1)
FUTURE_LEEWAY = timedelta(hours=24)


def implausible_moment(value: datetime | None, what: str) -> str | None:
    """Why a procedure or episode time cannot be right, or None when it can.

    Naive values (made by code, not by a request) are read in the clinic's time zone.
    """
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value < EARLIEST_PERFORMED:
        return f"{what} must not be before 1990-01-01."
    if value > timezone.now() + FUTURE_LEEWAY:
        return f"{what} must not be more than 24 hours in the future."
    return None


def implausible_birth_date(value: date | None) -> str | None:
    """Why a birth date cannot be right, or None when it can."""
    if value is None:
        return None
    if value < EARLIEST_BIRTH:
        return "The birth date must not be before 1900-01-01."
    if value > timezone.localdate():
        return "The birth date is in the future."
    return None
