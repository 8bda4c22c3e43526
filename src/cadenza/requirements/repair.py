"""Safe deterministic repairs: fix a failed mechanical check without a model call.

A repair is only returned when the repaired text passes the failed check AND no other
check regresses (every spec is re-run on the text before and after: a check that
passed must still pass, and a failing check must not score lower). Otherwise `repair`
returns None and the caller asks a model to fix the text instead.

Repairs exist for: all lowercase / all uppercase, forbidden characters, a missing end
phrase, a missing postscript, wrapping quotes, JSON buried in prose or a fence,
paragraph markers between paragraphs, a missing title, repeating the request, and an
answer option written with the wrong case. Forbidden words, counts and content are
never "repaired" mechanically: changing meaning is a model's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cadenza.requirements.checks import run_check
from cadenza.requirements.checks.json_checks import find_embedded_json
from cadenza.requirements.checks.text import split_blank_line_paragraphs
from cadenza.requirements.spec import (
    AllLowercase,
    AllUppercase,
    AnswerOption,
    CheckSpec,
    EndsWith,
    ForbiddenCharacters,
    JsonSchema,
    ParagraphCount,
    Postscript,
    RepeatRequest,
    Title,
    ValidJson,
    WrappedInQuotes,
)

NEUTRAL_POSTSCRIPT = "Thank you for reading."
_RULE_LINE = re.compile(r"^[ \t]*(?:\*[ \t]*\*[ \t]*\*[ \t*]*|-{3,}|_{3,}|\*{3,})[ \t]*$", re.M)
_HEADING = re.compile(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True, slots=True)
class RepairOptions:
    """Content a repair may need that only the caller knows."""

    postscript: str | None = None  # the text after "P.S." (default: a neutral line)
    title: str | None = None  # the title to add (default: from a heading or short first line)


def repair(
    text: str,
    failed_spec: CheckSpec,
    all_specs: Sequence[CheckSpec],
    prompt: str | None = None,
    options: RepairOptions | None = None,
) -> str | None:
    """`text` repaired for `failed_spec`, or None when no safe repair exists (none for
    that family, or every candidate breaks another check in `all_specs`)."""
    opts = options or RepairOptions()
    if run_check(failed_spec, text, prompt=prompt).passed:
        return None
    others = [s for s in all_specs if s != failed_spec]
    before = [run_check(s, text, prompt=prompt) for s in others]
    for candidate in _candidates(failed_spec, text, prompt, opts):
        if candidate == text or not run_check(failed_spec, candidate, prompt=prompt).passed:
            continue
        after = [run_check(s, candidate, prompt=prompt) for s in others]
        if all(
            (a.passed or not b.passed) and a.score >= b.score - 1e-9
            for b, a in zip(before, after, strict=True)
        ):
            return candidate
    return None


def repair_all(
    text: str,
    specs: Sequence[CheckSpec],
    prompt: str | None = None,
    options: RepairOptions | None = None,
) -> tuple[str, list[CheckSpec]]:
    """Apply every safe repair in turn; returns the text and the specs repaired."""
    repaired: list[CheckSpec] = []
    for spec in specs:
        fixed = repair(text, spec, specs, prompt, options)
        if fixed is not None:
            text = fixed
            repaired.append(spec)
    return text, repaired


def _candidates(
    spec: CheckSpec, text: str, prompt: str | None, opts: RepairOptions
) -> Iterator[str]:
    """Repaired texts to try, most conservative first."""
    match spec:
        case AllLowercase():
            yield text.lower()
        case AllUppercase():
            yield text.upper()
        case ForbiddenCharacters():
            yield _remove_characters(text, spec.characters)
        case EndsWith():
            for sep in (" ", "\n", "\n\n"):
                yield _append(text, spec.phrase.strip(), sep)
        case Postscript():
            marker = spec.marker.strip()
            if marker[-1:].isalpha():
                marker += "."
            line = f"{marker} {(opts.postscript or NEUTRAL_POSTSCRIPT).strip()}"
            for sep in ("\n\n", "\n"):
                yield _append(text, line, sep)
        case WrappedInQuotes():
            body, q = text.strip(), spec.quote
            yield q + body.removeprefix(q).removesuffix(q) + q
        case ValidJson() | JsonSchema():
            span = find_embedded_json(text)
            if span is not None:
                yield text[span[0] : span[1]]
        case ParagraphCount() if spec.marker is not None:
            yield from _paragraph_markers(text, spec.marker)
        case Title():
            title = _title_for(text, opts.title)
            if title is not None:
                yield from _with_title(text, title)
        case RepeatRequest():
            request = spec.request if spec.request is not None else prompt
            if request and request.strip():
                yield f"{request.strip()}\n\n{text.strip()}"
        case AnswerOption():
            for option in spec.options:
                core = re.escape(option.rstrip(".").strip())
                found = re.search(core + r"\.?", text, re.IGNORECASE)
                if found:
                    yield text[: found.start()] + option + text[found.end() :]
        case _:
            return


def _remove_characters(text: str, characters: str) -> str:
    """Drop each forbidden character; ``a , b`` and ``a, b`` become ``a b``."""
    for c in characters:
        text = re.sub(
            r"( ?)" + re.escape(c) + r"( ?)",
            lambda m: " " if m.group(1) or m.group(2) else "",
            text,
        )
    return text


def _append(text: str, addition: str, sep: str) -> str:
    """`addition` after the text, inside wrapping double quotes if there are any."""
    body = text.rstrip()
    if len(body) > 1 and body.startswith('"') and body.endswith('"'):
        return body[:-1].rstrip() + sep + addition + '"'
    return body + sep + addition


def _paragraph_markers(text: str, marker: str) -> Iterator[str]:
    # 1. other divider lines (--- , * * * , ___) become the marker
    if _RULE_LINE.search(text):
        yield _RULE_LINE.sub(marker, text)
    # 2. doubled markers (an empty paragraph between two) collapse into one
    doubled = re.compile(r"(?:\s*" + re.escape(marker) + r"){2,}")
    if doubled.search(text):
        yield doubled.sub("\n\n" + marker, text)
    # 3. a marker between blank-line paragraphs
    if marker not in text:
        parts = [p.strip() for p in split_blank_line_paragraphs(text) if p.strip()]
        if len(parts) > 1:
            yield f"\n\n{marker}\n\n".join(parts)


def _title_for(text: str, given: str | None) -> str | None:
    if given and given.strip():
        return given.strip().strip("<>").strip()
    first = text.strip().splitlines()[0] if text.strip() else ""
    heading = _HEADING.match(first)
    if heading:
        return heading.group(1).strip("*_ ").strip()
    if 0 < len(first.split()) <= 10 and not first.rstrip().endswith((".", "!", "?", ":")):
        return first.strip("*_# ").strip()
    return None


def _with_title(text: str, title: str) -> Iterator[str]:
    lines = text.strip().splitlines()
    first = lines[0].strip("*_# ").strip() if lines else ""
    if first == title:  # turn the existing first line into the title
        yield "\n".join([f"<<{title}>>", *lines[1:]])
    yield f"<<{title}>>\n\n{text.strip()}"
