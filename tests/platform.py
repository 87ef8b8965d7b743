"""A fake platform for unit tests: a real key server, and tokens it signs."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

ISSUER = "https://blackboard.com"
CLIENT_ID = "test-client-0001"
DEPLOYMENT_ID = "test-deployment-0001"
TOOL_URL = "http://127.0.0.1:5000"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"


class KeyServer:
    """A real HTTP server on 127.0.0.1 serving a platform's JWKS, counting hits."""

    def __init__(self) -> None:
        self.jwks: dict[str, Any] = {"keys": []}
        self.hits = 0
        self.down = False
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/jwks.json"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    @Request.application  # type: ignore[arg-type]
    def _wsgi(self, request: Request) -> Response:
        if request.path != "/jwks.json":
            return Response("not found", status=404)
        self.hits += 1
        if self.down:
            return Response("down", status=503)
        return Response(json.dumps(self.jwks), mimetype="application/json")

    def stop(self) -> None:
        self._server.shutdown()


class FakePlatform:
    """Plays the platform in unit tests: signs id_tokens with its own keys."""

    def __init__(self, key_server: KeyServer) -> None:
        self.key_server = key_server
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.kid = self.add_key()

    def add_key(self, publish: bool = True) -> str:
        kid = f"platform-{uuid.uuid4().hex[:8]}"
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if publish:
            self.publish()
        return kid

    def publish(self, kids: list[str] | None = None) -> None:
        jwks = []
        for kid, key in self.keys.items():
            if kids is not None and kid not in kids:
                continue
            jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
            jwk.update(kid=kid, alg="RS256", use="sig")
            jwks.append(jwk)
        self.key_server.jwks = {"keys": jwks}

    def claims(self, nonce: Any, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "iat": now,
            "exp": now + 300,
            "name": "Ingrid Instructor",
            "email": "ingrid@example.edu",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": DEPLOYMENT_ID,
            LTI + "target_link_uri": f"{TOOL_URL}/lti/launch",
            LTI + "resource_link": {"id": "_18938_1", "title": "Week 1 quiz"},
            LTI + "roles": [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
            ],
            LTI + "context": {"id": "c0ffee", "label": "DEV-101", "title": "Intro"},
        }
        if nonce is not DROP:
            claims["nonce"] = nonce
        for name, value in overrides.items():
            if value is DROP:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def sign(
        self,
        claims: dict[str, Any],
        kid: str | None = None,
        alg: str = "RS256",
        headers: dict[str, Any] | None = None,
    ) -> str:
        kid = kid or self.kid
        return jwt.encode(
            claims,
            self.keys[kid],
            algorithm=alg,
            headers={"kid": kid, **(headers or {})},
        )


DROP = object()


def write_platforms(path: Path, key_set_url: str, **extra: Any) -> None:
    registration = {
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "auth_login_url": "http://127.0.0.1:5001/api/v1/gateway/oidcauth",
        "auth_token_url": "http://127.0.0.1:5001/api/v1/gateway/oauth2/jwttoken",
        "key_set_url": key_set_url,
        "deployment_ids": [DEPLOYMENT_ID, "second-school"],
        **extra,
    }
    path.write_text(json.dumps({"platforms": [registration]}))
