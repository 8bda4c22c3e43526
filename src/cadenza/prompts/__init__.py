"""Prompt templates live in this folder as ``NAME.txt`` files, not in f-strings.

Templates use `string.Template` syntax (``$name`` / ``${name}``); `render` fails loudly
on a missing value so a typo cannot silently send a broken prompt.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from string import Template


@cache
def template(name: str) -> Template:
    text = files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return Template(text)


def render(name: str, **values: object) -> str:
    """The template ``NAME.txt`` with every ``$placeholder`` filled."""
    return template(name).substitute({k: str(v) for k, v in values.items()})
