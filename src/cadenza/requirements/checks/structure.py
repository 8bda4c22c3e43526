"""Structure checks: bullets, numbered items, sections, highlights, placeholders, a title,
the first word of a paragraph, a postscript, separated responses, a repeated request.

Where IFEval defines the mechanics they are followed: bullets are lines starting with
``*`` (not ``**``) or ``-``; sections split on "<marker> <number>"; highlights are
``*span*`` or ``**span**`` on one line; a title is ``<<...>>`` on one line.
"""

from __future__ import annotations

import re

from cadenza.requirements.checks import text as tx
from cadenza.requirements.checks.grade import count_verdict, failed, passed, plural, quote
from cadenza.requirements.spec import (
    BulletCount,
    HighlightCount,
    NumberedItemCount,
    ParagraphFirstWord,
    PlaceholderCount,
    Postscript,
    RepeatRequest,
    SectionCount,
    SeparatedResponses,
    Title,
)
from cadenza.requirements.verdict import Verdict

_STAR_BULLET = re.compile(r"^\s*\*[^\*].*$", re.MULTILINE)
_DASH_BULLET = re.compile(r"^\s*-.*$", re.MULTILINE)
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+\S.*$", re.MULTILINE)
_HIGHLIGHT = re.compile(r"\*[^\n\*]*\*")
_DOUBLE_HIGHLIGHT = re.compile(r"\*\*[^\n\*]*\*\*")
_PLACEHOLDER = re.compile(r"\[.*?\]")
_TITLE = re.compile(r"<<[^\n]+>>")
_FIRST_WORD_STOP = frozenset(".,?!'\"")


def check_bullets(spec: BulletCount, text: str) -> Verdict:
    count = len(_STAR_BULLET.findall(text)) + len(_DASH_BULLET.findall(text))
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=count,
        noun="bullet item",
        add_hint=lambda k: f"add {plural(k, 'bullet item')} (lines starting with '* ')",
        cut_hint=lambda k: (
            f"remove or merge {plural(k, 'bullet item')}; note that every line starting "
            "with '-' or '* ' counts as a bullet"
        ),
    )


def check_numbered(spec: NumberedItemCount, text: str) -> Verdict:
    count = len(_NUMBERED.findall(text))
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=count,
        noun="numbered item",
        add_hint=lambda k: f"add {plural(k, 'numbered item')} (lines like '1. ...')",
        cut_hint=lambda k: f"remove or merge {plural(k, 'numbered item')}",
    )


def check_sections(spec: SectionCount, text: str) -> Verdict:
    pattern = r"\s?" + re.escape(spec.marker) + r"\s?\d+\s?"
    count = len(re.split(pattern, text)) - 1
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=count,
        noun=f"section marked '{spec.marker} N'",
        nouns=f"sections marked '{spec.marker} N'",
        add_hint=lambda k: (
            f"add {plural(k, 'section')}, each starting with '{spec.marker} {count + 1}' and so "
            "on (the marker exactly as written, then its number)"
        ),
        cut_hint=lambda k: f"merge sections so there are {k} fewer '{spec.marker} N' markers",
    )


def highlight_spans(text: str) -> list[str]:
    """Highlighted spans, counted as IFEval counts them: every non-blank ``*span*`` on
    one line, plus every non-blank ``**span**`` (so ``**bold**`` counts once or twice
    depending on how the single-star pattern happens to pair the stars)."""
    spans = [h for h in _HIGHLIGHT.findall(text) if h.strip("*").strip()]
    spans += [
        h
        for h in _DOUBLE_HIGHLIGHT.findall(text)
        if h.removeprefix("**").removesuffix("**").strip()
    ]
    return spans


def check_highlights(spec: HighlightCount, text: str) -> Verdict:
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=len(highlight_spans(text)),
        noun="highlighted span",
        add_hint=lambda k: (
            f"highlight {plural(k, 'more span')} with markdown, e.g. *important phrase*"
        ),
        cut_hint=lambda k: f"remove the *...* markup from {plural(k, 'span')}",
    )


def check_placeholders(spec: PlaceholderCount, text: str) -> Verdict:
    found = _PLACEHOLDER.findall(text)
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=len(found),
        noun="placeholder in [brackets]",
        nouns="placeholders in [brackets]",
        add_hint=lambda k: (
            f"add {plural(k, 'more placeholder')} in square brackets, e.g. [name], [address]"
        ),
        cut_hint=lambda k: f"fill in {plural(k, 'placeholder')} with real text",
    )


def check_title(spec: Title, text: str) -> Verdict:
    for title in _TITLE.findall(text):
        if title.lstrip("<").rstrip(">").strip():
            return passed(spec.family, f"title {quote(title)} found")
    near = re.search(r"<[^<>\n]+>|^#+\s+\S.*$", text, re.MULTILINE)
    if near:
        return failed(
            spec.family,
            0.5,
            f"no title in double angular brackets; found {quote(near.group(0))} instead",
            f"write the title as <<{near.group(0).strip('<># ').strip()}>> on its own line",
        )
    return failed(
        spec.family,
        0.0,
        "no title in double angular brackets",
        "add a title on the first line, wrapped in double angular brackets: <<Your Title>>",
    )


