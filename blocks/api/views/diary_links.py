"""The patient's diary link in the API (API_CONTRACT v1.1 "The patient's diary").

Staff and physicians make a block's link (`POST /api/procedures/{id}/diary-link/`, the token
and URL in that answer only) and revoke it. The patient's side needs no account, only the
token: `GET /api/diary/{token}/` says what the patient may see (no MRN, name or birth date)
and `POST /api/diary/{token}/scores/` answers one time point. Those two take no session and no
API token, and are throttled per client address (TRACKER_DIARY_RATE).
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from blocks import patient_diary, services
from blocks.api.fields import StrictIntegerField
from blocks.api.throttles import DiaryRateThrottle
from blocks.api.views.common import BAD_REQUEST, DETAIL_ERRORS, UNDER_MARKED
from blocks.api.views.diaries import DiaryChaserPermission
from blocks.models import DiaryLink, Procedure


class TimePointSerializer(serializers.Serializer):
    minutes_after = serializers.IntegerField(help_text="Minutes after the block.")
    due_at = serializers.DateTimeField(help_text="When the time point is due.")
    clock = serializers.CharField(
        help_text="The time point as a clock time in the clinic's time zone ('10:30', "
        "'07:00 next day'): what a person is shown."
    )
    answered = serializers.BooleanField()


class DiaryLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The patient's page; shown in this answer only.")
    token = serializers.CharField(help_text="The link's secret; only its hash is stored.")
    expires_at = serializers.DateTimeField(help_text="When the block's diary stops being open.")
    time_points = TimePointSerializer(many=True)


class PatientDiarySerializer(serializers.Serializer):
    """What the patient may see: the block and its time points, nothing that names them."""

    block = serializers.CharField(help_text="The block in plain words, for the patient.")
    kind = serializers.CharField()
    side = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    performed_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    next_due = serializers.IntegerField(
        allow_null=True,
        help_text="The time point to answer now, or the next one to come (minutes after the "
        "block); null when every point is answered.",
    )
    time_points = TimePointSerializer(many=True)


class PatientScoreInputSerializer(serializers.Serializer):
    minutes_after = StrictIntegerField(min_value=0, help_text="One of the diary's time points.")
    score = StrictIntegerField(min_value=0, max_value=10)
    patient_reported_relief_percent = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=100
    )


class PatientScoreSerializer(serializers.Serializer):
    minutes_after = serializers.IntegerField()
    clock = serializers.CharField()
    score = serializers.IntegerField()
    patient_reported_relief_percent = serializers.IntegerField(allow_null=True)
    entered_at = serializers.DateTimeField()
    late = serializers.BooleanField(
        help_text="Entered after the next time point was already due (the last point: more "
        "than 60 minutes after it); kept and read, and marked."
    )


_DETAIL = inline_serializer("DiaryErrorDetail", {"detail": serializers.CharField()})
_CONFLICT = inline_serializer(
    "DiaryConflict",
    {
        "detail": serializers.CharField(),
        "code": serializers.ChoiceField(choices=["diary_not_open", "answered", "too_early"]),
    },
)
GONE = OpenApiResponse(_DETAIL, description="The link expired (its diary closed) or was revoked.")
UNKNOWN = OpenApiResponse(_DETAIL, description="No link has this token.")
THROTTLED = OpenApiResponse(
    _DETAIL,
    description="Too many requests from this client address (TRACKER_DIARY_RATE); the "
    "Retry-After header says when to try again.",
)


def time_point_data(procedure: Procedure) -> list[dict]:
    return [
        {
            "minutes_after": p.minutes_after,
            "due_at": p.due_at,
            "clock": p.clock,
            "answered": p.answered,
        }
        for p in patient_diary.time_points(procedure)
    ]


def _conflict(error: services.DiaryConflict) -> Response:
    return Response({"detail": str(error), "code": error.code}, status=status.HTTP_409_CONFLICT)


class DiaryLinkCreateView(GenericAPIView):
    permission_classes = [DiaryChaserPermission]
    serializer_class = DiaryLinkSerializer
    filter_backends = []
    queryset = Procedure.objects.select_related("episode__patient")

    @extend_schema(
        operation_id="procedures_diary_link_create",
        request=None,
        responses={
            201: DiaryLinkSerializer,
            400: BAD_REQUEST,
            **DETAIL_ERRORS,
            409: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="DiaryLinkConflict",
                    serializers=[_CONFLICT, UNDER_MARKED.response],
                    resource_type_field_name=None,
                ),
                description="The block's diary is no longer open (`diary_not_open`), or the "
                "procedure or a record above it was entered in error (`entered_in_error` names "
                "it).",
            ),
        },
        description="Make the block's patient diary link (a new one revokes the previous). "
        "The token is in this answer only; only its hash is stored.",
    )
    def post(self, request, pk):
        procedure = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            link, token = services.diary_link_create(procedure=procedure, created_by=request.user)
        except services.DiaryConflict as error:
            return _conflict(error)
        data = {
            "url": patient_diary.patient_url(request, token),
            "token": token,
            "expires_at": link.expires_at,
            "time_points": time_point_data(link.procedure),
        }
        response = Response(DiaryLinkSerializer(data).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class DiaryLinkRevokeView(GenericAPIView):
    metadata_class = None  # no body to describe: OPTIONS is a 405, not DRF's metadata
    permission_classes = [DiaryChaserPermission]
    filter_backends = []
    queryset = Procedure.objects.select_related("episode__patient")

    @extend_schema(
        operation_id="procedures_diary_link_revoke",
        request=None,
        responses={204: None, **DETAIL_ERRORS, 409: UNDER_MARKED},
        description="Withdraw the block's standing patient link; the scores entered through "
        "it stay.",
    )
    def post(self, request, pk):
        procedure = get_object_or_404(self.get_queryset(), pk=pk)
        services.diary_link_revoke(procedure=procedure, revoked_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenView(GenericAPIView):
    """No account, no session, no API token: the token in the path is the only credential."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [DiaryRateThrottle]
    filter_backends = []

    def link_or_answer(self, token: str):
        """(link, None) for a usable link, else (None, the 404 or 410 answer)."""
        try:
            return services.link_for_token(token), None
        except DiaryLink.DoesNotExist:
            answer = Response({"detail": "No diary has this link."}, status=404)
        except services.LinkGone as gone:
            answer = Response({"detail": str(gone)}, status=status.HTTP_410_GONE)
        return None, answer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response


