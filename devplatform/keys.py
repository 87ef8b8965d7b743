"""The platform's RSA signing keys, kept as PEM files under the data directory."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

logger = logging.getLogger(__name__)

KEY_SIZE = 2048
ALGORITHM = "RS256"
INDEX_FILE = "index.json"


class KeyStoreError(Exception):
    """Raised when the key directory cannot be used or a key request is invalid."""


@dataclass(frozen=True)
class SigningKey:
    """One RSA key pair with its key id."""

    kid: str
    private_key: rsa.RSAPrivateKey
    created: int
    retired: bool = False

    def public_jwk(self) -> dict[str, str]:
        """Return the public half as a JWK with kid, alg and use."""
        numbers = self.private_key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "kid": self.kid,
            "alg": ALGORITHM,
            "use": "sig",
            "n": _b64_uint(numbers.n),
            "e": _b64_uint(numbers.e),
        }


class KeyStore:
    """Load, create and rotate the platform keys in ``<data_dir>/keys``."""

    def __init__(self, data_dir: Path) -> None:
        self.directory = data_dir / "keys"
        self._lock = threading.Lock()
        self._keys: dict[str, SigningKey] = {}
        self._signing_kid = ""

        self.directory.mkdir(parents=True, exist_ok=True)
        self._load()
        if not self._keys:
            self._add_key()

    @property
    def signing_key(self) -> SigningKey:
        """Return the key that signs new id_tokens."""
        return self._keys[self._signing_kid]

    def published_keys(self) -> list[SigningKey]:
        """Return every key that is not retired, oldest first."""
        return [key for key in self._keys.values() if not key.retired]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """Return the public keyset document."""
        return {"keys": [key.public_jwk() for key in self.published_keys()]}

    def rotate(self) -> SigningKey:
        """Create a new key, sign with it from now on and keep the old ones."""
        with self._lock:
            key = self._add_key()
        logger.info("rotated signing key to kid %s", key.kid)
        return key

    def retire(self, kid: str) -> None:
        """Stop publishing key ``kid``; the signing key cannot be retired."""
        with self._lock:
            if kid not in self._keys:
                raise KeyStoreError(f"unknown kid {kid!r}")
            if kid == self._signing_kid:
                raise KeyStoreError("the signing key cannot be retired")

            old = self._keys[kid]
            self._keys[kid] = SigningKey(kid, old.private_key, old.created, True)
            self._write_index()
        logger.info("retired key %s", kid)

    def _add_key(self) -> SigningKey:
        """Generate and store a key and make it the signing key."""
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
        key = SigningKey(_thumbprint(private_key), private_key, int(time.time()))
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

        _write_private(self.directory / f"{key.kid}.pem", pem)
        self._keys[key.kid] = key
        self._signing_kid = key.kid
        self._write_index()
        logger.info("created RSA key %s in %s", key.kid, self.directory)
        return key

    def _load(self) -> None:
        """Read the index and the PEM files it names."""
        index_path = self.directory / INDEX_FILE
        if not index_path.exists():
            return

        try:
            index: dict[str, Any] = json.loads(index_path.read_text("utf-8"))
            for entry in index["keys"]:
                pem = (self.directory / f"{entry['kid']}.pem").read_bytes()
                private_key = serialization.load_pem_private_key(pem, password=None)
                if not isinstance(private_key, rsa.RSAPrivateKey):
                    raise KeyStoreError(f"key {entry['kid']!r} is not an RSA key")
                self._keys[entry["kid"]] = SigningKey(
                    entry["kid"],
                    private_key,
                    int(entry["created"]),
                    bool(entry.get("retired", False)),
                )
            self._signing_kid = str(index["signing_kid"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise KeyStoreError(f"cannot load keys from {self.directory}: {e}") from e

        if self._signing_kid not in self._keys:
            raise KeyStoreError(f"signing kid {self._signing_kid!r} has no key file")

    def _write_index(self) -> None:
        """Save the key list and signing kid, replacing the file atomically."""
        index = {
            "signing_kid": self._signing_kid,
            "keys": [
                {"kid": key.kid, "created": key.created, "retired": key.retired}
                for key in self._keys.values()
            ],
        }
        tmp = self.directory / f"{INDEX_FILE}.tmp"
        tmp.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.directory / INDEX_FILE)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file readable only by its owner."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _b64_uint(value: int) -> str:
    """Encode a positive integer as unpadded base64url, big-endian."""
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _thumbprint(private_key: rsa.RSAPrivateKey) -> str:
    """Return the RFC 7638 JWK thumbprint of the public key."""
    numbers = private_key.public_key().public_numbers()
    members = {"e": _b64_uint(numbers.e), "kty": "RSA", "n": _b64_uint(numbers.n)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
