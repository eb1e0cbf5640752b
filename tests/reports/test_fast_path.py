"""The summary's diary counted in SQL gives the tables the per-score path gives."""

import pytest

from reports import data as report_data
from reports.filters import ReportFilters
from reports.models import BlockReading
from reports.outcomes import patient_label
from reports.store.readings import refresh_all
from reports.synthetic import make_clinic
from reports.tables import outcome_tables

pytestmark = pytest.mark.django_db


def tables(filters: ReportFilters, *, fast: bool) -> tuple[dict, report_data.ReportData]:
    data = report_data.load(filters, fast=fast)
    return outcome_tables(data, label=patient_label(False)), data


def assert_same(filters: ReportFilters) -> report_data.ReportData:
    fast, data = tables(filters, fast=True)
    slow, _ = tables(filters, fast=False)
    assert fast.keys() == slow.keys()
    for name, frame in slow.items():
        assert fast[name].equals(frame), name
    return data


def test_a_mixed_clinic_reads_the_same_through_the_sql_counts():
    make_clinic(procedures=400, physicians=3, seed=7)
    refresh_all(stale_only=True)
    for filters in (
        ReportFilters(),
        ReportFilters(profile="sis-controlled"),
        ReportFilters(kind="medial_branch_block"),
    ):
        data = assert_same(filters)
        assert data.diary is None  # counted in SQL, not fetched
        assert data.diary_points["points"].sum() > 0
    curve, _ = tables(ReportFilters(), fast=True)
    assert curve["diary_curve"]["points"].sum() == data_points(ReportFilters())


def data_points(filters: ReportFilters) -> int:
    return int(report_data.load(filters).diary_points["points"].sum())


def test_stale_readings_fall_back_to_every_score():
    make_clinic(procedures=120, physicians=2, seed=3)
    refresh_all(stale_only=True)
    BlockReading.objects.filter(procedure__kind="medial_branch_block").update(
        engine_version="0.0.1", validity="invalid"
    )
    data = assert_same(ReportFilters())
    assert data.recomputed > 0
    assert data.diary is not None and data.diary_points is None
