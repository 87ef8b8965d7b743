"""Browser tests share the Chromium fixtures of tests/conftest.py."""

from tests.chromium import CHROMIUM_FLAGS, chromium_path

__all__ = ["CHROMIUM_FLAGS", "chromium_path"]
