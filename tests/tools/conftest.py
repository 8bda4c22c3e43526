"""A loopback HTTP endpoint for the HTTP tool tests (the standard library's server on
127.0.0.1, in a thread, stopped after the test)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Endpoint:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    failures_left: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    state = Endpoint(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            size = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(size) or b"{}")
            state.received.append(
                {"path": self.path, "body": body, "auth": self.headers.get("authorization")}
            )
            path = self.path.split("?", 1)[0]
            if state.failures_left.get(path, 0) > 0:
                state.failures_left[path] -= 1
                self._send(503, "text/plain", b"busy, try again")
            elif path == "/redirect":
                self.send_response(302)
                self.send_header("location", "/double")
                self.end_headers()
            elif path == "/text":
                self._send(200, "text/plain", f"hello {body.get('name')}".encode())
            elif path == "/bad":
                self._send(400, "text/plain", b"no such thing")
            else:
                reply = {"doubled": 2 * float(body.get("x", 0))}
                self._send(200, "application/json", json.dumps(reply).encode())

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
