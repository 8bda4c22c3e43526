"""One line of plain English per check spec, for reports and prompts:
``WordCount("at_least", 300)`` -> "at least 300 words"."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import assert_never

from cadenza.requirements.checks.grade import relation_phrase
from cadenza.requirements.spec import (
    SPEC_TYPES,
    AllLowercase,
    AllUppercase,
    AnswerOption,
    BulletCount,
    CapitalWordCount,
    CharacterCount,
    CheckSpec,
    CodeBlockCount,
    EndsWith,
    ForbiddenCharacters,
    ForbiddenWords,
    HighlightCount,
    JsonSchema,
    KeywordFrequency,
    KeywordsPresent,
    LetterFrequency,
    LineCount,
    MarkdownTableCount,
    NumberedItemCount,
    ParagraphCount,
    ParagraphFirstWord,
    PlaceholderCount,
    Postscript,
    RegexCount,
    RepeatRequest,
    ResponseLanguage,
    SectionCount,
    SentenceCount,
    SeparatedResponses,
    StartsWith,
    Title,
    ValidJson,
    WordCount,
    WrappedInQuotes,
)


def describe(spec: CheckSpec) -> str:
    """What the spec requires, in a short phrase."""
    match spec:
        case WordCount():
            return f"{_rel(spec)} words"
        case SentenceCount():
            return f"{_rel(spec)} sentences"
        case ParagraphCount():
            how = f" separated by {spec.marker!r}" if spec.marker else ""
            return f"{_rel(spec)} paragraphs{how}"
        case LineCount():
            return f"{_rel(spec)} non-blank lines"
        case CharacterCount():
            return f"{_rel(spec)} characters" + ("" if spec.include_spaces else " (no spaces)")
        case BulletCount():
            return f"{_rel(spec)} bullet items"
        case NumberedItemCount():
            return f"{_rel(spec)} numbered items"
        case SectionCount():
            return f"{_rel(spec)} sections marked '{spec.marker} N'"
        case HighlightCount():
            return f"{_rel(spec)} *highlighted* spans"
        case PlaceholderCount():
            return f"{_rel(spec)} [placeholders]"
        case MarkdownTableCount():
            return f"{_rel(spec)} markdown tables"
        case CodeBlockCount():
            lang = f"{spec.language} " if spec.language else ""
            return f"{_rel(spec)} {lang}code blocks"
        case KeywordFrequency():
            return f"{spec.keyword!r} {_rel(spec)} times"
        case LetterFrequency():
            return f"the letter {spec.letter!r} {_rel(spec)} times"
        case CapitalWordCount():
            return f"{_rel(spec)} words in ALL CAPITALS"
        case RegexCount():
            return f"{_rel(spec)} matches of /{spec.pattern}/"
        case ParagraphFirstWord():
            total = f"exactly {spec.paragraphs} paragraphs; " if spec.paragraphs else ""
            return f"{total}paragraph {spec.nth} starts with {spec.word!r}"
        case Title():
            return "a title in double angular brackets, <<like this>>"
        case Postscript():
            return f"a postscript starting with {spec.marker!r}"
        case SeparatedResponses():
            return f"{spec.count} different responses separated by {spec.marker!r}"
        case RepeatRequest():
            said = f" ({_short(spec.request)!r})" if spec.request else ""
            return f"first repeat the request word for word{said}, then answer"
        case KeywordsPresent():
            return "include " + ", ".join(repr(k) for k in spec.keywords)
        case ForbiddenWords():
            return "do not use " + ", ".join(repr(w) for w in spec.words)
        case AllLowercase():
            return "all lowercase letters"
        case AllUppercase():
            return "all capital letters"
        case ForbiddenCharacters():
            return "no " + " ".join(repr(c) for c in spec.characters) + " characters"
        case StartsWith():
            return f"start with {spec.phrase!r}"
        case EndsWith():
            return f"end with {spec.phrase!r}, nothing after it"
        case WrappedInQuotes():
            return f"the whole answer wrapped in {spec.quote}"
        case ValidJson():
            return "the whole answer is valid JSON"
        case JsonSchema():
            return "the whole answer is JSON matching the given schema"
        case ResponseLanguage():
            return f"written in language {spec.language!r}"
        case AnswerOption():
            return "answer with one of " + " / ".join(repr(o) for o in spec.options)
        case _:
            assert_never(spec)


def catalogue() -> str:
    """One line per family: its name, parameters and what it checks; for prompts that
    ask a model to map a requirement onto this vocabulary."""
    lines = []
    for cls in SPEC_TYPES:
        params = []
        for f in fields(cls):
            optional = f.default is not MISSING and f.default != ""
            params.append(f"{f.name}?" if optional else f.name)
        doc = " ".join((cls.__doc__ or "").split())
        lines.append(f"- {cls.family}({', '.join(params)}): {doc}")
    return "\n".join(lines)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rel(
    spec: WordCount
    | SentenceCount
    | ParagraphCount
    | LineCount
    | CharacterCount
    | BulletCount
    | NumberedItemCount
    | SectionCount
    | HighlightCount
    | PlaceholderCount
    | MarkdownTableCount
    | CodeBlockCount
    | KeywordFrequency
    | LetterFrequency
    | CapitalWordCount
    | RegexCount,
) -> str:
    return relation_phrase(spec.relation, spec.n, spec.n_max)
