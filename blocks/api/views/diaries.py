"""`GET /api/diaries/`: the diagnostic blocks' diaries and their state, the list staff chase.

The same list as the /diaries/ page (blocks/views/diaries.py): newest first, paged in SQL by
ids first so late pages cost what early ones do. Staff and physicians only: quality reads the
completeness figures in the reports, not a phone list.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission

from blocks import selectors
from blocks.api.views.common import LIST_ERRORS
from blocks.policy import can_write
from blocks.rules import diary
from blocks.services.diary import answered_points


class DiaryChaserPermission(BasePermission):
    """Clinic staff and physicians (and superusers) chase diaries; quality gets a 403."""

    message = "Only clinic staff and physicians chase the patients' diaries."

    def has_permission(self, request, view) -> bool:
        return can_write(request.user)


class DiaryItemSerializer(serializers.Serializer):
    procedure = serializers.IntegerField(help_text="The block's procedure id.")
    performed_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=list(diary.STATES))
    missing = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        help_text="The time points (minutes after the block) already due and not answered.",
    )


STATUS_PARAMETER = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=list(diary.STATES),
    description="open; overdue (closed within the last 14 days: older ones are no longer "
    "chased); complete. Without it: the diaries to chase, open and overdue.",
)


def _states(request) -> tuple[str, ...]:
    status = request.query_params.get("status")
    if status is None:
        return selectors.CHASED_STATES
    if status not in diary.STATES:
        raise ValidationError({"status": [f"One of {', '.join(diary.STATES)}."]})
    return (status,)


def _item(procedure, now) -> dict:
    points = diary.time_points(procedure.anesthetic)
    done = answered_points(procedure, procedure.standing_scores)
    return {
        "procedure": procedure.pk,
        "performed_at": procedure.performed_at,
        "state": procedure.diary_state(now),
        "missing": diary.missing(points, done, procedure.performed_at, now),
    }


class DiaryListView(GenericAPIView):
    permission_classes = [DiaryChaserPermission]
    serializer_class = DiaryItemSerializer
    filter_backends = []

    @extend_schema(
        operation_id="diaries_list",
        parameters=[STATUS_PARAMETER],
        responses={200: DiaryItemSerializer(many=True), **LIST_ERRORS},
        description="The diagnostic blocks' post-block diaries in one state, newest first.",
    )
    def get(self, request):
        now = timezone.now()
        ids = selectors.diaries_in_states(_states(request), now).values_list("pk", flat=True)
        page = self.paginate_queryset(ids)
        rows = selectors.diary_rows(list(page))
        data = DiaryItemSerializer([_item(p, now) for p in rows], many=True).data
        return self.get_paginated_response(data)
