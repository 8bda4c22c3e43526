"""The grammar of requirement sentences: a requirement -> an expression of the check
language, read whole or not at all.

A sentence is normalised (`lexicon.normalise`), split into clauses at ``;``, dashes,
commas and "and" where a single reading fails, and each clause is read by the
constructions of `clauses` (scope + measure or predicate, with negation). A clause
that only gives a reason ("she hates them", "our printer chokes on accents") is
dropped; a parenthetical either refines the reading ("(## style)" on headings, "(full
URLs starting with https)" on links), only gives examples ("like 'noon'"), or the
sentence is not read. Anything else unread means no reading at all: the compiler
takes the sentence instead. Precision over recall.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cadenza.requirements.grammar import structure
from cadenza.requirements.grammar.asides import without_asides
from cadenza.requirements.grammar.clauses import (
    IGNORABLE_CLAUSE,
    IGNORABLE_NOTE,
    RESTATEMENT,
    Clause,
    predicate,
    refine,
)
from cadenza.requirements.grammar.content import shows_emphasis
from cadenza.requirements.grammar.forms import marked_sections
from cadenza.requirements.grammar.lexicon import FORM_WORDS, Normalised, count_of, normalise
from cadenza.requirements.grammar.read import read_clause
from cadenza.requirements.grammar.shapes import read_shape
from cadenza.requirements.lang.build import all_of
from cadenza.requirements.lang.nodes import AllOf, Compare, Count, Expr, Named, Select
from cadenza.requirements.segment import LIST_MARK
from cadenza.requirements.verbs import without_leading_adverb

_STRONG = re.compile(
    r"\s*(?:;|\s(?:-{2,}|->|[-–—→])\s|:\s(?=\S)(?!\s*\(?\s*⟦))\s*"
)  # not "phrase: 'X'"
_COMMA = re.compile(r"\s*,\s*")
_AND = re.compile(r"\s+(?:and|but|then)\s+|\s+(?=with\s+no\s+(?:other|additional|more|further)\s)")


def parse(text: str) -> Expr | None:
    """The expression `text` states, when the grammar reads all of it."""
    if not text.strip() or len(text) > 400:
        return None
    norm = normalise(text)
    body, notes = _notes(norm.text)
    body = LIST_MARK.sub("", body).strip(" .;:!")  # "- Keep it short", "2. No commas"
    body = _OPENER.sub("", body)  # "Then limit yourself to 3 lines", "First, no commas"
    body = without_leading_adverb(body, keep=_KEPT_ADVERBS)  # "Definitely use ..."
    if body.count(")") > body.count("("):  # the end of a bracket opened before the clause
        body = body.rstrip(" .;:!)")
    expr = _sentence(norm, body) or read_shape(norm, body)
    if expr is None and (bare := without_asides(body, names_a_constraint)) not in (body, ""):
        expr = _sentence(norm, bare) or read_shape(norm, bare)  # "..., if possible"
    if expr is None:
        return _bracketed_count(norm, body, notes)
    expr = marked_sections(expr)
    for note in notes:
        if (
            IGNORABLE_NOTE.match(note)
            or _gloss(note)
            or shows_emphasis(expr, note)
            or structure.aside(note, expr)
        ):
            continue
        refined = refine(expr, note)
        if refined is None:
            return None
        expr = refined
    return expr


_KEPT_ADVERBS = frozenset({"only", "exactly", "roughly", "approximately", "strictly"})
_OPENER = re.compile(
    r"^(?:(?:(?:then|also|and|but|plus|so|oh|finally|lastly|additionally|moreover|furthermore|"
    r"firstly|secondly)\b|(?:first|second|third|next)(?=\s*,))[\s,]*)+",
    re.I,
)


_LIMITS = re.compile(
    r"(?:limit|restrict|cap|watch|mind)\s+(?:the\s+)?(?:number|count)\s+of\s+(?P<u>[a-z]+)"
    r"(?:\s+(?:you\s+use|used))?"
)


def _gloss(note: str) -> bool:
    """A bracket that names no count, quote, letter or unit and asks nothing: what the
    words before it stand for ("your entire response (reasoning and the answer)")."""
    from cadenza.requirements.material import material  # it reads with this grammar's lexicon

    said = material(note)
    return not (said.literal or said.directive or said.subjective)


def _bracketed_count(norm: Normalised, body: str, notes: list[str]) -> Expr | None:
    """ "limit the number of words you use (less than 100 words)": the bracket states
    the count of the unit the clause names."""
    m = _LIMITS.fullmatch(body)
    if m is None or len(notes) != 1:
        return None
    count = read_clause(Clause(norm, notes[0]))
    named = count_of(m.group("u"))
    if isinstance(count, Compare) and named is not None and count.count == named:
        return count
    return None


def _notes(text: str) -> tuple[str, list[str]]:
    """The brackets of a sentence and the sentence without them; a bracket that only
    lists quoted texts ("choose from ('a', 'b')") is what the sentence names, no note."""
    notes = [n.strip() for n in re.findall(r"\(([^()]*)\)", text) if not _QUOTE_LIST.fullmatch(n)]
    body = re.sub(
        r"\s*\([^()]*\)\s*",
        lambda m: m.group(0) if _QUOTE_LIST.fullmatch(m.group(0).strip()) else " ",
        text,
    ).strip()
    return body, notes


_QUOTE_LIST = re.compile(r"\(?\s*⟦\d+⟧(?:\s*(?:,|,?\s*or)\s*⟦\d+⟧)+\s*\)?")


def _sentence(norm: Normalised, body: str) -> Expr | None:
    whole = read_clause(Clause(norm, body))
    if whole is not None:
        return whole
    parts = [p for p in _STRONG.split(body) if p.strip()]
    if len(parts) == 1:
        return _commas(norm, body)
    return _joined(
        norm,
        parts,
        lambda p: read_clause(Clause(norm, p)) or _commas(norm, p) or read_shape(norm, p),
    )


def _commas(norm: Normalised, body: str) -> Expr | None:
    whole = read_clause(Clause(norm, body)) or _ands(norm, body)
    if whole is not None:
        return whole
    parts = [p for p in _COMMA.split(body) if p.strip()]
    if len(parts) == 1:
        return None
    return _joined(norm, parts, lambda p: read_clause(Clause(norm, p)) or _ands(norm, p))


def _joined(norm: Normalised, parts: list[str], read: Callable[[str], Expr | None]) -> Expr | None:
    """Every part read (reasons and restatements aside), or None."""
    exprs: list[Expr] = []
    skipped = 0
    for part in parts:
        refined = _participle(norm, part, exprs[-1]) if exprs else None
        if refined is not None:
            exprs[-1] = refined
            continue
        expr = read(part)
        if expr is None and re.match(r"(?:and|but)\s", part.strip()):
            expr = read(part.strip()[4:].strip())  # ", and include two sections: ..."
        if expr is None and exprs:
            expr = _anaphora(norm, part, exprs[-1], read)
        if (
            expr is None
            and _QUOTED_SENTENCE.fullmatch(part.strip())
            and _sentence_quoted(norm, part)
        ):
            skipped += 1  # '"I flung my hatred into the fire." Put it in quotes': its text
            continue
        if expr is None:
            text = re.sub(r"^(?:and|but)\s+", "", part.strip(" .,;:!"))
            if (IGNORABLE_CLAUSE.match(text) and not names_a_constraint(text)) or RESTATEMENT.match(
                text
            ):
                skipped += 1
                continue
            return None
        if expr not in exprs:
            exprs.append(expr)
    return all_of(exprs) if exprs else None


_QUOTED_SENTENCE = re.compile(r"⟦(\d+)⟧")


def _sentence_quoted(norm: Normalised, part: str) -> bool:
    """Whether a part is only a quoted sentence (the text the instruction is about)."""
    m = _QUOTED_SENTENCE.fullmatch(part.strip())
    return m is not None and norm.quote(m.group(1)).rstrip().endswith((".", "!", "?"))


def _ands(norm: Normalised, body: str) -> Expr | None:
    """ "X and Y": both read on their own, or Y continues X's scope ("all bullets start
    with a capital letter and end with a full stop")."""
    parts = [p for p in _AND.split(body) if p.strip()]
    if len(parts) < 2:
        return None
    exprs: list[Expr] = []
    for part in parts:
        scoped = bool(exprs) and isinstance(exprs[-1], Select)
        expr = None if _continues(part) and scoped else read_clause(Clause(norm, part))
        if expr is None and exprs and isinstance(exprs[-1], Select):
            scope = exprs[-1]
            more = predicate(Clause(norm, part), part)
            if more is not None and scope.mode in ("each", "first", "last", "nth"):
                checks = scope.check.items if isinstance(scope.check, AllOf) else (scope.check,)
                exprs[-1] = Select(
                    scope.mode, scope.unit, AllOf((*checks, more)), scope.where, scope.index
                )
                continue
        if expr is None and exprs and RESTATEMENT.match(part.strip(" .,;:!")):
            continue  # "... and no other words should follow it"
        if expr is None:
            return None
        exprs.append(expr)
    return all_of(exprs)


