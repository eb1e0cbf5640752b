"""Procedures, and what is added to them after the needle."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from blocks import selectors, services
from blocks.api.filters import ProcedureFilter
from blocks.api.serializers import (
    ComplicationInputSerializer,
    ComplicationOutputSerializer,
    EnteredInErrorInputSerializer,
    PainScoreInputSerializer,
    PainScoreOutputSerializer,
    ProcedureInputSerializer,
    ProcedureOutputSerializer,
)
from blocks.api.serializers.audit import ProcedureUpdateSerializer
from blocks.api.serializers.followup import FollowUpOutputSerializer, OutcomeSerializer
from blocks.api.views.audit import conflict, versioned_patch
from blocks.api.views.common import (
    BAD_REQUEST,
    DETAIL_ERRORS,
    LIST_ERRORS,
    PROFILE_PARAMETER,
    UNDER_MARKED,
    WRITE_ERRORS,
    requested_profile,
)
from blocks.api.views.patients import EnteredInErrorView
from blocks.models import Procedure
from blocks.models.measured import split_measured


def procedure_data(procedures, profile, *, many: bool = False):
    """Full records with each procedure's interpretation under the profile."""
    rows = list(procedures) if many else [procedures]
    readings = selectors.procedure_interpretations(rows, profile=profile)
    serializer = ProcedureOutputSerializer(
        rows if many else procedures, many=many, context={"interpretations": readings}
    )
    return serializer.data


class ProcedureDetailOutputSerializer(ProcedureOutputSerializer):
    """A procedure; a treatment (RFA or therapeutic) adds its follow-ups and outcome."""

    # Not read_only: the schema then keeps them optional (a diagnostic block has neither);
    # this serializer only ever answers, it never reads input.
    follow_ups = FollowUpOutputSerializer(many=True, required=False)
    outcome = OutcomeSerializer(required=False)

    class Meta(ProcedureOutputSerializer.Meta):
        fields = (*ProcedureOutputSerializer.Meta.fields, "follow_ups", "outcome")
        read_only_fields = fields


