"""What every request to the server goes through first: the token, the size limit,
and the access log.

- A request must carry the bearer token (``Authorization: Bearer TOKEN``) or the
  page's session cookie; anything else gets 401, whatever the path (unknown paths
  included). Opening the page as ``/?token=TOKEN`` sets the cookie (an HMAC of the
  token, never the token itself; HttpOnly, SameSite=Strict) and redirects to the same
  path without the token, so it leaves the address bar and the history.
- A body larger than `max_body_bytes` gets 413 before the application reads it.
- Each request is logged as method, path, status and milliseconds: never its query
  string or headers, so the token never reaches a log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote

from cadenza.settings import Secret

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "cadenza_session"
log = logging.getLogger("cadenza.server.access")


def session_value(token: Secret) -> str:
    """The page's cookie for `token`: proves the token was given, does not reveal it."""
    return hmac.new(token.reveal().encode(), b"cadenza-session-v1", hashlib.sha256).hexdigest()


class Guard:
    """ASGI middleware (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, token: Secret, max_body_bytes: int) -> None:
        self.app = app
        self._token = token.reveal().encode()
        self._session = session_value(token).encode()
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self._guarded(scope, receive, sending)
        finally:
            elapsed = (time.monotonic() - started) * 1000
            log.info("%s %s %s %.1fms", scope["method"], scope["path"], status, elapsed)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1").lower(): v for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            if scope["method"] == "GET" and self._matches(query["token"][0].encode()):
                await _redirect_with_cookie(send, scope["path"], self._session.decode())
            else:
                await _refuse(send, 401, "unauthorized", "The token in the address is wrong.")
            return
        if not self._authorized(headers):
            await _refuse(
                send,
                401,
                "unauthorized",
                "This server needs its token: send 'Authorization: Bearer TOKEN', or open "
                "the page once as /?token=TOKEN. `cadenza serve` printed the token when it "
                "made it (or set CADENZA_TOKEN).",
            )
            return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            await self._too_large(send)
            return
        if length is None and scope["method"] in ("POST", "PUT", "PATCH"):
            body = await self._read_bounded(receive)
            if body is None:
                await self._too_large(send)
                return
            receive = _replay(body)
        await self.app(scope, receive, send)

    def _matches(self, given: bytes) -> bool:
        return hmac.compare_digest(given, self._token)

    def _authorized(self, headers: dict[str, bytes]) -> bool:
        auth = headers.get("authorization", b"")
        scheme, _, credentials = auth.partition(b" ")
        if scheme.lower() == b"bearer" and self._matches(credentials.strip()):
            return True
        cookie = headers.get("cookie")
        if cookie is None:
            return False
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(cookie.decode("latin-1"))
        except Exception:  # a malformed cookie header: no session
            return False
        morsel = jar.get(COOKIE)
        return morsel is not None and hmac.compare_digest(morsel.value.encode(), self._session)

    async def _read_bounded(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _too_large(self, send: Send) -> None:
        await _refuse(
            send,
            413,
            "too_large",
            f"The request body is over {self.max_body_bytes} bytes, the most this server "
            "accepts: send less (or start the server with a larger --max-body).",
            field="body",
        )


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _refuse(
    send: Send, status: int, kind: str, message: str, *, field: str | None = None
) -> None:
    error: dict[str, Any] = {"type": kind, "message": message}
    if field is not None:
        error["field"] = field
    body = json.dumps({"error": error}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="cadenza"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send: Send, path: str, session: str) -> None:
    cookie = f"{COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict"
    target = quote("/" + path.lstrip("/"))  # never "//host": stays on this server
    headers = [
        (b"location", target.encode("ascii")),
        (b"set-cookie", cookie.encode("latin-1")),
        (b"content-length", b"0"),
        (b"cache-control", b"no-store"),
    ]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
