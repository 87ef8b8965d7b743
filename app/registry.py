"""Platform registrations and their deployments, kept in a JSON file.

On Blackboard Learn every school shares the issuer ``https://blackboard.com``
and the tool's client id; the deployment id tells one school from another.
A registration is found by (issuer, client id), and the deployment id must be
one of its ``deployment_ids``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app

from app.errors import ConfigurationError

logger = logging.getLogger(__name__)

ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512")

BLACKBOARD_ISSUER = "https://blackboard.com"
BLACKBOARD_PORTAL = "https://developer.anthology.com"

URL_FIELDS = ("issuer", "auth_login_url", "auth_token_url", "key_set_url")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Registration:
    """One platform registration: what the Developer Portal shows for the tool."""

    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    deployment_ids: tuple[str, ...] = ()
    auth_audience: str | None = None
    algorithms: tuple[str, ...] = ("RS256",)
    name: str = ""
    # Origins of the platform's pages that host the tool's frame (on Learn,
    # each school's Learn host), trusted for postMessage platform storage.
    platform_origins: tuple[str, ...] = ()

    @property
    def token_audience(self) -> str:
        """The aud of client assertions: the token endpoint unless set otherwise."""
        return self.auth_audience or self.auth_token_url

    def has_deployment(self, deployment_id: str) -> bool:
        """Whether ``deployment_id`` is registered for this platform."""
        return deployment_id in self.deployment_ids

    def to_json(self) -> dict[str, Any]:
        """Return the registration as stored in the platforms file."""
        data = asdict(self)
        data["deployment_ids"] = list(self.deployment_ids)
        data["algorithms"] = list(self.algorithms)
        data["platform_origins"] = list(self.platform_origins)
        return {
            key: value for key, value in data.items() if value not in (None, "", [])
        } | {"deployment_ids": list(self.deployment_ids)}


def blackboard_registration(
    client_id: str,
    deployment_ids: tuple[str, ...],
    portal_url: str = BLACKBOARD_PORTAL,
    algorithms: tuple[str, ...] = ("RS256",),
) -> Registration:
    """Return a Learn registration with the Developer Portal's endpoints."""
    portal = portal_url.rstrip("/")
    return Registration(
        issuer=BLACKBOARD_ISSUER,
        client_id=client_id,
        auth_login_url=f"{portal}/api/v1/gateway/oidcauth",
        auth_token_url=f"{portal}/api/v1/gateway/oauth2/jwttoken",
        key_set_url=f"{portal}/api/v1/management/applications/{client_id}/jwks.json",
        deployment_ids=deployment_ids,
        algorithms=algorithms,
        name="Blackboard Learn",
    )


def registration_from_json(data: Any, where: str) -> Registration:
    """Build a registration from its JSON form; errors name the field."""
    if not isinstance(data, dict):
        raise ConfigurationError(where, "each platform must be a JSON object")

    for name in ("issuer", "client_id", *URL_FIELDS[1:]):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise ConfigurationError(f"{where}.{name}", "required, a non-empty string")

    deployment_ids = data.get("deployment_ids", [])
    if not isinstance(deployment_ids, list) or not all(
        isinstance(d, str) and d for d in deployment_ids
    ):
        raise ConfigurationError(
            f"{where}.deployment_ids", "must be a list of non-empty strings"
        )

    algorithms = data.get("algorithms", ["RS256"])
    if not isinstance(algorithms, list) or not algorithms:
        raise ConfigurationError(f"{where}.algorithms", "must be a non-empty list")
    for alg in algorithms:
        if alg not in ALLOWED_ALGORITHMS:
            raise ConfigurationError(
                f"{where}.algorithms",
                f"{alg!r} is not allowed; choose from {', '.join(ALLOWED_ALGORITHMS)}",
            )

    origins = data.get("platform_origins", [])
    if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
        raise ConfigurationError(f"{where}.platform_origins", "must be a list of URLs")

    return Registration(
        issuer=data["issuer"],
        client_id=data["client_id"],
        auth_login_url=data["auth_login_url"],
        auth_token_url=data["auth_token_url"],
        key_set_url=data["key_set_url"],
        deployment_ids=tuple(deployment_ids),
        auth_audience=data.get("auth_audience") or None,
        algorithms=tuple(algorithms),
        name=str(data.get("name", "")),
        platform_origins=tuple(o.rstrip("/") for o in origins),
    )


def check_urls(registration: Registration, where: str, allow_http: bool) -> None:
    """Refuse plain-http platform URLs (loopback http only when allowed)."""
    for name in URL_FIELDS:
        url = getattr(registration, name)
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname:
            continue
        if allow_http and parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
            continue
        raise ConfigurationError(
            f"{where}.{name}", f"must be an https URL, not {url!r}"
        )


