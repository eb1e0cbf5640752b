"""A clinic day under load: staff fill in diaries, physicians work their worklists, quality
reads the reports, all through the pages a browser uses.

Run by benchmarks/load.sh (gunicorn on a throwaway PostgreSQL holding a synthetic clinic of
100,000 blocks); by hand:

    LOAD_ACCOUNTS=accounts.json LOAD_CLINIC=clinic.json LOAD_CONFIRMED=confirmed.json \\
        locust -f benchmarks/locustfile.py --headless -u 50 -r 5 -t 60s --host http://...

LOAD_ACCOUNTS names a JSON file {"clinic_staff": [...], "physician": [...], "quality": [...]}
of {"username", "password", "totp_key"}: each simulated user signs in once, as its own
account, through the sign-in form (CSRF token from the page), and then, when its account has
an authenticator app (physicians and quality must), with the code the app would show now
(RFC 6238 from the device's key); it then opens its role's home page, where a browser's
sign-in lands (staff /today/, physicians /worklist/, quality /reports/), before the measured
window like the sign-in itself. LOAD_CLINIC names the clinic's episodes, each physician's
own episodes, MRNs and the blocks whose diary still has time points to fill in.

The mix of tasks over all users (users per role and task weights below): worklist 30 %,
episode pages 25 %, diary entry 25 %, patient search 10 %, reports page 8 %, exports 2 %.
A diary entry is a real write: staff open a block's diary grid, type a score in the first
missing time point and save. Each score the server confirmed (the save's redirect back to
the grid, which then says "Diary saved") is written to LOAD_CONFIRMED, so that
benchmarks/check_load.py can check every one of them is in the database.
"""

import hashlib
import hmac
import json
import os
import random
import re
import time
from html.parser import HTMLParser

import gevent
from locust import HttpUser, between, events, task


def _json(variable: str) -> dict:
    return json.loads(open(os.environ[variable]).read()) if variable in os.environ else {}


ACCOUNTS = _json("LOAD_ACCOUNTS")
CLINIC = _json("LOAD_CLINIC")
CONFIRMED_FILE = os.environ.get("LOAD_CONFIRMED", "load-confirmed.json")
USERS = int(os.environ.get("LOAD_USERS", "50"))
# The measured window: this many seconds from the moment the last user has signed in.
MEASURE_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
SIGN_IN_FILE = os.environ.get("LOAD_SIGN_IN", "load-sign-in.json")

# [procedure id, minutes after the block, score] of every diary score the server confirmed.
confirmed: list[list[int]] = []
# Blocks whose diary has time points to fill, most recent first: each staff user takes one,
# fills it point by point and takes the next, so no two users type into the same grid.
diaries: list[int] = list(reversed(CLINIC.get("diaries", [])))
# Each simulated user is its own account (a TOTP code is accepted once per account).
free_accounts = {role: list(entries) for role, entries in ACCOUNTS.items()}

# Think time between two clicks, the same for every role so that the task weights below give
# the mix of the whole run.
THINK = between(2.0, 8.0)


signed_in = 0


def one_more_signed_in(environment) -> None:
    """Once every user has signed in, the statistics start afresh for the measured window.

    Fifty sign-ins in ten seconds (each a deliberately slow password hash) is not a clinic
    day; what they cost is kept apart, in LOAD_SIGN_IN, and their failures still count.
    """
    global signed_in
    signed_in += 1
    if signed_in < USERS:
        return
    stats = environment.runner.stats
    phase = {
        "requests": stats.total.num_requests,
        "failures": stats.total.num_failures,
        "pages": {
            f"{entry.method} {entry.name}": {
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50_ms": entry.get_response_time_percentile(0.5),
                "p95_ms": entry.get_response_time_percentile(0.95),
                "max_ms": round(entry.max_response_time),
            }
            for entry in stats.entries.values()
        },
    }
    with open(SIGN_IN_FILE, "w") as out:
        json.dump(phase, out)
    stats.reset_all()
    gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


@events.test_stop.add_listener
def write_confirmed(environment, **kwargs):
    with open(CONFIRMED_FILE, "w") as out:
        json.dump({"scores": confirmed}, out)


