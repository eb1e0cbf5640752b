"""Input fields that take JSON types at their word.

DRF's stock fields coerce: "3" and 3.0 become the score 3, "yes" becomes true.
A clinical record should hold what the client meant, so a string where a number
belongs, or a boolean where a score belongs, is a 400.
"""

from rest_framework import serializers

from blocks.models.base import choices

INT_MAX = 2_147_483_647


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

    def __init__(self, codes=None, *, noun: str = "code", unique: bool = True, **kwargs):
        self.codes = None if codes is None else tuple(codes)
        self.noun = noun
        self.unique = unique
        super().__init__(child=serializers.CharField(), **kwargs)

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
