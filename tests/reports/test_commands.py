"""make_synthetic_clinic, export_outcomes and the progress bar."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from blocks.models import DiscInjection, PainScore, Patient, Procedure, Screening
from reports.models import BlockReading
from reports.progress import Progress
from reports.store.readings import stale_patients


def test_a_synthetic_clinic_of_the_size_asked_with_diaries_and_fresh_readings(db, capsys):
    call_command("make_synthetic_clinic", "--procedures", "400", "--physicians", "3", "--quiet")
    assert Procedure.objects.count() == 400
    assert Screening.objects.count() == 400
    assert set(Procedure.objects.values_list("kind", flat=True)) >= {
        "medial_branch_block",
        "radiofrequency_ablation",
        "transforaminal_epidural",
        "sacroiliac_joint",
        "facet_intraarticular",
    }
    assert Procedure.objects.values("performed_by").distinct().count() == 3
    per_block = PainScore.objects.values("procedure").distinct().count()
    assert per_block > 0.9 * Procedure.objects.exclude(kind="provocation_discography").count()
    points = Procedure.objects.annotate(n=Count("pain_scores")).exclude(n=0)
    assert set(points.values_list("n", flat=True)) <= set(range(4, 13))
    assert (
        DiscInjection.objects.exists()
        or not Procedure.objects.filter(kind="provocation_discography").exists()
    )
    assert BlockReading.objects.count() == 400 * 3
    assert stale_patients(list(Patient.objects.values_list("pk", flat=True))) == set()
    assert "Made 400 synthetic procedures" in capsys.readouterr().out


def test_a_second_clinic_adds_to_the_first(db):
    call_command("make_synthetic_clinic", "--procedures", "50", "--quiet", "--no-readings")
    call_command("make_synthetic_clinic", "--procedures", "50", "--quiet", "--no-readings")
    assert Procedure.objects.count() == 100
    assert Patient.objects.filter(mrn__startswith="SYN-").count() == Patient.objects.count()


def test_export_writes_the_file_and_says_what_it_wrote(physician_user, tmp_path, capsys):
    from tests.reports.clinic import small_clinic

    small_clinic(physician_user)
    out = tmp_path / "report.json"
    call_command(
        "export_outcomes", "--format", "json", "--kind", "medial_branch_block", "--out", out
    )
    body = json.loads(out.read_text())
    assert body["meta"]["filters"] == {"kind": "medial_branch_block", "profile": "cms-2021"}
    assert "de-identified" in capsys.readouterr().out


def test_export_refuses_bad_filters(db, tmp_path):
    with pytest.raises(CommandError, match="--kind"):
        call_command("export_outcomes", "--kind", "yoga", "--out", tmp_path / "x.csv")


def test_the_progress_bar_prints_each_tenth_in_a_log_and_nothing_for_short_runs():
    stream = io.StringIO()
    bar = Progress(100, "blocks", stream=stream, delay=0)
    for done in range(1, 101):
        bar.update(done)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11  # the first update, then one per tenth
    assert lines[-1].startswith("blocks [##############################] 100% 100/100")
    quiet = io.StringIO()
    Progress(100, "blocks", stream=quiet).update(100)
    assert quiet.getvalue() == ""
