"""Configuration that travels with a call (no global settings object).

`Settings.load()` reads, in order of precedence: explicit keyword arguments, the
environment (``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``, ``OPENAI_BASE_URL``,
``CADENZA_*``), then an optional TOML config file (``$CADENZA_CONFIG`` or
``<user config dir>/cadenza/config.toml``)::

    [keys]
    openai = "sk-..."
    anthropic = "sk-ant-..."

    [openai]
    base_url = "http://127.0.0.1:8080/v1"

    [prices."openai:gpt-4.1-mini"]   # dollars per million tokens
    input = 0.40
    output = 1.60

    timeout = 120                    # seconds one model call may take (top level)

    [server]
    token = "..."                    # `cadenza serve`'s bearer token (or CADENZA_TOKEN)

``CADENZA_TIMEOUT`` sets the timeout too; the CLI's ``--timeout`` wins over both.

Secrets are held in `Secret` so that printing, logging or serialising settings never
shows them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from cadenza.errors import UserError
from cadenza.fields import read_number
from cadenza.redact import remember

APP = "cadenza"
DEFAULT_TIMEOUT_S = 120.0
"""Seconds one model call may take: a hosted model's long answer fits in it, a server
that never answers is given up on."""
MAX_TIMEOUT_S = 24 * 3600.0


class Secret:
    """A string that never shows itself in repr, str or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        remember(value)  # errors, notes, traces and the store scrub it (cadenza.redact)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class Price:
    """Dollars per million input and output tokens."""

    input: float
    output: float

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input + output_tokens * self.output) / 1_000_000


@dataclass(frozen=True, slots=True)
class Settings:
    keys: Mapping[str, Secret] = field(default_factory=dict)
    base_urls: Mapping[str, str] = field(default_factory=dict)
    prices: Mapping[str, Price] = field(default_factory=dict)
    cache_dir: Path = field(default_factory=lambda: Path(platformdirs.user_cache_dir(APP)))
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP)))
    request_timeout_s: float = DEFAULT_TIMEOUT_S  # one model call, start to last byte
    threads: int = field(default_factory=lambda: os.cpu_count() or 1)
    server_token: Secret | None = None  # `cadenza serve`'s bearer token, if configured

    def key(self, provider: str) -> str | None:
        secret = self.keys.get(provider)
        return secret.reveal() if secret else None

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @staticmethod
    def load(
        *,
        env: Mapping[str, str] | None = None,
        config_file: Path | None = None,
        timeout: float | None = None,
        **overrides: Any,
    ) -> Settings:
        """Settings from `overrides`, the environment and the config file (see the
        module docstring). `timeout` (seconds per model call) wins over the file's
        ``timeout`` and ``CADENZA_TIMEOUT``."""
        env = os.environ if env is None else env
        path = config_file or _config_path(env)
        file_data = _read_toml(path) if path is not None and path.exists() else {}

        keys: dict[str, Secret] = {}
        for provider, value in dict(file_data.get("keys", {})).items():
            keys[str(provider)] = Secret(str(value))
        for provider, var in (("openai", "OPENAI_API_KEY"), ("anthropic", "ANTHROPIC_API_KEY")):
            if env.get(var):
                keys[provider] = Secret(env[var])

        base_urls: dict[str, str] = {}
        for provider in ("openai", "anthropic"):
            section = file_data.get(provider, {})
            if isinstance(section, dict) and section.get("base_url"):
                base_urls[provider] = str(section["base_url"])
        if env.get("OPENAI_BASE_URL"):
            base_urls["openai"] = env["OPENAI_BASE_URL"]
        if env.get("ANTHROPIC_BASE_URL"):
            base_urls["anthropic"] = env["ANTHROPIC_BASE_URL"]

        prices: dict[str, Price] = {}
        for model_id, spec in dict(file_data.get("prices", {})).items():
            try:
                prices[str(model_id)] = Price(float(spec["input"]), float(spec["output"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise UserError(
                    f"Config file {path}: price for {model_id!r} needs numeric 'input' and "
                    "'output' (dollars per million tokens)."
                ) from exc

        values: dict[str, Any] = {"keys": keys, "base_urls": base_urls, "prices": prices}
        server = file_data.get("server", {})
        if isinstance(server, dict) and server.get("token"):
            values["server_token"] = Secret(str(server["token"]))
        if env.get("CADENZA_TOKEN"):
            values["server_token"] = Secret(env["CADENZA_TOKEN"])
        if env.get("CADENZA_CACHE_DIR"):
            values["cache_dir"] = Path(env["CADENZA_CACHE_DIR"])
        if env.get("CADENZA_DATA_DIR"):
            values["data_dir"] = Path(env["CADENZA_DATA_DIR"])
        values["request_timeout_s"] = _timeout(timeout, env, file_data, path)
        values.update(overrides)
        return Settings(**values)


def _timeout(
    given: float | None, env: Mapping[str, str], file_data: Mapping[str, Any], path: Path | None
) -> float:
    if given is not None:
        where, value = "--timeout", given
    elif env.get("CADENZA_TIMEOUT"):
        text = env["CADENZA_TIMEOUT"]
        try:
            value = float(text)
        except ValueError:
            raise UserError(
                f"CADENZA_TIMEOUT={text!r} is not a number: give seconds, e.g. 60."
            ) from None
        where = "CADENZA_TIMEOUT"
    elif "timeout" in file_data:
        where, value = f"Config file {path}", file_data["timeout"]
    else:
        return DEFAULT_TIMEOUT_S
    return read_number(where, "timeout", value, low=0.0, low_open=True, high=MAX_TIMEOUT_S)


def _config_path(env: Mapping[str, str]) -> Path | None:
    if env.get("CADENZA_CONFIG"):
        return Path(env["CADENZA_CONFIG"])
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"Config file {path} is not valid TOML: {exc}. Fix or remove it.") from exc
