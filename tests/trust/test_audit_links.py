"""The {% audit_links %} tag shows History and Edit only to the roles the pages let in."""

from django.template import Context, Template
from django.test import RequestFactory

from tests.factories import BASE_TIME, ProcedureFactory, UserFactory

TEMPLATE = Template('{% load audit_links %}{% audit_links "procedure" procedure %}')


def render(user, procedure) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return TEMPLATE.render(Context({"request": request, "procedure": procedure}))


def test_each_role_sees_the_links_it_may_follow(db):
    procedure = ProcedureFactory()
    history = f'href="/procedures/{procedure.pk}/history/"'
    edit = f'href="/procedures/{procedure.pk}/edit/"'

    staff = render(UserFactory(roles=["clinic_staff"]), procedure)
    physician = render(UserFactory(roles=["physician"]), procedure)
    quality = render(UserFactory(roles=["quality"]), procedure)

    assert edit in staff and history not in staff
    assert edit in physician and history in physician
    assert history in quality and edit not in quality


def test_a_procedure_entered_in_error_offers_no_edit(db):
    procedure = ProcedureFactory(
        entered_in_error=True,
        entered_in_error_reason="dup",
        entered_in_error_at=BASE_TIME,
    )

    html = render(UserFactory(roles=["physician"]), procedure)

    assert "/edit/" not in html and "/history/" in html