class ProcedureListCreateView(GenericAPIView):
    filterset_class = ProcedureFilter
    serializer_class = ProcedureOutputSerializer

    def get_queryset(self):
        return selectors.procedure_list(include_entered_in_error=True)

    @extend_schema(
        operation_id="procedures_list",
        parameters=[PROFILE_PARAMETER],
        responses={200: ProcedureOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        profile = requested_profile(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(procedure_data(page, profile, many=True))

    @extend_schema(
        operation_id="procedures_create",
        parameters=[PROFILE_PARAMETER],
        request=ProcedureInputSerializer,
        responses={201: ProcedureOutputSerializer, **WRITE_ERRORS, 409: UNDER_MARKED},
    )
    def post(self, request):
        profile = requested_profile(request)
        data = ProcedureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        measured, rest = split_measured(data.validated_data)
        procedure = services.procedure_record(
            **rest, measured=measured, performed_by=request.user, recorded_by=request.user
        )
        procedure = self.get_queryset().get(pk=procedure.pk)
        return Response(procedure_data(procedure, profile), status=status.HTTP_201_CREATED)


class ProcedureDetailView(GenericAPIView):
    serializer_class = ProcedureOutputSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.procedure_list(include_entered_in_error=True)

    @extend_schema(
        parameters=[PROFILE_PARAMETER],
        responses={200: ProcedureDetailOutputSerializer, 400: BAD_REQUEST, **DETAIL_ERRORS},
        description="One procedure; a treatment adds its `follow_ups` and their `outcome` "
        "(relief, success, PGIC responder, duration of benefit and the selection).",
    )
    def get(self, request, pk):
        profile = requested_profile(request)
        procedure = self.get_object()
        data = procedure_data(procedure, profile)
        if procedure.is_treatment():
            rows = sorted(procedure.follow_ups.all(), key=lambda f: (f.days_after, f.pk))
            data["follow_ups"] = FollowUpOutputSerializer(rows, many=True).data
            data["outcome"] = selectors.treatment_outcome(procedure, profile=profile)
        return Response(data)

    @extend_schema(
        operation_id="procedures_partial_update",
        parameters=[PROFILE_PARAMETER],
        request=ProcedureUpdateSerializer,
        responses={
            200: ProcedureOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: conflict("ProcedureConflict", ProcedureOutputSerializer()),
        },
    )
    def patch(self, request, pk):
        profile = requested_profile(request)
        procedure = self.get_object()
        return versioned_patch(
            request,
            view=self,
            input_serializer=ProcedureUpdateSerializer,
            update=lambda **edit: _update(procedure, **edit),
            represent=lambda record: procedure_data(record, profile),
        )


def _update(procedure, *, expected_version, updated_by, override_reason="", **measured):
    if procedure.awaiting_override and (override_reason or "").strip():
        # The physician's override of a procedure awaiting it; other changes follow it.
        procedure = services.procedure_override(
            procedure=procedure,
            expected_version=expected_version,
            overridden_by=updated_by,
            override_reason=override_reason,
        )
        if not measured:
            return procedure
        expected_version = procedure.version
        override_reason = ""
    return services.procedure_update(
        procedure=procedure,
        expected_version=expected_version,
        updated_by=updated_by,
        override_reason=override_reason,
        measured=measured,
    )


class ProcedureFindingView(GenericAPIView):
    """GET lists one kind of finding of the procedure; POST adds one."""

    filter_backends = []
    pagination_class = None
    queryset = Procedure.objects.all()

    def get_procedure(self) -> Procedure:
        return self.get_object()


class ProcedurePainScoresView(ProcedureFindingView):
    serializer_class = PainScoreOutputSerializer

    @extend_schema(
        operation_id="procedures_pain_scores_list",
        responses={200: PainScoreOutputSerializer(many=True), **DETAIL_ERRORS},
    )
    def get(self, request, pk):
        scores = self.get_procedure().pain_scores.active()
        return Response(PainScoreOutputSerializer(scores, many=True).data)

    @extend_schema(
        operation_id="procedures_pain_scores_create",
        request=PainScoreInputSerializer,
        responses={
            201: PainScoreOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: UNDER_MARKED,
        },
    )
    def post(self, request, pk):
        procedure = self.get_procedure()
        data = PainScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        score = services.pain_score_add(
            procedure=procedure, **data.validated_data, recorded_by=request.user
        )
        return Response(PainScoreOutputSerializer(score).data, status=status.HTTP_201_CREATED)


class ProcedureComplicationsView(ProcedureFindingView):
    serializer_class = ComplicationOutputSerializer

    @extend_schema(
        operation_id="procedures_complications_list",
        responses={200: ComplicationOutputSerializer(many=True), **DETAIL_ERRORS},
    )
    def get(self, request, pk):
        complications = self.get_procedure().complications.order_by("recorded_at", "id")
        return Response(ComplicationOutputSerializer(complications, many=True).data)

    @extend_schema(
        operation_id="procedures_complications_create",
        request=ComplicationInputSerializer,
        responses={
            201: ComplicationOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: UNDER_MARKED,
        },
    )
    def post(self, request, pk):
        procedure = self.get_procedure()
        data = ComplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complication = services.complication_add(
            procedure=procedure, **data.validated_data, recorded_by=request.user
        )
        return Response(
            ComplicationOutputSerializer(complication).data, status=status.HTTP_201_CREATED
        )


class ProcedureEnteredInErrorView(EnteredInErrorView):
    def get_queryset(self):
        return selectors.procedure_list(include_entered_in_error=True)

    def get_output(self, record):
        profile = requested_profile(self.request)
        return procedure_data(self.get_queryset().get(pk=record.pk), profile)

    @extend_schema(
        parameters=[PROFILE_PARAMETER],
        request=EnteredInErrorInputSerializer,
        responses={200: ProcedureOutputSerializer, **WRITE_ERRORS, **DETAIL_ERRORS},
    )
    def post(self, request, pk):
        requested_profile(request)  # an unknown profile is refused before anything is written
        return super().post(request, pk)