def _participle(norm: Normalised, part: str, before: Expr) -> Expr | None:
    """ "..., starting with '#'" after a count: the counted units start with it."""
    m = re.fullmatch(
        r"(?:each\s+|all\s+)?(?P<v>starting|beginning|ending)\s+(?P<rest>with\s+.+)",
        part.strip(" .,"),
    )
    if m is None or not isinstance(before, Compare) or before.count.where is not None:
        return None
    verb = "start" if m.group("v") in ("starting", "beginning") else "end"
    pred = predicate(Clause(norm, part), f"{verb} {m.group('rest')}")
    if pred is None:
        return None
    return Compare(Count(before.count.unit, pred), before.bound)


_THEM = re.compile(
    r"(?P<q>none|each|all|every\s+one|any|not\s+one)\s+of\s+(?:them|these|those)\s+(?P<rest>.+)"
)
_SCOPE_OF = {"none": "no", "not one": "no", "each": "each", "every one": "each", "all": "every"}


def names_a_constraint(text: str) -> bool:
    """Whether a clause that opens like a reason is said as an instruction ("they should
    each start with a verb") or names what a constraint names ("such as [x] and exactly 2
    bullets": a number, a quote or a letter): then it is a constraint until read, not a
    reason to set aside ("our printer chokes on curly quotes" names no count)."""
    from cadenza.requirements.material import material  # it reads with this grammar's lexicon

    said = material(text)
    if said.directive or bool(said.numbers or said.quoted or said.letters):
        return True
    return FORM_WORDS.search(text) is not None  # "so it ends with a question"


def _anaphora(
    norm: Normalised, part: str, before: Expr, read: Callable[[str], Expr | None]
) -> Expr | None:
    """ "..., none of them longer than 12 words" after a count of sentences: the
    clause is about the units just counted ("no sentence longer than 12 words")."""
    m = _THEM.fullmatch(part.strip(" .,"))
    counted = before.count.unit if isinstance(before, Compare) else None
    if m is None or not isinstance(counted, Named) or m.group("q") == "any":
        return None
    return read(f"{_SCOPE_OF[m.group('q')]} {counted.name} {m.group('rest')}")


def _continues(part: str) -> bool:
    """Whether a part after "and" is a bare verb phrase that continues the scope before
    it ("... start with a capital letter and end with a full stop")."""
    return (
        re.match(r"(?:start|begin|open|end|finish|close|contain|include|be|have|use)\b", part)
        is not None
    )


__all__ = ["parse"]
