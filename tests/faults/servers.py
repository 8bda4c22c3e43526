"""Loopback fake servers that misbehave on purpose: an OpenAI-compatible one
(``POST /v1/chat/completions``, streamed or not) and an Anthropic one
(``POST /v1/messages``, streamed or not), in one process-local HTTP server.

The model name in a request picks the behaviour, so every test says what it wants in
the model id it passes (``openai:gpt-4.1-mini-status-401``): the part after a priced
base name (``gpt-4.1-mini-``, ``claude-haiku-4-5-``) is the behaviour, and the base
name keeps the built-in price table's price. Behaviours:

- ``ok``: a short answer, correct usage; a judge request (one with a JSON schema:
  ``response_format`` or a forced tool) gets a passing verdict; ``long``: the same
  answer repeated into a large one;
- ``status-401``, ``status-500-echo`` (the body quotes the request's key headers back),
  ``status-429-once`` (429 with ``Retry-After: 1`` on a model's first call, then ok);
- ``truncated`` (the stream stops mid-answer), ``malformed`` (a chunk that is not
  JSON), ``no-usage``, ``negative-usage``, ``huge-usage``;
- ``silent`` (the response headers never come), ``endless`` (headers, one chunk, then
  keep-alive comments forever), ``ok-then-silent`` (a model's first call is answered,
  the next ones never are);
- judge behaviours, answering ordinary calls like ``ok``: ``judge-parrot`` (the judge
  repeats the user message), ``judge-prose`` (prose around the JSON), ``judge-ten``
  (a 1-10 score), ``judge-liar`` (passed true with a score of 0.2), ``judge-extra``
  (an extra field).

`FakeServer.requests` keeps every request body with its headers and arrival time.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ANSWER = "Waves fold on the shore and the tide keeps its time."
BASES = ("gpt-4.1-mini-", "claude-haiku-4-5-")
PASSING = {"answer": "yes"}
LONG_REPEAT = 2_000  # ``long``: an answer of about 110 kB


def behaviour(model: str) -> str:
    for base in BASES:
        if model.startswith(base):
            return model[len(base) :]
    return model


@dataclass
class Seen:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float


@dataclass
class FakeServer:
    base_url: str = ""
    requests: list[Seen] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _calls: dict[str, int] = field(default_factory=dict)

    def seen(self, request: Seen) -> int:
        """Record a request; how many calls its model had before it."""
        with self._lock:
            self.requests.append(request)
            model = str(request.body.get("model", ""))
            before = self._calls.get(model, 0)
            self._calls[model] = before + 1
            return before

    @property
    def openai_url(self) -> str:
        return f"{self.base_url}/v1"


def _judge_text(kind: str, request: dict[str, Any]) -> str:
    """What a judge answers under behaviour `kind`."""
    if kind == "judge-parrot":
        user = [m for m in request.get("messages", []) if m.get("role") == "user"]
        content = user[-1].get("content", "") if user else ""
        return content if isinstance(content, str) else json.dumps(content)
    if kind == "judge-prose":
        return 'Sure! Here is my verdict: {"answer": "yes"}'
    if kind == "judge-ten":
        return json.dumps({"answer": "10/10"})
    if kind == "judge-extra":
        return json.dumps({**PASSING, "confidence": "high"})
    return json.dumps(PASSING)  # judge-liar too: "yes", its log probabilities say no


LIAR_P_YES = 0.2


def _logprobs(kind: str, piece: str) -> dict[str, Any]:
    """The log probabilities of a streamed piece: certain, except the judge-liar's
    answer, which it writes "yes" while giving it LIAR_P_YES."""
    top = [{"token": piece, "logprob": 0.0, "bytes": None}]
    if kind == "judge-liar" and "yes" in piece:
        no = piece.replace("yes", "no")
        top = [
            {"token": piece, "logprob": math.log(LIAR_P_YES), "bytes": None},
            {"token": no, "logprob": math.log(1 - LIAR_P_YES), "bytes": None},
        ]
    entry = {"token": piece, "logprob": top[0]["logprob"], "bytes": None, "top_logprobs": top}
    return {"content": [entry]}


def _is_judge(path: str, body: dict[str, Any]) -> bool:
    if path.endswith("/messages"):
        return bool(body.get("tools"))
    return body.get("response_format") is not None


def _handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # a model list, for clients that probe
            self._json(200, {"object": "list", "data": []})

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {k.lower(): v for k, v in self.headers.items()}
            before = server.seen(Seen(self.path, body, headers, time.monotonic()))
            kind = behaviour(str(body.get("model", "")))
            anthropic = self.path.endswith("/v1/messages")
            if kind == "silent" or (kind == "ok-then-silent" and before > 0):
                server.stopping.wait()  # the headers never come
                return
            if kind == "status-401":
                self._error(401, "authentication_error", "invalid x-api-key", anthropic)
                return
            if kind == "status-500-echo":
                echoed = {k: v for k, v in headers.items() if k in ("authorization", "x-api-key")}
                self._error(
                    500, "api_error", f"internal error; request headers {echoed}", anthropic
                )
                return
            if kind == "status-429-once" and before == 0:
                self._error(429, "rate_limit_error", "slow down", anthropic, {"retry-after": "1"})
                return
            judge = _is_judge(self.path, body)
            text = _judge_text(kind, body) if judge else ANSWER
            if kind == "long" and not judge:
                text = " ".join([ANSWER] * LONG_REPEAT)
            if kind == "judge-parrot" and not judge:
                text = ANSWER
            if anthropic:
                self._anthropic(body, kind, text, judge)
            else:
                self._openai(body, kind, text)

        # -------------------------------------------------------------- OpenAI

        def _openai(self, body: dict[str, Any], kind: str, text: str) -> None:
            prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
            usage = {"prompt_tokens": prompt // 4 + 1, "completion_tokens": len(text) // 4 + 1}
            if kind == "negative-usage":
                usage = {"prompt_tokens": -500, "completion_tokens": -20}
            if kind == "huge-usage":
                usage = {"prompt_tokens": 5_000_000, "completion_tokens": 1_000_000}
            usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
            if not body.get("stream"):
                message = {"role": "assistant", "content": text}
                choice = {"index": 0, "message": message, "finish_reason": "stop"}
                payload: dict[str, Any] = {
                    "id": "c1",
                    "object": "chat.completion",
                    "choices": [choice],
                }
                if kind != "no-usage":
                    payload["usage"] = usage
                self._json(200, payload)
                return
            self._start_stream()
            words = text.split(" ")
            for i, word in enumerate(words):
                piece = word if i == 0 else " " + word
                chunk = _chunk({"content": piece}, None)
                if body.get("logprobs"):
                    chunk["choices"][0]["logprobs"] = _logprobs(kind, piece)
                self._event(None, chunk)
                if kind == "truncated" and i == 2:
                    self.close_connection = True
                    return  # the stream stops mid-answer: no finish, no [DONE]
                if kind == "malformed" and i == 1:
                    self.wfile.write(b'data: {"id": "c1", "choices": [{"delta": {"cont\n\n')
                    self.wfile.flush()
                if kind == "endless" and i == 0:
                    while not server.stopping.wait(0.05):
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                    return
            self._event(None, _chunk({}, "stop"))
            if kind != "no-usage":
                self._event(
                    None,
                    {"id": "c1", "object": "chat.completion.chunk", "choices": [], "usage": usage},
                )
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        # -------------------------------------------------------------- Anthropic

        def _anthropic(self, body: dict[str, Any], kind: str, text: str, judge: bool) -> None:
            prompt = len(json.dumps(body.get("messages", []))) // 4 + 1
            usage = {"input_tokens": prompt, "output_tokens": len(text) // 4 + 1}
            if kind == "negative-usage":
                usage = {"input_tokens": -500, "output_tokens": -20}
            if kind == "huge-usage":
                usage = {"input_tokens": 5_000_000, "output_tokens": 1_000_000}
            tool = None
            if judge:
                try:
                    tool = json.loads(text)
                except json.JSONDecodeError:
                    tool = None  # a judge that answers in prose: no tool call
                if not isinstance(tool, dict):
                    tool = None
            if not body.get("stream"):
                content: list[dict[str, Any]] = (
                    [{"type": "tool_use", "id": "toolu_1", "name": "answer", "input": tool}]
                    if tool is not None
                    else [{"type": "text", "text": text}]
                )
                message = {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "model": body.get("model"),
                    "content": content,
                    "stop_reason": "tool_use" if tool is not None else "end_turn",
                    "stop_sequence": None,
                    "usage": usage
                    if kind != "no-usage"
                    else {"input_tokens": 0, "output_tokens": 0},
                }
                self._json(200, message)
                return
            self._start_stream()
            start = {
                "type": "message_start",
                "message": {
                    "id": "msg_1", "type": "message", "role": "assistant",
                    "model": body.get("model"), "content": [], "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": usage["input_tokens"], "output_tokens": 1},
                },
            }  # fmt: skip
            self._event("message_start", start)
            block = {"type": "text", "text": ""}
            self._event(
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": block},
            )
            for i, word in enumerate(text.split(" ")):
                piece = word if i == 0 else " " + word
                delta = {"type": "text_delta", "text": piece}
                self._event(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": 0, "delta": delta},
                )
                if kind == "truncated" and i == 2:
                    self.close_connection = True
                    return
                if kind == "malformed" and i == 1:
                    self.wfile.write(b'event: content_block_delta\ndata: {"type": "content_bl\n\n')
                    self.wfile.flush()
                if kind == "endless" and i == 0:
                    while not server.stopping.wait(0.05):
                        self.wfile.write(b'event: ping\ndata: {"type": "ping"}\n\n')
                        self.wfile.flush()
                    return
            self._event("content_block_stop", {"type": "content_block_stop", "index": 0})
            out = (
                {"output_tokens": usage["output_tokens"]}
                if kind != "no-usage"
                else {"output_tokens": 0}
            )
            self._event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": out,
                },
            )
            self._event("message_stop", {"type": "message_stop"})
            self.close_connection = True

        # -------------------------------------------------------------- wire

        def _error(
            self,
            status: int,
            kind: str,
            message: str,
            anthropic: bool,
            headers: dict[str, str] | None = None,
        ) -> None:
            if anthropic:
                payload: dict[str, Any] = {
                    "type": "error",
                    "error": {"type": kind, "message": message},
                }
            else:
                payload = {"error": {"message": message, "type": kind, "code": None}}
            self._json(status, payload, headers)

        def _json(
            self, status: int, payload: object, headers: dict[str, str] | None = None
        ) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(raw)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def _start_stream(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("connection", "close")
            self.end_headers()
            self.wfile.flush()

        def _event(self, name: str | None, data: object) -> None:
            prefix = f"event: {name}\n" if name else ""
            self.wfile.write(f"{prefix}data: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

    return Handler


def _chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [choice],
    }


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up on a misbehaving answer is the point, not an error


class Serving:
    """A running `FakeServer` on a loopback port (a context manager)."""

    def __init__(self) -> None:
        self.state = FakeServer()
        self._httpd = _Quiet(("127.0.0.1", 0), BaseHTTPRequestHandler)
        self._httpd.RequestHandlerClass = _handler(self.state)
        self.state.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self.state.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
