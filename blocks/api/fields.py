"""Input fields that take JSON types at their word.

DRF's stock fields coerce: "3" and 3.0 become the score 3, "yes" becomes true.
A clinical record should hold what the client meant, so a string where a number
belongs, or a boolean where a score belongs, is a 400.
"""

from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from blocks.models.base import INT_MAX, choices


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": "A whole number is required."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", INT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if isinstance(data, float):
            if not data.is_integer():
                self.fail("invalid")
            data = int(data)
        return data


class StrictDecimalField(serializers.DecimalField):
    """A JSON number, stored exactly; rendered back as a JSON number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce_to_string", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CodeField(serializers.ChoiceField):
    """One code of a vocabulary; the error lists the codes that would do."""

    def __init__(self, codes, **kwargs):
        self.codes = tuple(codes)
        # The labels match the model fields' so the schema shows one enum per vocabulary.
        super().__init__(choices=choices(self.codes), **kwargs)
        self.error_messages["invalid_choice"] = (
            '"{input}" is not a valid code; use one of: ' + ", ".join(self.codes) + "."
        )

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class CodeListField(serializers.ListField):
    """A list of codes; errors come back as plain messages naming each bad code.

    With `codes=None` only the shape (a list of strings) is checked here and the
    model's clean() judges each code (levels depend on the episode's region).
    """

    def __init__(
        self, codes=None, *, noun: str = "code", unique: bool = True, schema_codes=None, **kwargs
    ):
        self.codes = None if codes is None else tuple(codes)
        self.noun = noun
        self.unique = unique
        # The schema lists the codes (or `schema_codes`, when the model judges them).
        documented = self.codes or (None if schema_codes is None else tuple(schema_codes))
        if documented is None:
            child = serializers.CharField()
        else:
            from blocks.api.vocabulary import code_field

            child = code_field(documented)
        super().__init__(child=child, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError(f"Give a list of {self.noun}s.")
        if not data and not self.allow_empty:
            raise serializers.ValidationError(f"Name at least one {self.noun}.")
        messages = []
        for item in data:
            if not isinstance(item, str):
                messages.append(f"{item!r} is not a {self.noun}.")
            elif self.codes is not None and item not in self.codes:
                messages.append(
                    f'"{item}" is not a known {self.noun}; use one of: {", ".join(self.codes)}.'
                )
        if self.unique:
            seen = set()
            for item in data:
                if isinstance(item, str) and item in seen:
                    messages.append(f'"{item}" is named more than once.')
                if isinstance(item, str):
                    seen.add(item)
        if messages:
            raise serializers.ValidationError(messages)
        return list(data)


class RoundedFloatField(serializers.FloatField):
    """A number rounded for display only (the engine keeps full precision)."""

    def __init__(self, *, decimals: int = 1, **kwargs):
        self.decimals = decimals
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value is None else round(float(value), self.decimals)


class StrictDateTimeField(serializers.DateTimeField):
    """An ISO 8601 string with an offset ("Z" or "+01:00").

    A time without one would be read in whatever zone the server runs in, which the client
    cannot know, so it is refused rather than guessed.
    """

    default_error_messages = {
        "naive": "Give the time with its offset, e.g. 2026-03-02T09:30:00Z or "
        "2026-03-02T09:30:00+01:00.",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]]Z")
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None  # an impossible date such as 2026-02-30: the stock message below
        if parsed is not None and parsed.tzinfo is None:
            self.fail("naive")
        return super().to_internal_value(value)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to another record: a JSON integer, nothing that merely looks like one.

    The stock field takes "1", 1.9 and true as record 1, so a typo or a float from a
    spreadsheet would attach the record to the wrong patient.
    """

    default_error_messages = {
        "incorrect_type": "A record id is a whole JSON number such as 12, not {data_type}.",
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=_json_type(data))
        if not 1 <= data <= INT_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


def _json_type(data) -> str:
    names = {bool: "a boolean", float: "a decimal number", str: "a string"}
    return names.get(type(data), "a list" if isinstance(data, list) else "an object")
