"""Follow-up after treatment (API_CONTRACT v1.1, CLINICAL_RULES section 10).

Staff and physicians write follow-ups and make links; quality reads. The patient's side
(`/api/follow-up/{token}/`) needs no account: an unknown token is a 404 counted against the
client's address (429 once throttled), an expired or revoked link a 410.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from blocks import selectors
from blocks.api.serializers import EnteredInErrorInputSerializer
from blocks.api.serializers.followup import (
    FollowUpDueSerializer,
    FollowUpInputSerializer,
    FollowUpLinkSerializer,
    FollowUpOutputSerializer,
    FollowUpUpdateSerializer,
    PatientAnswerSerializer,
    PatientFollowUpSerializer,
)
from blocks.api.views.audit import conflict, versioned_patch
from blocks.api.views.common import (
    _DETAIL,
    DETAIL_ERRORS,
    LIST_ERRORS,
    UNDER_MARKED,
    WRITE_ERRORS,
)
from blocks.api.views.diaries import DiaryChaserPermission
from blocks.api.views.patients import EnteredInErrorView
from blocks.models import FollowUp, FollowUpLink
from blocks.rules import followup as rules
from blocks.services import followup as service
from blocks.services.diary import LinkGone
from tracker.auth.authentication import TokenAttempts

CONFLICT = OpenApiResponse(_DETAIL, description="A follow-up at that day already stands.")
GONE = OpenApiResponse(_DETAIL, description="The link expired or was revoked.")
THROTTLED = OpenApiResponse(_DETAIL, description="Too many unknown tokens from this address.")


def _conflict(error: service.FollowUpConflict) -> Response:
    return Response({"detail": str(error), "code": error.code}, status=status.HTTP_409_CONFLICT)


def _follow_ups():
    return FollowUp.objects.select_related("procedure__episode__patient")


def _treatments():
    return selectors.procedure_list(include_entered_in_error=True)


class ProcedureFollowUpsView(GenericAPIView):
    serializer_class = FollowUpOutputSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return _treatments()

    @extend_schema(
        operation_id="procedures_follow_ups_list",
        responses={200: FollowUpOutputSerializer(many=True), **DETAIL_ERRORS},
    )
    def get(self, request, pk):
        procedure = self.get_object()
        rows = procedure.follow_ups.order_by("days_after", "id")
        return Response(FollowUpOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="procedures_follow_ups_create",
        request=FollowUpInputSerializer,
        responses={
            201: FollowUpOutputSerializer,
            **WRITE_ERRORS,
            404: DETAIL_ERRORS[404],
            409: CONFLICT,
        },
        description="Record one follow-up of a treatment (RFA or a therapeutic injection); a "
        "diagnostic block is a 400, a second follow-up on the same day a 409.",
    )
    def post(self, request, pk):
        procedure = self.get_object()
        data = FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            follow_up = service.follow_up_add(
                procedure=procedure, recorded_by=request.user, **data.validated_data
            )
        except service.FollowUpConflict as error:
            return _conflict(error)
        return Response(FollowUpOutputSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class FollowUpDetailView(GenericAPIView):
    serializer_class = FollowUpOutputSerializer
    filter_backends = []

    def get_queryset(self):
        return _follow_ups()

    @extend_schema(
        operation_id="follow_ups_partial_update",
        request=FollowUpUpdateSerializer,
        responses={
            200: FollowUpOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: conflict("FollowUpConflict", FollowUpOutputSerializer()),
        },
        description="Correct one follow-up with its version (its history keeps the value).",
    )
    def patch(self, request, pk):
        follow_up = self.get_object()
        try:
            return versioned_patch(
                request,
                view=self,
                input_serializer=FollowUpUpdateSerializer,
                update=lambda *, expected_version, updated_by, **edit: service.follow_up_correct(
                    follow_up=follow_up,
                    expected_version=expected_version,
                    corrected_by=updated_by,
                    **edit,
                ),
                represent=lambda record: FollowUpOutputSerializer(record).data,
            )
        except service.FollowUpConflict as error:
            return _conflict(error)


class FollowUpEnteredInErrorView(EnteredInErrorView):
    def get_queryset(self):
        return _follow_ups()

    def get_output(self, record):
        return FollowUpOutputSerializer(record).data

    def mark(self, record, *, reason: str, user):
        return service.follow_up_mark_entered_in_error(follow_up=record, reason=reason, user=user)

    @extend_schema(
        operation_id="follow_ups_entered_in_error_create",
        request=EnteredInErrorInputSerializer,
        responses={
            200: FollowUpOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: UNDER_MARKED,
        },
    )
    def post(self, request, pk):
        return super().post(request, pk)


def link_answer(request, link: FollowUpLink, token: str) -> dict:
    return {
        "url": request.build_absolute_uri(reverse("follow-up-patient", args=[token])),
        "token": token,
        "expires_at": link.expires_at,
        "time_points": service.link_points(link),
    }


class FollowUpLinkView(GenericAPIView):
    permission_classes = [DiaryChaserPermission]
    serializer_class = FollowUpLinkSerializer
    filter_backends = []

    def get_queryset(self):
        return _treatments()

    @extend_schema(
        operation_id="procedures_follow_up_link_create",
        request=None,
        responses={
            201: FollowUpLinkSerializer,
            **WRITE_ERRORS,
            404: DETAIL_ERRORS[404],
            409: OpenApiResponse(_DETAIL, description="No follow-up point is due."),
        },
        description="A patient link for the follow-up points now due (a new link revokes the "
        "old); valid until 14 days after the latest of them. The token is shown once.",
    )
    def post(self, request, pk):
        procedure = self.get_object()
        try:
            link, token = service.follow_up_link_create(
                procedure=procedure, created_by=request.user
            )
        except service.FollowUpConflict as error:
            return _conflict(error)
        data = FollowUpLinkSerializer(link_answer(request, link, token)).data
        return Response(data, status=status.HTTP_201_CREATED)


class FollowUpLinkRevokeView(GenericAPIView):
    metadata_class = None  # no body to describe: OPTIONS is a 405, not DRF's metadata
    permission_classes = [DiaryChaserPermission]
    serializer_class = None
    filter_backends = []

    def get_queryset(self):
        return _treatments()

    @extend_schema(
        operation_id="procedures_follow_up_link_revoke",
        request=None,
        responses={204: None, **WRITE_ERRORS, 404: DETAIL_ERRORS[404], 409: UNDER_MARKED},
    )
    def post(self, request, pk):
        service.follow_up_link_revoke(procedure=self.get_object(), revoked_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _patient_link(request, token: str):
    """The usable link, or the answer that refuses it (404 counted, 410, 429)."""
    attempts = TokenAttempts(request)
    attempts.refuse_if_blocked()
    try:
        return service.link_for_token(token), None
    except FollowUpLink.DoesNotExist:
        attempts.record_failure()
        return None, Response({"detail": "No such link."}, status=status.HTTP_404_NOT_FOUND)
    except LinkGone as gone:
        return None, Response({"detail": str(gone)}, status=status.HTTP_410_GONE)


def patient_view_data(link: FollowUpLink) -> dict:
    procedure = link.procedure
    return {
        "kind": procedure.kind,
        "side": procedure.side,
        "levels": list(procedure.levels),
        "performed_at": procedure.performed_at,
        "time_points": service.link_points(link),
    }


PATIENT_ERRORS = {404: DETAIL_ERRORS[404], 410: GONE, 429: THROTTLED}


class PatientFollowUpView(GenericAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = PatientFollowUpSerializer
    filter_backends = []

    @extend_schema(
        operation_id="follow_up_patient_retrieve",
        responses={200: PatientFollowUpSerializer, **PATIENT_ERRORS},
        description="The patient's follow-up: the treatment and the points to answer.",
    )
    def get(self, request, token):
        link, refusal = _patient_link(request, token)
        if refusal:
            return refusal
        return Response(PatientFollowUpSerializer(patient_view_data(link)).data)


class PatientFollowUpAnswerView(GenericAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = PatientAnswerSerializer
    filter_backends = []

    @extend_schema(
        operation_id="follow_up_patient_answers_create",
        request=PatientAnswerSerializer,
        responses={
            201: PatientFollowUpSerializer,
            400: WRITE_ERRORS[400],
            409: CONFLICT,
            **PATIENT_ERRORS,
        },
    )
    def post(self, request, token):
        link, refusal = _patient_link(request, token)
        if refusal:
            return refusal
        data = PatientAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            service.patient_answer_add(link=link, **data.validated_data)
        except service.FollowUpConflict as error:
            return _conflict(error)
        except LinkGone as gone:
            return Response({"detail": str(gone)}, status=status.HTTP_410_GONE)
        link.refresh_from_db()
        return Response(
            PatientFollowUpSerializer(patient_view_data(link)).data, status=status.HTTP_201_CREATED
        )


STATUS_PARAMETER = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=list(rules.POINT_STATES),
    description="due (from 3 days before the point to 14 after) or overdue; both without it.",
)


class FollowUpDueListView(GenericAPIView):
    permission_classes = [DiaryChaserPermission]
    serializer_class = FollowUpDueSerializer
    filter_backends = []

    @extend_schema(
        operation_id="follow_ups_list",
        parameters=[STATUS_PARAMETER],
        responses={200: FollowUpDueSerializer(many=True), **LIST_ERRORS},
        description="Scheduled follow-up points due or overdue, soonest first.",
    )
    def get(self, request):
        wanted = request.query_params.get("status")
        if wanted is not None and wanted not in rules.POINT_STATES:
            raise ValidationError({"status": [f"One of {', '.join(rules.POINT_STATES)}."]})
        states = rules.POINT_STATES if wanted is None else (wanted,)
        items = [
            {
                "procedure": item.procedure_id,
                "kind": item.kind,
                "performed_at": item.performed_at,
                "days_after": item.days_after,
                "due_on": item.due_on,
                "state": item.state,
            }
            for item in selectors.followup_points(states=states)
        ]
        page = self.paginate_queryset(items)
        return self.get_paginated_response(FollowUpDueSerializer(page, many=True).data)
