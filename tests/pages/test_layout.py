"""The layout's own files: the static assets, and the error page that needs no context."""

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import get_template

from tests.pages.markup import inline_code


@pytest.mark.parametrize("path", ["css/tracker.css", "js/procedure-form.js", "favicon.svg"])
def test_every_asset_is_served_by_the_app_itself(path):
    assert finders.find(path) is not None


def test_the_500_page_renders_without_any_context():
    page = get_template("500.html").render()
    assert "Something went wrong" in page
    assert "/static/css/tracker.css" in page
    assert inline_code(page) == []


@pytest.mark.django_db
def test_the_sign_in_page_has_no_inline_code(client):
    assert inline_code(client.get("/accounts/login/").content.decode()) == []


def test_the_markup_checker_finds_what_a_strict_csp_refuses():
    page = '<p style="x" onclick="y"></p><script>1</script><input id="a">'
    assert len(inline_code(page)) == 3


def test_the_label_checker_finds_an_unlabelled_input():
    from tests.pages.markup import unlabelled_inputs

    page = '<label for="b">B</label><input id="a"><input id="b"><label>C <input id="c"></label>'
    assert unlabelled_inputs(page) == ["a"]


@pytest.mark.parametrize(
    "path", ["css/tracker.css", "css/print.css", "css/diary-card.css", "reports/reports.css"]
)
def test_every_stylesheet_closes_each_block_it_opens(path):
    # An unclosed @media block is no parse error: the browser closes it at the end of the file,
    # and every rule after it applies on phones only (the worklist's own/all switch once did).
    import re

    text = re.sub(r"/\*.*?\*/", "", open(finders.find(path)).read(), flags=re.S)
    depth = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0, f"{path}: a }} closes nothing"
    assert depth == 0, f"{path}: {depth} block(s) left open"
