from blocks.api.serializers.patients import (
    EnteredInErrorInputSerializer,
    EpisodeInputSerializer,
    EpisodeOutputSerializer,
    PatientInputSerializer,
    PatientOutputSerializer,
)
from blocks.api.serializers.procedures import (
    ComplicationInputSerializer,
    PainScoreInputSerializer,
    ProcedureInputSerializer,
)
from blocks.api.serializers.readings import NextStepsSerializer, ProfileSerializer
from blocks.api.serializers.records import (
    ComplicationOutputSerializer,
    PainScoreOutputSerializer,
    ProcedureOutputSerializer,
)

__all__ = [
    "ComplicationInputSerializer",
    "ComplicationOutputSerializer",
    "EnteredInErrorInputSerializer",
    "EpisodeInputSerializer",
    "EpisodeOutputSerializer",
    "NextStepsSerializer",
    "PainScoreInputSerializer",
    "PainScoreOutputSerializer",
    "PatientInputSerializer",
    "PatientOutputSerializer",
    "ProcedureInputSerializer",
    "ProcedureOutputSerializer",
    "ProfileSerializer",
]
