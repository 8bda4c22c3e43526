"""Expressions read in plain English, for reports, prompts and fix hints.

`describe(expr)` is a clause about the answer ("every bullet has fewer than 12 words",
"no sentence starts with 'The'"); `verb(expr, negated, base)` the verb phrase a
predicate contributes ("starts with 'The'", base form "start with 'The'", negated
"does not start with 'The'"); `noun(unit, n)` a unit's name ("3 bullets").
"""

from __future__ import annotations

from typing import assert_never

from cadenza.requirements.lang.nodes import (
    AllOf,
    AnyOf,
    Bound,
    Case,
    CodeLanguage,
    Compare,
    Contains,
    Count,
    Distinct,
    EndsWith,
    Equals,
    Expr,
    Format,
    HeadingLevel,
    Language,
    Matches,
    Named,
    Not,
    Palindrome,
    Pattern,
    Ratio,
    RepeatsRequest,
    Select,
    Sorted,
    Split,
    StartsWith,
    Text,
    Unit,
)

_NOUNS: dict[str, tuple[str, str]] = {
    "character": ("character", "characters"),
    "letter": ("letter", "letters"),
    "word": ("word", "words"),
    "sentence": ("sentence", "sentences"),
    "line": ("line", "lines"),
    "paragraph": ("paragraph", "paragraphs"),
    "section": ("section", "sections"),
    "bullet": ("bullet point", "bullet points"),
    "numbered_item": ("numbered item", "numbered items"),
    "list_item": ("list item", "list items"),
    "heading": ("heading", "headings"),
    "emoji": ("emoji", "emojis"),
    "punctuation": ("punctuation mark", "punctuation marks"),
    "digit": ("digit", "digits"),
    "number": ("number", "numbers"),
    "capital_word": ("all-capital word", "all-capital words"),
    "capitalized_word": ("capitalized word", "capitalized words"),
    "code_block": ("code block", "code blocks"),
    "quote": ("quoted passage", "quoted passages"),
    "url": ("link", "links"),
    "email": ("email address", "email addresses"),
    "hashtag": ("hashtag", "hashtags"),
    "mention": ("@mention", "@mentions"),
    "placeholder": ("[placeholder]", "[placeholders]"),
    "bold": ("bold span", "bold spans"),
    "italic": ("italic span", "italic spans"),
    "highlight": ("*highlighted* span", "*highlighted* spans"),
    "table": ("table", "tables"),
    "table_row": ("table row", "table rows"),
}

_CHAR_NAMES = {
    ",": "comma",
    ";": "semicolon",
    ":": "colon",
    "!": "exclamation mark",
    "?": "question mark",
    ".": "full stop",
    "-": "hyphen",
    "—": "em dash",
    "–": "en dash",
    '"': "double quote",
    "'": "apostrophe",
    "&": "ampersand",
    "#": "hash sign",
    "*": "asterisk",
    "(": "parenthesis",
}


def noun(unit: Unit, n: float | None = None) -> str:
    """``3 words``, ``1 bullet point``, ``'Acme'`` occurrences ... (no number when n is
    None: the plural name)."""
    singular, plural = unit_names(unit)
    if n is None:
        return plural
    count = f"{n:g}" if isinstance(n, float) and n != int(n) else str(int(n))
    return f"{count} {singular if n == 1 else plural}"


def unit_names(unit: Unit) -> tuple[str, str]:
    match unit:
        case Named():
            return _NOUNS[unit.name]
        case Text():
            name = _CHAR_NAMES.get(unit.text)
            if name is not None:
                return name, name + "s"
            return f"occurrence of {quote(unit.text)}", f"occurrences of {quote(unit.text)}"
        case Pattern():
            return f"match of /{unit.regex}/", f"matches of /{unit.regex}/"
        case Split():
            return (
                f"part separated by {quote(unit.separator)}",
                f"parts separated by {quote(unit.separator)}",
            )
        case _:
            assert_never(unit)


