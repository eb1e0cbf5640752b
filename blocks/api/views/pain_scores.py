"""One diary score: corrected with its version, or marked entered in error."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView

from blocks import services
from blocks.api.serializers import EnteredInErrorInputSerializer, PainScoreOutputSerializer
from blocks.api.serializers.audit import PainScoreUpdateSerializer
from blocks.api.views.audit import conflict, versioned_patch
from blocks.api.views.common import DETAIL_ERRORS, UNDER_MARKED, WRITE_ERRORS
from blocks.api.views.patients import EnteredInErrorView
from blocks.models import PainScore


def _scores():
    return PainScore.objects.select_related("procedure__episode__patient")


class PainScoreDetailView(GenericAPIView):
    serializer_class = PainScoreOutputSerializer
    filter_backends = []

    def get_queryset(self):
        return _scores()

    @extend_schema(
        operation_id="pain_scores_partial_update",
        request=PainScoreUpdateSerializer,
        responses={
            200: PainScoreOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: conflict("PainScoreConflict", PainScoreOutputSerializer()),
        },
        description="Correct one diary score (its history keeps the value it had). The "
        "block's readings are re-read in the same transaction.",
    )
    def patch(self, request, pk):
        score = self.get_object()
        return versioned_patch(
            request,
            view=self,
            input_serializer=PainScoreUpdateSerializer,
            update=lambda **edit: _correct(record=score, **edit),
            represent=lambda record: PainScoreOutputSerializer(record).data,
        )


def _correct(*, record, expected_version, updated_by, **values):
    if "score" in values:
        values["score_value"] = values.pop("score")
    return services.pain_score_correct(
        score=record, expected_version=expected_version, corrected_by=updated_by, **values
    )


class PainScoreEnteredInErrorView(EnteredInErrorView):
    """POST {reason}: withdraw a diary score. It is kept, flagged, and read by nothing."""

    def get_queryset(self):
        return _scores()

    def get_output(self, record):
        return PainScoreOutputSerializer(record).data

    def mark(self, record, *, reason: str, user):
        return services.pain_score_mark_entered_in_error(score=record, reason=reason, user=user)

    @extend_schema(
        operation_id="pain_scores_entered_in_error_create",
        request=EnteredInErrorInputSerializer,
        responses={
            200: PainScoreOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: UNDER_MARKED,
        },
    )
    def post(self, request, pk):
        return super().post(request, pk)
