"""factory_boy factories for the clinical records.

`ProcedureFactory` builds a valid, well-done diagnostic medial branch block on a
lumbar episode; override what a test is about. Use `.build()` where no database
is needed.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from blocks.models import (
    Complication,
    DiscInjection,
    Episode,
    FollowUp,
    PainScore,
    Patient,
    Procedure,
    Screening,
)

BASE_TIME = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@clinic.example")
    # An unusable password: hashing a real one costs a quarter second per user.
    password = "!unusable"

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=["physician"]) puts the user in those clinic groups."""
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    mrn = factory.Sequence(lambda n: f"MRN{n:05d}")
    birth_date = dt.date(1961, 4, 2)
    sex = "female"


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    patient = factory.SubFactory(PatientFactory)
    region = "lumbar"
    side = "right"
    pain_pattern = "axial"
    surgery_considered = False
    created_by = factory.SubFactory(UserFactory)


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    episode = factory.SubFactory(EpisodeFactory)
    performed_by = factory.SelfAttribute("episode.created_by")
    performed_at = BASE_TIME
    kind = "medial_branch_block"
    intent = "diagnostic"
    side = "right"
    levels = factory.LazyFunction(lambda: ["L4-L5", "L5-S1"])
    anesthetic = "lidocaine"
    anesthetic_volume_ml = Decimal("0.5")
    steroid = "none"
    steroid_dose_mg = None
    guidance = "fluoroscopy"
    contrast_used = True
    contrast_flow_confirmed = True
    sedation = "none"
    pre_pain = 7
    screening = factory.RelatedFactory(
        "tests.factories.ScreeningFactory", factory_related_name="procedure"
    )


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    procedure = factory.SubFactory(ProcedureFactory, screening=None)
    contraindications = factory.LazyFunction(list)


class PainScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PainScore

    procedure = factory.SubFactory(ProcedureFactory)
    minutes_after = factory.Sequence(lambda n: 30 * (n + 1))
    score = 1
    recorded_by = factory.SelfAttribute("procedure.performed_by")


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A staff follow-up 90 days after an RFA of the default target."""

    class Meta:
        model = FollowUp

    procedure = factory.SubFactory(
        ProcedureFactory, kind="radiofrequency_ablation", intent="therapeutic"
    )
    days_after = 90
    pain = 3
    pgic = 6
    recorded_by = factory.SelfAttribute("procedure.performed_by")


class DiscInjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscInjection

    procedure = factory.SubFactory(
        ProcedureFactory,
        kind="provocation_discography",
        anesthetic="none",
        anesthetic_volume_ml=None,
        pre_pain=None,
    )
    level = "L4-L5"
    opening_pressure_psi = Decimal("10")
    provocation_pressure_psi = Decimal("35")
    pain_score = 8
    concordance = "concordant"
    annular_grade = 3


class ComplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complication

    procedure = factory.SubFactory(ProcedureFactory)
    code = "spinal_headache"
    severity = "mild"
    onset_days = 1
    recorded_by = factory.SelfAttribute("procedure.performed_by")


def record_procedure(**fields):
    """services.procedure_record with the measured fields given flat, as tests write them."""
    from blocks import services
    from blocks.models.measured import split_measured

    measured, rest = split_measured(fields)
    return services.procedure_record(measured=measured, **rest)


def update_procedure(**fields):
    """services.procedure_update with the changed measured fields given flat."""
    from blocks import services
    from blocks.models.measured import split_measured

    measured, rest = split_measured(fields)
    return services.procedure_update(measured=measured, **rest)


def record_block(*, episode, performed_by, minutes_ago: float = 70, **changes):
    """A right L4-L5/L5-S1 medial branch block done `minutes_ago` before now, as a clinic logs it
    (the diary tests need real clock times: a time point is answered only once it is due)."""
    import datetime as dt

    from django.utils import timezone

    fields = dict(
        episode=episode,
        performed_by=performed_by,
        performed_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        kind="medial_branch_block",
        intent="diagnostic",
        side="right",
        levels=["L4-L5", "L5-S1"],
        anesthetic="bupivacaine",
        anesthetic_volume_ml="0.5",
        steroid="none",
        guidance="fluoroscopy",
        contrast_used=True,
        contrast_flow_confirmed=True,
        sedation="none",
        pre_pain=8,
    )
    fields.update(changes)
    return record_procedure(**fields)
