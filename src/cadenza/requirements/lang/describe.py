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

CHAR_NAMES = {
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
            name = CHAR_NAMES.get(unit.text)
            if name is not None:
                return name, name + ("es" if name.endswith(("sh", "s")) else "s")
            said = quote(unit.text)
            if not unit.whole_word and len(unit.text) == 1 and unit.text.isalpha():
                said = f"the letter {said}"  # counted inside words too
            return f"occurrence of {said}", f"occurrences of {said}"
        case Pattern():
            if unit.name is not None:
                name = " ".join(unit.name.split())
                return name, plural_phrase(name)
            return f"match of /{unit.regex}/", f"matches of /{unit.regex}/"
        case Split():
            return (
                f"part separated by {quote(unit.separator)}",
                f"parts separated by {quote(unit.separator)}",
            )
        case _:
            assert_never(unit)


def numbered(unit: Unit, n: int) -> str:
    """The name of the `n`th unit: ``sentence 3``, ``part 2``, ``title 1``,
    ``match 2 of /\\d+/``."""
    match unit:
        case Named():
            return f"{_NOUNS[unit.name][0]} {n}"
        case Text():
            name = CHAR_NAMES.get(unit.text)
            return f"{name} {n}" if name is not None else f"occurrence {n} of {quote(unit.text)}"
        case Pattern():
            if unit.name is not None:
                return f"{unit.name.split()[0]} {n}"
            return f"match {n} of /{unit.regex}/"
        case Split():
            return f"part {n}"
        case _:
            assert_never(unit)


def ordinal(n: int) -> str:
    """``first``, ``second`` ... ``tenth``, then ``11th``, ``21st`` ..."""
    words = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
    if 1 <= n <= len(words):
        return words[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural_phrase(phrase: str) -> str:
    """A noun phrase made plural by its first word: ``title in brackets`` ->
    ``titles in brackets``."""
    first, _, rest = phrase.partition(" ")
    if first.endswith(("s", "x", "z", "ch", "sh")):
        first += "es"
    elif first.endswith("y") and first[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        first = first[:-1] + "ies"
    else:
        first += "s"
    return f"{first} {rest}" if rest else first


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


def is_singular(bound: Bound) -> bool:
    """Whether a count of `bound` takes a singular noun ("at most 1 word")."""
    return bound.n == 1 and bound.relation in ("exactly", "at_most", "at_least")


def count_phrase(count: Count, bound: Bound) -> str:
    """``at most 100 words``, ``at least 2 sentences that end with '?'``, ``no emojis``."""
    singular, plural = unit_names(count.unit)
    name = singular if is_singular(bound) else plural
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


_POSITIONAL = ("first", "last", "nth")


def _select(sel: Select, negated: bool) -> str:
    """A selection as a clause: its subject ("every bullet point", "paragraph 2", "the
    first word of paragraph 2") and what holds of it."""
    singular, plural = unit_names(sel.unit)
    where = f" that {verb(sel.where)}" if sel.where is not None else ""
    check = sel.check
    match sel.mode:
        case "each":
            subject = f"not every {singular}{where}" if negated else f"every {singular}{where}"
            return _holds(subject, check, False, chain=not negated)
        case "any":
            if negated:
                return f"no {singular}{where} {verb(check)}"
            return _holds(f"at least one {singular}{where}", check, False, chain=True)
        case "none":
            if negated:
                return _holds(f"at least one {singular}{where}", check, False, chain=True)
            return f"no {singular}{where} {verb(check)}"
        case "first" | "last" | "nth":
            return _holds(_position(sel, top=True), check, negated, chain=True)
        case "outside":
            return _holds(f"the text outside {plural}", check, negated, chain=True)


def _holds(subject: str, check: Expr, negated: bool, *, chain: bool) -> str:
    """``<subject> <verb>``; a positional selection inside becomes part of the subject
    ("the first word of paragraph 2 is 'However'") when `chain` allows."""
    if chain and isinstance(check, Select) and check.mode in _POSITIONAL:
        return _holds(f"{_position(check)} of {subject}", check.check, negated, chain=True)
    return f"{subject} {verb(check, negated)}"


def _position(sel: Select, top: bool = False) -> str:
    """``the first word``, ``paragraph 2`` (top level), ``the second sentence``,
    ``paragraph 2 from the end``."""
    singular = unit_names(sel.unit)[0]
    if sel.mode in ("first", "last"):
        return f"the {sel.mode} {singular}"
    index = sel.index or 1
    if top:
        return (
            numbered(sel.unit, index) if index > 0 else f"{numbered(sel.unit, -index)} from the end"
        )
    if index == -1:
        return f"the last {singular}"
    which = ordinal(index) if index > 0 else f"{ordinal(-index)}-to-last"
    return f"the {which} {singular}"


def _has_selection(sel: Select, negated: bool) -> str:
    """What a selection says of the text it looks into, as the object of "has": "a
    first word that is 'The'", "only sentences that have at most 3 words"."""
    singular, plural = unit_names(sel.unit)
    check = sel.check
    where = f"{verb(sel.where)} and " if sel.where is not None else ""
    mode = sel.mode
    if mode == "none":
        mode, negated = ("any", False) if negated else ("none", False)
    match mode:
        case "first" | "last" | "nth":
            position = _position(sel).removeprefix("the ")
            return f"a {position} that {verb(check, negated)}"
        case "outside":
            return f"text outside {plural} that {verb(check, negated)}"
        case "each" if not negated:
            among = f" among those that {plural_verb(sel.where)}" if sel.where is not None else ""
            return f"only {plural} that {plural_verb(check)}{among}"
        case "each":
            return f"a {singular} that {where}{verb(check, True)}"
        case "any":
            return f"{'no' if negated else 'a'} {singular} that {where}{verb(check)}"
        case _:  # none
            return f"no {singular} that {where}{verb(check)}"


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
            flipped = expr.bound.complement() if negated else None
            if flipped is not None:  # "does not have no emojis" is "has at least 1 emoji"
                if flipped.relation == "more_than":
                    flipped = Bound("at_least", flipped.n + 1)
                what = count_phrase(expr.count, flipped)
                return f"have {what}" if base else f"has {what}"
            what = count_phrase(expr.count, expr.bound)
            return v(f"has {what}", f"have {what}", f"does not have {what}", f"not have {what}")
        case Ratio():
            num = _measure(expr.numerator)
            den = _measure(expr.denominator)
            what = f"a ratio of {num} to {den} of {relation(expr.bound)}"
            return v(f"has {what}", f"have {what}", f"does not have {what}", f"not have {what}")
        case Select():
            inner = _has_selection(expr, negated)
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
        case Matches() if expr.name is not None:
            n = expr.name
            return v(f"is {n}", f"be {n}", f"is not {n}", f"not be {n}")
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
            what = "the request" if expr.text is None else f"the request {quote(expr.text)}"
            return v(
                f"starts by repeating {what} word for word",
                f"start by repeating {what} word for word",
                f"does not start by repeating {what}",
                f"not start by repeating {what}",
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
        parts.append(f"with {relation(fmt.rows)} data row{'' if is_singular(fmt.rows) else 's'}")
    for name, kind in fmt.types:
        parts.append(f"{name} as {'whole numbers' if kind == 'integer' else kind}")
    return " ".join(parts[:1]) + (" " + ", ".join(parts[1:]) if len(parts) > 1 else "")


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:g}"
