"""The tool's side of the service calls, for the devplatform tests.

Its RSA keys, a JWKS server on 127.0.0.1, client assertions, and helpers that
ask the platform for tokens the way a tool does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from devplatform import DEFAULT_CLIENT_ID

TOKEN_URL = "http://localhost:5001/api/v1/gateway/oauth2/jwttoken"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ALL_SCOPES = (
    AGS + "lineitem",
    AGS + "lineitem.readonly",
    AGS + "result.readonly",
    AGS + "score",
    NRPS_SCOPE,
)


def free_port() -> int:
    """Return a port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class ToolKey:
    """One tool RSA key pair and its kid."""

    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls, kid: str) -> ToolKey:
        """Return a new 2048-bit key named ``kid``."""
        return cls(kid, rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def public_jwk(self, alg: str | None = "RS256") -> dict[str, Any]:
        """Return the public JWK with kid (and alg, unless None)."""
        jwk: dict[str, Any] = json.loads(
            jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key())
        )
        jwk.update(kid=self.kid, use="sig")
        if alg is not None:
            jwk["alg"] = alg
        return jwk


class ToolKeyServer:
    """A JWKS on a werkzeug server thread; what it publishes can change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._document: dict[str, Any] = {"keys": []}
        self.hits = 0
        self.status = 200
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/.well-known/jwks.json"
        self._server = make_server("127.0.0.1", port, self._wsgi, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def publish(self, keys: Iterable[ToolKey], alg: str | None = "RS256") -> None:
        """Serve ``keys``, answer 200 again, and zero the hit count."""
        with self._lock:
            self._document = {"keys": [key.public_jwk(alg) for key in keys]}
            self.hits = 0
            self.status = 200

    def stop(self) -> None:
        """Shut the server down."""
        self._server.shutdown()
        self._thread.join(5)
        self._server.server_close()

    @Request.application
    def _wsgi(self, request: Request) -> Response:
        with self._lock:
            self.hits += 1
            body, status = json.dumps(self._document), self.status
        return Response(body, status=status, mimetype="application/json")


class Assertions:
    """Build client assertions like a tool would, with defects on demand."""

    def __init__(self, key: ToolKey, clock: Callable[[], int]) -> None:
        self.key = key
        self.clock = clock
        self.audience = TOKEN_URL

    def claims(self) -> dict[str, Any]:
        """Return valid claims for an assertion made now."""
        now = self.clock()
        return {
            "iss": DEFAULT_CLIENT_ID,
            "sub": DEFAULT_CLIENT_ID,
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
        }

    def build(
        self,
        *,
        key: ToolKey | None = None,
        alg: str = "RS256",
        headers: dict[str, Any] | None = None,
        drop: Iterable[str] = (),
        **overrides: Any,
    ) -> str:
        """Return a signed assertion; ``overrides`` replace claims."""
        claims = {**self.claims(), **overrides}
        for name in drop:
            del claims[name]
        signer = key or self.key
        return jwt.encode(
            claims,
            signer.private_key,
            algorithm=alg,
            headers={"kid": signer.kid, **(headers or {})},
        )


def token_form(assertion: str, scopes: Iterable[str] = ALL_SCOPES) -> dict[str, str]:
    """Return the form a tool posts to the LTI token endpoint."""
    return {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion,
        "scope": " ".join(scopes),
    }


def basic_auth(key: str, secret: str) -> dict[str, str]:
    """Return an HTTP Basic Authorization header."""
    raw = base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {raw}"}


def bearer(token: str) -> dict[str, str]:
    """Return an ``Authorization: Bearer`` header."""
    return {"Authorization": f"Bearer {token}"}


def pkce_pair() -> tuple[str, str]:
    """Return a PKCE (verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge
