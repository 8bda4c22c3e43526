"""Secrets are scrubbed from text before it goes anywhere a person or a file sees it."""

from __future__ import annotations

import pytest

from cadenza.redact import MASK, redact
from cadenza.settings import Secret


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer abcdef0123456789xyz",
        "header authorization=Bearer abcdef0123456789xyz was rejected",
        '{"x-api-key": "k3y-v4lue-0123456789"}',
        "api_key=0123456789abcdef",
        "used sk-proj-AbCdEf0123456789_xyz",
        "used sk-ant-api03-AbCdEf0123456789-xyz",
        "google AIzaSyA0123456789abcdefghijklmnopq",
        "hf_abcdefghijklmnopqrstuvwxyz1234",
        "ghp_abcdefghijklmnopqrstuvwxyz123456",
        "AKIAABCDEFGHIJKLMNOP",
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
    ],
)
def test_credential_shapes_are_masked(text: str) -> None:
    scrubbed = redact(text)
    assert MASK in scrubbed
    for word in ("abcdef0123456789xyz", "0123456789abcdef", "AbCdEf0123456789", "AIzaSy"):
        assert word not in scrubbed


def test_configured_keys_are_masked_wherever_they_appear() -> None:
    value = "plainKEYwithNoShape42"
    Secret(value)  # configuring a key is enough: nothing else needs to know it
    scrubbed = redact(f"the server said: unknown user {value}; {value[:-1]}")
    assert value not in scrubbed and scrubbed.count(MASK) == 1
    assert redact("x", ["y" * 10]) == "x"
    assert MASK in redact("extra zz-secret-zz", ["zz-secret-zz"])


def test_ordinary_text_is_left_alone() -> None:
    text = (
        "The model gpt-4.1-mini at http://127.0.0.1:8080/v1 answered HTTP 500; "
        "sha256 cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 matched; "
        "a token budget of 4000 tokens; passwords must be long."
    )
    assert redact(text) == text
