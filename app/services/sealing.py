"""Tokens are sealed (encrypted and authenticated) before they enter the cache.

The cache may be a Redis shared by several machines; a token read from it by
anyone without the tool's SECRET_KEY is useless. The key is derived from
SECRET_KEY with HKDF, so rotating SECRET_KEY also drops every cached token.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_INFO = b"bb-lti-tool token cache v1"


def _fernet() -> Fernet:
    fernet: Fernet | None = current_app.extensions.get("token_fernet")
    if fernet is None:
        secret = str(current_app.config["SECRET_KEY"]).encode()
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            secret
        )
        fernet = Fernet(base64.urlsafe_b64encode(key))
        current_app.extensions["token_fernet"] = fernet
    return fernet


def seal(data: dict[str, Any]) -> bytes:
    """Encrypt a JSON-serialisable mapping."""
    return _fernet().encrypt(json.dumps(data).encode())


def unseal(blob: Any) -> dict[str, Any] | None:
    """Decrypt what :func:`seal` made; None when it is not ours or is damaged."""
    if not isinstance(blob, bytes):
        return None
    try:
        data = json.loads(_fernet().decrypt(blob))
    except (InvalidToken, ValueError):
        return None
    return data if isinstance(data, dict) else None
