"""Turning service answers into data or into our errors."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from app.errors import ForeignHostError, ScopeNotGrantedError, ServiceError
from app.services.calls import host_of

logger = logging.getLogger(__name__)


def json_body(response: requests.Response, what: str) -> Any:
    """The JSON of a successful answer.

    :raises ServiceError: (or a subclass) for any other answer.
    """
    if response.status_code == 403:
        raise ScopeNotGrantedError(
            f"{what}: the platform answered 403",
            upstream_status=403,
            excerpt=response.text,
        )
    if not response.ok:
        raise ServiceError(
            f"{what}: the platform answered {response.status_code}",
            upstream_status=response.status_code,
            excerpt=response.text,
        )
    try:
        return response.json()
    except ValueError as e:
        raise ServiceError(
            f"{what}: the answer from {host_of(response.url)} is not JSON",
            upstream_status=response.status_code,
        ) from e


def same_origin_link(base_url: str, link: str) -> str:
    """Resolve a paging link; refuse one on another origin than ``base_url``.

    The bearer token must never be sent to a host the signed claim did not name.
    """
    absolute = urljoin(base_url, link)
    base, target = urlsplit(base_url), urlsplit(absolute)
    if (base.scheme, base.netloc) != (target.scheme, target.netloc):
        raise ForeignHostError(
            f"refusing to follow a link from {host_of(base_url)} to {host_of(absolute)}"
        )
    return absolute
