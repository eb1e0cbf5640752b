"""A record's check constraints, evaluated in Python before it is saved.

`Model.full_clean()` checks each CheckConstraint with its own SQL query (and savepoint): 36
queries for one procedure with six diary scores. Our constraints are simple conditions on the
row itself (`field__in`, `__gte`, `__lte`, `__isnull`, equality, combined with AND, OR and NOT),
so they are evaluated here in Python, with SQL's three-valued logic: a condition that is NULL
(unknown) passes, as `CHECK` lets it pass. A condition this module cannot read is checked by the
database as before. The database constraints stay as the backstop.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q

_UNKNOWN = object()  # a lookup this module does not evaluate


def _compare(lookup: str, value, operand):
    if lookup == "isnull":
        return (value is None) == bool(operand)
    if value is None:
        return None  # NULL compared with anything is unknown
    if lookup == "exact":
        return value == operand
    if lookup == "in":
        return value in operand
    if lookup == "gte":
        return value >= operand
    if lookup == "lte":
        return value <= operand
    return _UNKNOWN


def _leaf(instance, key: str, operand):
    name, _, lookup = key.partition("__")
    field = instance._meta.get_field(name)
    if "__" in lookup or hasattr(operand, "resolve_expression"):
        return _UNKNOWN
    if field.is_relation and lookup != "isnull":
        return _UNKNOWN
    return _compare(lookup or "exact", getattr(instance, field.attname), operand)


def evaluate(condition: Q, instance):
    """True, False, None (unknown, as SQL NULL) or _UNKNOWN (not evaluable here)."""
    results = []
    for child in condition.children:
        result = evaluate(child, instance) if isinstance(child, Q) else _leaf(instance, *child)
        if result is _UNKNOWN:
            return _UNKNOWN
        results.append(result)
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if condition.negated:
        value = None if value is None else not value
    return value


def _fields_of(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        names |= _fields_of(child) if isinstance(child, Q) else {child[0].split("__")[0]}
    return names


def check_constraints_in_python(instance: models.Model, *, exclude=(), held=()) -> None:
    """Raise the ValidationError full_clean() would raise for the instance's constraints.

    Check constraints are read in Python; a unique constraint needs the other rows, so the
    database answers it. Either is skipped, as full_clean skips it, when it names a field in
    `exclude` (a field that already failed: its own message says what is wrong). A unique
    constraint naming a `held` foreign key is left to the caller (a new parent has no rows yet;
    an existing one is checked by the service) and to the database.
    """
    exclude = set(exclude)
    messages = []
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            try:
                constraint.validate(type(instance), instance, exclude=exclude | set(held))
            except ValidationError as error:
                messages.extend(error.messages)
            continue
        if _fields_of(constraint.condition) & exclude:
            continue
        result = evaluate(constraint.condition, instance)
        if result is _UNKNOWN:
            try:
                constraint.validate(type(instance), instance)
            except ValidationError as error:
                messages.extend(error.messages)
        elif result is False:
            messages.append(constraint.get_violation_error_message())
    if messages:
        raise ValidationError({NON_FIELD_ERRORS: messages})


def clean_record(instance: models.Model, *, held=()) -> None:
    """full_clean() with the check constraints evaluated in Python.

    Name in `held` the foreign keys whose objects the caller holds: full_clean() would
    otherwise read each one back from the database to prove it exists. Their constraints
    are still checked.
    """
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=list(held), validate_constraints=False)
    except ValidationError as error:
        errors = dict(error.message_dict)
    failed = {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        check_constraints_in_python(instance, exclude=failed, held=held)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
