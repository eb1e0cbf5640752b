"""Patients and their episodes of care."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from blocks import selectors, services
from blocks.api.filters import EpisodeFilter, PatientFilter
from blocks.api.serializers import (
    EnteredInErrorInputSerializer,
    EpisodeInputSerializer,
    EpisodeOutputSerializer,
    PatientInputSerializer,
    PatientOutputSerializer,
)
from blocks.api.serializers.audit import EpisodeUpdateSerializer, PatientUpdateSerializer
from blocks.api.views.audit import conflict, versioned_patch
from blocks.api.views.common import DETAIL_ERRORS, LIST_ERRORS, UNDER_MARKED, WRITE_ERRORS


class PatientListCreateView(GenericAPIView):
    filterset_class = PatientFilter
    serializer_class = PatientOutputSerializer

    def get_queryset(self):
        return selectors.patient_list(include_entered_in_error=True)

    @extend_schema(
        operation_id="patients_list",
        responses={200: PatientOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(PatientOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="patients_create",
        request=PatientInputSerializer,
        responses={201: PatientOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        data = PatientInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patient = services.patient_create(**data.validated_data, created_by=request.user)
        return Response(PatientOutputSerializer(patient).data, status=status.HTTP_201_CREATED)


class PatientDetailView(GenericAPIView):
    serializer_class = PatientOutputSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.patient_list(include_entered_in_error=True)

    @extend_schema(responses={200: PatientOutputSerializer, **DETAIL_ERRORS})
    def get(self, request, pk):
        return Response(PatientOutputSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="patients_partial_update",
        request=PatientUpdateSerializer,
        responses={
            200: PatientOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: conflict("PatientConflict", PatientOutputSerializer()),
        },
    )
    def patch(self, request, pk):
        patient = self.get_object()
        return versioned_patch(
            request,
            view=self,
            input_serializer=PatientUpdateSerializer,
            update=lambda **edit: services.patient_update(patient=patient, **edit),
            represent=lambda record: PatientOutputSerializer(record).data,
        )


class EpisodeListCreateView(GenericAPIView):
    filterset_class = EpisodeFilter
    serializer_class = EpisodeOutputSerializer

    def get_queryset(self):
        return selectors.episode_list(include_entered_in_error=True)

    @extend_schema(
        operation_id="episodes_list",
        responses={200: EpisodeOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(EpisodeOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="episodes_create",
        request=EpisodeInputSerializer,
        responses={201: EpisodeOutputSerializer, **WRITE_ERRORS, 409: UNDER_MARKED},
    )
    def post(self, request):
        data = EpisodeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_create(**data.validated_data, created_by=request.user)
        episode = self.get_queryset().get(pk=episode.pk)
        return Response(EpisodeOutputSerializer(episode).data, status=status.HTTP_201_CREATED)


class EpisodeDetailView(GenericAPIView):
    serializer_class = EpisodeOutputSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.episode_list(include_entered_in_error=True)

    @extend_schema(responses={200: EpisodeOutputSerializer, **DETAIL_ERRORS})
    def get(self, request, pk):
        return Response(EpisodeOutputSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="episodes_partial_update",
        request=EpisodeUpdateSerializer,
        responses={
            200: EpisodeOutputSerializer,
            **WRITE_ERRORS,
            **DETAIL_ERRORS,
            409: conflict("EpisodeConflict", EpisodeOutputSerializer()),
        },
    )
    def patch(self, request, pk):
        episode = self.get_object()
        return versioned_patch(
            request,
            view=self,
            input_serializer=EpisodeUpdateSerializer,
            update=lambda **edit: services.episode_update(episode=episode, **edit),
            represent=lambda record: EpisodeOutputSerializer(record).data,
        )


class EnteredInErrorView(GenericAPIView):
    """POST {reason}: mark the record as entered in error. Nothing is ever deleted."""

    serializer_class = EnteredInErrorInputSerializer
    filter_backends = []

    def get_output(self, record):
        raise NotImplementedError

    def mark(self, record, *, reason: str, user):
        return services.mark_entered_in_error(record=record, reason=reason, user=user)

    def post(self, request, pk):
        record = self.get_object()
        data = EnteredInErrorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = self.mark(record, reason=data.validated_data["reason"], user=request.user)
        return Response(self.get_output(record))


class PatientEnteredInErrorView(EnteredInErrorView):
    def get_queryset(self):
        return selectors.patient_list(include_entered_in_error=True)

    def get_output(self, record):
        return PatientOutputSerializer(record).data

    @extend_schema(
        request=EnteredInErrorInputSerializer,
        responses={200: PatientOutputSerializer, **WRITE_ERRORS, **DETAIL_ERRORS},
    )
    def post(self, request, pk):
        return super().post(request, pk)


class EpisodeEnteredInErrorView(EnteredInErrorView):
    def get_queryset(self):
        return selectors.episode_list(include_entered_in_error=True)

    def get_output(self, record):
        return EpisodeOutputSerializer(self.get_queryset().get(pk=record.pk)).data

    @extend_schema(
        request=EnteredInErrorInputSerializer,
        responses={200: EpisodeOutputSerializer, **WRITE_ERRORS, **DETAIL_ERRORS},
    )
    def post(self, request, pk):
        return super().post(request, pk)
