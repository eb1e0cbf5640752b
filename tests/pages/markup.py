"""Reading rendered pages in tests: unlabelled inputs, and markup a strict CSP would block."""

import re
from html.parser import HTMLParser

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset"}


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[str] = []
        self.labelled: set[str] = set()
        self.open_labels = 0
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name.startswith("on") or name == "style":
                self.inline.append(f"<{tag} {name}=...>")
        if tag == "script" and "src" not in attributes:
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style>")
        if tag == "label":
            self.open_labels += 1
            if attributes.get("for"):
                self.labelled.add(attributes["for"])
        if tag in ("input", "select", "textarea"):
            if attributes.get("type") in UNLABELLED_TYPES:
                return
            name = attributes.get("id") or attributes.get("name") or "?"
            if self.open_labels:
                self.labelled.add(name)
            self.inputs.append(name)

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def unlabelled_inputs(html: str) -> list[str]:
    parser = _Inputs()
    parser.feed(html)
    return [name for name in parser.inputs if name not in parser.labelled]


def inline_code(html: str) -> list[str]:
    """Inline scripts, style attributes and on* handlers: what a strict CSP refuses."""
    parser = _Inputs()
    parser.feed(html)
    return parser.inline


def text(html: str) -> str:
    """The page's words without tags, whitespace squeezed."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    return re.sub(r" ([,.:;)])", r"\1", words)
