"""The controlled language a model restates requirements in, and its llama.cpp grammar.

The language is what `describe` writes and the grammar reader reads back: one
expression of each shape (a scope: the answer, every / no / the first / the last / the
nth unit; a check: a count under each relation, none, occurrences of a quoted text,
starts with, ends with, contains, is, their negations, a case; and the checks of the
whole answer: formats, tables, order, repetition, the language it is written in, by a
language's English name) is described in English with
stand-in values, the description is opened at its unit names, numbers and quoted
text, and the form is kept only when the reader parses the description back to the
same expression. Unit names are describe's own,
kept where the reader's lexicon reads them as that unit. Nothing here is a sentence
list: a new shape of the language or a new unit name comes in by itself once describe
writes it and the reader reads it.

`language()` holds the forms factored (a clause is a subject and a check, or a check of
the whole answer); `gbnf()` is the grammar a local model samples under: one to
`MAX_CLAUSES` clauses joined by "; ", or the single word `JUDGE`. `Form.text` fills a
form (tests sample the language with it); `catalogue()` lists the forms for the
model's instructions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import get_args

from cadenza.requirements import grammar
from cadenza.requirements.grammar.languages import LANGUAGES
from cadenza.requirements.grammar.lexicon import count_of, normalise
from cadenza.requirements.lang.describe import (
    CHAR_NAMES,
    describe,
    plural_verb,
    unit_names,
    verb,
)
from cadenza.requirements.lang.nodes import (
    UNIT_NAMES,
    Bound,
    Case,
    CaseKind,
    Compare,
    Contains,
    Count,
    Distinct,
    DistinctKey,
    EndsWith,
    Equals,
    Expr,
    Format,
    FormatKind,
    Named,
    Not,
    Relation,
    Select,
    Sorted,
    StartsWith,
    Text,
    Unit,
)
from cadenza.requirements.lang.nodes import (
    Language as Written,
)

JUDGE = "judge"
"""The one word a model writes for a requirement only a judge can decide."""
MAX_CLAUSES = 3
QUOTE_CHARS = 40
"""The longest quoted text a restatement may carry."""

# Slots of a form: where a unit name, a number or a quoted text goes.
ONE = "unit"  # a unit's singular name ("every <unit> ...")
MANY = "units"  # its plural name ("no two <units> ...")
ANY = "counted"  # either, what is counted ("at most <n> <counted>": "1 word", "3 words")
WHERE = "where"  # what a counted unit must be ("... words that <where>": "start with 'X'")
NUMBER = "n"
QUOTED = "q"
TONGUE = "language"  # a language's English name ("the answer is written in <language>")

# The stand-in values a form is described with, and the slot each opens into.
_SCOPE = Named("paragraph")
_COUNTED = Named("emoji")
_N, _HIGH = 7919, 7927
_QUOTE = "qqq"
_STAND_INS: dict[str, str] = {
    "paragraphs": MANY,
    "paragraph": ONE,
    "emojis": ANY,
    "emoji": ANY,
    str(_N): NUMBER,
    str(_HIGH): NUMBER,
    f"'{_QUOTE}'": QUOTED,
}
_OPEN = re.compile("(" + "|".join(re.escape(k) for k in _STAND_INS) + r")(?![\w'])")


@dataclass(frozen=True, slots=True)
class Form:
    """One sentence form: literal text and slots, in order."""

    parts: tuple[tuple[str, bool], ...]  # (text, is_slot)

    def text(self, fill: Callable[[str], str]) -> str:
        """The form with each slot filled by `fill(slot)`."""
        return "".join(fill(t) if slot else t for t, slot in self.parts)

    def gbnf(self) -> str:
        return " ".join(t if slot else _literal(t) for t, slot in self.parts)


def _opened(sentence: str) -> Form:
    parts: list[tuple[str, bool]] = []
    for i, piece in enumerate(_OPEN.split(sentence)):
        if i % 2:
            parts.append((_STAND_INS[piece], True))
        elif piece:
            parts.append((piece, False))
    return Form(tuple(parts))


def _bounds() -> Iterator[Bound]:
    for relation in get_args(Relation):
        rel: Relation = relation
        yield Bound(rel, _N, _HIGH) if rel == "between" else Bound(rel, _N)


def _checks() -> Iterator[Expr]:
    """One check of each shape a scope can hold."""
    for bound in _bounds():
        yield Compare(Count(_COUNTED), bound)
        yield Compare(Count(Text(_QUOTE)), bound)
    yield Compare(Count(_COUNTED), Bound("exactly", 0))
    for literal in (StartsWith(_QUOTE), EndsWith(_QUOTE), Contains(_QUOTE), Equals(_QUOTE)):
        yield literal
        yield Not(literal)
    for kind in get_args(CaseKind):
        case: CaseKind = kind
        yield Case(case)


_PROBE = StartsWith(_QUOTE)


def _scopes(check: Expr) -> Iterator[Expr]:
    """`check` said of the answer, and of every / no / the first / the last / the nth
    unit."""
    yield check
    for mode in ("each", "none", "first", "last"):
        yield Select(mode, _SCOPE, check)
    yield Select("nth", _SCOPE, check, index=_N)


def _wholes() -> Iterator[Expr]:
    """Checks only the whole answer takes."""
    yield Format("json")
    yield Format("yaml")
    yield Format("csv")
    tabular: tuple[FormatKind, ...] = ("csv", "markdown_table")
    for kind in tabular:
        for header in (None, True, False):
            yield Format(kind, columns=_N, header=header)
    yield Format("markdown_table", columns=_N, rows=Bound("exactly", _HIGH))
    yield Sorted(_SCOPE)
    yield Sorted(_SCOPE, descending=True)
    for key in get_args(DistinctKey):
        by: DistinctKey = key
        yield Distinct(_SCOPE, by)
    yield Distinct(_SCOPE, adjacent=True)


def _reads_back(expr: Expr) -> bool:
    return grammar.parse(describe(expr)) == expr


@dataclass(frozen=True, slots=True)
class Language:
    """The forms, factored: a clause is a subject and a check ("every <unit>" + "has
    at most <n> <unit-any>"), or a check of the whole answer."""

    subjects: tuple[Form, ...]
    checks: tuple[Form, ...]
    wholes: tuple[Form, ...]
    wheres: tuple[Form, ...]  # after a counted unit: " that " and one of these


@cache
def language() -> Language:
    """The language: a subject is kept when its sentences read back, a check when it
    reads back under every kept subject, a whole-answer check when it reads back."""
    scopes = [scope for scope in _scopes(_PROBE) if _reads_back(scope)]
    subjects = [_opened(describe(scope).removesuffix(" " + verb(_PROBE))) for scope in scopes]
    kept = [_PROBE] + [
        check
        for check in _checks()
        if check != _PROBE and all(_reads_back(e) for e in _scopes(check))
    ]
    checks = [_opened(verb(check)) for check in kept]
    wholes = [_opened(describe(expr)) for expr in _wholes() if _reads_back(expr)]
    if language_names():
        said = describe(Written("en")).split(" language ")[0]  # "the answer is written in"
        wholes.append(Form(((f"{said} ", False), (TONGUE, True))))
    wheres: list[Form] = []
    for where in (StartsWith(_QUOTE), EndsWith(_QUOTE), Contains(_QUOTE)):
        counts = [Compare(Count(_COUNTED, where), b) for b in (Bound("exactly", 1), *_bounds())]
        if all(_reads_back(e) for count in counts for e in _scopes(count)):
            wheres += [_opened(plural_verb(where)), _opened(verb(where))]
    return Language(tuple(subjects), tuple(checks), tuple(wholes), tuple(wheres))


def forms() -> tuple[Form, ...]:
    """Every form of the language, unfactored: each subject with each check, then the
    whole-answer checks."""
    lang = language()
    space = ((" ", False),)
    pairs = [Form(s.parts + space + c.parts) for s in lang.subjects for c in lang.checks]
    return tuple(pairs) + lang.wholes


@cache
def unit_words() -> Mapping[str, tuple[str, ...]]:
    """The unit names of each slot: describe's names the reader's lexicon reads as the
    same unit (`ONE`: a named unit's singular, `MANY`: its plural, `ANY`: either, or a
    punctuation mark's, which is counted but never selected)."""
    one: list[str] = []
    many: list[str] = []
    marks: list[str] = []
    for unit in [Named(n) for n in UNIT_NAMES]:
        singular, plural = unit_names(unit)
        one += [singular] if _reads_as(singular, unit) else []
        many += [plural] if _reads_as(plural, unit) else []
    for mark in [Text(char, whole_word=False) for char in CHAR_NAMES]:
        marks += [name for name in unit_names(mark) if _reads_as(name, mark)]
    return {ONE: tuple(one), MANY: tuple(many), ANY: tuple(one + many + marks)}


@cache
def language_names() -> tuple[str, ...]:
    """The language names a restatement may use: those the reader reads back as their
    language ("the answer is written in Spanish")."""
    said = describe(Written("en")).split(" language ")[0]
    return tuple(
        name.title()
        for name, code in sorted(LANGUAGES.items())
        if grammar.parse(f"{said} {name.title()}") == Written(code)
    )


def _reads_as(name: str, unit: Unit) -> bool:
    norm = normalise(name)
    return not norm.quoted and count_of(norm.text) == Count(unit)


def gbnf() -> str:
    """The llama.cpp grammar of a restatement: forms joined by "; ", or the judge."""
    return _gbnf()


@cache
def _gbnf() -> str:
    words = unit_words()
    lang = language()

    def rule(name: str, alternatives: Iterable[str]) -> str:
        return f"{name} ::= " + " | ".join(alternatives)

    lines = [
        f'root ::= "{JUDGE}" | clause ("; " clause){{0,{MAX_CLAUSES - 1}}}',
        'clause ::= subject " " check | whole',
        rule("subject", (f.gbnf() for f in lang.subjects)),
        rule("check", (f.gbnf() for f in lang.checks)),
        rule("whole", (f.gbnf() for f in lang.wholes)),
        rule(ONE, map(_literal, words[ONE])),
        rule(MANY, map(_literal, words[MANY])),
        f'{ANY} ::= counted-unit (" that " {WHERE})?',
        rule("counted-unit", map(_literal, words[ANY])),
        rule(WHERE, (f.gbnf() for f in lang.wheres)),
        f"{NUMBER} ::= [0-9] | [1-9] [0-9]{{1,3}}",
        rule(TONGUE, map(_literal, language_names())),
        f"{QUOTED} ::= \"'\" [^'\\n ] ([^'\\n]{{0,{QUOTE_CHARS - 2}}} [^'\\n ])? \"'\"",
    ]
    return "\n".join(lines) + "\n"


def catalogue() -> str:
    """The forms for a model's instructions: what may be said of "the answer" (N a
    number, 'X' quoted text, UNIT a unit), the other subjects that take the same, and
    what is said of the whole answer only."""
    placeholder = {
        ONE: "UNIT",
        MANY: "UNITs",
        ANY: "UNITs",
        NUMBER: "N",
        QUOTED: "'X'",
        TONGUE: "LANGUAGE",
    }
    lang = language()
    whole = lang.subjects[0].text(placeholder.__getitem__)
    lines = [f"{whole} {check.text(placeholder.__getitem__)}" for check in lang.checks]
    lines += [form.text(placeholder.__getitem__) for form in lang.wholes]
    others = ", ".join(subject.text(placeholder.__getitem__) for subject in lang.subjects[1:])
    narrowed = " / ".join(
        f"that {where.text(placeholder.__getitem__)}" for where in lang.wheres[::2]
    )
    listed = "\n".join(f"  {line}" for line in lines)
    return (
        f"{listed}\nIn place of '{whole}' (not in its last {len(lang.wholes)} forms): {others}."
        f"\nAfter the UNITs of a count: {narrowed} (counts only those)."
    )


def units() -> str:
    """The unit names a restatement may use, for a model's instructions."""
    named = unit_words()[ONE]
    marks = [w for w in unit_words()[ANY] if w not in named and w not in unit_words()[MANY]]
    return ", ".join(named) + "; counted only: " + ", ".join(marks)


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


__all__ = [
    "JUDGE",
    "MAX_CLAUSES",
    "Form",
    "Language",
    "catalogue",
    "forms",
    "gbnf",
    "language",
    "unit_words",
    "units",
]