def totp(key_hex: str, *, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now (django-otp's TOTPDevice defaults)."""
    counter = int(time.time()) // step
    mac = hmac.new(bytes.fromhex(key_hex), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = (int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**digits
    return f"{number:0{digits}d}"


class FormReader(HTMLParser):
    """The fields of each POST form of a page, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action"), "fields": {}}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "file"):
                return
            self._form["fields"][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def read_page(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def post_form(html: str, field: str) -> dict:
    """The fields of the page's POST form that has this field (the header's forms have not)."""
    for form in read_page(html).forms:
        if field in form["fields"]:
            return form["fields"]
    return {}


class ClinicUser(HttpUser):
    abstract = True
    role = ""
    home = "/"
    wait_time = THINK

    def on_start(self):
        self.signed_in = False
        try:
            self.account = free_accounts[self.role].pop(0)
            self.signed_in = self.sign_in()
            if self.signed_in:
                # As a browser does: the sign-in's redirect opens the role's home page.
                self.client.get(self.home, name=f"{self.home} [after sign-in]")
        finally:
            # A user whose sign-in broke (its failure is counted) does not hold the run up.
            one_more_signed_in(self.environment)

    def sign_in(self) -> bool:
        """The sign-in form, then the two-factor page when the account has an app."""
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        fields = post_form(page.text, "username")
        fields.update(
            username=self.account["username"], password=self.account["password"], next=self.home
        )
        with self.client.post(
            "/accounts/login/",
            data=fields,
            name="/accounts/login/ [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in refused ({answer.status_code})")
                return False
        if not self.account["totp_key"]:
            return True
        verify = f"/accounts/two-factor/?next={self.home}"
        page = self.client.get(verify, name="/accounts/two-factor/")
        fields = post_form(page.text, "code")
        fields["code"] = totp(self.account["totp_key"])
        with self.client.post(
            verify,
            data=fields,
            name="/accounts/two-factor/ [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"two-factor code refused ({answer.status_code})")
                return False
        return True

    def open_episode(self, episodes: list[int]):
        if episodes:
            self.client.get(f"/episodes/{random.choice(episodes)}/", name="/episodes/{id}/")

    def search_patients(self):
        """An MRN prefix, as typed at the front desk (the first 7 to 11 characters)."""
        mrn = random.choice(CLINIC["mrns"])
        prefix = mrn[: random.randint(7, min(11, len(mrn)))]
        self.client.get(f"/patients/?q={prefix}", name="/patients/?q=")


class ClinicStaff(ClinicUser):
    """Phones the patients whose diary has gaps and types their scores into the grid."""

    role = "clinic_staff"
    home = "/today/"
    fixed_count = round(USERS * 0.425)

    def on_start(self):
        super().on_start()
        self.procedure: int | None = None

    @task(50)
    def fill_in_a_diary(self):
        if not self.signed_in:
            return
        if self.procedure is None:
            if not diaries:
                return
            self.procedure = diaries.pop()
        url = f"/procedures/{self.procedure}/diary/"
        page = self.client.get(url, name="/procedures/{id}/diary/")
        if page.status_code != 200:
            self.procedure = None
            return
        fields = post_form(page.text, "grid-TOTAL_FORMS")
        # The first time point with no score yet: a row of the schedule (its minutes are a
        # hidden field), not a stored score (an id) nor an extra row.
        row = next(
            (
                name[: -len("-minutes_after")]
                for name, value in fields.items()
                if name.endswith("-minutes_after")
                and value
                and not fields.get(name.replace("-minutes_after", "-id"))
                and not fields.get(name.replace("-minutes_after", "-score"))
            ),
            None,
        )
        if row is None:
            self.procedure = None  # this diary is done; the next task takes another
            return
        minutes, score = int(fields[f"{row}-minutes_after"]), random.randint(0, 8)
        fields[f"{row}-score"] = str(score)
        with self.client.post(
            url,
            data=fields,
            name="/procedures/{id}/diary/ [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or not answer.headers.get("Location", "").endswith(url):
                answer.failure(f"diary not saved ({answer.status_code})")
                return
        confirmed.append([self.procedure, minutes, score])
        with self.client.get(
            url, name="/procedures/{id}/diary/ [after save]", catch_response=True
        ) as shown:
            if "Diary saved" not in shown.text:
                shown.failure("the grid does not say the diary was saved")

    @task(25)
    def open_an_episode(self):
        if self.signed_in:
            self.open_episode(CLINIC["episodes"])

    @task(10)
    def search_a_patient(self):
        if self.signed_in:
            self.search_patients()


class Physician(ClinicUser):
    """Works the own worklist, opens own episodes, looks patients up."""

    role = "physician"
    home = "/worklist/"
    fixed_count = USERS - round(USERS * 0.425) - max(1, round(USERS * 0.1))

    @task(60)
    def read_the_worklist(self):
        if self.signed_in:
            self.client.get("/worklist/", name="/worklist/")

    @task(25)
    def open_an_episode(self):
        if self.signed_in:
            own = CLINIC["by_physician"].get(self.account["username"]) or CLINIC["episodes"]
            self.open_episode(own)

    @task(10)
    def search_a_patient(self):
        if self.signed_in:
            self.search_patients()


class Quality(ClinicUser):
    """Opens the reports page (last month, its home) and downloads what it links to."""

    role = "quality"
    home = "/reports/"
    fixed_count = max(1, round(USERS * 0.1))

    def on_start(self):
        super().on_start()
        self.downloads: list[str] = []

    @task(16)
    def read_the_reports(self):
        if not self.signed_in:
            return
        page = self.client.get("/reports/", name="/reports/")
        if page.status_code == 200:
            self.downloads = [
                link
                for link in read_page(page.text).links
                if link.startswith("/api/reports/")
                and "format=csv" in link
                and "identified=true" not in link
            ]

    @task(4)
    def download_an_export(self):
        if not self.signed_in or not self.downloads:
            return
        link = random.choice(self.downloads)
        table = re.match(r"/api/reports/(\w+)/", link)
        name = f"/api/reports/{table.group(1) if table else '?'}/?format=csv"
        self.client.get(link, name=name)
