"""Read the auto-submitting forms that carry a launch between the two sites."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    """One HTML form: where it goes and the fields it sends."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = values.get("method", "GET").upper()
            self.forms.append(Form(values.get("action", ""), method))
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1].fields[values["name"]] = values.get("value", "")


def first_form(html: str) -> Form:
    """The first form of a page."""
    parser = _FormParser()
    parser.feed(html)
    if not parser.forms:
        raise AssertionError(f"no form in page:\n{html[:2000]}")
    return parser.forms[0]


def launch_token_in(page: str) -> str:
    """The launch token a tool page carries."""
    import re

    match = re.search(r'data-launch-token="([^"]+)"', page) or re.search(
        r'name="launch_token" value="([^"]+)"', page
    )
    if not match:
        raise AssertionError("the tool page carries no launch token")
    return match.group(1)
