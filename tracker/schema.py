"""OpenAPI answers every operation can give, added once after drf-spectacular built the schema.

A database too busy to take a write answers 503 with `Retry-After: 1` (tracker/busy.py). Every
operation can meet one: the writes themselves, an identified report export (recorded), and any
request signed in with a session (the session is saved on every request). Documenting it here,
rather than in each view's `responses`, keeps a new view from forgetting it; the fuzzer's
status-code and header checks then accept the answer.
"""

import copy

ERROR_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
BUSY_RESPONSE = {
    "description": "The database was too busy to take a write; nothing was saved. "
    "Retry after the Retry-After seconds.",
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before retrying (1).",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}},
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def add_busy_responses(result, generator, request, public):
    """SPECTACULAR_SETTINGS POSTPROCESSING_HOOKS: 503 on every operation of the schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", ERROR_DETAIL)
    for path_item in result.get("paths", {}).values():
        for method in HTTP_METHODS:
            operation = path_item.get(method)
            if operation is not None:
                operation.setdefault("responses", {}).setdefault(
                    "503", copy.deepcopy(BUSY_RESPONSE)
                )
    return result


# Enum names for choice sets whose field names repeat (SPECTACULAR_SETTINGS
# ENUM_NAME_OVERRIDES): a complication's `code` and a finding's `code`, a procedure's
# `kind` and a finding's `kind` keep distinct, stable names.
def complication_codes() -> list[tuple[str, str]]:
    from blocks.models.base import choices
    from blocks.rules import vocab

    return choices(vocab.COMPLICATIONS)


def procedure_kinds() -> list[tuple[str, str]]:
    from blocks.models.base import choices
    from blocks.rules import vocab

    return choices(vocab.KINDS)
