"""Settings that tests and developers change while the platform runs."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .services import ALL_SCOPES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Switches:
    """One consistent set of runtime settings.

    ``learn_app_registered`` False mimics a site without a REST API
    Integration, ``skip_consent`` mimics "Authorized To Act As User", and
    ``ots_without_uuid`` sends the one-time session token without its
    ``,<user uuid>`` part, as some Learn releases do. Scores posted to a line
    item in ``attempt_limit_items`` meet Learn's exhausted attempt limit.
    The ``dl_`` settings shape the next deep-linking requests, and
    ``storage_tamper`` makes the course page's platform storage lose
    (``drop``) or alter (``mismatch``) what the tool reads back.
    """

    token_lifetime: int
    learn_app_registered: bool = True
    skip_consent: bool = False
    ots_without_uuid: bool = False
    lti_scopes: tuple[str, ...] = ALL_SCOPES
    attempt_limit_items: tuple[str, ...] = ()
    dl_accept_multiple: bool = True
    dl_accept_lineitem: bool = True
    dl_accept_types: tuple[str, ...] = ("ltiResourceLink", "link")
    storage_tamper: str = "none"


BOOLEANS = (
    "learn_app_registered",
    "skip_consent",
    "ots_without_uuid",
    "dl_accept_multiple",
    "dl_accept_lineitem",
)
# The content item types Learn supports: "Learn only supports LTI links and
# web links".
CONTENT_TYPES = ("ltiResourceLink", "link")
TAMPER_MODES = ("none", "drop", "mismatch")
# A Learn primary key, such as the line item _7454_1.
PK = re.compile(r"_\d+_\d+")


class RuntimeSettings:
    """Thread-safe holder of the current ``Switches``, replaced as a whole."""

    def __init__(self, token_lifetime: int) -> None:
        self._lock = threading.Lock()
        self._current = Switches(token_lifetime=token_lifetime)

    @property
    def current(self) -> Switches:
        """Return the settings in force now."""
        with self._lock:
            return self._current

    def update(self, changes: Mapping[str, Any]) -> Switches:
        """Apply checked ``changes`` all at once and return the new settings."""
        with self._lock:
            self._current = dataclasses.replace(self._current, **changes)
            return self._current


def parse_changes(body: Any) -> dict[str, Any]:
    """Check an admin settings document; return the changes and a rate limit.

    The result may hold ``rate_limit``, which belongs to the rate limiter and
    not to ``Switches``.

    :raises ValueError: naming the unknown setting or the bad value.
    """
    if not isinstance(body, Mapping):
        raise ValueError("body must be a JSON object")

    changes: dict[str, Any] = {}
    for name, value in body.items():
        if name in BOOLEANS:
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be true or false, got {value!r}")
        elif name == "token_lifetime":
            _check_int(name, value, minimum=1)
        elif name == "rate_limit":
            _check_int(name, value, minimum=0)
        elif name == "lti_scopes":
            value = _check_scopes(value)
        elif name == "attempt_limit_items":
            value = _check_pks(name, value)
        elif name == "dl_accept_types":
            value = _check_content_types(value)
        elif name == "storage_tamper":
            _check_choice(name, value, TAMPER_MODES)
        else:
            raise ValueError(f"unknown setting {name!r}")
        changes[name] = value
    return changes


def _check_int(name: str, value: Any, minimum: int) -> None:
    """``value`` is an integer (not a bool) of at least ``minimum``."""
    if type(value) is not int or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_scopes(value: Any) -> tuple[str, ...]:
    """``value`` is a list of scopes this platform knows."""
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise ValueError("lti_scopes must be a list of scope strings")
    unknown = [scope for scope in value if scope not in ALL_SCOPES]
    if unknown:
        raise ValueError(f"lti_scopes: unknown scopes {unknown!r}")
    return tuple(value)


def _check_pks(name: str, value: Any) -> tuple[str, ...]:
    """``value`` is a list of Learn primary keys such as ``_7454_1``."""
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list of line item ids such as _7454_1")
    bad = [pk for pk in value if not isinstance(pk, str) or not PK.fullmatch(pk)]
    if bad:
        raise ValueError(f"{name}: not line item ids: {bad!r}")
    return tuple(value)


def _check_content_types(value: Any) -> tuple[str, ...]:
    """``value`` is a non-empty list of content item types Learn supports."""
    if not isinstance(value, list) or not value:
        raise ValueError("dl_accept_types must be a non-empty list of types")
    unknown = [kind for kind in value if kind not in CONTENT_TYPES]
    if unknown:
        raise ValueError(
            f"dl_accept_types: {unknown!r} not among {', '.join(CONTENT_TYPES)}"
        )
    return tuple(dict.fromkeys(value))


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    """``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
