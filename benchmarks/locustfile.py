"""A clinic day under load: staff log procedures with diaries, physicians read, quality exports.

Run by benchmarks/load.sh (gunicorn on a throwaway PostgreSQL); by hand:

    LOAD_TOKENS=tokens.json LOAD_CREATED=created.json \\
        locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 60s --host http://...

LOAD_TOKENS names a JSON file {"clinic_staff": [...], "physician": [...], "quality": [...]}
of API tokens. Every procedure the run created (201) is written to LOAD_CREATED with the
number of diary scores the server accepted for it, so that the database can be checked
afterwards: a record the API confirmed must be there, with all its scores.
"""

import json
import os
import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from locust import HttpUser, between, events, task

TOKENS = json.loads(open(os.environ["LOAD_TOKENS"]).read()) if "LOAD_TOKENS" in os.environ else {}
CREATED_FILE = os.environ.get("LOAD_CREATED", "load-created.json")

# Procedure id -> diary scores the server confirmed (201) for it.
confirmed_scores: dict[int, int] = defaultdict(int)
# Episodes the staff opened; physicians read these and the seeded ones.
episode_ids: list[int] = []
report_missing = False  # the reports endpoint answered 404: that task stands down

BLOCKS = [
    ("medial_branch_block", ["L4-L5", "L5-S1"], "lidocaine"),
    ("medial_branch_block", ["L3-L4", "L4-L5"], "bupivacaine"),
    ("facet_intraarticular", ["L5-S1"], "lidocaine"),
    ("transforaminal_epidural", ["L5"], "bupivacaine"),
    ("sacroiliac_joint", ["SI"], "lidocaine"),
]
DIARY_MINUTES = (15, 30, 60, 120, 240, 360, 480)


def _token(role: str) -> str:
    return random.choice(TOKENS[role])


def _auth(role: str) -> dict:
    return {"Authorization": f"Token {_token(role)}"}


@events.test_stop.add_listener
def write_created(environment, **kwargs):
    with open(CREATED_FILE, "w") as out:
        json.dump({str(pk): count for pk, count in confirmed_scores.items()}, out)


class ClinicStaff(HttpUser):
    """Opens an episode, then logs blocks with their first diary scores and adds later ones."""

    weight = 5
    # Seconds between requests: a nurse types a block's details and the patient's scores.
    wait_time = between(2.0, 8.0)

    def on_start(self):
        self.client.headers.update(_auth("clinic_staff"))
        self.procedures: list[tuple[int, list[int]]] = []
        self.episode = self._open_episode()

    def _open_episode(self) -> int | None:
        patient = self.client.post(
            "/api/patients/",
            json={
                "mrn": f"LOAD-{uuid.uuid4().hex[:12]}",
                "birth_date": "1961-04-02",
                "sex": random.choice(["female", "male"]),
            },
            name="/api/patients/ [POST]",
        )
        if patient.status_code != 201:
            return None
        episode = self.client.post(
            "/api/episodes/",
            json={
                "patient": patient.json()["id"],
                "region": "lumbar",
                "side": random.choice(["left", "right", "bilateral"]),
                "pain_pattern": "axial",
            },
            name="/api/episodes/ [POST]",
        )
        if episode.status_code != 201:
            return None
        episode_ids.append(episode.json()["id"])
        return episode.json()["id"]

    @task(4)
    def log_a_procedure_with_its_diary(self):
        if self.episode is None:
            self.episode = self._open_episode()
            return
        kind, levels, anesthetic = random.choice(BLOCKS)
        pre_pain = random.randint(4, 9)
        first = sorted(random.sample(DIARY_MINUTES[:3], k=random.randint(1, 2)))
        body = {
            "episode": self.episode,
            "performed_at": (datetime.now(UTC) - timedelta(days=random.randint(0, 60))).isoformat(),
            "kind": kind,
            "intent": "diagnostic",
            "side": "bilateral" if kind == "sacroiliac_joint" else "right",
            "levels": levels,
            "anesthetic": anesthetic,
            "anesthetic_volume_ml": 0.5,
            "steroid": "none",
            "steroid_dose_mg": None,
            "guidance": "fluoroscopy",
            "contrast_used": True,
            "contrast_flow_confirmed": True,
            "sedation": "none",
            "pre_pain": pre_pain,
            "pain_scores": [
                {"minutes_after": m, "score": random.randint(0, pre_pain)} for m in first
            ],
        }
        response = self.client.post("/api/procedures/", json=body, name="/api/procedures/ [POST]")
        if response.status_code == 201:
            procedure = response.json()["id"]
            confirmed_scores[procedure] += len(first)
            self.procedures.append((procedure, [m for m in DIARY_MINUTES if m > first[-1]]))

    @task(3)
    def add_a_later_diary_score(self):
        pending = [(pk, minutes) for pk, minutes in self.procedures if minutes]
        if not pending:
            return
        procedure, minutes = random.choice(pending)
        minute = minutes.pop(0)
        response = self.client.post(
            f"/api/procedures/{procedure}/pain-scores/",
            json={"minutes_after": minute, "score": random.randint(0, 8)},
            name="/api/procedures/{id}/pain-scores/ [POST]",
        )
        if response.status_code == 201:
            confirmed_scores[procedure] += 1

    @task(2)
    def reread_a_procedure(self):
        if self.procedures:
            procedure, _ = random.choice(self.procedures)
            self.client.get(f"/api/procedures/{procedure}/", name="/api/procedures/{id}/")


class Physician(HttpUser):
    """Reads episodes, their procedures and the suggested next steps."""

    weight = 4
    # A physician reads an episode's procedures and suggestions before the next click.
    wait_time = between(2.0, 8.0)

    def on_start(self):
        self.client.headers.update(_auth("physician"))

    def _episode(self) -> int | None:
        if episode_ids and random.random() < 0.7:
            return random.choice(episode_ids)
        listing = self.client.get("/api/episodes/?page_size=20", name="/api/episodes/")
        results = listing.json().get("results", []) if listing.status_code == 200 else []
        return random.choice(results)["id"] if results else None

    @task(3)
    def read_an_episode_and_its_next_steps(self):
        episode = self._episode()
        if episode is None:
            return
        self.client.get(f"/api/episodes/{episode}/", name="/api/episodes/{id}/")
        self.client.get(
            f"/api/episodes/{episode}/next-steps/", name="/api/episodes/{id}/next-steps/"
        )

    @task(2)
    def read_an_episodes_procedures(self):
        episode = self._episode()
        if episode is not None:
            self.client.get(f"/api/procedures/?episode={episode}", name="/api/procedures/?episode=")

    @task(1)
    def read_the_profiles(self):
        self.client.get("/api/profiles/", name="/api/profiles/")


class Quality(HttpUser):
    """Exports the outcome report now and then, and pages through recent procedures."""

    weight = 1
    wait_time = between(5.0, 15.0)

    def on_start(self):
        self.client.headers.update(_auth("quality"))

    @task(1)
    def export_the_outcome_report(self):
        global report_missing
        if report_missing:
            return
        with self.client.get(
            "/api/reports/outcomes/?format=csv",
            name="/api/reports/outcomes/?format=csv",
            catch_response=True,
        ) as response:
            if response.status_code == 404:
                report_missing = True  # not deployed here: not a failure of the load
                response.success()

    @task(2)
    def page_through_procedures(self):
        self.client.get("/api/procedures/?page_size=50", name="/api/procedures/?page_size=50")
