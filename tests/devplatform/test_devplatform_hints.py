"""lti_message_hint values: signed, bound to a user and link, short-lived."""

from __future__ import annotations

import pytest

from devplatform.hints import HintError, issue_hint, read_hint

NOW = 1_700_000_000


def test_round_trip():
    value = issue_hint("k", "learner", "_18938_1", NOW)

    hint = read_hint("k", value, NOW + 10)

    assert (hint.user_key, hint.link_id, hint.issued_at) == (
        "learner",
        "_18938_1",
        NOW,
    )


def test_each_hint_is_different():
    assert issue_hint("k", "a", "b", NOW) != issue_hint("k", "a", "b", NOW)


def test_other_secret_is_rejected():
    value = issue_hint("k", "learner", "_18938_1", NOW)

    with pytest.raises(HintError, match="bad signature"):
        read_hint("other", value, NOW)


def test_expired_hint_is_rejected():
    value = issue_hint("k", "learner", "_18938_1", NOW)

    with pytest.raises(HintError, match="expired"):
        read_hint("k", value, NOW + 301)


def test_future_hint_is_rejected():
    value = issue_hint("k", "learner", "_18938_1", NOW + 3600)

    with pytest.raises(HintError, match="future"):
        read_hint("k", value, NOW)
