"""The second wave of the reader inventory: everyday form constraints the first wave
(`cadenza.bench.inventory`) lacks, chosen from first principles before the reader was
run on them: units (letters, punctuation marks, questions, emojis, hashtags, links,
email addresses, placeholders, all-caps words, numerals, tables, code blocks, dates,
postscripts, titles) crossed with selections (the whole answer, each, none, the first,
last or nth) and measures or predicates (a count or a range, how an item ends, its
length in characters or sentences, order, a format, a marker around it), each said in
several ways, some with a reason or a hedge to set aside.

Every sentence carries answers built to pass and to fail it (a count one off, a mark
added, one item violating). A family is a way of saying a kind of constraint; `split`
in `inventory` halves each kind's families.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Item:
    """One generated requirement, its frame family and answers labelled pass or fail."""

    family: str
    sentence: str
    answers: tuple[tuple[str, bool], ...]


Answers = tuple[tuple[str, bool], ...]
Frames = dict[str, tuple[tuple[str, Answers], ...]]
"""Written sentences by wording family, each with its labelled answers."""


def framed(kinds: dict[str, Frames]) -> Iterator[Item]:
    """Every item of a wave written as frames, kind by kind, in a fixed order."""
    for kind, frames_of in kinds.items():
        for family, frames in frames_of.items():
            for sentence, answers in frames:
                yield Item(f"{kind}/{family}", sentence, answers)


# ------------------------------------------------------------------ the texts

_WORDS = ("train", "left", "early", "and", "we", "sat", "by", "the", "window", "all", "day")
_SENTENCES = (
    "The train left early in the morning.",
    "We sat by the window all day.",
    "The hills were green and wet.",
    "A man sold hot tea on the platform.",
    "The carriage was old but clean.",
    "Nobody spoke much on the way.",
    "The river ran beside the track.",
    "We reached the coast at dusk.",
)
_BODY = " ".join(_SENTENCES[:3])


def _words(k: int) -> str:
    return " ".join(_WORDS[i % len(_WORDS)] for i in range(k)).capitalize() + "."


def _sentences(k: int, start: int = 0) -> str:
    return " ".join(_SENTENCES[(start + i) % len(_SENTENCES)] for i in range(k))


def _paragraphs(k: int) -> str:
    return "\n\n".join(_sentences(2, 2 * i) for i in range(k))


def _lines(k: int) -> str:
    return "\n".join(_SENTENCES[i % len(_SENTENCES)] for i in range(k))


def _bullets(k: int) -> str:
    return "\n".join(f"- {_SENTENCES[i % len(_SENTENCES)]}" for i in range(k))


def _characters(k: int) -> str:
    text = (_sentences(8) + " ") * (1 + k // 200)
    text = text[:k]
    return text[:-1] + "x" if text.endswith(" ") else text


def _chars(n: int, i: int) -> str:
    """A sentence-like piece of exactly `n` characters, ending in a period."""
    text = " ".join(_WORDS[(i + j) % len(_WORDS)] for j in range(n)).capitalize()
    return text[: n - 1].rstrip() + "x" * (n - 1 - len(text[: n - 1].rstrip())) + "."


def _part(k: int, i: int) -> str:
    """A piece of `k` words without final punctuation."""
    return " ".join(_WORDS[(i + j) % len(_WORDS)] for j in range(k)).capitalize()


_JOIN: dict[str, Callable[[list[str]], str]] = {
    "sentence": " ".join,
    "line": "\n".join,
    "bullet point": lambda parts: "\n".join(f"- {p}" for p in parts),
    "paragraph": "\n\n".join,
}


def _said(frame: str, **values: object) -> str:
    text = frame.format(**values)
    return text[0].upper() + text[1:]


# ------------------------------------------------------- counts in a range

_RANGE_SAYINGS = (
    "between {a} and {b}",
    "{a}-{b}",
    "{a} to {b}",
    "from {a} to {b}",
    "anywhere from {a} to {b}",
    "somewhere between {a} and {b}",
)
_RANGE_UNITS: tuple[tuple[str, Callable[[int], str], tuple[int, int]], ...] = (
    ("words", _words, (40, 60)),
    ("sentences", _sentences, (3, 5)),
    ("paragraphs", _paragraphs, (2, 4)),
    ("bullet points", _bullets, (3, 6)),
    ("lines", _lines, (4, 7)),
    ("characters", _characters, (150, 200)),
)
RANGE_FRAMES: dict[str, tuple[str, ...]] = {
    "write": ("Write {r} {u}.", "Please write {r} {u}."),
    "keep": ("Keep it to {r} {u}.", "Keep your reply to {r} {u}."),
    "should-be": ("The answer should be {r} {u} long.", "Your reply must be {r} {u} long."),
    "use": ("Use {r} {u}.", "Use {r} {u} in total."),
}


def _range_items() -> Iterator[Item]:
    for family, frames in RANGE_FRAMES.items():
        for f, frame in enumerate(frames):
            for u, (plural, make, (a, b)) in enumerate(_RANGE_UNITS):
                said = _RANGE_SAYINGS[(f + u) % len(_RANGE_SAYINGS)].format(a=a, b=b)
                ok = ((make(k), True) for k in (a, (a + b) // 2, b))
                bad = ((make(k), False) for k in (a - 1, b + 1))
                yield Item(f"range/{family}", _said(frame, r=said, u=plural), (*ok, *bad))


# ------------------------------------- a constraint with a reason or hedge

_CORES: tuple[tuple[str, Answers], ...] = (
    (
        "use exactly four sentences",
        ((_sentences(4), True), (_sentences(3), False), (_sentences(5), False)),
    ),
    ("begin with 'Hi all'", ((f"Hi all, {_BODY}", True), (_BODY, False))),
    ("avoid the word 'basically'", ((_BODY, True), (f"{_BODY} It is basically done.", False))),
    ("keep it under 30 words", ((_words(29), True), (_words(30), False))),
    (
        "write no more than two paragraphs",
        ((_paragraphs(2), True), (_paragraphs(1), True), (_paragraphs(3), False)),
    ),
)
REASON_FRAMES: dict[str, tuple[str, ...]] = {
    "so": ("{c} so it fits on one slide.", "{c}, so it reads well on a phone."),
    "because": ("{c} because it goes in the newsletter.", "{c}, since the readers are busy."),
    "aside": ("{c} (it's for a poster).", "{c} - it's a quick status update."),
    "hedge": ("If you can, {c}.", "Please {c} if possible."),
    "thanks": ("{c}, thanks!", "{c}. Thank you!"),
}


def _reason_items() -> Iterator[Item]:
    for family, frames in REASON_FRAMES.items():
        for frame in frames:
            for core, answers in _CORES:
                yield Item(f"reason/{family}", _said(frame, c=core), answers)


# ------------------------------------------ how often a word or letter occurs

# (saying, relation, k): the relation decides which counts pass
_TIMES: tuple[tuple[str, str, int], ...] = (
    ("at least {k} times", "at_least", 3),
    ("exactly {k} times", "exactly", 2),
    ("no more than {k} times", "at_most", 2),
    ("{k} times or more", "at_least", 2),
    ("at least twice", "at_least", 2),
    ("exactly once", "exactly", 1),
    ("at most {k} times", "at_most", 3),
    ("fewer than {k} times", "less_than", 3),
)


def _counts(relation: str, k: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return {
        "at_least": ((k, k + 1), (k - 1,)),
        "at_most": ((k, k - 1), (k + 1,)),
        "exactly": ((k,), (k - 1, k + 1)),
        "less_than": ((k - 1,), (k,)),
    }[relation]


KEYWORD_FRAMES: dict[str, tuple[str, ...]] = {
    "use": ("Use the word '{x}' {t}.", "Use '{x}' {t}."),
    "appear": ("The word '{x}' should appear {t}.", "'{x}' must appear {t}."),
    "mention": ("Mention '{x}' {t}.", 'Mention the word "{x}" {t}.'),
    "include": ("Include the keyword '{x}' {t}.", "Make sure '{x}' shows up {t}."),
}
_KEYWORDS = ("lantern", "harbor", "velvet")
LETTER_FRAMES: dict[str, tuple[str, ...]] = {
    "appear": ("The letter '{c}' should appear {t}.", "The letter {c} must appear {t}."),
    "use": ("Use the letter '{c}' {t}.", "Use the letter {c} {t}."),
    "include": ("Include the letter '{c}' {t}.", "Make sure the letter '{c}' appears {t}."),
}
# a letter, a word holding it once, and a filler without it
_LETTERS = (("z", "zoo"), ("x", "box"), ("q", "aqua"))
_FILLER = "we sat by the window and the train left early."


def _keyword_items() -> Iterator[Item]:
    for family, frames in KEYWORD_FRAMES.items():
        for f, frame in enumerate(frames):
            for t, (saying, relation, k) in enumerate(_TIMES[f::2]):
                x = _KEYWORDS[(f + t) % len(_KEYWORDS)]
                ok, bad = _counts(relation, k)

                def text(m: int, x: str = x) -> str:
                    return " ".join([_BODY, *[f"I saw the {x} again." for _ in range(m)]])

                answers = (*((text(m), True) for m in ok), *((text(m), False) for m in bad))
                sentence = _said(frame, x=x, t=saying.format(k=k))
                yield Item(f"keyword/{family}", sentence, answers)
    for family, frames in LETTER_FRAMES.items():
        for f, frame in enumerate(frames):
            for t, (saying, relation, k) in enumerate(_TIMES[f::2]):
                c, word = _LETTERS[(f + t) % len(_LETTERS)]
                ok, bad = _counts(relation, k)

                def letters(m: int, word: str = word) -> str:
                    return (_FILLER + " we saw" + f" {word}" * m + ".").capitalize()

                answers = (
                    *((letters(m), True) for m in ok),
                    *((letters(m), False) for m in bad),
                )
                sentence = _said(frame, c=c, t=saying.format(k=k))
                yield Item(f"letter/{family}", sentence, answers)


# ------------------------------------------------------- punctuation marks

# (name, a sentence that holds the mark)
_MARKS = (
    ("semicolons", "Tea is hot; milk is cold."),
    ("exclamation marks", "What a view!"),
    ("question marks", "Who knew?"),
    ("colons", "One rule: be kind."),
    ("parentheses", "The train (an old one) was slow."),
    ("quotation marks", 'She said "wait" twice.'),
    ("exclamation points", "Look at that!"),
    ("ellipses", "And then..."),
)
PUNCTUATION_FRAMES: dict[str, tuple[str, ...]] = {
    "dont": ("Don't use {p}.", "Do not use any {p}."),
    "no": ("No {p}.", "No {p}, please."),
    "avoid": ("Avoid {p}.", "Avoid {p} entirely."),
    "without": ("Write without {p}.", "Write it without any {p}."),
}


def _punctuation_items() -> Iterator[Item]:
    for family, frames in PUNCTUATION_FRAMES.items():
        for f, frame in enumerate(frames):
            for name, holding in _MARKS[f::2]:
                answers = ((_BODY, True), (f"{_BODY} {holding}", False))
                yield Item(f"punctuation/{family}", _said(frame, p=name), answers)


# ------------------------------------------------------------- questions

_QUESTIONS = ("Is it far?", "Who drove the train?", "Why so late?", "Can we stop?")
QUESTION_FRAMES: dict[str, tuple[str, ...]] = {
    "ask": ("Ask at least 2 questions.", "Ask exactly one question."),
    "include": ("Include no more than 1 question.", "Your reply should contain 3 questions."),
    "none": ("Don't ask any questions.", "Do not include any questions."),
    "no": ("No questions.", "Avoid asking questions."),
}
# the count each frame asks for: (passing counts, failing counts)
_QUESTION_COUNTS = {
    "Ask at least 2 questions.": ((2, 3), (1,)),
    "Ask exactly one question.": ((1,), (0, 2)),
    "Include no more than 1 question.": ((0, 1), (2,)),
    "Your reply should contain 3 questions.": ((3,), (2, 4)),
}


def _question_items() -> Iterator[Item]:
    def text(m: int) -> str:
        return " ".join([_BODY, *_QUESTIONS[:m]])

    for family, frames in QUESTION_FRAMES.items():
        for frame in frames:
            ok, bad = _QUESTION_COUNTS.get(frame, ((0,), (1, 2)))
            answers = (*((text(m), True) for m in ok), *((text(m), False) for m in bad))
            yield Item(f"questions/{family}", frame, answers)


# --------------------------------------------- how the whole answer ends

_ASK, _EXCLAIM = "Shall we go?", "What a trip!"
END_MARK_FRAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "end-with": (
        ("End your answer with a question mark.", "?"),
        ("Finish with an exclamation mark.", "!"),
    ),
    "last-sentence": (
        ("The last sentence must be a question.", "?"),
        ("Your final sentence should end with an exclamation point.", "!"),
    ),
    "close": (("Close with a question.", "?"), ("End with an exclamation.", "!")),
    "must-end": (
        ("The response must end with a period.", "."),
        ("Your reply should end in a full stop.", "."),
    ),
}


def _end_mark_items() -> Iterator[Item]:
    for family, pairs in END_MARK_FRAMES.items():
        for frame, mark in pairs:
            if mark == ".":
                answers: Answers = ((_BODY, True), (f"{_BODY} {_ASK}", False))
            else:
                last = _ASK if mark == "?" else _EXCLAIM
                answers = ((f"{_BODY} {last}", True), (_BODY, False), (f"{last} {_BODY}", False))
            yield Item(f"end-mark/{family}", frame, answers)


# ------------------------------------------------- each unit: how it ends

_END_MARKS = (("period", "a", "."), ("exclamation mark", "an", "!"), ("question mark", "a", "?"))
EACH_END_FRAMES: dict[str, tuple[str, ...]] = {
    "end-every": ("End every {u} with {a} {m}.", "End each {u} with {a} {m}."),
    "must-end": ("Every {u} must end with {a} {m}.", "Each {u} should end in {a} {m}."),
    "no-end": ("No {u} should end with {a} {m}.", "Don't end any {u} with {a} {m}."),
    "all-end": ("All {u}s must finish with {a} {m}.", "{U}s should all end with {a} {m}."),
}


def _each_end_items() -> Iterator[Item]:
    for family, frames in EACH_END_FRAMES.items():
        for f, frame in enumerate(frames):
            for u, (unit, join) in enumerate(_JOIN.items()):
                name, article, mark = _END_MARKS[(f + u) % len(_END_MARKS)]
                other = "!" if mark != "!" else "."
                if family == "no-end":
                    good = [_part(5, i) + other for i in range(4)]
                    bad = [*good[:2], _part(5, 2) + mark, good[3]]
                else:
                    good = [_part(5, i) + mark for i in range(4)]
                    bad = [*good[:2], _part(5, 2) + other, good[3]]
                text = _said(frame, u=unit, U=unit.capitalize(), a=article, m=name)
                yield Item(f"each-end/{family}", text, ((join(good), True), (join(bad), False)))


# ------------------------------- each unit: its length in characters or sentences

EACH_CHARS_FRAMES: dict[str, tuple[str, ...]] = {
    "keep-under": (
        "Keep each {u} under {n} characters.",
        "Keep every {u} shorter than {n} characters.",
    ),
    "no-longer": (
        "No {u} may be longer than {n} characters.",
        "No {u} should exceed {n} characters.",
    ),
    "at-most": (
        "Every {u} must be at most {n} characters long.",
        "Each {u} should be {n} characters or fewer.",
    ),
    "limit": ("Limit each {u} to {n} characters.", "Limit every {u} to {n} characters max."),
}


def _each_chars_items() -> Iterator[Item]:
    for family, frames in EACH_CHARS_FRAMES.items():
        for f, frame in enumerate(frames):
            for u, (unit, join) in enumerate(_JOIN.items()):
                n = (40, 50, 60)[(f + u) % 3]
                good = [_chars(n - 6 - i, i) for i in range(4)]
                bad = [*good[:3], _chars(n + 8, 3)]
                text = _said(frame, u=unit, n=n)
                yield Item(f"each-chars/{family}", text, ((join(good), True), (join(bad), False)))


# (frame, unit, bound kind, n)
EACH_SENTENCES_FRAMES: dict[str, tuple[tuple[str, str, str, int], ...]] = {
    "each-at-most": (
        ("Each paragraph should have at most {n} sentences.", "paragraph", "at_most", 2),
        ("Every paragraph must have {n} sentences or fewer.", "paragraph", "at_most", 3),
    ),
    "exactly": (
        ("Every paragraph must contain exactly {n} sentences.", "paragraph", "exactly", 2),
        ("Each bullet point should be exactly one sentence.", "bullet point", "exactly", 1),
    ),
    "no-more": (
        ("No paragraph may have more than {n} sentences.", "paragraph", "at_most", 3),
        ("No bullet point should have more than {n} sentences.", "bullet point", "at_most", 2),
    ),
    "keep": (
        ("Keep every paragraph to at most {n} sentences.", "paragraph", "at_most", 2),
        ("Limit each paragraph to {n} sentences or fewer.", "paragraph", "at_most", 3),
    ),
}


def _each_sentences_items() -> Iterator[Item]:
    for family, frames in EACH_SENTENCES_FRAMES.items():
        for frame, unit, bound, n in frames:
            join = _JOIN[unit]
            fits = n if bound == "exactly" else n - (1 if n > 1 else 0)
            good = [_sentences(fits, 2 * i) for i in range(3)]
            bad = [*good[:2], _sentences(n + 1, 5)]
            answers: Answers = ((join(good), True), (join(bad), False))
            if bound == "at_most":
                answers = (*answers, (join([_sentences(n, 2 * i) for i in range(3)]), True))
            yield Item(f"each-sentences/{family}", frame.format(n=n), answers)


# --------------------------- counted marks: emojis, hashtags, placeholders, caps words

# (frame, passing counts, failing counts)
CountFrames = dict[str, tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]]
EMOJI_FRAMES: CountFrames = {
    "use": (("Use at least 2 emojis.", (2, 3), (1,)), ("Use exactly one emoji.", (1,), (0, 2))),
    "no": (("No emojis.", (0,), (1,)), ("Don't use any emojis.", (0,), (1, 2))),
    "max": (
        ("Use no more than 2 emojis.", (1, 2), (3,)),
        ("Include 3 emojis at most.", (0, 3), (4,)),
    ),
    "include": (
        ("Include 2 or more emojis.", (2, 3), (1,)),
        ("Add exactly 3 emojis.", (3,), (2, 4)),
    ),
}
HASHTAG_FRAMES: CountFrames = {
    "include": (
        ("Include exactly 3 hashtags.", (3,), (2, 4)),
        ("Include at least 2 hashtags.", (2, 3), (1,)),
    ),
    "add": (
        ("Add no more than 2 hashtags.", (1, 2), (3,)),
        ("Add 2 or more hashtags.", (2, 4), (1,)),
    ),
    "no": (("No hashtags.", (0,), (1,)), ("Don't use hashtags.", (0,), (2,))),
    "use": (("Use at most 3 hashtags.", (3,), (4,)), ("Use exactly one hashtag.", (1,), (0, 2))),
}
PLACEHOLDER_FRAMES: CountFrames = {
    "include": (
        ("Include at least 2 placeholders in square brackets, such as [name].", (2, 3), (1,)),
        ("Include exactly 3 placeholders in square brackets.", (3,), (2, 4)),
    ),
    "use": (
        ("Use 2 or more placeholders like [address].", (2, 4), (1,)),
        ("Use at least 3 placeholders represented by square brackets.", (3,), (2,)),
    ),
    "no": (
        ("Don't use placeholders in square brackets.", (0,), (1,)),
        ("No placeholders in square brackets.", (0,), (2,)),
    ),
    "add": (
        ("Add at least one placeholder in square brackets.", (1, 2), (0,)),
        ("Add no more than 2 placeholders such as [date].", (0, 2), (3,)),
    ),
}
CAPS_FRAMES: CountFrames = {
    "at-least": (
        ("Use at least 2 words in all capital letters.", (2, 3), (1,)),
        ("Include at least 3 words in ALL CAPS.", (3, 4), (2,)),
    ),
    "at-most": (
        ("Use no more than 2 words in all caps.", (1, 2), (3,)),
        ("Fewer than 3 words should be in all capital letters.", (2,), (3,)),
    ),
    "none": (
        ("Don't write any word in all caps.", (0,), (1,)),
        ("No all-caps words.", (0,), (2,)),
    ),
    "exactly": (
        ("Use exactly 2 all-caps words.", (2,), (1, 3)),
        ("Write exactly one word in all capital letters.", (1,), (0, 2)),
    ),
}
_COUNTED: dict[str, tuple[CountFrames, Callable[[int], str]]] = {
    "emoji": (EMOJI_FRAMES, lambda m: _BODY + "".join(" " + "🍵🌿🚂🌊"[i] for i in range(m))),
    "hashtag": (
        HASHTAG_FRAMES,
        lambda m: _BODY + "".join(f" #{t}" for t in ("travel", "trains", "slow", "coast")[:m]),
    ),
    "placeholder": (
        PLACEHOLDER_FRAMES,
        lambda m: (
            f"{_BODY} Meet "
            + " and ".join(["me", *("[name]", "[place]", "[date]", "[time]")[:m]])
            + "."
        ),
    ),
    "caps": (
        CAPS_FRAMES,
        lambda m: " ".join([_BODY, *("It was SLOW.", "It felt CALM.", "Seats were WARM.")[:m]]),
    ),
}


def _counted_items() -> Iterator[Item]:
    for kind, (frames_of, make) in _COUNTED.items():
        for family, frames in frames_of.items():
            for frame, ok, bad in frames:
                answers = (*((make(m), True) for m in ok), *((make(m), False) for m in bad))
                yield Item(f"{kind}/{family}", frame, answers)


# the kinds in the order they were added (see `inventory.KINDS`)
KINDS = (
    *("range", "reason", "keyword", "letter", "punctuation", "questions", "end-mark"),
    *("each-end", "each-chars", "each-sentences", "emoji", "hashtag", "placeholder", "caps"),
)


def items() -> Iterator[Item]:
    """Every item of the second wave's counted and per-unit kinds, in a fixed order."""
    yield from _range_items()
    yield from _reason_items()
    yield from _keyword_items()
    yield from _punctuation_items()
    yield from _question_items()
    yield from _end_mark_items()
    yield from _each_end_items()
    yield from _each_chars_items()
    yield from _each_sentences_items()
    yield from _counted_items()
