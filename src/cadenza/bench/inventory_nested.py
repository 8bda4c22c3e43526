"""The sixth wave of the reader inventory, chosen before the reader was run on it:
selections inside selections (the last sentence of each paragraph, the first word of
every line), a literal in each unit, the unit counted from the end (the second to
last, the penultimate), and the answer's first or last sentence. Each sentence carries
answers built to pass and to fail it. See `inventory`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cadenza.bench.inventory_forms import Frames, Item, framed

_ASKING = "The train left early. Was it late?\n\nWe sat by the window. Did you see it?"
_ONE_TELLS = "The train left early. Was it late?\n\nWe sat by the window. It was nice."
_EARLY = "It was early. The train left the old station before the sun rose."
_SHORT_FIRST = f"{_EARLY}\n\nWe sat down. It was a long and very slow ride along the coast."
_LONG_FIRST = f"{_EARLY}\n\nWe sat by the window of the old carriage for the whole long day. Fine."
_CAPPED_LINES = "Trains leave early.\nWe sat down.\nHills were green."
_LOW_LINE = "Trains leave early.\nwe sat down.\nHills were green."
NESTED_FRAMES: Frames = {
    "last-of-each": (
        (
            "The last sentence of each paragraph must be a question.",
            ((_ASKING, True), (_ONE_TELLS, False)),
        ),
        (
            "End each paragraph with a question.",
            ((_ASKING, True), (_ONE_TELLS, False)),
        ),
    ),
    "first-of-each": (
        (
            "The first sentence of every paragraph should be under 6 words.",
            ((_SHORT_FIRST, True), (_LONG_FIRST, False)),
        ),
        (
            "Each paragraph's first sentence must have fewer than 6 words.",
            ((_SHORT_FIRST, True), (_LONG_FIRST, False)),
        ),
    ),
    "first-word-of-each": (
        (
            "The first word of every line must be capitalized.",
            ((_CAPPED_LINES, True), (_LOW_LINE, False)),
        ),
        (
            "Capitalize the first word of each line.",
            ((_CAPPED_LINES, True), (_LOW_LINE, False)),
        ),
    ),
    "last-word-of-each": (
        (
            "The last word of every line should be 'now'.",
            (("Go now\nStop now\nWait now", True), ("Go now\nStop here\nWait now", False)),
        ),
        (
            "Every line must end with the word 'now'.",
            (("Go now\nStop now", True), ("Go now\nStop", False)),
        ),
    ),
}

_EVERY = "Tea is hot.\n\nGreen tea is calm.\n\nWe drink tea daily."
_MISSING = "Tea is hot.\n\nGreen leaves are calm.\n\nWe drink tea daily."
_BULLETS_EVERY = "- fast trains\n- fast cars\n- fast boats"
_BULLETS_MISSING = "- fast trains\n- slow cars\n- fast boats"
EACH_MENTIONS_FRAMES: Frames = {
    "each-mention": (
        ("Each paragraph must mention 'tea'.", ((_EVERY, True), (_MISSING, False))),
        (
            "Every bullet should include the word 'fast'.",
            ((_BULLETS_EVERY, True), (_BULLETS_MISSING, False)),
        ),
    ),
    "in-every": (
        ("Mention 'tea' in every paragraph.", ((_EVERY, True), (_MISSING, False))),
        (
            "Use the word 'fast' in each bullet point.",
            ((_BULLETS_EVERY, True), (_BULLETS_MISSING, False)),
        ),
    ),
    "no-unit-without": (
        ("No paragraph may leave out 'tea'.", ((_EVERY, True), (_MISSING, False))),
        ("Every paragraph has to contain 'tea'.", ((_EVERY, True), (_MISSING, False))),
    ),
    "none-with": (
        (
            "No paragraph should mention 'tea'.",
            ((_MISSING.replace("Tea", "Milk").replace("tea", "milk"), True), (_MISSING, False)),
        ),
        (
            "Don't use 'fast' in any bullet.",
            (("- slow trains\n- slow cars", True), (_BULLETS_MISSING, False)),
        ),
    ),
}

_P4 = ("One.", "Two. Three.", "Four. Five.", "Six.")
_P4_WRONG = ("One.", "Two. Three.", "Four.", "Five. Six.")
FROM_END_FRAMES: Frames = {
    "second-to-last": (
        (
            "The second-to-last paragraph should have exactly 2 sentences.",
            (("\n\n".join(_P4), True), ("\n\n".join(_P4_WRONG), False)),
        ),
        (
            "The second to last line must end with a comma.",
            (
                ("Dear Sam,\nThanks for the tea,\nAnn", True),
                ("Dear Sam,\nThanks for the tea.\nAnn", False),
            ),
        ),
    ),
    "penultimate": (
        (
            "The penultimate paragraph must have exactly 2 sentences.",
            (("\n\n".join(_P4), True), ("\n\n".join(_P4_WRONG), False)),
        ),
        (
            "The penultimate line should end with a comma.",
            (("Hi,\nSee you soon,\nAnn", True), ("Hi,\nSee you soon.\nAnn", False)),
        ),
    ),
    "last-two": (
        (
            "The last two lines must start with '>'.",
            (("Hi\n> a\n> b", True), ("Hi\n> a\nb", False), ("> a\nb\nc", False)),
        ),
        (
            "The final 2 bullet points should end with a question mark.",
            (("- a.\n- b?\n- c?", True), ("- a?\n- b.\n- c?", False)),
        ),
    ),
    "first-two": (
        (
            "The first two lines must start with '#'.",
            (("# a\n# b\nc", True), ("# a\nb\n# c", False)),
        ),
        (
            "The first 2 sentences should be questions.",
            (("Why? How? Fine.", True), ("Why? Fine. How?", False)),
        ),
    ),
}

_Q_FIRST = "Why take the train? It is slow. It is calm."
_Q_LAST = "It is slow. It is calm. Why take the train?"
OPENING_SENTENCE_FRAMES: Frames = {
    "opening": (
        ("The opening sentence should be a question.", ((_Q_FIRST, True), (_Q_LAST, False))),
        ("Your first sentence must be a question.", ((_Q_FIRST, True), (_Q_LAST, False))),
    ),
    "first-short": (
        (
            "Your first sentence must be under 6 words.",
            (
                ("Trains are slow. We sat by the window all day long.", True),
                ("We sat by the window all day long. Fine.", False),
            ),
        ),
        (
            "Keep the first sentence to 5 words or fewer.",
            (
                ("Trains are slow. We sat by the window all day long.", True),
                ("We sat by the window all day long. Fine.", False),
            ),
        ),
    ),
    "closing": (
        ("The closing sentence should be a question.", ((_Q_LAST, True), (_Q_FIRST, False))),
        ("Make your final sentence a question.", ((_Q_LAST, True), (_Q_FIRST, False))),
    ),
    "last-short": (
        (
            "The last sentence must have at most 4 words.",
            (
                ("We sat by the window all day long. It was fine.", True),
                ("Fine. We sat by the window all day long.", False),
            ),
        ),
        (
            "Keep your final sentence under 5 words.",
            (
                ("We sat by the window all day long. It was fine.", True),
                ("Fine. We sat by the window all day long.", False),
            ),
        ),
    ),
}

_KINDS: dict[str, Frames] = {
    "nested": NESTED_FRAMES,
    "each-mentions": EACH_MENTIONS_FRAMES,
    "from-end": FROM_END_FRAMES,
    "opening-sentence": OPENING_SENTENCE_FRAMES,
}

# the kinds in the order they were added (see `inventory.KINDS`)
KINDS = tuple(_KINDS)


def items() -> Iterator[Item]:
    """Every item of the sixth wave, in a fixed order."""
    return framed(_KINDS)
