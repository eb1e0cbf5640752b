"""Physicians' decisions on an episode's next-step suggestions (GET and POST)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from blocks import services
from blocks.api.fields import CodeField, CodeListField, StrictCharField
from blocks.api.permissions import ClinicalRolePermission
from blocks.api.views.common import BAD_REQUEST, DETAIL_ERRORS, UNDER_MARKED, WRITE_ERRORS
from blocks.api.vocabulary import PROFILE_NAMES, code_field, code_list
from blocks.models import Decision, Episode
from blocks.models.decisions import DECISION_STATUSES, DECLINED
from blocks.policy import is_physician
from blocks.rules import vocab


class DecisionPermission(ClinicalRolePermission):
    """Every clinical role reads decisions; only physicians (and superusers) make them."""

    message = "Only a physician may accept or decline a suggestion."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or is_physician(request.user)


class DecisionInputSerializer(serializers.Serializer):
    # A plain string, checked below: "code" already names the complication enum in the schema.
    code = code_field(
        vocab.NEXT_STEP_CODES,
        StrictCharField,
        help_text="A next-step code: " + ", ".join(vocab.NEXT_STEP_CODES),
    )
    levels = CodeListField(vocab.LEVELS, noun="level code", allow_empty=False)
    side = CodeField(vocab.SIDES)
    status = CodeField(DECISION_STATUSES)
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=4000)
    profile = code_field(
        PROFILE_NAMES,
        StrictCharField,
        required=False,
        help_text="Guideline profile the suggestion was made under; the clinic's default "
        "when omitted.",
    )

    def validate_code(self, value):
        if value not in vocab.NEXT_STEP_CODES:
            raise serializers.ValidationError(
                f'"{value}" is not a next-step code; use one of: '
                + ", ".join(vocab.NEXT_STEP_CODES)
                + "."
            )
        return value

    def validate(self, data):
        if data["status"] == DECLINED and not data.get("reason", "").strip():
            raise serializers.ValidationError({"reason": ["Give a reason for declining."]})
        return data


class DecisionOutputSerializer(serializers.ModelSerializer):
    code = code_field(
        vocab.NEXT_STEP_CODES, read_only=True, help_text="The next-step code decided on."
    )
    levels = code_list(vocab.LEVELS, read_only=True)
    profile = code_field(
        PROFILE_NAMES, read_only=True, help_text="Guideline profile of the suggestion."
    )
    decided_by_username = serializers.CharField(source="decided_by.get_username", read_only=True)

    class Meta:
        model = Decision
        fields = (
            "id",
            "episode",
            "code",
            "side",
            "levels",
            "rule",
            "based_on",
            "fingerprint",
            "status",
            "reason",
            "profile",
            "decided_by",
            "decided_by_username",
            "decided_at",
        )
        read_only_fields = fields


class EpisodeDecisionsView(GenericAPIView):
    """GET lists the decisions on the episode's suggestions; POST records one."""

    permission_classes = [DecisionPermission]
    serializer_class = DecisionOutputSerializer
    filter_backends = []
    pagination_class = None
    queryset = Episode.objects.all()

    @extend_schema(
        operation_id="episodes_decisions_list",
        responses={200: DecisionOutputSerializer(many=True), **DETAIL_ERRORS},
    )
    def get(self, request, pk):
        decisions = self.get_object().decisions.select_related("decided_by")
        return Response(DecisionOutputSerializer(decisions, many=True).data)

    @extend_schema(
        operation_id="episodes_decisions_create",
        request=DecisionInputSerializer,
        responses={
            201: DecisionOutputSerializer,
            400: BAD_REQUEST,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: UNDER_MARKED,
        },
    )
    def post(self, request, pk):
        episode = self.get_object()
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        profile = (
            values.pop("profile", None)
            or request.query_params.get("profile")
            or settings.TRACKER_GUIDELINE_PROFILE
        )
        decision = services.decision_record(
            episode=episode, **values, profile=profile, decided_by=request.user
        )
        return Response(DecisionOutputSerializer(decision).data, status=status.HTTP_201_CREATED)