def first_word(paragraph: str) -> str:
    """The first word of a paragraph, lowercased, quotes and trailing punctuation cut
    (IFEval's rule)."""
    head = paragraph.split()[0].strip().lstrip("'").lstrip('"')
    out = []
    for ch in head:
        if ch in _FIRST_WORD_STOP:
            break
        out.append(ch.lower())
    return "".join(out)


def check_first_word(spec: ParagraphFirstWord, text: str) -> Verdict:
    parts = tx.split_blank_line_paragraphs(text)
    count = sum(1 for p in parts if p.strip())
    want = spec.word.lower()
    problems: list[str] = []
    hints: list[str] = []
    score = 1.0
    if spec.paragraphs is not None and count != spec.paragraphs:
        gap = abs(count - spec.paragraphs)
        score -= 0.5 * min(1.0, gap / spec.paragraphs)
        problems.append(f"{plural(count, 'paragraph')}, needs exactly {spec.paragraphs}")
        verb = "split or add" if count < spec.paragraphs else "merge"
        hints.append(
            f"{verb} paragraphs to have exactly {spec.paragraphs}, separated by one blank line"
        )
    actual = ""
    if spec.nth <= count and parts[spec.nth - 1].strip():
        actual = first_word(parts[spec.nth - 1].strip())
    if actual != want:
        score -= 0.5
        if spec.nth > count:
            problems.append(f"there is no paragraph {spec.nth}")
        elif not actual:
            problems.append(
                f"paragraph {spec.nth} is not where expected (an extra blank line before it?)"
            )
        else:
            problems.append(f"paragraph {spec.nth} starts with {actual!r}")
        hints.append(f"paragraph {spec.nth} must start with the word {spec.word!r}")
    if not problems:
        return passed(
            spec.family, f"paragraph {spec.nth} starts with {spec.word!r} ({count} paragraphs)"
        )
    return failed(spec.family, max(score, 0.0), "; ".join(problems), "; ".join(hints))


def check_postscript(spec: Postscript, text: str) -> Verdict:
    lowered = text.lower()
    marker = spec.marker.strip()
    if marker == "P.P.S":
        pattern = r"\s*p\.\s?p\.\s?s.*$"
    elif marker == "P.S.":
        pattern = r"\s*p\.\s?s\..*$"
    else:
        pattern = r"\s*" + re.escape(marker.lower()) + r".*$"
    if re.search(pattern, lowered, re.MULTILINE):
        return passed(spec.family, f"postscript starting with {marker!r} found")
    loose = re.search(r"\bp\.?\s?p?\.?\s?s\b", lowered)
    if loose:
        return failed(
            spec.family,
            0.5,
            f"a postscript is there but does not start with {marker!r} "
            f"(found {quote(text[loose.start() : loose.end() + 10])})",
            f"start the postscript with exactly {marker!r}",
        )
    return failed(
        spec.family,
        0.0,
        f"no postscript starting with {marker!r}",
        f"add a final line starting with {marker!r}, e.g. '{marker} ...'",
    )


def check_separated(spec: SeparatedResponses, text: str) -> Verdict:
    parts = text.split(spec.marker)
    responses: list[str] = []
    for i, part in enumerate(parts):
        if part.strip():
            responses.append(part.strip())
        elif 0 < i < len(parts) - 1:
            return failed(
                spec.family,
                0.5,
                f"an empty response between two {spec.marker!r} markers",
                f"put exactly one {spec.marker!r} between the {spec.count} responses",
            )
    want = spec.count
    if len(responses) != want:
        score = max(0.0, 1.0 - abs(len(responses) - want) / want)
        if len(responses) < want:
            hint = (
                f"give {want} different responses separated by a line {spec.marker!r} "
                f"(found {len(responses)})"
            )
        else:
            hint = f"keep only {want} responses, separated by {spec.marker!r}"
        return failed(
            spec.family,
            score,
            f"{plural(len(responses), 'response')} separated by {spec.marker!r}; needs {want}",
            hint,
        )
    if len(set(responses)) != len(responses):
        return failed(
            spec.family,
            0.5,
            "the responses are identical",
            "make each response different from the others",
        )
    return passed(spec.family, f"{want} different responses separated by {spec.marker!r}")


def check_repeat(spec: RepeatRequest, text: str, prompt: str | None) -> Verdict:
    request = spec.request if spec.request is not None else prompt
    if request is None or not request.strip():
        return failed(
            spec.family,
            0.0,
            "the request to repeat is unknown (no request text and no prompt given)",
            "pass the prompt to the check, or give the request text in the spec",
        )
    want = request.strip().lower()
    have = text.strip().lower()
    if have.startswith(want):
        return passed(spec.family, "the answer starts with the request, word for word")
    same = 0
    for a, b in zip(want, have, strict=False):
        if a != b:
            break
        same += 1
    where = f"differs after {same} of {len(want)} characters"
    if same < len(have):
        where += f" (the answer has {quote(text.strip()[same : same + 30])})"
    return failed(
        spec.family,
        same / len(want),
        f"the answer does not start with the request word for word: it {where}",
        f"start the answer with the request exactly as given, {quote(request.strip(), 120)}, "
        "with nothing before it, then answer",
    )
