"""Grading shared by the checks: how near a count is to its target, and the verdicts
that say so ("214 words; needs at least 300", "add about 86 words")."""

from __future__ import annotations

from collections.abc import Callable

from cadenza.requirements.spec import Relation, bounds, relation_holds
from cadenza.requirements.verdict import Verdict

# A failed check never scores above this, so "nearly" stays visibly below "met".
MAX_FAILED_SCORE = 0.99


def relation_phrase(relation: Relation, n: int, n_max: int | None = None) -> str:
    """``at least 300``, ``fewer than 100``, ``between 3 and 5`` ..."""
    match relation:
        case "at_least":
            return f"at least {n}"
        case "at_most":
            return f"at most {n}"
        case "exactly":
            return f"exactly {n}"
        case "between":
            return f"between {n} and {n_max}"
        case "less_than":
            return f"fewer than {n}"
        case "more_than":
            return f"more than {n}"


def plural(count: int | float, singular: str, plural_form: str | None = None) -> str:
    """``1 word``, ``3 words``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:g} {word}" if isinstance(count, float) else f"{count} {word}"


def count_score(relation: Relation, value: int, n: int, n_max: int | None = None) -> float:
    """1.0 when the relation holds; otherwise 1 - relative distance to the nearest
    allowed count, clipped to [0, MAX_FAILED_SCORE]. When only 0 is allowed, each
    extra item halves the score (1 comma: 0.5, 2 commas: 0.25 ...)."""
    if relation_holds(relation, value, n, n_max):
        return 1.0
    low, high = bounds(relation, n, n_max)
    gap, ref = (float(low - value), float(low)) if value < low else (value - high, float(high))
    score = 0.5**gap if ref <= 0 else 1.0 - gap / ref
    return clip_failed(score)


def clip_failed(score: float) -> float:
    return max(0.0, min(MAX_FAILED_SCORE, score))


def missing_or_extra(relation: Relation, value: int, n: int, n_max: int | None) -> int:
    """How many to add (> 0) or remove (< 0) to reach the nearest allowed count."""
    low, high = bounds(relation, n, n_max)
    if value < low:
        return low - value
    if value > high:
        return int(high) - value
    return 0


def count_verdict(
    *,
    family: str,
    relation: Relation,
    n: int,
    n_max: int | None,
    value: int,
    noun: str,
    nouns: str | None = None,
    add_hint: Callable[[int], str] | None = None,
    cut_hint: Callable[[int], str] | None = None,
    detail: str = "",
) -> Verdict:
    """The verdict for "`value` <noun>s; needs <relation> <n>": graded score, reason and a
    fix hint saying how many to add or remove (families may phrase the hint)."""
    target = relation_phrase(relation, n, n_max)
    found = plural(value, noun, nouns)
    extra = f" ({detail})" if detail else ""
    method = f"check:{family}"
    if relation_holds(relation, value, n, n_max):
        return Verdict(1.0, True, f"{found}{extra}; needs {target}", "", method)
    delta = missing_or_extra(relation, value, n, n_max)
    if delta > 0:
        hint = add_hint(delta) if add_hint else f"add {plural(delta, noun, nouns)}"
    else:
        hint = cut_hint(-delta) if cut_hint else f"remove {plural(-delta, noun, nouns)}"
    return Verdict(
        count_score(relation, value, n, n_max),
        False,
        f"{found}{extra}; needs {target}",
        hint,
        method,
    )


def passed(family: str, reason: str) -> Verdict:
    return Verdict(1.0, True, reason, "", f"check:{family}")


def failed(family: str, score: float, reason: str, fix_hint: str) -> Verdict:
    return Verdict(clip_failed(score), False, reason, fix_hint, f"check:{family}")


def quote(text: str, limit: int = 60) -> str:
    """`text` in single quotes, shortened with an ellipsis past `limit` characters."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"'{text}'"


def where_sentences(numbers: list[int]) -> str:
    """``sentence 2``, ``sentences 2 and 5``."""
    word = "sentence" if len(set(numbers)) == 1 else "sentences"
    return f"{word} {ordinal_list(numbers)}"


def ordinal_list(numbers: list[int], limit: int = 6) -> str:
    """``2``, ``2 and 5``, ``2, 5 and 7``, ``2, 5, 7 ... (9 in all)``."""
    uniq = sorted(set(numbers))
    if len(uniq) > limit:
        return ", ".join(map(str, uniq[:limit])) + f" ... ({len(uniq)} in all)"
    if len(uniq) == 1:
        return str(uniq[0])
    return ", ".join(map(str, uniq[:-1])) + f" and {uniq[-1]}"
