"""The JSON parser of the API: the stock one, refusing bodies nested too deeply.

No body of the contract nests more than three levels (a procedure, its pain_scores, one
score). A body nested hundreds of levels deep is an attack or a bug; left alone it
exhausts the recursion of the parser or of the code that walks the data afterwards
(error rendering, validation) and answers 500. It is refused here, as a 400.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"JSON nested too deeply: at most {MAX_DEPTH} levels of objects and lists."


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if nesting_depth(data, MAX_DEPTH) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data


def nesting_depth(data, limit: int) -> int:
    """How deeply lists and objects nest (a scalar is 0), counted without recursion.

    Stops as soon as the depth passes `limit`, so a deep body costs no more than its top.
    """
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        pending.extend((child, depth + 1) for child in children)
    return deepest
