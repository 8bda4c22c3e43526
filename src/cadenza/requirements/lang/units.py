"""Units of a text: where each word, sentence, bullet, heading, emoji ... sits.

`find(unit, text)` returns the unit's occurrences in `text` as `Span`s (their own text,
offsets into `text`, and what a heading's level or a code block's language is), in
text order. Results are cached per (unit, text): the same candidate is measured many
times while a tree is searched.

Definitions (documented because verdicts depend on them):
- word: letters or digits, joined by inner apostrophes and hyphens ("don't",
  "check-up" are one word);
- sentence: NLTK punkt (English) over the text, as IFEval counts them;
- line: a non-blank line; paragraph: a block between blank lines;
- section: a markdown heading and what follows it up to the next heading;
- bullet: a line starting with ``-``, ``*``, ``+`` or ``•`` then a space; numbered item:
  ``1.`` or ``1)`` then a space; the unit's text is what follows the marker;
- emoji: a grapheme cluster shown as an emoji (skin tones, flags and ZWJ families
  count once);
- capital_word: a word token written entirely in capitals (NLTK tokens, as IFEval
  counts them); capitalized_word: a word starting with a capital letter;
- highlight: ``*span*`` or ``**span**`` as IFEval counts them; bold / italic: markdown
  emphasis; placeholder: ``[anything]``;
- table: a markdown table (header row, ``|---|`` rule, body rows); table_row: a body row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import assert_never

import regex

from cadenza.requirements.lang import text as tx
from cadenza.requirements.lang.nodes import Named, Pattern, Split, Text, Unit


@dataclass(frozen=True, slots=True)
class Span:
    """One occurrence of a unit: its text and where it sits in the parent text."""

    text: str
    start: int
    end: int
    level: int | None = None  # a heading's level
    language: str | None = None  # a code block's language tag


WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_TOKEN = re.compile(r"\S+")
_EDGE = "\"'“”‘’`()[]{}<>*_,.;:!?¡¿«»…—–-/\\|#~"
BULLET_MARK = "[-*+•]"
"""What opens a bullet: the one definition the units, the grammar's line patterns, the
prompt segmenter and the screens share."""
_BULLET = re.compile(rf"^[ \t]*(?:{BULLET_MARK})[ \t]+(\S.*?)[ \t]*$", re.M)
_NUMBERED = re.compile(r"^[ \t]*\d+[.)][ \t]+(\S.*?)[ \t]*$", re.M)
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*$", re.M)
_QUOTE = re.compile(r"\"[^\"\n]+\"|“[^”]+”|‘[^’]+’|«[^»]+»|(?<!\w)'[^'\n]+'(?!\w)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'`]+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HASHTAG = re.compile(r"(?<![\w#&])#(?=\w*[^\W\d_])\w+")
_MENTION = re.compile(r"(?<![\w@])@\w+")
_PLACEHOLDER = re.compile(r"\[.*?\]")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(
    r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])|(?<![_\w])_(?=\S)([^_\n]+?)(?<=\S)_(?![_\w])"
)
_HIGHLIGHT = re.compile(r"\*[^\n\*]*\*")
_DOUBLE_HIGHLIGHT = re.compile(r"\*\*[^\n\*]*\*\*")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])|(?<![\w.])\d+(?:[.,]\d+)*(?=[a-zA-Z%])")
_DIGIT = re.compile(r"\d")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$")
_EMOJI = regex.compile(
    r"\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\u20E3|\p{Regional_Indicator}"
)
_PICTO = regex.compile(r"\p{Extended_Pictographic}")
_CLUSTER = regex.compile(r"\X")
_URL_TAIL = ".,;:!?)]}'\"*_"


def find(unit: Unit, text: str) -> tuple[Span, ...]:
    """The occurrences of `unit` in `text`, in order."""
    return _find(unit, text)


@lru_cache(maxsize=2048)
def _find(unit: Unit, text: str) -> tuple[Span, ...]:
    match unit:
        case Named():
            return tuple(_named(unit, text))
        case Text():
            return tuple(_literal(unit, text))
        case Pattern():
            flags = re.M | (re.I if unit.ignore_case else 0)
            return tuple(
                Span(m.group(0), m.start(), m.end())
                for m in re.finditer(unit.regex, text, flags)
                if m.end() > m.start()
            )
        case Split():
            return tuple(split_parts(text, unit.separator))
        case _:
            assert_never(unit)


@lru_cache(maxsize=512)
def near_misses(unit: Pattern, text: str) -> tuple[Span, ...]:
    """Matches of the pattern's `near` regex that overlap no real match: forms close
    to what the pattern wants ("<Title>" for "<<Title>>"). Empty without `near`."""
    if unit.near is None:
        return ()
    real = _find(unit, text)
    flags = re.M | (re.I if unit.ignore_case else 0)
    return tuple(
        Span(m.group(0), m.start(), m.end())
        for m in re.finditer(unit.near, text, flags)
        if m.end() > m.start() and not any(r.start < m.end() and m.start() < r.end for r in real)
    )


def fixed(unit: Pattern, near: Span, text: str) -> str:
    """The near miss at `near` rewritten by the pattern's `fix` template ("" without one)."""
    if unit.fix is None or unit.near is None:
        return ""
    flags = re.M | (re.I if unit.ignore_case else 0)
    m = re.compile(unit.near, flags).match(text, near.start)
    return m.expand(unit.fix) if m is not None else ""


