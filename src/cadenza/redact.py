"""Scrub secrets from text before it reaches an error, a note, a trace, the store or
the terminal.

Two nets:
- every key the process was configured with: a `cadenza.settings.Secret` registers its
  value here when it is made (a set of values never to show, not configuration: it
  lets code that never sees the settings, such as the engine recording a step's
  error, scrub them too);
- anything shaped like a credential: ``Authorization: Bearer ...``, ``x-api-key: ...``,
  ``api_key=...`` and the key formats of common providers (``sk-...``, ``sk-ant-...``,
  ``AIza...``, ``hf_...``, ``gh?_...``, ``AKIA...``, JWTs).

A server that echoes the request's headers in an error body is the case this exists
for: its message is quoted to the user, with the key replaced by ``[redacted]``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

MASK = "[redacted]"
_MIN_SECRET = 6  # shorter values would scrub ordinary words

_known: set[str] = set()
_lock = threading.Lock()

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer <token> / Basic <token> (header or prose)
    (re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{6,}"), rf"\1\2{MASK}"),
    # labelled values: api_key=..., "x-api-key": "...", token: ..., password=...
    (
        re.compile(
            r"(?i)((?:x-)?api[_-]?key|access[_-]?token|auth[_-]?token|secret[_-]?key|"
            r"client[_-]?secret|password|authorization|token)"
            r"""(["']?\s*[:=]\s*["']?)(?!bearer\b|basic\b)[^\s"',;}]{6,}"""
        ),
        rf"\1\2{MASK}",
    ),
    # provider key formats
    (re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{10,}"), MASK),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{20,}"), MASK),
    (re.compile(r"\bhf_[A-Za-z0-9]{20,}"), MASK),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"), MASK),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"), MASK),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), MASK),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), MASK),
)


def remember(secret: str) -> None:
    """Never show `secret` again in anything `redact` scrubs."""
    value = secret.strip()
    if len(value) >= _MIN_SECRET:
        with _lock:
            _known.add(value)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known secret, every one of `secrets` and everything shaped
    like a credential replaced by ``[redacted]``."""
    if not text:
        return text
    with _lock:
        values = set(_known)
    values.update(s.strip() for s in secrets if len(s.strip()) >= _MIN_SECRET)
    for value in sorted(values, key=len, reverse=True):  # longest first: no partial leftovers
        if value in text:
            text = text.replace(value, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
