"""The /reports/ page: sign-in, roles, filters, tables, charts and download links."""

import re

import pytest

from reports import charts
from reports.tables import TABLES

pytestmark = pytest.mark.usefixtures("report_urls")


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_clinic_staff_may_not_open_reports(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/reports/").status_code == 403


def test_the_page_has_tables_charts_and_downloads(client, quality_user, physician_user):
    from tests.reports.clinic import small_clinic

    small_clinic(physician_user)
    client.force_login(quality_user)
    response = client.get("/reports/", {"kind": "medial_branch_block"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('src="data:image/png;base64,') == len(charts.CHARTS)  # one image per chart
    assert 'id="table-diagnostic_yield"' in html
    assert "/api/reports/outcomes/?kind=medial_branch_block&amp;profile=cms-2021" in html
    assert "format=xlsx" in html
    assert "identified=true" not in html  # only superusers see identified downloads


def test_the_page_reads_under_the_profile_chosen_in_the_header(client, quality_user, db):
    client.force_login(quality_user)
    session = client.session
    session["profile"] = "asra-2020"
    session.save()
    html = client.get("/reports/").content.decode()
    assert "profile=asra-2020" in html


def test_superusers_see_identified_downloads(client, superuser):
    client.force_login(superuser)
    assert "identified=true" in client.get("/reports/").content.decode()


def test_bad_filters_come_back_with_the_error_beside_the_field(client, quality_user):
    client.force_login(quality_user)
    response = client.get("/reports/", {"from": "not-a-date"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_an_empty_clinic_still_renders(client, physician_user):
    client.force_login(physician_user)
    response = client.get("/reports/")
    assert response.status_code == 200
    assert "Nothing to show for these filters." in response.content.decode()


def test_the_physician_filter_is_a_list_of_names(client, quality_user, physician_user):
    from tests.reports.clinic import small_clinic

    physician_user.first_name, physician_user.last_name = "Ada", "Okafor"
    physician_user.save()
    small_clinic(physician_user)
    client.force_login(quality_user)
    html = client.get("/reports/", {"physician": physician_user.pk}).content.decode()
    select = re.search(r'<select name="physician"[^>]*>(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert options == [("", "", "All"), (str(physician_user.pk), " selected", "Ada Okafor")]
    assert physician_user.username not in html  # the reports page carries no login names
    assert f"physician={physician_user.pk}&amp;" in html  # the downloads keep the filter


def test_the_wide_tables_scroll_from_the_keyboard_and_are_named(client, quality_user, db):
    client.force_login(quality_user)
    html = client.get("/reports/").content.decode()
    wrappers = re.findall(r'<div class="table-scroll"([^>]*)>', html)
    assert len(wrappers) == len(TABLES)
    ids = set(re.findall(r' id="([^"]+)"', html))
    for attributes in wrappers:
        assert 'tabindex="0"' in attributes
        (named_by,) = re.findall(r'aria-labelledby="([^"]+)"', attributes)
        assert f'<caption id="{named_by}">' in html
    described_by = re.findall(r'aria-describedby="([^"]+)"', html)
    assert [target for ids_ in described_by for target in ids_.split() if target not in ids] == []


def test_with_no_lag_allowed_a_second_view_comes_from_the_cache_until_a_new_block(
    client, quality_user, physician_user, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reports.clinic import block, small_clinic

    settings.TRACKER_REPORTS_MAX_LAG_SECONDS = 0
    small_clinic(physician_user)
    client.force_login(quality_user)
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/reports/", {"kind": "medial_branch_block"})
    with CaptureQueriesContext(connection) as warm:
        second = client.get("/reports/", {"kind": "medial_branch_block"})
    assert first.status_code == second.status_code == 200
    # The warm view reads the store's mark and the completeness counts, not the report.
    assert not any("blocks_painscore" in q["sql"] and "GROUP BY" in q["sql"] for q in warm)
    assert any("blocks_painscore" in q["sql"] and "GROUP BY" in q["sql"] for q in cold)
    assert len(warm) < len(cold)
    from blocks.models import Procedure

    episode = Procedure.objects.filter(kind="medial_branch_block").first().episode
    block(episode, physician_user, days=3, kind="medial_branch_block")
    with CaptureQueriesContext(connection) as after:
        third = client.get("/reports/", {"kind": "medial_branch_block"})
    assert third.status_code == 200
    assert any("blocks_painscore" in q["sql"] and "GROUP BY" in q["sql"] for q in after)


def test_a_re_read_outside_a_write_renews_the_cached_page(
    client, quality_user, physician_user, settings
):
    """`refresh_readings` (or the worklist's lazy read) writes no history row: the readings'
    highest id moves on instead, and the next view is built anew."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from blocks.models import Patient
    from reports.store.readings import store_for_patients
    from tests.reports.clinic import small_clinic

    settings.TRACKER_REPORTS_MAX_LAG_SECONDS = 0
    small_clinic(physician_user)
    client.force_login(quality_user)
    assert client.get("/reports/", {"kind": "medial_branch_block"}).status_code == 200
    store_for_patients(list(Patient.objects.values_list("pk", flat=True)))
    with CaptureQueriesContext(connection) as after:
        assert client.get("/reports/", {"kind": "medial_branch_block"}).status_code == 200
    assert any("blocks_painscore" in q["sql"] and "GROUP BY" in q["sql"] for q in after)


def test_the_completeness_figures_open_the_page(client, quality_user, physician_user, settings):
    from blocks.models import Procedure
    from tests.reports.clinic import block, small_clinic

    settings.TRACKER_REPORTS_MAX_LAG_SECONDS = 0
    small_clinic(physician_user)
    client.force_login(quality_user)
    assert client.get("/reports/").context["completeness"]["blocks_without_scores"] == 0
    episode = Procedure.objects.first().episode
    block(episode, physician_user, days=90, points=())
    # A treatment keeps no relief diary: it is not a block without scores.
    block(
        episode,
        physician_user,
        days=95,
        kind="radiofrequency_ablation",
        intent="therapeutic",
        anesthetic="none",
        anesthetic_volume_ml=None,
        points=(),
    )
    response = client.get("/reports/")
    assert response.context["completeness"]["blocks_without_scores"] == 1
    html = response.content.decode()
    assert html.index("Data completeness today") < html.index("Report filters")


def _mbb_blocks(response) -> int:
    volume = response.context["report"].tables["volume_by_kind"].set_index("kind")
    return int(volume.loc["medial_branch_block", "procedures"])


def test_after_a_change_the_last_count_is_shown_for_a_minute_and_says_so(
    client, quality_user, physician_user, settings, monkeypatch
):
    """A clinic writes every few seconds: the page counted a moment ago is shown, saying
    that records have changed since, until the allowed lag has passed or a user asks for a
    count now; then the new block is in it."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from blocks.models import Procedure
    from reports import page_cache
    from tests.reports.clinic import block, small_clinic

    assert settings.TRACKER_REPORTS_MAX_LAG_SECONDS == 60  # the default
    small_clinic(physician_user)
    client.force_login(quality_user)
    asked = {"from": "", "to": ""}
    first = client.get("/reports/", asked)
    before, overdue = _mbb_blocks(first), first.context["completeness"]["blocks_without_scores"]
    assert first.context["counted"].behind is False
    assert "Records have changed" not in first.content.decode()

    episode = Procedure.objects.filter(kind="medial_branch_block").first().episode
    block(episode, physician_user, days=3, kind="medial_branch_block", points=())
    with CaptureQueriesContext(connection) as within_the_minute:
        shown = client.get("/reports/", asked)
    assert not any("blocks_painscore" in q["sql"] for q in within_the_minute)
    assert _mbb_blocks(shown) == before
    assert shown.context["completeness"]["blocks_without_scores"] == overdue
    assert shown.context["counted"].behind is True
    html = shown.content.decode()
    assert "Records have changed since these figures were counted" in html
    assert "counted again at most once a minute" in html
    (link,) = re.findall(r'<a href="(\?[^"]*recount=1)">Count again now</a>', html)

    now = client.get("/reports/" + link.replace("&amp;", "&"))
    assert _mbb_blocks(now) == before + 1
    assert now.context["completeness"]["blocks_without_scores"] == overdue + 1
    assert now.context["counted"].behind is False
    assert "Records have changed" not in now.content.decode()

    # Another block; a minute later, the next view counts again by itself.
    block(episode, physician_user, days=2, kind="medial_branch_block")
    assert _mbb_blocks(client.get("/reports/", asked)) == before + 1
    later = timezone.now() + dt.timedelta(seconds=61)
    monkeypatch.setattr(page_cache.timezone, "now", lambda: later)
    counted = client.get("/reports/", asked)
    assert _mbb_blocks(counted) == before + 2
    assert counted.context["counted"].behind is False


def test_while_one_request_counts_a_page_again_the_others_see_the_last_count(
    db, settings, monkeypatch
):
    import datetime as dt

    from django.core.cache import cache
    from django.utils import timezone

    from reports import page_cache

    cache.clear()
    counts = []

    def count(value):
        def counting():
            counts.append(value)
            return value

        return counting

    state = ["state 1"]
    monkeypatch.setattr(page_cache, "store_mark", lambda: list(state))
    assert page_cache.cached({"kind": "x"}, count("first")).value == "first"
    state[0] = "state 2"
    later = timezone.now() + dt.timedelta(seconds=90)
    monkeypatch.setattr(page_cache.timezone, "now", lambda: later)
    # Another request holds the counting mark: this one shows the last count, behind.
    assert cache.add(
        page_cache._key("page", {"kind": "x"}, page_cache.ENGINE_VERSION, "counting"), 1
    )
    shown = page_cache.cached({"kind": "x"}, count("second"))
    assert (shown.value, shown.behind, counts) == ("first", True, ["first"])
    cache.clear()
    assert page_cache.cached({"kind": "x"}, count("third")).value == "third"
    # Filters of their own are counted on their own.
    assert page_cache.cached({"kind": "y"}, count("other")).value == "other"
    assert counts == ["first", "third", "other"]


def test_the_page_opens_on_the_last_month_and_empty_dates_ask_for_all(client, quality_user):
    import datetime as dt

    from django.utils import timezone

    client.force_login(quality_user)
    today = timezone.localdate()
    opened = client.get("/reports/").context["meta"]["filters"]
    assert opened["from"] == (today - dt.timedelta(days=30)).isoformat()
    assert opened["to"] == today.isoformat()
    every = client.get("/reports/", {"from": "", "to": ""}).context["meta"]["filters"]
    assert "from" not in every or every["from"] in (None, "")


def test_a_chart_is_drawn_again_only_when_its_table_changes(db):
    import pandas as pd
    from django.core.cache import cache

    from reports import page_cache

    cache.clear()
    drawn = []

    def draw(text):
        def drawing():
            drawn.append(text)
            return text

        return drawing

    table = pd.DataFrame({"month": ["2026-11", "2026-12"], "procedures": [40, 41]})
    assert page_cache.chart("monthly_volume", table, draw("first")) == "first"
    assert page_cache.chart("monthly_volume", table.copy(), draw("again")) == "first"
    changed = table.assign(procedures=[40, 42])
    assert page_cache.chart("monthly_volume", changed, draw("changed")) == "changed"
    # The same content under another chart's name, or as other types, is another drawing.
    assert page_cache.chart("positive_rate", table, draw("other chart")) == "other chart"
    as_floats = table.astype({"procedures": float})
    assert page_cache.chart("monthly_volume", as_floats, draw("floats")) == "floats"
    assert drawn == ["first", "changed", "other chart", "floats"]


def test_a_page_built_again_draws_only_the_charts_whose_table_changed(
    client, quality_user, physician_user, monkeypatch
):
    from django.core.cache import cache

    from reports import page_cache
    from tests.reports.clinic import small_clinic

    small_clinic(physician_user)
    cache.clear()
    drawn = []
    data_uri = charts.data_uri
    monkeypatch.setattr(charts, "data_uri", lambda figure: drawn.append(1) or data_uri(figure))
    client.force_login(quality_user)
    first = client.get("/reports/", {"from": "", "to": ""})
    assert len(drawn) == len(charts.CHARTS)
    # The store moved on (as after any write), but every table came out the same.
    mark = page_cache.store_mark()
    monkeypatch.setattr(page_cache, "store_mark", lambda: [*mark, "moved"])
    second = client.get("/reports/", {"from": "", "to": ""})
    assert len(drawn) == len(charts.CHARTS)
    uris = re.compile(r'src="(data:image/png;base64,[^"]+)"')
    assert len(uris.findall(first.content.decode())) == len(charts.CHARTS)
    assert uris.findall(first.content.decode()) == uris.findall(second.content.decode())


def test_the_physician_filter_lists_physicians_and_whoever_performed_a_block_once(db):
    from reports.filters import physician_choices
    from tests.factories import ProcedureFactory, UserFactory

    UserFactory(username="dr.ada", first_name="Ada", roles=["physician", "quality"])
    performer = UserFactory(username="locum.bo", roles=["clinic_staff"])
    UserFactory(username="front.desk", roles=["clinic_staff"])
    for _ in range(2):
        ProcedureFactory(performed_by=performer, episode__created_by=performer)

    named = [name for value, name in physician_choices() if value]

    assert named.count("Ada") == 1
    assert named.count("locum.bo") == 1
    assert "front.desk" not in named
