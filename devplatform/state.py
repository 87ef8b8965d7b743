"""Per-app platform state, kept in ``app.extensions``."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from flask import current_app

from .keys import KeyStore
from .settings import Settings
from .stats import Stats

logger = logging.getLogger(__name__)

EXTENSION_NAME = "devplatform"


def _wall_clock() -> int:
    """Return the current Unix time in whole seconds."""
    return int(time.time())


@dataclass
class Platform:
    """Everything the views share: settings, keys, counters and a clock."""

    settings: Settings
    keys: KeyStore
    stats: Stats
    clock: Callable[[], int] = field(default=_wall_clock)


def get_platform() -> Platform:
    """Return the platform state of the current app."""
    return cast(Platform, current_app.extensions[EXTENSION_NAME])
