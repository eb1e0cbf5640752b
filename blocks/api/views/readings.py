"""What the engine makes of the records: next steps, and the guideline profiles."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from blocks import selectors
from blocks.api.serializers import NextStepsSerializer, ProfileSerializer
from blocks.api.views.common import (
    BAD_REQUEST,
    DETAIL_ERRORS,
    PROFILE_PARAMETER,
    READ_ERRORS,
    requested_profile,
)
from blocks.models import Episode
from blocks.rules import PROFILES, UnknownProfile, get_profile


class EpisodeNextStepsView(GenericAPIView):
    serializer_class = NextStepsSerializer
    filter_backends = []
    pagination_class = None
    queryset = Episode.objects.all()

    @extend_schema(
        parameters=[PROFILE_PARAMETER],
        responses={200: NextStepsSerializer, 400: BAD_REQUEST, **DETAIL_ERRORS},
    )
    def get(self, request, pk):
        profile = requested_profile(request)
        next_steps = selectors.episode_next_steps(self.get_object(), profile=profile)
        return Response(NextStepsSerializer(next_steps).data)


class ProfileListView(APIView):
    """Every guideline profile, as data (a plain array: there are only a few)."""

    @extend_schema(responses={200: ProfileSerializer(many=True), **READ_ERRORS})
    def get(self, request):
        profiles = [profile.as_dict() for profile in PROFILES.values()]
        return Response(ProfileSerializer(profiles, many=True).data)


class ProfileDetailView(APIView):
    @extend_schema(responses={200: ProfileSerializer, **DETAIL_ERRORS})
    def get(self, request, name):
        try:
            profile = get_profile(name)
        except UnknownProfile as error:
            raise Http404(str(error)) from None
        return Response(ProfileSerializer(profile.as_dict()).data)
