"""A synthetic clinic of any size, for benchmarks and demos (everything invented).

Episodes follow the clinic's common pathways (medial branch blocks to RFA,
nerve root blocks to a therapeutic epidural, SI joint, intra-articular facet,
discography, non-diagnostic repeats), over two years, by several physicians,
each block with a diary of 4 to 12 scores shaped by its agent and outcome.
Rows go in with bulk_create in chunks (constant memory); bulk_create bypasses
the services, so readings are computed afterwards in batches (reports.store.readings).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

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
from blocks.models.findings import DISC_FIELDS
from blocks.rules import vocab
from reports.store.bulk import insert_rows
from reports.synthetic_pathways import (
    BUPI,
    COMMON_COMPLICATIONS,
    DIARY_MINUTES,
    DISCO,
    IA,
    IL,
    LIDO,
    MBB,
    PATHWAYS,
    RARE_SERIOUS,
    RFA,
    RFA_DIARY_MINUTES,
    SIJ,
    STEROID_EFFECTS,
    TF,
    Step,
)

# Findings go in through reports.store.bulk.insert_rows: no model instance per diary score.
FINDING_FIELDS = {
    PainScore: (
        "procedure",
        "minutes_after",
        "score",
        "patient_reported_relief_percent",
        "recorded_by",
        "recorded_at",
        "source",
        "late",
        "version",
        "entered_in_error",
        "entered_in_error_reason",
    ),
    DiscInjection: ("procedure", *DISC_FIELDS),
    FollowUp: (
        "procedure",
        "days_after",
        "pain",
        "pgic",
        "medication_change",
        "source",
        "recorded_by",
        "recorded_at",
        "version",
        "entered_in_error",
        "entered_in_error_reason",
    ),
    Screening: (
        "procedure",
        "contraindications",
        "override_reason",
        "overridden_by",
        "overridden_at",
    ),
    Complication: (
        "procedure",
        "code",
        "severity",
        "onset_days",
        "notes",
        "recorded_by",
        "recorded_at",
        "entered_in_error",
        "entered_in_error_reason",
    ),
}


@dataclass
class Chunk:
    patients: list[Patient] = field(default_factory=list)
    episodes: list[tuple[Episode, Patient]] = field(default_factory=list)
    procedures: list[tuple[Procedure, Episode]] = field(default_factory=list)
    findings: list[tuple[Procedure, type, tuple]] = field(default_factory=list)
    count: int = 0


class ClinicBuilder:
    def __init__(self, *, seed: int, physicians: list, staff, start: date, days: int):
        self.rng = random.Random(seed)
        self.physicians, self.staff = physicians, staff
        self.start, self.days = start, days
        self.weights = [p.weight for p in PATHWAYS]
        self.now = timezone.now()

    def chunks(self, procedures: int, *, first_mrn: int, size: int = 2000) -> Iterator[Chunk]:
        made, mrn = 0, first_mrn
        while made < procedures:
            chunk = Chunk()
            while chunk.count < size and made + chunk.count < procedures:
                self._patient(chunk, mrn, procedures - made - chunk.count)
                mrn += 1
            made += chunk.count
            yield chunk

    def _patient(self, chunk: Chunk, mrn: int, room: int) -> None:
        rng = self.rng
        patient = Patient(
            mrn=f"SYN-{mrn:07d}",
            birth_date=date(rng.randint(1925, 2002), rng.randint(1, 12), rng.randint(1, 28)),
            sex=rng.choice(("female", "male", "female", "male", "other", "unknown")),
        )
        chunk.patients.append(patient)
        limit = chunk.count + room
        for _ in range(1 if rng.random() < 0.8 else 2):
            if chunk.count >= limit:
                return
            self._episode(chunk, patient, limit)

    def _episode(self, chunk: Chunk, patient: Patient, limit: int) -> None:
        rng = self.rng
        pathway = rng.choices(PATHWAYS, self.weights)[0]
        region = rng.choice(pathway.regions)
        side = "right" if SIJ in {s.kind for s in pathway.steps} else rng.choice(vocab.SIDES[:3])
        day = rng.randrange(self.days)
        opened = self._at(day - rng.randint(0, 30))
        episode = Episode(
            region=region,
            side=side,
            pain_pattern=pathway.pattern,
            surgery_considered=pathway.surgery_considered,
            opened_at=opened,
            created_by=self.staff,
        )
        chunk.episodes.append((episode, patient))
        levels = None
        physician = rng.choice(self.physicians)
        for step in pathway.steps:
            if chunk.count >= limit:
                return
            day += rng.randint(*step.after_days) if step.after_days != (0, 0) else 0
            if day >= self.days:
                return
            levels = self._levels(step.kind, region, levels)
            procedure = self._procedure(step, episode, side, levels, physician, day)
            chunk.procedures.append((procedure, episode))
            chunk.count += 1
            self._findings(chunk, step, procedure, physician)

    def _at(self, day: int) -> datetime:
        moment = datetime.combine(
            self.start + timedelta(days=day), time(8 + self.rng.randint(0, 8))
        )
        return timezone.make_aware(moment)

    def _levels(self, kind: str, region: str, previous):
        allowed = vocab.allowed_levels(kind, region)
        if previous and all(level in allowed for level in previous) and kind != TF:
            return previous
        if kind == SIJ:
            return ["SI"]
        count = {MBB: 2, IA: 1, RFA: 2, DISCO: 3, TF: 1, IL: 1}[kind]
        start = self.rng.randrange(max(len(allowed) - count, 0) + 1)
        return list(allowed[start : start + count])

    def _procedure(self, step: Step, episode, side, levels, physician, day) -> Procedure:
        rng = self.rng
        anesthetic = step.anesthetic if step.kind != DISCO else "none"
        volume = {MBB: "0.5", IA: "1.0", TF: "1.5", IL: "3.0", SIJ: "2.0"}.get(step.kind)
        if step.kind == MBB and rng.random() < 0.05:
            volume = "0.8"
        contrast = rng.random() < 0.95
        procedure = Procedure(
            episode=episode,
            performed_by=physician,
            performed_at=self._at(day),
            kind=step.kind,
            intent=step.intent,
            side=side,
            levels=levels,
            anesthetic=anesthetic,
            anesthetic_volume_ml=Decimal(volume) if volume and anesthetic != "none" else None,
            steroid=step.steroid,
            steroid_dose_mg=Decimal("10") if step.steroid != "none" else None,
            guidance="none" if step.technique == "no_guidance" else "fluoroscopy",
            contrast_used=contrast,
            contrast_flow_confirmed=contrast and rng.random() < 0.98,
            sedation="deep" if step.technique == "deep_sedation" else self._sedation(),
            pre_pain=None if step.kind == DISCO else rng.randint(4, 9),
            created_at=self.now,
        )
        procedure.diary_closes_at = procedure.diary_closing_time()  # bulk_create skips save()
        return procedure

    def _sedation(self) -> str:
        roll = self.rng.random()
        return "moderate" if roll < 0.03 else "minimal" if roll < 0.13 else "none"

    def _findings(self, chunk: Chunk, step: Step, procedure: Procedure, physician) -> None:
        rng = self.rng
        add = chunk.findings.append
        if step.kind == DISCO:
            for n, level in enumerate(procedure.levels):
                add((procedure, DiscInjection, self._disc(level, painful=n == 1)))
        elif rng.random() > 0.03:  # a few blocks never get their diary
            for minutes, score in self._diary(step, procedure.pre_pain):
                add(
                    (
                        procedure,
                        PainScore,
                        (
                            minutes,
                            score,
                            None,
                            self.staff.pk,
                            self.now,
                            "staff",
                            False,
                            1,
                            False,
                            "",
                        ),
                    )
                )
        if step.benefit_days and procedure.pre_pain is not None:
            for row in self._follow_ups(step, procedure):
                add((procedure, FollowUp, row))
        add((procedure, Screening, self._screening(procedure, physician)))
        if rng.random() < 0.04:
            add((procedure, Complication, self._complication(procedure)))

    def _disc(self, level: str, *, painful: bool) -> tuple:
        return (
            level,
            Decimal("8"),
            Decimal("30"),
            8 if painful else 0,
            "concordant" if painful else "none",
            4 if painful else 1,
        )

    def _diary(self, step: Step, pre: int) -> list[tuple[int, int]]:
        rng = self.rng
        pool = RFA_DIARY_MINUTES if step.kind == RFA else DIARY_MINUTES
        count = min(rng.randint(4, 12), len(pool))
        minutes = sorted(rng.sample(pool, count))
        peak = {"positive": 0.9, "partial": 0.65, "negative": 0.2, "none": 0.85}[step.outcome]
        lasting = {LIDO: 150, BUPI: 420, "none": 200000}.get(step.anesthetic, 300)
        lasting *= rng.uniform(0.7, 1.4)
        scores = []
        for minute in minutes:
            relief = (
                peak if minute <= lasting else peak * max(0.0, 1 - (minute - lasting) / lasting)
            )
            score = round(pre * (1 - relief) + rng.uniform(-0.6, 0.6))
            scores.append((minute, min(10, max(0, score))))
        return scores

    def _follow_ups(self, step: Step, procedure: Procedure) -> list[tuple]:
        """Follow-ups at the points whose day has come (about one in six missed): relief
        near the peak while the benefit lasts, little after it."""
        rng = self.rng
        pre = procedure.pre_pain
        lasting = rng.randint(*step.benefit_days)
        elapsed = (self.now - procedure.performed_at).days
        rows = []
        for point in (14, 30, 90, 180, 365):
            if point > elapsed or rng.random() < 0.16:
                continue
            relief = rng.uniform(0.55, 0.95) if point <= lasting else rng.uniform(0.0, 0.3)
            pain = min(10, max(0, round(pre * (1 - relief) + rng.uniform(-0.5, 0.5))))
            pgic = 7 if relief >= 0.7 else 6 if relief >= 0.5 else 5 if relief >= 0.3 else 4
            medication = "less" if relief >= 0.5 else "same"
            day = point + rng.randint(-3, 5)
            rows.append(
                (day, pain, pgic, medication, "staff", self.staff.pk, self.now, 1, False, "")
            )
        return rows

    def _screening(self, procedure: Procedure, physician) -> tuple:
        roll = self.rng.random()
        if roll < 0.005:
            return (
                ["anticoagulant_not_held"],
                "Synthetic override: cleared by the prescriber after review.",
                physician.pk,
                procedure.performed_at,
            )
        return (["uncontrolled_hypertension"] if roll < 0.04 else [], "", None, None)

    def _complication(self, procedure: Procedure) -> tuple:
        rng = self.rng
        if procedure.steroid != "none" and rng.random() < 0.4:
            code = rng.choice(STEROID_EFFECTS)
        elif rng.random() < 0.01:
            code = rng.choice(RARE_SERIOUS)
        else:
            names, weights = zip(*COMMON_COMPLICATIONS, strict=True)
            code = rng.choices(names, weights)[0]
        severity = rng.choices(vocab.SEVERITIES, (80, 17, 3))[0]
        onset = rng.randint(0, 14)
        return (code, severity, onset, "Synthetic note.", self.staff.pk, self.now, False, "")


def save(chunk: Chunk) -> None:
    """One chunk, one transaction: parents by bulk_create (their ids are needed by the
    children), then the findings as plain rows."""
    with transaction.atomic():
        Patient.objects.bulk_create(chunk.patients)
        for episode, patient in chunk.episodes:
            episode.patient = patient
        Episode.objects.bulk_create([e for e, _ in chunk.episodes])
        for procedure, episode in chunk.procedures:
            procedure.episode = episode
        Procedure.objects.bulk_create([p for p, _ in chunk.procedures])
        by_model: dict[type, list] = {}
        for procedure, model, values in chunk.findings:
            by_model.setdefault(model, []).append((procedure.pk, *values))
        for model, rows in by_model.items():
            insert_rows(model, FINDING_FIELDS[model], rows)


def synthetic_users(physicians: int):
    users = get_user_model().objects
    group = {
        name: Group.objects.get_or_create(name=name)[0] for name in ("physician", "clinic_staff")
    }
    doctors = []
    for n in range(1, physicians + 1):
        user, created = users.get_or_create(username=f"synthetic.physician{n}")
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(group["physician"])
        doctors.append(user)
    staff, created = users.get_or_create(username="synthetic.staff")
    if created:
        staff.set_unusable_password()
        staff.save()
        staff.groups.add(group["clinic_staff"])
    return doctors, staff


def make_clinic(
    *,
    procedures: int,
    physicians: int = 8,
    seed: int = 1,
    years: int = 2,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add a synthetic clinic with this many procedures; returns the number added."""
    doctors, staff = synthetic_users(physicians)
    days = 365 * years
    start = timezone.localdate() - timedelta(days=days)
    first = Patient.objects.filter(mrn__startswith="SYN-").count() + 1
    builder = ClinicBuilder(seed=seed, physicians=doctors, staff=staff, start=start, days=days)
    made = 0
    for chunk in builder.chunks(procedures, first_mrn=first):
        save(chunk)
        made += chunk.count
        if progress:
            progress(made)
    return made
