"""HTTP tools in the shape AI21 Maestro documents::

    {"type": "http",
     "function": {"name": "get_weather", "description": "...",
                  "parameters": {"type": "object", "properties": {...}}},
     "endpoint": {"url": "https://my.endpoint.com/weather",
                  "headers": {"Authorization": "Bearer ..."}}}

cadenza POSTs the arguments as a JSON body to the endpoint and reads back JSON (or
text). Only that URL is ever called: the arguments never change the address, and
redirects are not followed (a 3xx is a failed call). Header values are kept as
`Secret`s and never appear in errors, traces or the store; an error names the
endpoint without its query string.

Optional ``"limits"`` (cadenza's own extension): ``timeout_s``, ``max_concurrency``,
``max_attempts``, ``max_output_chars``, ``latency_s``, ``cost_usd``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx2

from cadenza.errors import ToolConfigError, ToolError
from cadenza.settings import Secret
from cadenza.tools.base import Defined, ToolLimits

_LIMIT_KEYS = frozenset(
    {"timeout_s", "max_concurrency", "max_attempts", "max_output_chars", "latency_s", "cost_usd"}
)


class HttpTool(Defined):
    """A tool that POSTs its arguments to one endpoint."""

    def __init__(
        self,
        name: str,
        description: str,
        parameters: Mapping[str, Any],
        url: str,
        *,
        headers: Mapping[str, str | Secret] | None = None,
        limits: ToolLimits | None = None,
    ) -> None:
        super().__init__(name, description, parameters, limits)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ToolConfigError(
                f"HTTP tool {name!r}: endpoint {public_url(url)!r} is not an http(s) URL. "
                "Give the full URL, e.g. https://api.example.com/weather."
            )
        self._url = url
        self._headers = {
            str(k): v if isinstance(v, Secret) else Secret(str(v))
            for k, v in (headers or {}).items()
        }

    @staticmethod
    def from_spec(spec: Mapping[str, Any], *, source: str = "the tool definition") -> HttpTool:
        """An HTTP tool from Maestro's JSON shape (see the module docstring)."""
        if spec.get("type", "http") != "http":
            raise ToolConfigError(
                f'{source}: type {spec.get("type")!r} is not an HTTP tool (type must be "http").'
            )
        function = spec.get("function")
        endpoint = spec.get("endpoint")
        if not isinstance(function, Mapping) or not isinstance(endpoint, Mapping):
            raise ToolConfigError(
                f"{source}: an HTTP tool needs a 'function' object (name, description, "
                "parameters) and an 'endpoint' object (url, optional headers)."
            )
        name = function.get("name")
        url = endpoint.get("url")
        if not isinstance(name, str) or not isinstance(url, str):
            raise ToolConfigError(
                f"{source}: function.name and endpoint.url must be strings naming the tool "
                "and its full URL."
            )
        headers = endpoint.get("headers") or {}
        if not isinstance(headers, Mapping):
            raise ToolConfigError(f"{source}: endpoint.headers must be an object of strings.")
        raw_limits = spec.get("limits") or {}
        if not isinstance(raw_limits, Mapping) or set(raw_limits) - _LIMIT_KEYS:
            raise ToolConfigError(
                f"{source}: limits may only set {', '.join(sorted(_LIMIT_KEYS))}."
            )
        return HttpTool(
            name,
            str(function.get("description") or ""),
            function.get("parameters") or {"type": "object", "properties": {}},
            url,
            headers={str(k): str(v) for k, v in headers.items()},
            limits=ToolLimits(**dict(raw_limits)),
        )

    @property
    def endpoint(self) -> str:
        """The endpoint without its query string (safe to show)."""
        return public_url(self._url)

    async def call(self, arguments: Mapping[str, Any]) -> object:
        headers = {k: v.reveal() for k, v in self._headers.items()}
        where = self.endpoint
        try:
            async with httpx2.AsyncClient(
                follow_redirects=False, timeout=self._limits.timeout_s
            ) as client:
                response = await client.post(self._url, json=dict(arguments), headers=headers)
        except httpx2.TimeoutException:
            raise ToolError(
                f"{self._name}: {where} did not answer in time.", tool=self._name, retryable=True
            ) from None
        except httpx2.HTTPError as exc:
            raise ToolError(
                f"{self._name}: cannot reach {where} ({type(exc).__name__}).",
                tool=self._name,
                retryable=True,
            ) from None
        status = response.status_code
        if 300 <= status < 400:
            raise ToolError(
                f"{self._name}: {where} answered {status} (a redirect); cadenza only calls the "
                "endpoint it was given.",
                tool=self._name,
            )
        if status >= 400:
            retry_after = _seconds(response.headers.get("retry-after"))
            body = response.text[:300]
            raise ToolError(
                f"{self._name}: {where} answered {status}: {body}",
                tool=self._name,
                retryable=status == 429 or status >= 500,
                retry_after=retry_after,
            )
        if "json" in response.headers.get("content-type", ""):
            try:
                return response.json()
            except json.JSONDecodeError:
                pass
        return response.text

    def __repr__(self) -> str:
        return f"HttpTool({self._name!r}, {self.endpoint!r})"


def public_url(url: str) -> str:
    """`url` without credentials, query or fragment (which may hold secrets)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else url.split("?", 1)[0]


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
