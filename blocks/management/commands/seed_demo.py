"""Load the synthetic demo clinic: users for each role and ~30 patients.

Idempotent: users and patients that exist are left alone. Passwords are
printed once, when the users are made (or with --reset-passwords).
"""

import secrets
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from blocks import services
from blocks.demo import DemoBlock, DemoEpisode, block_time, demo_episodes
from blocks.models import Patient
from blocks.services import (
    complication_add,
    episode_create,
    patient_create,
    procedure_record,
)

DEMO_USERS = (
    ("staff", "clinic_staff", "Sam", "Staff"),
    ("physician", "physician", "Priya", "Physician"),
    ("physician2", "physician", "Ola", "Okafor"),
    ("quality", "quality", "Quinn", "Quality"),
)


# Invented names, so the pages show patients by name as a clinic's would; the family names
# say plainly that nobody real is meant.
DEMO_GIVEN = ("Alex", "Sam", "Robin", "Jo", "Kim", "Lee", "Noor", "Ari", "Mika", "Tove", "Uma")
DEMO_FAMILY = ("Demoford", "Samplesby", "Testwood", "Mockley")


def demo_name(number: int) -> tuple[str, str]:
    """The invented (given, family) name of demo patient `number` (1-based)."""
    index = number - 1
    return (
        DEMO_GIVEN[index % len(DEMO_GIVEN)],
        DEMO_FAMILY[(index // len(DEMO_GIVEN)) % len(DEMO_FAMILY)],
    )


class Command(BaseCommand):
    help = "Create the synthetic demo clinic (users for each role, ~30 patients)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo users new passwords and print them.",
        )

    @transaction.atomic
    def handle(self, *args, reset_passwords=False, **options):
        users = self._users(reset_passwords)
        created = 0
        for number, episode in enumerate(demo_episodes(), start=1):
            mrn = f"DEMO-{number:03d}"
            if Patient.objects.with_mrn(mrn).exists():
                continue
            physician = users["physician"] if number % 3 else users["physician2"]
            self._load(mrn, episode, staff=users["staff"], physician=physician)
            created += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready: {created} new patients, "
                f"{Patient.objects.filter(mrn__startswith='DEMO-').count()} demo patients in all."
            )
        )

    def _users(self, reset_passwords: bool) -> dict:
        User = get_user_model()
        users, lines = {}, []
        for username, group, first, last in DEMO_USERS:
            user, made = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if made or reset_passwords:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                lines.append(f"  {username:<11} {group:<13} {password}")
            user.groups.add(Group.objects.get(name=group))
            users[username] = user
        if lines:
            self.stdout.write("Demo users (shown once; --reset-passwords prints new ones):")
            self.stdout.write("  username    role          password")
            for line in lines:
                self.stdout.write(line)
        else:
            self.stdout.write(
                "Demo users exist already; run with --reset-passwords to see new ones."
            )
        return users

    def _load(self, mrn: str, story: DemoEpisode, *, staff, physician) -> None:
        given, family = demo_name(int(mrn.removeprefix("DEMO-")))
        patient = patient_create(
            mrn=mrn,
            birth_date=date(story.birth_year, 4, 2),
            sex=story.sex,
            given_name=given,
            family_name=family,
            created_by=staff,
        )
        episode = episode_create(
            patient=patient,
            region=story.region,
            side=story.side,
            pain_pattern=story.pain_pattern,
            surgery_considered=story.surgery_considered,
            conservative_care_weeks=6,
            opened_at=block_time(min(b.day for b in story.blocks) - 7),
            created_by=staff,
        )
        for block in story.blocks:
            self._record(episode, block, staff=staff, physician=physician, side=story.side)

    def _record(self, episode, block: DemoBlock, *, staff, physician, side: str) -> None:
        # The physician performed every block; staff log them, except an override, which only
        # a physician may record.
        recorder = physician if block.override_reason else staff
        procedure = procedure_record(
            episode=episode,
            performed_by=physician,
            recorded_by=recorder,
            measured={
                "performed_at": block_time(block.day),
                "kind": block.kind,
                "intent": block.intent,
                "side": block.side or side,
                "levels": list(block.levels),
                "anesthetic": block.anesthetic,
                "anesthetic_volume_ml": _decimal(block.volume_ml),
                "steroid": block.steroid,
                "steroid_dose_mg": _decimal(block.steroid_dose_mg),
                "guidance": block.guidance,
                "contrast_used": block.contrast_used,
                "contrast_flow_confirmed": block.contrast_flow_confirmed,
                "sedation": block.sedation,
                "pre_pain": block.pre_pain,
            },
            pain_scores=[{"minutes_after": m, "score": s} for m, s in block.diary],
            discs=list(block.discs),
            contraindications=list(block.contraindications),
            override_reason=block.override_reason,
        )
        for days_after, pain, pgic in block.follow_ups:
            if days_after <= -block.day:  # a follow-up is recorded once its day has come
                services.followup.follow_up_add(
                    procedure=procedure,
                    days_after=days_after,
                    pain=pain,
                    pgic=pgic,
                    recorded_by=staff,
                )
        for code, severity, onset_days in block.complications:
            complication_add(
                procedure=procedure,
                code=code,
                severity=severity,
                onset_days=onset_days,
                recorded_by=staff,
            )


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))
