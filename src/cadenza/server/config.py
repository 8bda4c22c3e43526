"""How a server is set up: where it listens, its store, its token and limits."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from opentelemetry.trace import TracerProvider

from cadenza.providers.base import Model
from cadenza.server.runs import Limits
from cadenza.settings import Secret, Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8740
DEFAULT_MAX_BODY = 1 << 20  # 1 MiB


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """`models` are served under their ids besides the registry's (`Model` objects
    an embedding application or a test provides)."""

    store: Path | str
    token: Secret
    settings: Settings
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_body_bytes: int = DEFAULT_MAX_BODY
    limits: Limits = field(default_factory=Limits)
    models: Mapping[str, Model] = field(default_factory=dict)
    tracer_provider: TracerProvider | None = None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