def count_fast(unit: Unit, text: str) -> int:
    """How many `unit`s `text` has (characters and letters without building spans)."""
    if isinstance(unit, Named):
        if unit.name == "character":
            return len(text.strip())
        if unit.name == "letter":
            return sum(1 for c in text if c.isalpha())
    return len(find(unit, text))


def _named(unit: Named, text: str) -> list[Span]:
    name = unit.name
    match name:
        case "character":
            body = text.strip()
            offset = len(text) - len(text.lstrip())
            return [Span(c, offset + i, offset + i + 1) for i, c in enumerate(body)]
        case "letter":
            return [Span(c, i, i + 1) for i, c in enumerate(text) if c.isalpha()]
        case "word":
            return words(text)
        case "sentence":
            return sentences(text)
        case "line":
            return lines(text)
        case "paragraph":
            return paragraphs(text)
        case "section":
            return _sections(text)
        case "bullet":
            return _matches(_BULLET, text, group=1)
        case "numbered_item":
            return _matches(_NUMBERED, text, group=1)
        case "list_item":
            items = _matches(_BULLET, text, group=1) + _matches(_NUMBERED, text, group=1)
            return sorted(items, key=lambda s: s.start)
        case "heading":
            return [
                Span(m.group(2).strip(), m.start(), m.end(), level=len(m.group(1)))
                for m in _HEADING.finditer(text)
                if not _inside_code(text, m.start())
            ]
        case "emoji":
            return _emojis(text)
        case "punctuation":
            return [
                Span(c, i, i + 1) for i, c in enumerate(text) if unicodedata.category(c)[0] == "P"
            ]
        case "digit":
            return _matches(_DIGIT, text)
        case "number":
            return _matches(_NUMBER, text)
        case "capital_word":
            return _capital_words(text)
        case "capitalized_word":
            return [s for s in _matches(WORD, text) if s.text[:1].isupper()]
        case "code_block":
            return code_blocks(text)
        case "quote":
            return [Span(m.group(0)[1:-1], m.start(), m.end()) for m in _QUOTE.finditer(text)]
        case "url":
            return _urls(text)
        case "email":
            return _matches(_EMAIL, text)
        case "hashtag":
            return _matches(_HASHTAG, text)
        case "mention":
            return [s for s in _matches(_MENTION, text) if not _EMAIL.search(_around(text, s))]
        case "placeholder":
            return _matches(_PLACEHOLDER, text)
        case "bold":
            return [
                Span(m.group(1) or m.group(2) or "", m.start(), m.end())
                for m in _BOLD.finditer(text)
            ]
        case "italic":
            return [
                Span(m.group(1) or m.group(2) or "", m.start(), m.end())
                for m in _ITALIC.finditer(text)
                if not _in_url(text, m.start())
            ]
        case "highlight":
            return _highlights(text)
        case "table":
            return [t.span for t in tables(text)]
        case "table_row":
            return [row for t in tables(text) for row in t.rows]
        case _:
            assert_never(name)


