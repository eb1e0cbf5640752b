"""GET /api/patients/{id}/fhir/ and GET /api/episodes/{id}/prior-authorization/.

Both answer a file, not DRF JSON: the FHIR bundle as application/fhir+json, the packet as
application/pdf. DRF's own answers (401, 403, 404, 400 on ?profile=) stay plain JSON in the
shared error shapes whatever the client's Accept header asks, as the report exports do.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from blocks import selectors
from blocks.api.permissions import PhysicianReadPermission, WriterReadPermission
from blocks.api.views.common import (
    BAD_REQUEST,
    DETAIL_ERRORS,
    PROFILE_PARAMETER,
    requested_profile,
)
from blocks.sharing import fhir
from blocks.sharing.pdf import PDF_CONTENT_TYPE, render_pdf
from blocks.sharing.prior_auth import NoRFASuggestion, packet_context


class JSONErrors(DefaultContentNegotiation):
    """Errors are JSON whatever Accept says (an EHR asks for application/fhir+json)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class FileView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONErrors


def _file(content: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class PatientFHIRView(FileView):
    permission_classes = [PhysicianReadPermission]

    @extend_schema(
        operation_id="patients_fhir",
        summary="The patient's record as a FHIR R4 Bundle (collection)",
        parameters=[PROFILE_PARAMETER],
        responses={
            (200, fhir.FHIR_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A FHIR R4 Bundle of type collection: Patient, Procedures, pain "
                "score and relief Observations. Records entered in error are left out.",
            ),
            400: BAD_REQUEST,
            **DETAIL_ERRORS,
        },
    )
    def get(self, request, pk):
        profile = requested_profile(request)
        patient = get_object_or_404(selectors.patient_list(), pk=pk)
        record = fhir.load_record(patient, profile=profile)
        bundle = fhir.patient_bundle(record, now=timezone.now())
        return _file(
            fhir.bundle_json(bundle),
            fhir.FHIR_CONTENT_TYPE,
            f"patient-{patient.pk}-fhir.json",
            inline=True,
        )


NO_RFA = OpenApiResponse(
    inline_serializer("NoRFASuggestion", {"detail": serializers.CharField()}),
    description="The episode holds no radiofrequency ablation suggestion under the profile.",
)


class PriorAuthorizationView(FileView):
    permission_classes = [WriterReadPermission]

    @extend_schema(
        operation_id="episodes_prior_authorization",
        summary="The RFA prior-authorization packet as a PDF",
        parameters=[PROFILE_PARAMETER],
        responses={
            (200, PDF_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: BAD_REQUEST,
            **DETAIL_ERRORS,
            409: NO_RFA,
        },
    )
    def get(self, request, pk):
        profile = requested_profile(request)
        episode = get_object_or_404(
            selectors.episode_list().filter(patient__entered_in_error=False), pk=pk
        )
        try:
            context = packet_context(episode, profile=profile, user=request.user)
        except NoRFASuggestion as error:
            raise Conflict(str(error)) from None
        pdf = render_pdf(
            "sharing/prior_authorization.html",
            context,
            stylesheet="css/print.css",
            request=request,
        )
        return _file(
            pdf, PDF_CONTENT_TYPE, f"episode-{episode.pk}-prior-authorization.pdf", inline=True
        )
