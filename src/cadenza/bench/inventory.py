"""A reader test set generated from an inventory of what users ask of a text's form,
not from any benchmark's sentences. The first wave is here; the second wave's kinds
(ranges, reasons set aside, word and letter frequency, punctuation marks, questions,
per-unit endings and lengths, emojis, hashtags, links, placeholders, all-caps words,
numerals, postscripts, titles, quotes, separators, dates, tables, code, order ...)
are in `inventory_forms` and `inventory_marks`; the third wave's (word length, how
lines open, repetition, markdown, bold, kinds of list) in `inventory_style`; the
fourth's (sentences one to a line, one-word answers, quotations, a lead line, digits,
how headings are written) in `inventory_parts`; the fifth's (a range or floor per
unit, emojis at a place, blank lines, what each section holds, every word capitalised)
in `inventory_units`; the sixth's (selections inside selections, a literal in each
unit, units counted from the end, the first or last sentence) in `inventory_nested`;
the seventh's (constraints as written in chat: wrapped in a hedge or a reason, two in
one sentence, terse forms, negation over a scope, a measure of each unit said without a
verb) in `inventory_casual`; the eighth's (how values and small structures are written:
dates, times, money, percentages, a number alone, tags, indentation, key: value lines,
parentheses, JSON keys) in `inventory_values`.

The inventory crosses three things: the measures and predicates a requirement can
state (a count of a unit under a relation, a literal the answer starts or ends with,
includes or avoids, a case, a language, a format), the ways the relation is said ("at
least 3", "3 or more", "no fewer than 3"), and *frames*, the sentence around it ("Keep
it to ...", "Don't write more than ..."). Each generated requirement comes with answers
built to pass and to fail it (a count one off, the literal removed), so a reading is
scored by what it decides, not by how it looks.

Frames carry families. `split(seed)` puts half of the families on each side, so a
reader built on one side is measured on phrasings it was not built on; the note of a
change says which side it was built on.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cadenza.bench import (
    inventory_casual,
    inventory_forms,
    inventory_marks,
    inventory_nested,
    inventory_parts,
    inventory_style,
    inventory_units,
    inventory_values,
)
from cadenza.bench.inventory_forms import Item
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.rules import read

__all__ = ["Item", "items", "score", "split", "summary"]


# ----------------------------------------------------------------------- units

_WORDS = [
    "tea",
    "leaves",
    "grow",
    "slowly",
    "on",
    "green",
    "hills",
    "near",
    "the",
    "quiet",
    "river",
    "every",
    "spring",
]
_SENTENCES = (
    "Green tea is picked in spring.",
    "The leaves are dried in the shade.",
    "Black tea is oxidised for longer.",
    "Most tea grows on steep hills.",
    "Water should not be boiling.",
    "A good cup takes three minutes.",
    "Some people add milk to it.",
    "Others prefer it plain and hot.",
    "The harvest ends in autumn.",
    "Tea shops open early here.",
    "Prices rose again this year.",
    "Farmers sell to local buyers.",
)


def _words(k: int) -> str:
    return " ".join(_WORDS[i % len(_WORDS)] for i in range(k)).capitalize() + "."


def _sentences(k: int) -> str:
    return " ".join(_SENTENCES[i % len(_SENTENCES)] for i in range(k))


def _paragraphs(k: int) -> str:
    return "\n\n".join(_sentences(2 + i % 2) for i in range(k))


def _lines(k: int) -> str:
    return "\n".join(_SENTENCES[i % len(_SENTENCES)] for i in range(k))


def _bullets(k: int) -> str:
    return "Notes:\n" + "\n".join(f"- {_SENTENCES[i % len(_SENTENCES)]}" for i in range(k))


def _numbered(k: int) -> str:
    return "Steps:\n" + "\n".join(f"{i + 1}. {_SENTENCES[i % len(_SENTENCES)]}" for i in range(k))


def _headings(k: int) -> str:
    return "\n\n".join(f"## Part {i + 1}\n\n{_sentences(2)}" for i in range(k))


def _characters(k: int) -> str:
    text = (_sentences(12) * 20)[:k]
    return text if not text.endswith(" ") else text[:-1] + "x"


# unit nouns (singular, plural), the text with k of them, and the numbers that suit it
Unit = tuple[str, str, Callable[[int], str], tuple[int, ...]]
UNITS: tuple[Unit, ...] = (
    ("word", "words", _words, (20, 40, 60)),
    ("sentence", "sentences", _sentences, (3, 4, 5)),
    ("paragraph", "paragraphs", _paragraphs, (2, 3, 4)),
    ("line", "lines", _lines, (3, 5, 6)),
    ("bullet point", "bullet points", _bullets, (3, 4, 5)),
    ("numbered step", "numbered steps", _numbered, (3, 5, 7)),
    ("heading", "headings", _headings, (2, 3, 4)),
    ("character", "characters", _characters, (100, 140, 280)),
)

# relation -> ways of saying it ("{n}" the number) and the counts that pass and fail
Relation = tuple[str, tuple[str, ...], Callable[[int], tuple[tuple[int, ...], tuple[int, ...]]]]
RELATIONS: tuple[Relation, ...] = (
    (
        "at_least",
        ("at least {n}", "{n} or more", "no fewer than {n}", "a minimum of {n}"),
        lambda n: ((n, n + 2), (n - 1,)),
    ),
    (
        "at_most",
        ("at most {n}", "no more than {n}", "{n} or fewer", "a maximum of {n}", "up to {n}"),
        lambda n: ((n, n - 1), (n + 1,)),
    ),
    ("exactly", ("exactly {n}", "precisely {n}"), lambda n: ((n,), (n - 1, n + 1))),
    ("less_than", ("fewer than {n}", "less than {n}", "under {n}"), lambda n: ((n - 1,), (n,))),
    ("more_than", ("more than {n}", "over {n}"), lambda n: ((n + 1,), (n,))),
)

# frames of a count: "{r}" the relation said, "{u}" the unit's plural
COUNT_FRAMES: dict[str, tuple[str, ...]] = {
    "use": ("Use {r} {u}.", "Please use {r} {u}."),
    "write": ("Write {r} {u}.", "Write {r} {u} in total."),
    "subject-contain": ("Your answer should contain {r} {u}.", "The reply must contain {r} {u}."),
    "subject-have": ("The response must have {r} {u}.", "Your text should have {r} {u}."),
    "keep-to": ("Keep it to {r} {u}.", "Keep your answer to {r} {u}."),
    "need": ("I need {r} {u}.", "We need {r} {u} here."),
    "make-sure": ("Make sure there are {r} {u}.", "Make sure it has {r} {u}."),
    "include": ("Include {r} {u}.", "Please include {r} {u}."),
    "stick-to": ("Stick to {r} {u}.", "Stick to {r} {u}, please."),
    "aim": ("Aim for {r} {u}.", "Aim for {r} {u} overall."),
    "give-me": ("Give me {r} {u}.", "Give me {r} {u}, nothing else."),
    "bare": ("{r} {u}.", "{r} {u}, please."),
    "answer-in": ("Answer in {r} {u}.", "Reply in {r} {u}."),
    "there-should": ("There should be {r} {u}.", "There must be {r} {u}."),
}

# frames that say an upper bound with a negation: "{n}" the number
NEGATED_FRAMES: dict[str, tuple[str, ...]] = {
    "dont-more": ("Don't use more than {n} {u}.", "Do not write more than {n} {u}."),
    "cannot-exceed": ("The answer can't exceed {n} {u}.", "It must not exceed {n} {u}."),
    "limit": ("Limit yourself to {n} {u}.", "Limit your reply to {n} {u}."),
    "not-over": ("Do not go over {n} {u}.", "Don't go beyond {n} {u}."),
}

# predicate frames: "{x}" the literal
_LITERALS = ("Hello team", "Cheers", "In short")
START_FRAMES: dict[str, tuple[str, ...]] = {
    "start-with": ("Start your answer with '{x}'.", 'Begin with the phrase "{x}".'),
    "open-with": ("Open with '{x}'.", 'Your reply must open with "{x}".'),
    "first-words": ("The first words should be '{x}'.", "The very first words must be '{x}'."),
}
END_FRAMES: dict[str, tuple[str, ...]] = {
    "end-with": ("End your answer with '{x}'.", 'Finish with the words "{x}".'),
    "close-with": ("Close with '{x}'.", 'Your reply must close with "{x}".'),
    "last-words": ("The last words should be '{x}'.", "The final words must be '{x}'."),
}
_KEYWORDS = ("Darjeeling", "oolong", "kettle")
INCLUDE_FRAMES: dict[str, tuple[str, ...]] = {
    "mention": ("Mention '{x}'.", 'Be sure to mention "{x}".'),
    "include-word": ("Include the word '{x}'.", 'Include the term "{x}" somewhere.'),
    "appears": ("Make sure '{x}' appears.", 'The word "{x}" must appear.'),
}
AVOID_FRAMES: dict[str, tuple[str, ...]] = {
    "dont-mention": ("Don't mention '{x}'.", 'Do not use the word "{x}".'),
    "avoid": ("Avoid the word '{x}'.", 'Avoid saying "{x}".'),
    "must-not-appear": ("'{x}' must not appear.", 'The word "{x}" should never appear.'),
}
CASE_FRAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "case-write": (
        ("Write everything in lowercase.", "lower"),
        ("Write it all in capitals.", "upper"),
    ),
    "case-bare": (("All lowercase, please.", "lower"), ("All caps, please.", "upper")),
    "case-no": (("No capital letters.", "lower"), ("No lowercase letters at all.", "upper")),
}
_LANGUAGE_TEXT = {
    "French": "Le thé vert pousse sur les collines et les gens le boivent chaque matin.",
    "Spanish": "El té verde crece en las colinas y la gente lo bebe cada mañana con mucho gusto.",
    "German": "Grüner Tee wächst auf den Hügeln und die Leute trinken ihn jeden Morgen sehr gern.",
}
LANGUAGE_FRAMES: dict[str, tuple[str, ...]] = {
    "reply-in": ("Reply in {x}.", "Respond only in {x}."),
    "should-be-in": ("Your answer should be in {x}.", "The whole reply must be in {x}."),
    "write-in": ("Write it in {x} only.", "Please write in {x}."),
}
JSON_FRAMES: dict[str, tuple[str, ...]] = {
    "json-format": ("Format your answer as JSON.", "Answer in JSON format."),
    "json-return": ("Return valid JSON.", "The output must be valid JSON."),
    "json-only": ("JSON only, please.", "Give me the result as JSON and nothing else."),
}
COMMA_FRAMES: dict[str, tuple[str, ...]] = {
    "no-commas": ("No commas.", "Use no commas at all."),
    "dont-commas": ("Don't use any commas.", "Do not put commas anywhere."),
    "without-commas": ("Write without commas.", "Avoid commas entirely."),
}


# selections: every unit, no unit, the first, last or nth unit ("{u}" the unit noun)
_PARTS: dict[str, Callable[[list[str]], str]] = {
    "sentence": " ".join,
    "paragraph": "\n\n".join,
    "line": "\n".join,
    "bullet point": lambda parts: "\n".join(f"- {p}" for p in parts),
}
EACH_START_FRAMES: dict[str, tuple[str, ...]] = {
    "each-start": ("Start each {u} with '{x}'.", "Begin every {u} with the word '{x}'."),
    "every-must-start": ("Every {u} must start with '{x}'.", "Each {u} should open with '{x}'."),
    "all-start": ("All {u}s should begin with '{x}'.", "{U}s must all start with '{x}'."),
}
EACH_LENGTH_FRAMES: dict[str, tuple[str, ...]] = {
    "no-longer": ("No {u} may be longer than {n} words.", "No {u} should exceed {n} words."),
    "each-at-most": (
        "Each {u} should have at most {n} words.",
        "Every {u} must be {n} words or fewer.",
    ),
    "keep-under": ("Keep every {u} under {n} words.", "Keep each {u} shorter than {n} words."),
}
POSITION_FRAMES: dict[str, tuple[str, ...]] = {
    "first-is": (
        "The first {u} must start with '{x}'.",
        "The opening {u} should begin with '{x}'.",
    ),
    "last-is": ("The last {u} must end with '{x}'.", "The final {u} should end with '{x}'."),
    "nth-is": ("The second {u} must start with '{x}'.", "Begin the third {u} with '{x}'."),
}


def _part(words: int, i: int) -> str:
    return " ".join(_WORDS[(i + j) % len(_WORDS)] for j in range(words)).capitalize() + "."


def _selection_items() -> Iterator[Item]:
    for family, frames in EACH_START_FRAMES.items():
        for f, frame in enumerate(frames):
            for u, (unit, join) in enumerate(_PARTS.items()):
                x = ("Today", "Next", "Also")[(f + u) % 3]
                parts = [f"{x} {_part(5, i).lower()}" for i in range(4)]
                missing = [*parts[:2], _part(5, 2), parts[3]]
                text = frame.format(u=unit, U=unit.capitalize(), x=x)
                answers: tuple[tuple[str, bool], ...] = (
                    (join(parts), True),
                    (join(missing), False),
                )
                yield Item(f"each-start/{family}", text, answers)
    for family, frames in EACH_LENGTH_FRAMES.items():
        for f, frame in enumerate(frames):
            for u, (unit, join) in enumerate(_PARTS.items()):
                n = (8, 10, 12)[(f + u) % 3]
                short = "under" in frame or "shorter" in frame
                fits = n - 1 if short else n
                parts = [_part(fits, i) for i in range(4)]
                long = [*parts[:3], _part(n + 3, 3)]
                text = frame.format(u=unit, n=n)
                answers = ((join(parts), True), (join(long), False))
                yield Item(f"each-length/{family}", text, answers)
    for family, frames in POSITION_FRAMES.items():
        for f, frame in enumerate(frames):
            for u, (unit, join) in enumerate(_PARTS.items()):
                x = ("Today", "Next", "Also")[(f + u) % 3]
                plain = [_part(5, i) for i in range(4)]
                if family == "last-is":
                    at = 3
                    marked = [*plain[:3], plain[3][:-1] + " " + x]
                else:
                    at = {"first-is": 0, "nth-is": 1 + f}[family]
                    marked = [f"{x} {p.lower()}" if i == at else p for i, p in enumerate(plain)]
                wrong = 0 if at != 0 else 1
                elsewhere = [
                    (f"{x} {p.lower()}" if family != "last-is" else p[:-1] + " " + x)
                    if i == wrong
                    else p
                    for i, p in enumerate(plain)
                ]
                text = frame.format(u=unit, x=x)
                answers = ((join(marked), True), (join(elsewhere), False), (join(plain), False))
                yield Item(f"position/{family}", text, answers)


def items() -> Iterator[Item]:
    """Every item of the inventory, in a fixed order."""
    for family, frames in COUNT_FRAMES.items():
        for f, frame in enumerate(frames):
            for u, (_, plural, make, numbers) in enumerate(UNITS):
                _, sayings, counts = RELATIONS[(f + u) % len(RELATIONS)]
                n = numbers[(f + u) % len(numbers)]
                said = sayings[(f + 2 * u) % len(sayings)].format(n=n)
                text = frame.format(r=said, u=plural)
                text = text[0].upper() + text[1:]
                ok, bad = counts(n)
                answers = tuple((make(k), True) for k in ok) + tuple((make(k), False) for k in bad)
                yield Item(f"count/{family}", text, answers)
    for family, frames in NEGATED_FRAMES.items():
        for f, frame in enumerate(frames):
            for u, (_, plural, make, numbers) in enumerate(UNITS):
                n = numbers[(f + u) % len(numbers)]
                text = frame.format(n=n, u=plural)
                answers = ((make(n), True), (make(n - 1), True), (make(n + 1), False))
                yield Item(f"negated/{family}", text, answers)
    body = _sentences(3)
    for family, frames in START_FRAMES.items():
        for f, frame in enumerate(frames):
            x = _LITERALS[f % len(_LITERALS)]
            answers = ((f"{x}, {body}", True), (body, False), (f"{body} {x}.", False))
            yield Item(f"start/{family}", frame.format(x=x), answers)
    for family, frames in END_FRAMES.items():
        for f, frame in enumerate(frames):
            x = _LITERALS[f % len(_LITERALS)]
            answers = ((f"{body} {x}", True), (body, False), (f"{x}, {body}", False))
            yield Item(f"end/{family}", frame.format(x=x), answers)
    for family, frames in INCLUDE_FRAMES.items():
        for f, frame in enumerate(frames):
            x = _KEYWORDS[f % len(_KEYWORDS)]
            answers = ((f"{body} I like {x} best.", True), (body, False))
            yield Item(f"include/{family}", frame.format(x=x), answers)
    for family, frames in AVOID_FRAMES.items():
        for f, frame in enumerate(frames):
            x = _KEYWORDS[f % len(_KEYWORDS)]
            answers = ((body, True), (f"{body} I like {x} best.", False))
            yield Item(f"avoid/{family}", frame.format(x=x), answers)
    for family, pairs in CASE_FRAMES.items():
        for text, case in pairs:
            low, up = body.lower(), body.upper()
            answers = ((low, case == "lower"), (up, case == "upper"), (body, False))
            yield Item(f"case/{family}", text, answers)
    languages = list(_LANGUAGE_TEXT)
    for family, frames in LANGUAGE_FRAMES.items():
        for f, frame in enumerate(frames):
            x = languages[f % len(languages)]
            other = languages[(f + 1) % len(languages)]
            answers = ((_LANGUAGE_TEXT[x], True), (_LANGUAGE_TEXT[other], False), (body, False))
            yield Item(f"language/{family}", frame.format(x=x), answers)
    for family, frames in JSON_FRAMES.items():
        for frame in frames:
            answers = (('{"tea": "green", "cups": 3}', True), (body, False))
            yield Item(f"json/{family}", frame, answers)
    for family, frames in COMMA_FRAMES.items():
        for frame in frames:
            answers = ((body, True), ("Tea, milk and sugar are on the table.", False))
            yield Item(f"commas/{family}", frame, answers)
    yield from _selection_items()
    yield from inventory_forms.items()
    yield from inventory_marks.items()
    yield from inventory_style.items()
    yield from inventory_parts.items()
    yield from inventory_units.items()
    yield from inventory_nested.items()
    yield from inventory_casual.items()
    yield from inventory_values.items()


# the kinds in the order they were added, so that adding a kind never moves the
# families of another from one side to the other
# (the first wave's kinds, here, are the ones the composed prompts draw on)
FIRST_KINDS: tuple[str, ...] = (
    *("avoid", "case", "commas", "count", "end", "include", "json", "language", "negated"),
    *("start", "each-length", "each-start", "position"),
)
KINDS = (
    *FIRST_KINDS,
    *inventory_forms.KINDS,
    *inventory_marks.KINDS,
    *inventory_style.KINDS,
    *inventory_parts.KINDS,
    *inventory_units.KINDS,
    *inventory_nested.KINDS,
    *inventory_casual.KINDS,
    *inventory_values.KINDS,
)


def split(seed: int) -> tuple[set[str], set[str]]:
    """The frame families in two halves, by `seed`: each kind of requirement (count,
    start, language ...) has families on both sides."""
    families = sorted({i.family for i in items()})
    a: set[str] = set()
    b: set[str] = set()
    present = {f.split("/")[0] for f in families}
    kinds = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    rng = random.Random(seed)
    for kind in kinds:
        mine = [f for f in families if f.split("/")[0] == kind]
        rng.shuffle(mine)
        a.update(mine[: (len(mine) + 1) // 2])
        b.update(mine[(len(mine) + 1) // 2 :])
    return a, b


@dataclass(frozen=True, slots=True)
class Scored:
    item: Item
    read: bool
    correct: int  # answers decided as labelled (0 when not read)


def score(item: Item) -> Scored:
    """Read the sentence by rule and decide each answer with the reading."""
    reading = read(item.sentence)
    if reading is None:
        return Scored(item, False, 0)
    correct = sum(evaluate(reading.expr, text).passed == label for text, label in item.answers)
    return Scored(item, True, correct)


def summary(scored: list[Scored]) -> dict[str, float | int]:
    """Read share (sentences a rule reads), accuracy of what was read (answers decided as
    labelled), and wrong readings (read sentences with any answer decided wrongly: a
    false `satisfied` or a false failure)."""
    read_items = [s for s in scored if s.read]
    answers = sum(len(s.item.answers) for s in read_items)
    return {
        "items": len(scored),
        "read": len(read_items),
        "read_share": round(len(read_items) / len(scored), 4) if scored else 0.0,
        "accuracy": round(sum(s.correct for s in read_items) / answers, 4) if answers else 0.0,
        "wrong_readings": sum(1 for s in read_items if s.correct < len(s.item.answers)),
    }
