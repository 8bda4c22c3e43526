"""Case and character checks: all lowercase, all uppercase, the number of all-capital
words (NLTK word tokens, as IFEval counts them), forbidden characters."""

from __future__ import annotations

from cadenza.requirements.checks import text as tx
from cadenza.requirements.checks.grade import (
    count_verdict,
    failed,
    passed,
    plural,
    quote,
    where_sentences,
)
from cadenza.requirements.spec import (
    AllLowercase,
    AllUppercase,
    CapitalWordCount,
    ForbiddenCharacters,
)
from cadenza.requirements.verdict import Verdict


def check_lowercase(spec: AllLowercase, text: str) -> Verdict:
    cased = sum(1 for c in text if c.islower() or c.isupper())
    if text.islower():
        return passed(spec.family, "no capital letters")
    if cased == 0:
        return failed(
            spec.family, 0.0, "no letters at all", "write the answer in lowercase letters"
        )
    upper = [m.group(0) for m in tx.words(text) if any(c.isupper() for c in m.group(0))]
    count = sum(1 for c in text if c.isupper())
    examples = ", ".join(repr(w) for w in upper[:4])
    return failed(
        spec.family,
        1.0 - count / cased,
        f"{plural(count, 'capital letter')} (in {examples}{' ...' if len(upper) > 4 else ''})",
        "write everything in lowercase, including the first word of each sentence, names "
        "and acronyms",
    )


def check_uppercase(spec: AllUppercase, text: str) -> Verdict:
    cased = sum(1 for c in text if c.islower() or c.isupper())
    if text.isupper():
        return passed(spec.family, "no lowercase letters")
    if cased == 0:
        return failed(spec.family, 0.0, "no letters at all", "write the answer in capital letters")
    lower = [m.group(0) for m in tx.words(text) if any(c.islower() for c in m.group(0))]
    count = sum(1 for c in text if c.islower())
    examples = ", ".join(repr(w) for w in lower[:4])
    return failed(
        spec.family,
        1.0 - count / cased,
        f"{plural(count, 'lowercase letter')} (in {examples}{' ...' if len(lower) > 4 else ''})",
        "write everything in CAPITAL LETTERS",
    )


def check_capital_words(spec: CapitalWordCount, text: str) -> Verdict:
    capitals = [w for w in tx.nltk_words(text) if w.isupper()]
    examples = ", ".join(repr(w) for w in capitals[:4])
    return count_verdict(
        family=spec.family,
        relation=spec.relation,
        n=spec.n,
        n_max=spec.n_max,
        value=len(capitals),
        noun="all-capital word",
        detail=f"e.g. {examples}" if capitals else "",
        add_hint=lambda k: f"write {k} more words entirely in CAPITALS (e.g. key terms)",
        cut_hint=lambda k: (
            f"write {k} of the all-capital words ({examples}) in normal case; single "
            "capital letters such as 'I' and acronyms count too"
        ),
    )


def check_forbidden_characters(spec: ForbiddenCharacters, text: str) -> Verdict:
    hits = [i for i, c in enumerate(text) if c in spec.characters]
    shown = " ".join(repr(c) for c in spec.characters)
    if not hits:
        return passed(spec.family, f"none of {shown} used")
    sentences = tx.sentences(text)
    where = [sentences.number_at(i) for i in hits]
    names = sorted({text[i] for i in hits})
    label = _char_name(names[0], len(hits)) if len(names) == 1 else "forbidden characters"
    first = hits[0]
    context = quote(text[max(0, first - 20) : first + 20])
    return failed(
        spec.family,
        0.5 ** len(hits),
        f"{len(hits)} {label}, in {where_sentences(where)} (first near {context})",
        f"rewrite {where_sentences(where)} without {' or '.join(repr(n) for n in names)}",
    )


def _char_name(c: str, count: int) -> str:
    names = {",": "comma", ";": "semicolon", "!": "exclamation mark", "-": "hyphen"}
    name = names.get(c, f"{c!r} character")
    return name if count == 1 else name + "s"
