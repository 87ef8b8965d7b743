"""The tool's own RSA keys: one PEM per key id in TOOL_KEYS_DIR.

Files:
- ``<kid>.pem``: a published key (its public half is in the tool's JWKS);
- ``current``: the kid the tool signs with (else the newest published key);
- ``retired/<kid>.pem``: keys no longer published, kept for the record.

Rotation follows the safe order: ``generate`` publishes a new key, platforms
pick it up from the JWKS, ``rotate`` starts signing with it, and ``retire``
stops publishing the old one once nothing signed with it can still be in use.

Parsing a private key costs about 50 ms, so keys are loaded once per process
and again only when the directory changes.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, current_app
from jwt.algorithms import RSAAlgorithm

from app.errors import ConfigurationError, ToolKeyError

logger = logging.getLogger(__name__)

KEY_BITS = 2048
SIGNING_ALGORITHM = "RS256"
CURRENT_FILE = "current"
RETIRED_DIR = "retired"


@dataclass(frozen=True)
class ToolKey:
    """One of the tool's key pairs."""

    kid: str
    private_key: rsa.RSAPrivateKey

    @property
    def public_jwk(self) -> dict[str, Any]:
        """The public key as a JWK with kid, alg and use."""
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(
            self.private_key.public_key(), as_dict=True
        )
        jwk.pop("key_ops", None)  # "use" says the same; RFC 7517 wants one
        jwk.update(kid=self.kid, alg=SIGNING_ALGORITHM, use="sig")
        return jwk


@dataclass(frozen=True)
class _KeySet:
    signature: tuple[int, int]
    keys: tuple[ToolKey, ...]
    current_kid: str | None


def new_kid() -> str:
    """A sortable, unique key id such as ``20261203-123700-3fa9c1``."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}"


class ToolKeys:
    """The tool's key directory, loaded once per process and on change."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._loaded: _KeySet | None = None
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        """Bind to the app; load the keys now so a broken PEM shows at start-up."""
        app.extensions["tool_keys"] = self
        self._load()

    def _signature(self) -> tuple[int, int]:
        try:
            dir_mtime = self.directory.stat().st_mtime_ns
        except FileNotFoundError:
            return (-1, -1)
        try:
            current_mtime = (self.directory / CURRENT_FILE).stat().st_mtime_ns
        except FileNotFoundError:
            current_mtime = -1
        return (dir_mtime, current_mtime)

    def _read_key(self, path: Path) -> ToolKey:
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as e:
            raise ConfigurationError(
                "TOOL_KEYS_DIR", f"{path} is not a readable PEM private key: {e}"
            ) from e
        if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < KEY_BITS:
            raise ConfigurationError(
                "TOOL_KEYS_DIR", f"{path} must be an RSA key of {KEY_BITS}+ bits"
            )
        return ToolKey(kid=path.stem, private_key=key)

    def _load(self) -> _KeySet:
        signature = self._signature()
        with self._lock:
            if self._loaded and self._loaded.signature == signature:
                return self._loaded

            paths = sorted(self.directory.glob("*.pem")) if signature[0] >= 0 else []
            keys = tuple(self._read_key(path) for path in paths)

            current_path = self.directory / CURRENT_FILE
            current_kid = None
            if current_path.exists():
                current_kid = current_path.read_text(encoding="utf-8").strip()
            if current_kid not in {k.kid for k in keys}:
                current_kid = keys[-1].kid if keys else None

            self._loaded = _KeySet(signature, keys, current_kid)
            logger.debug("loaded %d tool key(s) from %s", len(keys), self.directory)
            return self._loaded

    def published(self) -> tuple[ToolKey, ...]:
        """Every key whose public half is in the JWKS."""
        return self._load().keys

    def current(self) -> ToolKey:
        """The key the tool signs with now."""
        loaded = self._load()
        for key in loaded.keys:
            if key.kid == loaded.current_kid:
                return key
        raise ToolKeyError(f"no signing key in {self.directory}")

    def jwks(self) -> dict[str, Any]:
        """The tool's public key set."""
        return {"keys": [key.public_jwk for key in self.published()]}

    def generate(self) -> str:
        """Create and publish a new key; it signs only if no other key does."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        kid = new_kid()
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_atomically(self.directory / f"{kid}.pem", pem, mode=0o600)
        if not (self.directory / CURRENT_FILE).exists():
            self._set_current(kid)
        return kid

    def _set_current(self, kid: str) -> None:
        _write_atomically(self.directory / CURRENT_FILE, f"{kid}\n".encode(), 0o644)

    def rotate(self) -> tuple[str, bool]:
        """Sign with the newest published key other than the current one.

        :return: the new signing kid, and whether a key had to be generated
            for it (then platforms may not have fetched it yet).
        """
        loaded = self._load()
        candidates = [k.kid for k in loaded.keys if k.kid != loaded.current_kid]
        generated = not candidates
        kid = self.generate() if generated else candidates[-1]
        self._set_current(kid)
        return kid, generated

    def retire(self, kid: str) -> None:
        """Stop publishing ``kid``; the current signing key cannot be retired."""
        loaded = self._load()
        if kid not in {k.kid for k in loaded.keys}:
            raise ValueError(f"no published key {kid!r}")
        if kid == loaded.current_kid:
            raise ValueError(f"{kid!r} is the current signing key; rotate first")
        retired = self.directory / RETIRED_DIR
        retired.mkdir(exist_ok=True, mode=0o700)
        os.replace(self.directory / f"{kid}.pem", retired / f"{kid}.pem")

    def status(self) -> list[dict[str, str]]:
        """Each key with its state, for ``flask keys list``."""
        loaded = self._load()
        rows = [
            {
                "kid": key.kid,
                "state": "signing" if key.kid == loaded.current_kid else "published",
            }
            for key in loaded.keys
        ]
        retired = self.directory / RETIRED_DIR
        if retired.is_dir():
            rows += [
                {"kid": path.stem, "state": "retired"}
                for path in sorted(retired.glob("*.pem"))
            ]
        return rows


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def get_tool_keys() -> ToolKeys:
    """The current app's key store."""
    keys: ToolKeys = current_app.extensions["tool_keys"]
    return keys
