"""The admin: look up by MRN, read the history of every change; only a superuser deletes."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from blocks.models import (
    Complication,
    Decision,
    DiscInjection,
    Episode,
    PainScore,
    Patient,
    Procedure,
    Screening,
)


class NamedDateTimeFields:
    """A date and time field's two boxes say whose they are ("Overridden at: date"): the admin
    draws them under one label that points at neither (axe-core: form elements need labels)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, AdminSplitDateTime):
            name = capfirst(db_field.verbose_name)
            for widget, part in zip(field.widget.widgets, ("date", "time"), strict=True):
                widget.attrs["aria-label"] = f"{name}: {part}"
        return field


class ClinicalAdmin(NamedDateTimeFields, SimpleHistoryAdmin):
    """Clinical records are marked entered in error, not deleted (superusers excepted)."""

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ClinicalInline(NamedDateTimeFields, admin.TabularInline):
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class PainScoreInline(ClinicalInline):
    model = PainScore
    fields = ("minutes_after", "score", "patient_reported_relief_percent", "recorded_by")


class DiscInjectionInline(ClinicalInline):
    model = DiscInjection


class ScreeningInline(NamedDateTimeFields, admin.StackedInline):
    model = Screening
    extra = 0
    fields = ("contraindications", "override_reason", "overridden_by", "overridden_at")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ComplicationInline(ClinicalInline):
    model = Complication
    fields = ("code", "severity", "onset_days", "notes", "recorded_by", "entered_in_error")


@admin.register(Patient)
class PatientAdmin(ClinicalAdmin):
    list_display = ("mrn", "birth_date", "sex", "created_at", "entered_in_error")
    list_filter = ("sex", "entered_in_error")
    search_fields = ("mrn",)
    readonly_fields = ("created_at", "version")


@admin.register(Episode)
class EpisodeAdmin(ClinicalAdmin):
    list_display = (
        "id",
        "patient",
        "region",
        "side",
        "pain_pattern",
        "surgery_considered",
        "opened_at",
        "entered_in_error",
    )
    list_filter = ("region", "side", "pain_pattern", "surgery_considered", "entered_in_error")
    search_fields = ("patient__mrn",)
    list_select_related = ("patient",)
    raw_id_fields = ("patient", "created_by")
    readonly_fields = ("version",)
    date_hierarchy = "opened_at"


@admin.register(Procedure)
class ProcedureAdmin(ClinicalAdmin):
    list_display = (
        "id",
        "mrn",
        "performed_at",
        "kind",
        "intent",
        "side",
        "levels",
        "anesthetic",
        "performed_by",
        "entered_in_error",
    )
    list_filter = ("kind", "intent", "anesthetic", "guidance", "sedation", "entered_in_error")
    search_fields = ("episode__patient__mrn",)
    list_select_related = ("episode__patient", "performed_by")
    raw_id_fields = ("episode", "performed_by", "entered_in_error_by")
    readonly_fields = ("created_at", "version")
    date_hierarchy = "performed_at"
    inlines = (ScreeningInline, PainScoreInline, DiscInjectionInline, ComplicationInline)

    @admin.display(description="MRN", ordering="episode__patient__mrn")
    def mrn(self, procedure):
        return procedure.episode.patient.mrn


@admin.register(PainScore)
class PainScoreAdmin(ClinicalAdmin):
    list_display = ("procedure", "minutes_after", "score", "patient_reported_relief_percent")
    search_fields = ("procedure__episode__patient__mrn",)
    raw_id_fields = ("procedure", "recorded_by")


@admin.register(DiscInjection)
class DiscInjectionAdmin(ClinicalAdmin):
    list_display = ("procedure", "level", "pain_score", "concordance", "annular_grade")
    list_filter = ("concordance",)
    search_fields = ("procedure__episode__patient__mrn",)
    raw_id_fields = ("procedure",)


@admin.register(Screening)
class ScreeningAdmin(ClinicalAdmin):
    list_display = ("procedure", "contraindications", "overridden_by", "overridden_at")
    search_fields = ("procedure__episode__patient__mrn",)
    raw_id_fields = ("procedure", "overridden_by")


@admin.register(Complication)
class ComplicationAdmin(ClinicalAdmin):
    list_display = (
        "procedure",
        "code",
        "severity",
        "onset_days",
        "recorded_at",
        "entered_in_error",
    )
    list_filter = ("code", "severity", "entered_in_error")
    search_fields = ("procedure__episode__patient__mrn",)
    raw_id_fields = ("procedure", "recorded_by", "entered_in_error_by")


@admin.register(Decision)
class DecisionAdmin(ClinicalAdmin):
    list_display = ("episode", "code", "side", "levels", "status", "decided_by", "decided_at")
    list_filter = ("code", "status", "profile")
    search_fields = ("episode__patient__mrn",)
    raw_id_fields = ("episode", "decided_by")
    readonly_fields = ("fingerprint",)
