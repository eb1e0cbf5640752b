"""The audit trail of a record, and the 409 answer to an edit based on a stale version."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from blocks.api.permissions import HistoryReaderPermission
from blocks.api.serializers.audit import HistorySerializer
from blocks.api.views.common import DETAIL_ERRORS, MARKED_RECORD_FIELD
from blocks.audit.history import (
    episode_history,
    last_change,
    patient_history,
    procedure_history,
)
from blocks.models import Episode, Patient, Procedure
from blocks.services import StaleVersion
from blocks.services.records import MarkedEnteredInError


def stale_message(stale: StaleVersion) -> str:
    """ "Changed by X at T since you read it; nothing was overwritten." """
    record = stale.current
    change = last_change(record)
    who = f" by {change.by}" if change and change.by else ""
    when = f" at {timezone.localtime(change.at):%Y-%m-%d %H:%M}" if change else ""
    return (
        f"{type(record).__name__} {record.pk} was changed{who}{when} since version "
        f"{stale.expected_version} was read (it is now version {record.version}); nothing "
        "was overwritten. Review the current record and send your edit again with its version."
    )


def conflict_response(stale: StaleVersion, current_data) -> Response:
    return Response(
        {"detail": stale_message(stale), "current": current_data},
        status=status.HTTP_409_CONFLICT,
    )


def versioned_patch(request, *, view, input_serializer, update, represent) -> Response:
    """One PATCH: validate, apply `update(expected_version=..., updated_by=..., **changes)`,
    and answer with the record as it stands, or 409 with it when the version was stale."""
    data = input_serializer(data=request.data)
    data.is_valid(raise_exception=True)
    changes = dict(data.validated_data)
    version = changes.pop("version")
    try:
        record = update(expected_version=version, updated_by=request.user, **changes)
    except StaleVersion as stale:
        return conflict_response(stale, represent(view.get_queryset().get(pk=stale.current.pk)))
    except MarkedEnteredInError as marked:
        current = represent(view.get_queryset().get(pk=view.kwargs["pk"]))
        return Response(
            {
                "detail": marked.messages[0],
                "entered_in_error": {"record": marked.kind, "id": marked.record.pk},
                "current": current,
            },
            status=status.HTTP_409_CONFLICT,
        )
    return Response(represent(view.get_queryset().get(pk=record.pk)))


def conflict(name: str, output_serializer) -> OpenApiResponse:
    return OpenApiResponse(
        inline_serializer(
            name,
            {
                "detail": serializers.CharField(),
                "current": output_serializer,
                "entered_in_error": MARKED_RECORD_FIELD.__class__(required=False),
            },
        ),
        description="The record changed since the version the edit was based on, or it (or one "
        "above it) was entered in error (`entered_in_error` names the marked record); nothing "
        "was written. `current` is the record as it now stands.",
    )


class HistoryView(GenericAPIView):
    """Every change to the record, newest first: who, when, and each field from -> to."""

    permission_classes = [HistoryReaderPermission]
    serializer_class = HistorySerializer
    filter_backends = []
    pagination_class = None
    record = ""

    def entries(self, record):
        raise NotImplementedError

    def get(self, request, pk):
        record = self.get_object()
        data = {"record": self.record, "id": record.pk, "entries": self.entries(record)}
        return Response(HistorySerializer(data).data)


HISTORY_RESPONSES = {200: HistorySerializer, **DETAIL_ERRORS}


class ProcedureHistoryView(HistoryView):
    queryset = Procedure.objects.all()
    record = "procedure"

    def entries(self, record):
        return procedure_history(record)

    @extend_schema(
        operation_id="procedures_history",
        description="Changes to the procedure and to its pain scores, discs, screening and "
        "complications. Physicians, quality and superusers only.",
        responses=HISTORY_RESPONSES,
    )
    def get(self, request, pk):
        return super().get(request, pk)


class PatientHistoryView(HistoryView):
    queryset = Patient.objects.all()
    record = "patient"

    def entries(self, record):
        return patient_history(record)

    @extend_schema(operation_id="patients_history", responses=HISTORY_RESPONSES)
    def get(self, request, pk):
        return super().get(request, pk)


class EpisodeHistoryView(HistoryView):
    queryset = Episode.objects.all()
    record = "episode"

    def entries(self, record):
        return episode_history(record)

    @extend_schema(operation_id="episodes_history", responses=HISTORY_RESPONSES)
    def get(self, request, pk):
        return super().get(request, pk)