@dataclass
class _Loaded:
    mtime_ns: int = -1
    registrations: tuple[Registration, ...] = field(default_factory=tuple)


class Registry:
    """The registrations in the platforms file, reloaded when the file changes."""

    def __init__(self, path: Path, allow_http: bool) -> None:
        self.path = path
        self.allow_http = allow_http
        self._loaded = _Loaded()
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        """Bind to the app and load the file once, so errors show at start-up."""
        app.extensions["registry"] = self
        self.all()

    def _read(self) -> tuple[Registration, ...]:
        setting = "LTI_PLATFORMS_FILE"
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise ConfigurationError(setting, f"{self.path} is not JSON: {e}") from e
        except OSError as e:
            raise ConfigurationError(setting, f"cannot read {self.path}: {e}") from e

        if not isinstance(data, dict) or not isinstance(data.get("platforms"), list):
            raise ConfigurationError(
                setting, f'{self.path} must hold {{"platforms": [...]}}'
            )

        registrations = []
        for i, item in enumerate(data["platforms"]):
            where = f"{self.path.name}: platforms[{i}]"
            registration = registration_from_json(item, where)
            check_urls(registration, where, self.allow_http)
            registrations.append(registration)

        keys = [(r.issuer, r.client_id) for r in registrations]
        if len(set(keys)) != len(keys):
            raise ConfigurationError(
                setting, f"{self.path} lists an (issuer, client_id) twice"
            )
        return tuple(registrations)

    def all(self) -> tuple[Registration, ...]:
        """Every registration, read again if the file changed since last time."""
        try:
            mtime_ns = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return ()

        with self._lock:
            if mtime_ns != self._loaded.mtime_ns:
                self._loaded = _Loaded(mtime_ns, self._read())
                logger.debug(
                    "loaded %d platform registration(s) from %s",
                    len(self._loaded.registrations),
                    self.path,
                )
            return self._loaded.registrations

    def find(self, issuer: str, client_id: str | None) -> Registration | None:
        """The registration for (issuer, client id); without a client id, the
        issuer's only registration."""
        matches = [r for r in self.all() if r.issuer == issuer]
        if client_id is None:
            return matches[0] if len(matches) == 1 else None
        return next((r for r in matches if r.client_id == client_id), None)

    def save(self, registrations: list[Registration]) -> None:
        """Write the registrations to the file atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"platforms": [r.to_json() for r in registrations]}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(body, f, indent=2)
            f.write("\n")
        os.replace(tmp, self.path)

    def add(self, registration: Registration) -> None:
        """Add a new registration.

        :raises ValueError: (issuer, client id) is registered already.
        """
        check_urls(registration, "platform", self.allow_http)
        if self.find(registration.issuer, registration.client_id) is not None:
            raise ValueError(
                f"{registration.issuer} client_id={registration.client_id} "
                "is registered already"
            )
        self.save([*self.all(), registration])

    def update(self, issuer: str, client_id: str, **changes: Any) -> Registration:
        """Change some fields of a registration; deployment ids are merged.

        :raises ValueError: no such registration.
        """
        current = list(self.all())
        for i, known in enumerate(current):
            if (known.issuer, known.client_id) != (issuer, client_id):
                continue
            added = tuple(changes.pop("deployment_ids", ()))
            merged = tuple(dict.fromkeys(known.deployment_ids + added))
            updated = replace(known, deployment_ids=merged, **changes)
            check_urls(updated, "platform", self.allow_http)
            current[i] = updated
            self.save(current)
            return updated
        raise ValueError(f"no registration for {issuer} client_id={client_id}")

    def remove_deployment(
        self, issuer: str, client_id: str, deployment_id: str
    ) -> bool:
        """Remove one deployment id of a registration; True if it was there."""
        known = self.find(issuer, client_id)
        if known is None or deployment_id not in known.deployment_ids:
            return False
        kept = tuple(d for d in known.deployment_ids if d != deployment_id)
        self.save(
            [replace(r, deployment_ids=kept) if r == known else r for r in self.all()]
        )
        return True

    def remove(self, issuer: str, client_id: str) -> bool:
        """Remove a registration; True if it was there."""
        current = list(self.all())
        kept = [r for r in current if (r.issuer, r.client_id) != (issuer, client_id)]
        if len(kept) == len(current):
            return False
        self.save(kept)
        return True


def get_registry() -> Registry:
    """The current app's registry."""
    registry: Registry = current_app.extensions["registry"]
    return registry