def quote(text: str, limit: int = 60) -> str:
    """`text` in single quotes, shortened with an ellipsis past `limit` characters."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"'{text}'"


def relation(bound: Bound) -> str:
    """``at least 300``, ``fewer than 100``, ``between 3 and 5`` ..."""
    n, high = _num(bound.n), _num(bound.high) if bound.high is not None else ""
    match bound.relation:
        case "exactly":
            return f"exactly {n}"
        case "at_least":
            return f"at least {n}"
        case "at_most":
            return f"at most {n}"
        case "less_than":
            return f"fewer than {n}"
        case "more_than":
            return f"more than {n}"
        case "between":
            return f"between {n} and {high}"


def count_phrase(count: Count, bound: Bound) -> str:
    """``at most 100 words``, ``at least 2 sentences that end with '?'``, ``no emojis``."""
    singular, plural = unit_names(count.unit)
    name = (
        singular
        if bound.n == 1 and bound.relation in ("exactly", "at_most", "at_least")
        else plural
    )
    where = ""
    if count.where is not None:
        where = f" that {verb(count.where) if name == singular else plural_verb(count.where)}"
    if bound.relation == "exactly" and bound.n == 0:
        return f"no {plural}{where}"
    return f"{relation(bound)} {name}{where}"


def describe(expr: Expr) -> str:
    """The expression as a clause about the answer."""
    text = _clause(expr)
    return text[0].lower() + text[1:] if text else text


def _clause(expr: Expr) -> str:
    if isinstance(expr, Select):
        return _select(expr, negated=False)
    if isinstance(expr, AllOf):
        return "; ".join(_clause(e) for e in expr.items)
    if isinstance(expr, AnyOf):
        return "either " + " or ".join(_clause(e) for e in expr.items)
    if isinstance(expr, Not) and isinstance(expr.item, Select):
        return _select(expr.item, negated=True)
    return f"the answer {verb(expr)}"


def _select(sel: Select, negated: bool) -> str:
    singular, plural = unit_names(sel.unit)
    where = f" that {verb(sel.where)}" if sel.where is not None else ""
    check = sel.check
    match sel.mode:
        case "each":
            if negated:
                return f"not every {singular}{where} {verb(check)}"
            return f"every {singular}{where} {verb(check)}"
        case "any":
            if negated:
                return f"no {singular}{where} {verb(check)}"
            return f"at least one {singular}{where} {verb(check)}"
        case "none":
            if negated:
                return f"at least one {singular}{where} {verb(check)}"
            return f"no {singular}{where} {verb(check)}"
        case "first" | "last":
            return f"the {sel.mode} {singular} {verb(check, negated)}"
        case "nth":
            index = sel.index or 1
            which = f"{singular} {index}" if index > 0 else f"{singular} {-index} from the end"
            return f"{which} {verb(check, negated)}"
        case "outside":
            return f"the text outside {plural} {verb(check, negated)}"


def plural_verb(expr: Expr) -> str:
    """The verb phrase for a plural subject ("headings that are level-2 headings")."""
    phrase = verb(expr, base=True)
    if phrase.startswith("be "):
        return "are " + phrase[3:]
    if phrase.startswith("not be "):
        return "are not " + phrase[7:]
    if phrase.startswith("not "):
        return "do not " + phrase[4:]
    return phrase


def verb(expr: Expr, negated: bool = False, base: bool = False) -> str:
    """The verb phrase `expr` asserts of a text (3rd person; `base` for the infinitive)."""

    def v(third: str, infinitive: str, neg_third: str, neg_base: str) -> str:
        if negated:
            return neg_base if base else neg_third
        return infinitive if base else third

    match expr:
        case Compare():
            what = count_phrase(expr.count, expr.bound)
            return v(f"has {what}", f"have {what}", f"does not have {what}", f"not have {what}")
        case Ratio():
            num = _measure(expr.numerator)
            den = _measure(expr.denominator)
            what = f"{num} per {den} {relation(expr.bound)}"
            return v(f"has {what}", f"have {what}", f"does not have {what}", f"not have {what}")
        case Select():
            inner = _select(expr, negated)
            return v(f"has {inner}", f"have {inner}", f"has {inner}", f"have {inner}")
        case StartsWith():
            t = quote(expr.text)
            return v(
                f"starts with {t}",
                f"start with {t}",
                f"does not start with {t}",
                f"not start with {t}",
            )
        case EndsWith():
            t = quote(expr.text)
            return v(
                f"ends with {t}", f"end with {t}", f"does not end with {t}", f"not end with {t}"
            )
        case Contains():
            t = quote(expr.text)
            return v(f"contains {t}", f"contain {t}", f"does not contain {t}", f"not contain {t}")
        case Equals():
            t = quote(expr.text)
            return v(f"is {t}", f"be {t}", f"is not {t}", f"not be {t}")
        case Matches():
            t = f"/{expr.regex}/"
            return v(f"matches {t}", f"match {t}", f"does not match {t}", f"not match {t}")
        case Case():
            what = {
                "lower": "all lowercase",
                "upper": "all capitals",
                "title": "in title case",
                "sentence": "in sentence case",
            }[expr.kind]
            return v(f"is {what}", f"be {what}", f"is not {what}", f"not be {what}")
        case Language():
            what = f"written in language {expr.code!r}"
            return v(f"is {what}", f"be {what}", f"is not {what}", f"not be {what}")
        case Format():
            what = _format(expr)
            return v(f"is {what}", f"be {what}", f"is not {what}", f"not be {what}")
        case Sorted():
            what = f"{noun(expr.unit)} in {'reverse ' if expr.descending else ''}alphabetical order"
            return v(f"has {what}", f"have {what}", f"does not have {what}", f"not have {what}")
        case Distinct():
            key = {"text": "", "first_word": " first word", "last_word": " last word"}[expr.by]
            singular, plural = unit_names(expr.unit)
            what = (
                f"no {singular} repeated right after itself"
                if expr.adjacent
                else f"no two {plural} with the same{key or ' text'}"
            )
            return v(
                f"has {what}", f"have {what}", f"has repeated {plural}", f"have repeated {plural}"
            )
        case Palindrome():
            return v(
                "is a palindrome", "be a palindrome", "is not a palindrome", "not be a palindrome"
            )
        case HeadingLevel():
            what = f"a level-{expr.level} heading ({'#' * expr.level})"
            return v(f"is {what}", f"be {what}", f"is not {what}", f"not be {what}")
        case CodeLanguage():
            what = f"tagged {expr.language!r}"
            return v(f"is {what}", f"be {what}", f"is not {what}", f"not be {what}")
        case RepeatsRequest():
            return v(
                "starts by repeating the request word for word",
                "start by repeating the request word for word",
                "does not start by repeating the request",
                "not start by repeating the request",
            )
        case AllOf():
            parts = [verb(e, negated, base) for e in expr.items]
            return (" or " if negated else " and ").join(parts)
        case AnyOf():
            parts = [verb(e, negated, base) for e in expr.items]
            return (" and " if negated else " or ").join(parts)
        case Not():
            return verb(expr.item, not negated, base)
        case _:
            assert_never(expr)


def _measure(count: Count) -> str:
    where = f" that {plural_verb(count.where)}" if count.where is not None else ""
    return f"{unit_names(count.unit)[1]}{where}"


def _format(fmt: Format) -> str:
    names = {
        "json": "valid JSON",
        "yaml": "valid YAML",
        "csv": "CSV",
        "markdown_table": "a markdown table",
    }
    parts = [names[fmt.kind]]
    if fmt.schema is not None:
        parts.append("matching the given JSON schema")
    if isinstance(fmt.columns, int):
        parts.append(f"with {fmt.columns} column{'s' if fmt.columns != 1 else ''}")
    elif fmt.columns:
        parts.append("with columns " + ", ".join(fmt.columns))
    if fmt.header is True:
        parts.append("with a header row")
    elif fmt.header is False:
        parts.append("without a header row")
    if fmt.rows is not None:
        parts.append(f"with {relation(fmt.rows)} data rows")
    for name, kind in fmt.types:
        parts.append(f"{name} as {'whole numbers' if kind == 'integer' else kind}")
    return " ".join(parts[:1]) + (" " + ", ".join(parts[1:]) if len(parts) > 1 else "")


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:g}"
