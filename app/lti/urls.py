"""Small URL helpers used across the protocol code."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def add_query(url: str, params: dict[str, str]) -> str:
    """Return ``url`` with ``params`` merged into any query string it has."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, v) for k, v in params.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))
