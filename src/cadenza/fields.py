"""Reading one field of caller input by its type, with a message that names the field.

Every public entry point (`Task`, `Requirement.of`, `Budget.of`, the strategy options)
reads what a caller gave through these functions, so a wrong type is refused with one
paragraph that says which field, what was given and what to write instead; nothing is
coerced behind the caller's back (``bool("false")`` is True, ``float("nan")`` is a
number: neither is accepted here).
"""

from __future__ import annotations

import math
from typing import Any

from cadenza.errors import UserError

_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def read_text(
    where: str,
    field: str,
    value: Any,
    *,
    error: type[UserError] = UserError,
    allow_empty: bool = False,
) -> str:
    """`value` as text: a string that is valid UTF-8 text (and not blank unless
    `allow_empty`). None, numbers and the like are refused."""
    if not isinstance(value, str):
        raise error(
            f"{where}: field {field!r} must be text, got {_kind(value)} ({_shown(value)}). "
            f"Give {field} as a string."
        )
    utf8(where, field, value, error=error)
    if not allow_empty and not value.strip():
        raise error(f"{where}: field {field!r} is empty. Write what it should say.")
    return value


def utf8(where: str, field: str, value: str, *, error: type[UserError] = UserError) -> None:
    """Refuse text that cannot be stored or sent as UTF-8 (bytes that were not UTF-8
    when read, kept as lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise error(
            f"{where}: field {field!r} is not valid UTF-8 text (an undecodable byte at "
            f"character {exc.start}). Save or pass the text as UTF-8 and try again."
        ) from None


def read_bool(where: str, field: str, value: Any, *, error: type[UserError] = UserError) -> bool:
    """`value` as a boolean: true/false, or the strings "true"/"false" (also yes/no,
    on/off, 1/0, any case) and the numbers 1/0. Anything else is refused."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise error(
        f"{where}: field {field!r} must be true or false, got {_kind(value)} "
        f"({_shown(value)}). Write true or false."
    )


def read_number(
    where: str,
    field: str,
    value: Any,
    *,
    error: type[UserError] = UserError,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
) -> float:
    """`value` as a finite number within [`low`, `high`] (`low` excluded when
    `low_open`). Strings, booleans, NaN and infinities are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = f" Write {str(value).strip()} without quotes." if _numeric_string(value) else ""
        raise error(
            f"{where}: field {field!r} must be a number, got {_kind(value)} "
            f"({_shown(value)}).{hint}"
        )
    number = float(value)
    if not math.isfinite(number):
        raise error(f"{where}: field {field!r} must be a finite number, got {value!r}.")
    _check_range(where, field, number, error, low, high, low_open)
    return number


def read_whole(
    where: str,
    field: str,
    value: Any,
    *,
    error: type[UserError] = UserError,
    low: int | None = None,
    high: int | None = None,
) -> int:
    """`value` as a whole number within [`low`, `high`] (3.0 is read as 3; 2.5,
    strings and booleans are refused)."""
    number = read_number(where, field, value, error=error)
    if not number.is_integer():
        raise error(f"{where}: field {field!r} must be a whole number, got {value!r}.")
    whole = int(number)
    _check_range(where, field, whole, error, low, high, False)
    return whole


def _check_range(
    where: str,
    field: str,
    number: float,
    error: type[UserError],
    low: float | None,
    high: float | None,
    low_open: bool,
) -> None:
    shown = int(number) if float(number).is_integer() else number
    if low is not None and (number <= low if low_open else number < low):
        bound = f"above {low:g}" if low_open else f"at least {low:g}"
        raise error(f"{where}: field {field!r} must be {bound}, got {shown}.")
    if high is not None and number > high:
        raise error(f"{where}: field {field!r} must be at most {high:g}, got {shown}.")


def _numeric_string(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value.strip())
    except ValueError:
        return False
    return True