# --------------------------------------------------------------------------- text units


def sentences(text: str) -> list[Span]:
    """Sentences as NLTK punkt (English) splits the text (as IFEval counts them)."""
    out: list[Span] = []
    for start, end in tx.sentence_spans(text):
        piece = text[start:end].strip()
        if piece:
            out.append(Span(piece, start, end))
    return out


def words(text: str) -> list[Span]:
    """Words as a word processor counts them: runs of non-space characters with a letter
    or a digit ("don't", "check-up", "9:30" are one word each), edge punctuation cut."""
    out: list[Span] = []
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        core = token.strip(_EDGE)
        if not core or not any(c.isalnum() for c in core):
            continue
        start = m.start() + token.index(core)
        out.append(Span(core, start, start + len(core)))
    return out


def lines(text: str) -> list[Span]:
    """Non-blank lines, stripped."""
    out: list[Span] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Span(stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(raw) + 1
    return out


def paragraphs(text: str) -> list[Span]:
    """Blocks of text between blank lines, stripped."""
    out: list[Span] = []
    pos = 0
    for part in re.split(r"(\n[ \t]*\n\s*)", text):
        if part and not re.fullmatch(r"\n[ \t]*\n\s*", part):
            stripped = part.strip()
            if stripped:
                lead = len(part) - len(part.lstrip())
                out.append(Span(stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(part)
    return out


def split_parts(text: str, separator: str) -> list[Span]:
    """Parts between separators: blank parts at either end dropped, blank parts in the
    middle kept (empty), each stripped."""
    raw: list[Span] = []
    pos = 0
    for part in text.split(separator):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        raw.append(Span(stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(part) + len(separator)
    while raw and not raw[0].text:
        raw.pop(0)
    while raw and not raw[-1].text:
        raw.pop()
    return raw


# A line that is only emphasised words ("*Executive Summary*", "**Costs:**"), with text
# after it: the title of a section where the answer uses no markdown headings.
_TITLE_LINE = re.compile(
    r"^[ \t]*(\*\*|__|\*|_)(?=\S)([^*_\n]{1,80}?)(?<=\S)\1:?[ \t]*$(?=\n+\s*\S)", re.M
)


def _sections(text: str) -> list[Span]:
    """Sections under markdown headings; where there are none, under emphasised title
    lines."""
    heads = _named(Named("heading"), text) or [
        Span(m.group(2), m.start(), m.end()) for m in _TITLE_LINE.finditer(text)
    ]
    out: list[Span] = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else len(text)
        body = text[head.start : end].rstrip()
        out.append(Span(body, head.start, head.start + len(body), level=head.level))
    return out


def code_blocks(text: str) -> list[Span]:
    """Fenced code blocks (an unclosed fence runs to the end); text is the code."""
    out: list[Span] = []
    opened: re.Match[str] | None = None
    for m in _FENCE.finditer(text):
        if opened is None:
            opened = m
        elif (
            m.group(1)[0] == opened.group(1)[0]
            and len(m.group(1)) >= len(opened.group(1))
            and not m.group(2)
        ):
            body = text[opened.end() + 1 : m.start()].rstrip("\n")
            lang = opened.group(2).lower() or None
            out.append(Span(body, opened.start(), m.end(), language=lang))
            opened = None
    if opened is not None:
        body = text[opened.end() + 1 :].rstrip()
        out.append(Span(body, opened.start(), len(text), language=opened.group(2).lower() or None))
    return out


def _inside_code(text: str, pos: int) -> bool:
    return any(b.start <= pos < b.end for b in code_blocks(text)) if "```" in text else False


@dataclass(frozen=True, slots=True)
class Table:
    """A markdown table: the whole block, the header cells and the body rows."""

    span: Span
    header: tuple[str, ...]
    rows: tuple[Span, ...]
    cells: tuple[tuple[str, ...], ...]


def table_cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    body = body.removeprefix("|").removesuffix("|")
    return tuple(c.strip() for c in re.split(r"(?<!\\)\|", body))


def tables(text: str) -> list[Table]:
    """Markdown tables: a row with ``|``, then a rule row, then body rows."""
    spans = lines(text)
    out: list[Table] = []
    i = 0
    while i + 1 < len(spans):
        head, rule = spans[i], spans[i + 1]
        if "|" in head.text and _TABLE_RULE.match(rule.text) and "-" in rule.text:
            rows: list[Span] = []
            j = i + 2
            while (
                j < len(spans) and "|" in spans[j].text and _adjacent(text, spans[j - 1], spans[j])
            ):
                rows.append(spans[j])
                j += 1
            last = rows[-1] if rows else rule
            block = Span(text[head.start : last.end], head.start, last.end)
            out.append(
                Table(
                    block,
                    table_cells(head.text),
                    tuple(rows),
                    tuple(table_cells(r.text) for r in rows),
                )
            )
            i = j
        else:
            i += 1
    return out


def _adjacent(text: str, a: Span, b: Span) -> bool:
    return "\n\n" not in text[a.end : b.start].replace(" ", "").replace("\t", "")


# --------------------------------------------------------------------------- symbols


def _emojis(text: str) -> list[Span]:
    out: list[Span] = []
    for m in _CLUSTER.finditer(text):
        cluster = m.group(0)
        if _EMOJI.search(cluster) or any(ord(c) >= 0x2600 and _PICTO.match(c) for c in cluster):
            out.append(Span(cluster, m.start(), m.end()))
    return out


def _capital_words(text: str) -> list[Span]:
    out: list[Span] = []
    pos = 0
    for token in tx.nltk_words(text):
        at = text.find(token, pos)
        start = at if at >= 0 else pos
        if at >= 0:
            pos = at + len(token)
        if token.isupper():
            out.append(Span(token, start, start + len(token)))
    return out


def _urls(text: str) -> list[Span]:
    out: list[Span] = []
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(_URL_TAIL)
        if url:
            out.append(Span(url, m.start(), m.start() + len(url)))
    return out


def _in_url(text: str, pos: int) -> bool:
    return any(u.start <= pos < u.end for u in _urls(text)) if "://" in text else False


def _highlights(text: str) -> list[Span]:
    spans = [
        Span(m.group(0), m.start(), m.end())
        for m in _HIGHLIGHT.finditer(text)
        if m.group(0).strip("*").strip()
    ]
    spans += [
        Span(m.group(0), m.start(), m.end())
        for m in _DOUBLE_HIGHLIGHT.finditer(text)
        if m.group(0).removeprefix("**").removesuffix("**").strip()
    ]
    return sorted(spans, key=lambda s: s.start)


def _literal(unit: Text, text: str) -> list[Span]:
    body = re.escape(unit.text)
    if unit.whole_word:
        if re.match(r"\w", unit.text):
            body = r"(?<!\w)" + body
        if re.search(r"[^\W\d_]{3}$", unit.text):  # a word: its plural or possessive too
            body += r"(?:e?s|['’]s)?(?!\w)"
        elif re.search(r"\w$", unit.text):
            body += r"(?!\w)"
    flags = 0 if unit.case_sensitive else re.I
    return [Span(m.group(0), m.start(), m.end()) for m in re.finditer(body, text, flags)]


def _matches(pattern: re.Pattern[str], text: str, group: int = 0) -> list[Span]:
    """Each match as a span over the whole match whose text is `group`."""
    return [Span(m.group(group), m.start(), m.end()) for m in pattern.finditer(text)]


def _around(text: str, span: Span) -> str:
    start = span.start
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start : span.end]


def find_words(text: str) -> tuple[Span, ...]:
    """The words of `text` (see the module docstring)."""
    return find(Named("word"), text)
