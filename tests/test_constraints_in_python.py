"""The check constraints read in Python agree with the database, value for value."""

import itertools

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from blocks.models.checks import _UNKNOWN, evaluate

pytestmark = pytest.mark.django_db

NUMBERS = [None, -1, 0, 5, 10, 11, 100, 101]
CODES = [
    "",
    "x",
    "none",
    "lidocaine",
    "provocation_discography",
    "medial_branch_block",
    "diagnostic",
    "therapeutic",
    "right",
    "sideways",
]


def pool(field) -> list:
    """Values of the field's type on both sides of every boundary our constraints draw."""
    if field.is_relation:
        return [None, 1]
    if isinstance(field, models.BooleanField):
        return [True, False]
    if isinstance(field, models.JSONField):
        return [[], ["L4-L5"]]
    if isinstance(field, models.DateTimeField):
        return [None, timezone.now()]
    if isinstance(field, models.CharField | models.TextField):
        return CODES
    return NUMBERS


def leaf_fields(condition):
    for child in condition.children:
        if isinstance(child, models.Q):
            yield from leaf_fields(child)
        else:
            yield child[0].split("__")[0]


def constraint_cases():
    for model in apps.get_app_config("blocks").get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                yield pytest.param(model, constraint, id=constraint.name)


@pytest.mark.parametrize("model,constraint", list(constraint_cases()))
def test_python_and_database_agree_on_every_check_constraint(model, constraint):
    names = sorted(set(leaf_fields(constraint.condition)))
    pools = [pool(model._meta.get_field(name)) for name in names]
    checked = 0
    for values in itertools.product(*pools):
        instance = model()
        for name, value in zip(names, values, strict=True):
            field = model._meta.get_field(name)
            if field.is_relation:
                name = field.attname
            setattr(instance, name, value)
        in_python = evaluate(constraint.condition, instance)
        assert in_python is not _UNKNOWN, constraint.name
        try:
            constraint.validate(model, instance)
            in_database = True
        except ValidationError:
            in_database = False
        assert (in_python is not False) == in_database, (
            constraint.name,
            dict(zip(names, values, strict=True)),
        )
        checked += 1
    assert checked > 0
