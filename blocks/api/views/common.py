"""What the views share: the profile a request asks for, and documented error answers."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from blocks.rules import PROFILES, Profile, get_profile
from blocks.services.records import MARKED_KINDS


def requested_profile(request) -> Profile:
    """`?profile=` or the clinic's default; an unknown (or empty) name is a 400 on `profile`."""
    name = request.query_params.get("profile")
    return get_profile(settings.TRACKER_GUIDELINE_PROFILE if name is None else name)


PROFILE_PARAMETER = OpenApiParameter(
    "profile",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=list(PROFILES),
    description="Guideline profile to interpret under (cms-2021, asra-2020, sis-controlled); "
    "the clinic's default when omitted.",
)

_DETAIL = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
_FIELD_ERRORS = inline_serializer(
    "FieldErrors",
    {"non_field_errors": serializers.ListField(child=serializers.CharField(), required=False)},
)

BAD_REQUEST = OpenApiResponse(
    _FIELD_ERRORS,
    description='Invalid input: {"field": ["message", ...]}; "non_field_errors" for rules '
    "across fields.",
)
UNAUTHORIZED = OpenApiResponse(_DETAIL, description="No credentials.")
FORBIDDEN = OpenApiResponse(_DETAIL, description="The user's role may not do this.")
NOT_FOUND = OpenApiResponse(_DETAIL, description="No such record.")

_MARKED_RECORD = inline_serializer(
    "MarkedRecord",
    {
        "record": serializers.ChoiceField(choices=list(MARKED_KINDS.values())),
        "id": serializers.IntegerField(),
    },
)
MARKED_RECORD_FIELD = _MARKED_RECORD
UNDER_MARKED = OpenApiResponse(
    inline_serializer(
        "MarkedEnteredInError",
        {"detail": serializers.CharField(), "entered_in_error": _MARKED_RECORD},
    ),
    description="The record, or one above it, was entered in error: nothing can be added or "
    "changed under it. `entered_in_error` names the marked record; nothing was written.",
)

READ_ERRORS = {401: UNAUTHORIZED, 403: FORBIDDEN}
# A list answers 404 for a page past its end (?page=0 or ?page=99).
LIST_ERRORS = {
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: OpenApiResponse(_DETAIL, description="No such page."),
}
DETAIL_ERRORS = {401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND}
WRITE_ERRORS = {400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN}
