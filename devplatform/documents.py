"""What the service checks on a tool's JSON documents share: the error, numbers."""

from __future__ import annotations

import logging
import math
from typing import Any

logger = logging.getLogger(__name__)


class DocumentError(ValueError):
    """A member of a line item or score document is missing or has a wrong value.

    ``field`` names the JSON member at fault; the message says what is wrong.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.field = field
        self.message = message


def is_number(value: Any) -> bool:
    """Return whether a JSON value is a finite number (booleans are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)
