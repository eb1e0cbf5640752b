"""OpenAPI: every operation that accepts a token may answer 429 (failed attempts throttled)."""

TOKEN_SCHEME = "tokenAuth"

THROTTLED = {
    "description": "Too many failed token attempts from this client address "
    "(TRACKER_API_TOKEN_FAILURE_LIMIT within TRACKER_API_TOKEN_FAILURE_WINDOW_MINUTES); "
    "retry after the given number of seconds.",
    "headers": {
        "Retry-After": {
            "description": "Seconds until token requests from this address are answered again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


def document_token_throttling(result, generator, request, public):
    """drf-spectacular post-processing hook: add the 429 answer next to token security."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            schemes = {name for item in operation.get("security", []) for name in item}
            if TOKEN_SCHEME in schemes:
                operation.setdefault("responses", {}).setdefault("429", THROTTLED)
    return result
