"""The pages' permission matrix names every page route of blocks/pages_urls.py, and only those."""

from django.urls import reverse

from blocks import pages_urls
from tests.permissions.pages_matrix import PAGE_NAMES, PAGES_MATRIX


def test_every_page_route_is_in_the_matrix():
    routes = {str(pattern.pattern) for pattern in pages_urls.urlpatterns}
    assert routes == set(PAGES_MATRIX) == set(PAGE_NAMES)


def test_each_url_name_reverses_to_its_route():
    for route, name in PAGE_NAMES.items():
        args = [1] if "<int:pk>" in route else ["tok"] if "<str:token>" in route else []
        expected = route.replace("<int:pk>", "1").replace("<str:token>", "tok")
        assert reverse(name, args=args) == "/" + expected
