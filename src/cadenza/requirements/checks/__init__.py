"""Programmatic checks: one entry point, `run_check(spec, text)`, that dispatches over the
closed `CheckSpec` union and returns a `Verdict` (graded score, passed, reason, fix hint).

The mechanics follow Google's IFEval checker wherever IFEval defines them, so cadenza's
verdicts agree with the official scoring on that benchmark.
"""

from __future__ import annotations

from typing import assert_never

from cadenza.requirements.checks.case import (
    check_capital_words,
    check_forbidden_characters,
    check_lowercase,
    check_uppercase,
)
from cadenza.requirements.checks.counts import (
    check_characters,
    check_letter,
    check_lines,
    check_paragraphs,
    check_regex,
    check_sentences,
    check_words,
)
from cadenza.requirements.checks.format import (
    check_code_blocks,
    check_ends_with,
    check_quotes,
    check_starts_with,
    check_tables,
)
from cadenza.requirements.checks.json_checks import check_json_schema, check_valid_json
from cadenza.requirements.checks.keywords import (
    check_answer_option,
    check_forbidden_words,
    check_keyword_frequency,
    check_keywords,
)
from cadenza.requirements.checks.language import check_language
from cadenza.requirements.checks.structure import (
    check_bullets,
    check_first_word,
    check_highlights,
    check_numbered,
    check_placeholders,
    check_postscript,
    check_repeat,
    check_sections,
    check_separated,
    check_title,
)
from cadenza.requirements.spec import (
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
from cadenza.requirements.verdict import Verdict

__all__ = ["run_check", "run_checks"]


def run_check(spec: CheckSpec, text: str, *, prompt: str | None = None) -> Verdict:
    """The verdict of one check on `text`. `prompt` is the user's request, needed only
    by `RepeatRequest` when the spec does not carry the request text itself.

    As IFEval does, an empty (blank) answer fails every check."""
    if not text.strip():
        return Verdict(0.0, False, "the answer is empty", "write an answer", f"check:{spec.family}")
    match spec:
        case WordCount():
            return check_words(spec, text)
        case SentenceCount():
            return check_sentences(spec, text)
        case ParagraphCount():
            return check_paragraphs(spec, text)
        case LineCount():
            return check_lines(spec, text)
        case CharacterCount():
            return check_characters(spec, text)
        case BulletCount():
            return check_bullets(spec, text)
        case NumberedItemCount():
            return check_numbered(spec, text)
        case SectionCount():
            return check_sections(spec, text)
        case HighlightCount():
            return check_highlights(spec, text)
        case PlaceholderCount():
            return check_placeholders(spec, text)
        case MarkdownTableCount():
            return check_tables(spec, text)
        case CodeBlockCount():
            return check_code_blocks(spec, text)
        case KeywordFrequency():
            return check_keyword_frequency(spec, text)
        case LetterFrequency():
            return check_letter(spec, text)
        case CapitalWordCount():
            return check_capital_words(spec, text)
        case RegexCount():
            return check_regex(spec, text)
        case ParagraphFirstWord():
            return check_first_word(spec, text)
        case Title():
            return check_title(spec, text)
        case Postscript():
            return check_postscript(spec, text)
        case SeparatedResponses():
            return check_separated(spec, text)
        case RepeatRequest():
            return check_repeat(spec, text, prompt)
        case KeywordsPresent():
            return check_keywords(spec, text)
        case ForbiddenWords():
            return check_forbidden_words(spec, text)
        case AllLowercase():
            return check_lowercase(spec, text)
        case AllUppercase():
            return check_uppercase(spec, text)
        case ForbiddenCharacters():
            return check_forbidden_characters(spec, text)
        case StartsWith():
            return check_starts_with(spec, text)
        case EndsWith():
            return check_ends_with(spec, text)
        case WrappedInQuotes():
            return check_quotes(spec, text)
        case ValidJson():
            return check_valid_json(spec, text)
        case JsonSchema():
            return check_json_schema(spec, text)
        case ResponseLanguage():
            return check_language(spec, text)
        case AnswerOption():
            return check_answer_option(spec, text)
        case _:
            assert_never(spec)


def run_checks(
    specs: list[CheckSpec] | tuple[CheckSpec, ...], text: str, *, prompt: str | None = None
) -> list[Verdict]:
    """`run_check` for each spec, in order."""
    return [run_check(spec, text, prompt=prompt) for spec in specs]
