"""The key store: persistence across restarts, file modes, rotation."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from pathlib import Path

import pytest

from devplatform import create_app
from devplatform.keys import KeyStore, KeyStoreError


def test_first_run_creates_one_private_key(tmp_path: Path):
    store = KeyStore(tmp_path)

    pem_files = list((tmp_path / "keys").glob("*.pem"))
    assert [path.stem for path in pem_files] == [store.signing_key.kid]
    assert stat.S_IMODE(pem_files[0].stat().st_mode) == 0o600
    assert pem_files[0].read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert store.signing_key.private_key.key_size == 2048


def test_keys_survive_a_restart(data_dir: Path):
    first = create_app({"DEVPLATFORM_DATA_DIR": str(data_dir)})
    kid = first.test_client().post("/admin/rotate-key").json["kid"]

    second = create_app({"DEVPLATFORM_DATA_DIR": str(data_dir)})

    stats = second.test_client().get("/admin/stats").json
    assert stats["signing_kid"] == kid
    assert len(stats["published_kids"]) == 2


def test_retired_key_stays_retired_after_restart(tmp_path: Path):
    store = KeyStore(tmp_path)
    old_kid = store.signing_key.kid
    store.rotate()
    store.retire(old_kid)

    reloaded = KeyStore(tmp_path)

    assert [key.kid for key in reloaded.published_keys()] == [reloaded.signing_key.kid]


def test_kid_is_the_rfc7638_thumbprint(tmp_path: Path):
    store = KeyStore(tmp_path)
    jwk = store.signing_key.public_jwk()

    canonical = json.dumps(
        {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":")
    )
    digest = hashlib.sha256(canonical.encode()).digest()
    assert jwk["kid"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_corrupt_index_fails_loudly(tmp_path: Path):
    KeyStore(tmp_path)
    (tmp_path / "keys" / "index.json").write_text("{not json")

    with pytest.raises(KeyStoreError, match="cannot load keys"):
        KeyStore(tmp_path)
