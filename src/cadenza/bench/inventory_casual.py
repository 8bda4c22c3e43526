"""The seventh wave of the reader inventory, chosen before the reader was run on it: how
people write constraints in chat. A constraint wrapped in a hedge, a courtesy or a
reason ("pls ..., my boss skims"); two constraints in one sentence, joined by "and",
"but" or a comma (each with an answer that meets one and not the other, so a reading of
half the sentence fails the item); terse forms ("max 3 bullets", "<= 50 words", "100
words tops"); negation over a scope ("none of the sentences longer than ...", "no line
without ..."); and a measure of each unit said without a verb ("every line under 40
characters", "max 10 words per bullet"). Answers are written so that only one reading
of the sentence labels them all. See `inventory`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cadenza.bench.inventory_forms import Frames, Item, framed

_VOCAB = ("boats", "left", "the", "harbour", "early", "and", "gulls", "followed", "them", "out")


def _sentence(k: int, i: int = 0) -> str:
    """A sentence of `k` words (no commas), ending in a period."""
    return " ".join(_VOCAB[(i + j) % len(_VOCAB)] for j in range(k)).capitalize() + "."


def _prose(k: int) -> str:
    """`k` words in sentences of five (the last one shorter)."""
    out = []
    i = 0
    while k > 0:
        out.append(_sentence(min(5, k), i))
        k -= 5
        i += 1
    return " ".join(out)


def _sentences(k: int, words: int = 6) -> str:
    return " ".join(_sentence(words, i) for i in range(k))


def _paragraphs(*sizes: int) -> str:
    """Paragraphs holding `sizes` sentences each."""
    return "\n\n".join(_sentences(n) for n in sizes)


def _bullets(*sizes: int) -> str:
    """Bullets of `sizes` words each (no final period)."""
    return "\n".join(f"- {_sentence(n, i)[:-1]}" for i, n in enumerate(sizes))


def _lines(*chars: int) -> str:
    """Lines of exactly `chars` characters each."""
    out = []
    for i, n in enumerate(chars):
        text = (_sentence(12, i)[:-1] + " ") * 3
        out.append(text[: n - 1].rstrip().ljust(n - 1, "x") + ".")
    return "\n".join(out)


# ------------------------------------------- a constraint in a hedge or a courtesy

POLITE_FRAMES: Frames = {
    "pls-reason": (
        (
            "pls keep it to 3 bullets, my boss skims",
            ((_bullets(4, 4, 4), True), (_bullets(4, 4, 4, 4, 4), False)),
        ),
        (
            "Please stay under 60 words, people read this on their phones.",
            ((_prose(40), True), (_prose(75), False)),
        ),
    ),
    "hedge-bare": (
        (
            "If possible no more than 2 emojis.",
            (
                (f"{_prose(12)} 🍵", True),
                (f"{_prose(12)} 🍵 🌊", True),
                (f"{_prose(12)} 🍵🌊🚂🌿", False),
            ),
        ),
        ("Ideally at most 4 sentences.", ((_sentences(3), True), (_sentences(6), False))),
    ),
    "could-you": (
        (
            "Could you keep it to 2 paragraphs?",
            ((_paragraphs(2, 2), True), (_paragraphs(2, 2, 2, 2), False)),
        ),
        (
            "Would you mind using no more than 3 bullet points?",
            ((_bullets(4, 4, 4), True), (_bullets(4, 4, 4, 4, 4), False)),
        ),
    ),
    "try-to": (
        ("Try to keep it under 50 words.", ((_prose(30), True), (_prose(70), False))),
        (
            "Try not to use more than one exclamation mark.",
            (
                (f"{_sentences(2)} What a day!", True),
                ("What a day! Gulls followed them! Boats left!", False),
            ),
        ),
    ),
}

# ----------------------------- two constraints in one sentence (each answer set has
# an answer that meets one and not the other)

_NO_COMMA3 = _sentences(3)
_COMMA3 = "Boats left early, and gulls followed. " + _sentences(2)
JOINED_FRAMES: Frames = {
    "and": (
        (
            "Under 100 words and no bullet points.",
            (
                (_prose(60), True),
                (_bullets(6, 6, 6, 6, 6), False),  # 30 words, but bullets
                (_prose(130), False),
            ),
        ),
        (
            "Write 3 sentences and don't use any commas.",
            ((_NO_COMMA3, True), (_COMMA3, False), (_sentences(5), False)),
        ),
    ),
    "but": (
        (
            "Use 4 bullet points but keep each one under 8 words.",
            (
                (_bullets(4, 4, 4, 4), True),
                (_bullets(4, 4, 12, 4), False),
                (_bullets(4, 4, 4, 4, 4, 4), False),
            ),
        ),
        (
            "Two paragraphs but no more than 5 sentences in total.",
            (
                (_paragraphs(2, 2), True),
                (_paragraphs(4, 3), False),
                (_paragraphs(1, 1, 1), False),
            ),
        ),
    ),
    "comma-part": (
        (
            "Three paragraphs, the last one a single sentence.",
            (
                (_paragraphs(2, 2, 1), True),
                (_paragraphs(2, 2, 2), False),
                (_paragraphs(2, 1), False),
            ),
        ),
        (
            "Four bullet points, the first one starting with 'Note'.",
            (
                ("- Note the early boats\n- Gulls left\n- Harbour was calm\n- Them out", True),
                ("- The early boats\n- Gulls left\n- Harbour was calm\n- Them out", False),
                ("- Note the early boats\n- Gulls left\n- Harbour was calm", False),
            ),
        ),
    ),
    "reason-two": (
        (
            "Keep it under 50 words and skip the hashtags, it's for LinkedIn.",
            (
                (_prose(30), True),
                (f"{_prose(30)} #boats #harbour", False),
                (_prose(70), False),
            ),
        ),
        (
            "Max 3 bullets and no emojis since it goes to the board.",
            (
                (_bullets(4, 4, 4), True),
                (_bullets(4, 4, 4) + " 🚂", False),
                (_bullets(4, 4, 4, 4, 4), False),
            ),
        ),
    ),
}

# ------------------------------------------------------------------ terse forms

TERSE_FRAMES: Frames = {
    "max": (
        (
            "Max 3 bullets.",
            ((_bullets(4, 4, 4), True), (_bullets(4, 4), True), (_bullets(4, 4, 4, 4), False)),
        ),
        ("5 sentences max.", ((_sentences(5), True), (_sentences(6), False))),
    ),
    "symbol": (
        ("<= 50 words.", ((_prose(50), True), (_prose(40), True), (_prose(51), False))),
        ("≤ 4 sentences.", ((_sentences(4), True), (_sentences(5), False))),
    ),
    "tops": (
        ("100 words tops.", ((_prose(90), True), (_prose(110), False))),
        ("Two paragraphs tops.", ((_paragraphs(2, 2), True), (_paragraphs(2, 2, 2), False))),
    ),
    "limit-noun": (
        ("Word limit: 80.", ((_prose(70), True), (_prose(90), False))),
        ("Hard limit of 4 lines.", ((_lines(30, 30, 30), True), (_lines(*[30] * 6), False))),
    ),
    "min": (
        ("Min 3 sentences.", ((_sentences(4), True), (_sentences(2), False))),
        ("200 characters minimum.", ((_lines(125, 125), True), (_lines(150), False))),
    ),
}

# ------------------------------------------------------------- negation scopes

NEGATION_SCOPE_FRAMES: Frames = {
    "none-of-the": (
        (
            "None of the sentences longer than 15 words.",
            (
                (f"{_sentence(10)} {_sentence(12, 1)}", True),
                (f"{_sentence(10)} {_sentence(20, 1)}", False),
            ),
        ),
        (
            "None of the bullet points should end with a period.",
            (("- Boats left\n- Gulls followed", True), ("- Boats left\n- Gulls followed.", False)),
        ),
    ),
    "no-without": (
        (
            "No paragraph without a number.",
            (
                ("Boats left at 6.\n\nGulls followed 12 of them.", True),
                ("Boats left at 6.\n\nGulls followed them out.", False),
            ),
        ),
        (
            "No line without a colon.",
            (
                ("Boats: early\nGulls: late\nHarbour: calm", True),
                ("Boats: early\nGulls late\nHarbour: calm", False),
            ),
        ),
    ),
    "not-a-single": (
        (
            "Not a single exclamation mark.",
            ((_sentences(3), True), (f"{_sentences(2)} What a day!", False)),
        ),
        ("Not one emoji, please.", ((_sentences(3), True), (f"{_sentences(3)} 🌊", False))),
    ),
    "zero": (
        ("Zero hashtags.", ((_sentences(3), True), (f"{_sentences(3)} #boats", False))),
        (
            "Use zero semicolons.",
            ((_sentences(3), True), ("Boats left early; gulls followed them out.", False)),
        ),
    ),
}

# ----------------------------------------- a measure of each unit, said tersely

PER_UNIT_FRAMES: Frames = {
    "bare-each": (
        (
            "Every line under 40 characters.",
            ((_lines(25, 30, 20), True), (_lines(25, 60, 20), False)),
        ),
        (
            "Each bullet at most 8 words.",
            ((_bullets(5, 8, 3), True), (_bullets(5, 11, 3), False)),
        ),
    ),
    "per": (
        ("Max 10 words per bullet.", ((_bullets(6, 10, 4), True), (_bullets(6, 14, 4), False))),
        (
            "No more than 2 sentences per paragraph.",
            ((_paragraphs(2, 1, 2), True), (_paragraphs(2, 3, 2), False)),
        ),
    ),
    "each-after": (
        (
            "Keep the bullets to 6 words each.",
            ((_bullets(6, 6, 6), True), (_bullets(6, 9, 6), False)),
        ),
        (
            "Paragraphs of at most 3 sentences each.",
            ((_paragraphs(2, 3, 2), True), (_paragraphs(2, 4, 2), False)),
        ),
    ),
    "all-plural": (
        ("All lines under 50 characters.", ((_lines(40, 30), True), (_lines(40, 70), False))),
        (
            "All sentences should be 12 words or fewer.",
            ((_sentences(3, 12), True), (f"{_sentences(2)} {_sentence(16)}", False)),
        ),
    ),
}

_KINDS: dict[str, Frames] = {
    "polite": POLITE_FRAMES,
    "joined": JOINED_FRAMES,
    "terse": TERSE_FRAMES,
    "negation-scope": NEGATION_SCOPE_FRAMES,
    "per-unit": PER_UNIT_FRAMES,
}

# the kinds in the order they were added (see `inventory.KINDS`)
KINDS = tuple(_KINDS)


def items() -> Iterator[Item]:
    """Every item of the seventh wave, in a fixed order."""
    return framed(_KINDS)
