"""A programmable HTTP server on 127.0.0.1 for tests of outgoing calls."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    json: Any = None


@dataclass
class Reply:
    """A programmed answer."""

    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer:
    """Answers each path from a queue of replies, else from its default reply."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.defaults: dict[str, Reply] = {}
        self.queues: dict[str, deque[Reply]] = {}
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        ).start()

    def set(self, path: str, reply: Reply) -> None:
        """Answer ``path`` with ``reply`` from now on."""
        self.defaults[path] = reply

    def queue(self, path: str, *replies: Reply) -> None:
        """Answer the next requests to ``path`` with these, in order."""
        self.queues.setdefault(path, deque()).extend(replies)

    def hits(self, path: str) -> list[Recorded]:
        """The requests received on ``path``."""
        return [r for r in self.requests if r.path == path]

    @Request.application  # type: ignore[arg-type]
    def _wsgi(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(
                Recorded(
                    request.method,
                    request.path,
                    dict(request.args),
                    dict(request.form),
                    dict(request.headers),
                    request.get_json(silent=True, force=True),
                )
            )
            queued = self.queues.get(request.path)
            reply = queued.popleft() if queued else self.defaults.get(request.path)
        if reply is None:
            return Response("no reply programmed", status=404)
        body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
        return Response(
            body,
            status=reply.status,
            headers=reply.headers,
            mimetype="application/json",
        )

    def stop(self) -> None:
        """Shut the server down."""
        self._server.shutdown()
