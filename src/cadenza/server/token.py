"""The server's bearer token: ``CADENZA_TOKEN``, else ``[server] token`` in the config
file, else the one `cadenza serve` made on its first start and kept in the data folder
(``server-token``, readable by its owner only)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cadenza.errors import UserError
from cadenza.settings import Secret, Settings

TOKEN_FILE = "server-token"
MIN_LENGTH = 16


@dataclass(frozen=True, slots=True)
class Token:
    """The token and where it came from; `generated`: made just now (show it once)."""

    secret: Secret
    origin: str
    generated: bool = False


def token_for(settings: Settings) -> Token:
    if settings.server_token is not None:
        return Token(
            _checked(settings.server_token, "CADENZA_TOKEN / the config file"), "configured"
        )
    path = settings.data_dir / TOKEN_FILE
    if path.exists():
        return Token(_checked(Secret(path.read_text().strip()), str(path)), str(path))
    return Token(_create(path), str(path), generated=True)


def _checked(token: Secret, origin: str) -> Secret:
    if len(token.reveal()) < MIN_LENGTH:
        raise UserError(
            f"The server token from {origin} is shorter than {MIN_LENGTH} characters: anyone "
            "could guess it. Set a longer one (e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')."
        )
    return token


def _create(path: Path) -> Secret:
    value = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server made it meanwhile: use theirs
        return Secret(path.read_text().strip())
    except OSError as exc:
        raise UserError(
            f"Cannot keep the server token in {path} ({exc.strerror}): set CADENZA_TOKEN, or "
            "make the data folder writable."
        ) from None
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return Secret(value)
