"""Admin key controls, counters and the platform JWKS."""

from __future__ import annotations

from typing import Any

from devplatform import DEFAULT_CLIENT_ID

JWKS_URL = f"/api/v1/management/applications/{DEFAULT_CLIENT_ID}/jwks.json"


def test_jwks_publishes_public_parts_only(client: Any, platform: Any):
    response = client.get(JWKS_URL)

    (key,) = response.json["keys"]
    assert response.status_code == 200
    assert set(key) == {"kid", "alg", "use", "kty", "n", "e"}
    assert key["kid"] == platform.keys.signing_key.kid
    assert (key["alg"], key["use"], key["kty"], key["e"]) == (
        "RS256",
        "sig",
        "RSA",
        "AQAB",
    )
    assert len(key["n"]) == 342  # 2048 bits, base64url without padding


def test_jwks_for_another_client_is_404(client: Any):
    response = client.get("/api/v1/management/applications/other/jwks.json")

    assert response.status_code == 404
    assert response.json["error"] == "unknown application"


def test_stats_start_at_zero(client: Any, platform: Any):
    stats = client.get("/admin/stats").json

    assert stats["jwks_requests"] == 0
    assert stats["auth_requests"] == 0
    assert stats["id_tokens_issued"] == 0
    assert stats["signing_kid"] == platform.keys.signing_key.kid


def test_jwks_requests_are_counted_and_reset(client: Any):
    client.get(JWKS_URL)
    client.get(JWKS_URL)
    assert client.get("/admin/stats").json["jwks_requests"] == 2

    response = client.post("/admin/reset-stats")

    assert response.status_code == 200
    assert client.get("/admin/stats").json["jwks_requests"] == 0


def test_reset_keeps_the_signing_kid(client: Any):
    kid = client.get("/admin/stats").json["signing_kid"]
    client.post("/admin/reset-stats")

    assert client.get("/admin/stats").json["signing_kid"] == kid


def test_rotate_key_switches_signing_kid_and_keeps_old_key(client: Any):
    old_kid = client.get("/admin/stats").json["signing_kid"]

    response = client.post("/admin/rotate-key")

    new_kid = response.json["kid"]
    assert response.status_code == 200
    assert new_kid != old_kid
    assert client.get("/admin/stats").json["signing_kid"] == new_kid
    kids = [key["kid"] for key in client.get(JWKS_URL).json["keys"]]
    assert kids == [old_kid, new_kid]


def test_retire_key_removes_it_from_jwks(client: Any):
    old_kid = client.get("/admin/stats").json["signing_kid"]
    new_kid = client.post("/admin/rotate-key").json["kid"]

    response = client.post(f"/admin/retire-key/{old_kid}")

    assert response.status_code == 200
    kids = [key["kid"] for key in client.get(JWKS_URL).json["keys"]]
    assert kids == [new_kid]


def test_signing_key_cannot_be_retired(client: Any):
    kid = client.get("/admin/stats").json["signing_kid"]

    response = client.post(f"/admin/retire-key/{kid}")

    assert response.status_code == 400
    assert "cannot be retired" in response.json["error"]


def test_retiring_an_unknown_key_is_400(client: Any):
    response = client.post("/admin/retire-key/nope")

    assert response.status_code == 400
    assert "unknown kid" in response.json["error"]


def test_rotate_key_needs_post(client: Any):
    response = client.get("/admin/rotate-key")

    assert response.status_code == 405
    assert response.is_json
