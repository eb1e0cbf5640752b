"""Benchmark: the cost of one write through the services, against a bare insert of its rows.

    .venv/bin/python benchmarks/writes.py [--writes 200] [--history 10]

Migrates a fresh database (a temporary SQLite file, or the one DATABASE_URL names: give it an
empty database), then records `--writes` procedures with six diary scores and a screening
through blocks.services.procedure_record, for patients who already have `--history`
procedures each, and adds one diary score to each through pain_score_add. The same rows are
then inserted bare (the procedure, its six scores and its screening, no history, no stored
readings, no checks) with bulk_create. Each write is its own transaction, as in a request.

Queries are counted by Django (BEGIN and COMMIT included); times are medians. The last line:
    writes=N history=H procedure_queries=Q score_queries=S procedure_ms=… bare_ms=…
    procedure_ratio=… score_ms=… bare_score_ms=… score_ratio=…
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--history", type=int, default=10)
    return parser.parse_args()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ["DJANGO_TESTING"] = "1"
    if not os.environ.get("DATABASE_URL"):
        folder = Path(tempfile.mkdtemp(prefix="tracker-writes-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'writes.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


SIX = [(15, 1), (30, 1), (60, 2), (120, 2), (240, 5), (480, 7)]
T0 = dt.datetime(2025, 1, 6, 9, 30, tzinfo=dt.UTC)


def measured(day: int) -> dict:
    return {
        "performed_at": T0 + dt.timedelta(days=day),
        "kind": "medial_branch_block",
        "intent": "diagnostic",
        "side": "right",
        "levels": ["L4-L5", "L5-S1"],
        "anesthetic": "lidocaine",
        "anesthetic_volume_ml": None,
        "steroid": "none",
        "guidance": "fluoroscopy",
        "contrast_used": True,
        "contrast_flow_confirmed": True,
        "sedation": "none",
        "pre_pain": 7,
    }


def main() -> None:
    args = parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from blocks import services
    from blocks.models import PainScore, Procedure, Screening
    from blocks.policy import PHYSICIAN

    user = get_user_model().objects.create_user("bench.physician", password=None)
    user.groups.add(Group.objects.get(name=PHYSICIAN))

    def episode_with_history(n: int):
        patient = services.patient_create(
            mrn=f"BENCH-{n:05d}", birth_date=dt.date(1960, 1, 1), sex="female", created_by=user
        )
        episode = services.episode_create(
            patient=patient,
            region="lumbar",
            side="right",
            pain_pattern="axial",
            opened_at=T0,
            created_by=user,
        )
        for day in range(args.history):
            services.procedure_record(
                episode=episode,
                performed_by=user,
                recorded_by=user,
                measured=measured(day * 30),
                pain_scores=[{"minutes_after": 30, "score": 2}],
            )
        return episode

    episodes = [episode_with_history(n) for n in range(args.writes)]
    procedure_ms, procedure_queries, score_ms, score_queries, written = [], [], [], [], []
    for episode in episodes:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            procedure = services.procedure_record(
                episode=episode,
                performed_by=user,
                recorded_by=user,
                measured=measured(args.history * 30),
                pain_scores=[{"minutes_after": m, "score": s} for m, s in SIX],
                contraindications=["uncontrolled_diabetes"],
            )
            procedure_ms.append((time.perf_counter() - start) * 1000)
        procedure_queries.append(len(queries.captured_queries))
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            services.pain_score_add(
                procedure=procedure, minutes_after=720, score=6, recorded_by=user
            )
            score_ms.append((time.perf_counter() - start) * 1000)
        score_queries.append(len(queries.captured_queries))
        written.append(episode)

    bare_ms, bare_score_ms = [], []
    for episode in written:
        start = time.perf_counter()
        with transaction.atomic():
            procedure = Procedure(episode=episode, performed_by=user, **measured(args.history * 30))
            procedure.save_base(raw=True)
            PainScore.objects.bulk_create(
                [
                    PainScore(procedure=procedure, minutes_after=m, score=s, recorded_by=user)
                    for m, s in SIX
                ]
            )
            Screening.objects.bulk_create(
                [Screening(procedure=procedure, contraindications=["uncontrolled_diabetes"])]
            )
        bare_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        with transaction.atomic():
            PainScore.objects.bulk_create(
                [PainScore(procedure=procedure, minutes_after=720, score=6, recorded_by=user)]
            )
        bare_score_ms.append((time.perf_counter() - start) * 1000)

    med = statistics.median
    print(f"database: {connection.vendor}")
    print(
        f"procedure with six scores and a screening: median {med(procedure_ms):.2f} ms, "
        f"{max(procedure_queries)} queries at most (bare insert {med(bare_ms):.2f} ms)"
    )
    print(
        f"one diary score: median {med(score_ms):.2f} ms, {max(score_queries)} queries at most "
        f"(bare insert {med(bare_score_ms):.2f} ms)"
    )
    print(
        f"writes={args.writes} history={args.history} "
        f"procedure_queries={max(procedure_queries)} score_queries={max(score_queries)} "
        f"procedure_ms={med(procedure_ms):.2f} bare_ms={med(bare_ms):.2f} "
        f"procedure_ratio={med(procedure_ms) / med(bare_ms):.2f} "
        f"score_ms={med(score_ms):.2f} bare_score_ms={med(bare_score_ms):.2f} "
        f"score_ratio={med(score_ms) / med(bare_score_ms):.2f}"
    )


if __name__ == "__main__":
    main()