class PatientDiaryView(TokenView):
    serializer_class = PatientDiarySerializer

    @extend_schema(
        operation_id="diary_token_retrieve",
        auth=[],
        responses={200: PatientDiarySerializer, 404: UNKNOWN, 410: GONE, 429: THROTTLED},
        description="What the patient may see of the block's diary: no MRN, name or birth date.",
    )
    def get(self, request, token):
        link, answer = self.link_or_answer(token)
        if answer is not None:
            return answer
        procedure = link.procedure
        points = patient_diary.time_points(procedure)
        due = patient_diary.next_due(procedure, points, timezone.now())
        data = {
            "block": patient_diary.patient_words(procedure),
            "kind": procedure.kind,
            "side": procedure.side,
            "levels": list(procedure.levels or ()),
            "performed_at": procedure.performed_at,
            "expires_at": link.expires_at,
            "next_due": due.minutes_after if due else None,
            "time_points": time_point_data(procedure),
        }
        return Response(PatientDiarySerializer(data).data)


class PatientScoresView(TokenView):
    serializer_class = PatientScoreInputSerializer

    @extend_schema(
        operation_id="diary_token_scores_create",
        auth=[],
        request=PatientScoreInputSerializer,
        responses={
            201: PatientScoreSerializer,
            400: BAD_REQUEST,
            404: UNKNOWN,
            409: OpenApiResponse(
                _CONFLICT,
                description="The time point was already answered (`answered`), or is more "
                "than 5 minutes before it is due (`too_early`).",
            ),
            410: GONE,
            429: THROTTLED,
        },
        description="The patient answers one time point. A late answer is kept and marked.",
    )
    def post(self, request, token):
        link, answer = self.link_or_answer(token)
        if answer is not None:
            return answer
        entry = PatientScoreInputSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        try:
            score = services.patient_score_add(link=link, **entry.validated_data)
        except services.DiaryConflict as error:
            return _conflict(error)
        except services.LinkGone as gone:
            return Response({"detail": str(gone)}, status=status.HTTP_410_GONE)
        data = {
            "minutes_after": score.minutes_after,
            "clock": patient_diary.clock(link.procedure, score.minutes_after),
            "score": score.score,
            "patient_reported_relief_percent": score.patient_reported_relief_percent,
            "entered_at": score.recorded_at,
            "late": score.late,
        }
        return Response(PatientScoreSerializer(data).data, status=status.HTTP_201_CREATED)
