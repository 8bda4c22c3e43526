"""The fifth wave of the reader inventory, chosen before the reader was run on it: a
range or a floor for each unit, emojis at a place, blank lines, what each section
holds, and every word capitalised. Each sentence carries answers built to pass and to
fail it. See `inventory`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cadenza.bench.inventory_forms import _BODY, _SENTENCES, Answers, Frames, Item, _words, framed


def _paras(*sizes: int) -> str:
    return "\n\n".join(_words(k) for k in sizes)


def _bullets(*sizes: int) -> str:
    return "\n".join(f"- {_words(k)}" for k in sizes)


EACH_RANGE_FRAMES: Frames = {
    "between": (
        (
            "Each paragraph should be between 10 and 20 words.",
            ((_paras(10, 15, 20), True), (_paras(12, 9, 15), False), (_paras(12, 21), False)),
        ),
        (
            "Every bullet point must have between 3 and 6 words.",
            ((_bullets(3, 6, 4), True), (_bullets(3, 7), False), (_bullets(2, 5), False)),
        ),
    ),
    "dash-range": (
        (
            "Keep each paragraph to 10-20 words.",
            ((_paras(10, 20), True), (_paras(9, 15), False), (_paras(15, 21), False)),
        ),
        (
            "Each bullet should be 3 to 6 words long.",
            ((_bullets(4, 5), True), (_bullets(7, 5), False), (_bullets(4, 2), False)),
        ),
    ),
    "at-least": (
        (
            "Every paragraph must have at least 12 words.",
            ((_paras(12, 30), True), (_paras(30, 11), False)),
        ),
        (
            "Each bullet point needs at least 4 words.",
            ((_bullets(4, 9), True), (_bullets(9, 3), False)),
        ),
    ),
    "no-shorter": (
        (
            "No paragraph should be shorter than 12 words.",
            ((_paras(12, 20), True), (_paras(20, 11), False)),
        ),
        (
            "No bullet may have fewer than 4 words.",
            ((_bullets(4, 6), True), (_bullets(6, 3), False)),
        ),
    ),
}

_EMOJI_END = f"{_BODY} 🚂"
_EMOJI_START = f"🚂 {_BODY}"
_LINES_EMOJI = "\n".join(f"{s} 🌿" for s in _SENTENCES[:3])
_LINES_MISSING = "\n".join(f"{s} 🌿" if i != 1 else s for i, s in enumerate(_SENTENCES[:3]))
EMOJI_PLACE_FRAMES: Frames = {
    "end-with": (
        ("End your answer with an emoji.", ((_EMOJI_END, True), (_EMOJI_START, False))),
        ("Finish with an emoji.", ((_EMOJI_END, True), (_BODY, False))),
    ),
    "start-with": (
        ("Start your reply with an emoji.", ((_EMOJI_START, True), (_EMOJI_END, False))),
        ("Begin with an emoji.", ((_EMOJI_START, True), (_BODY, False))),
    ),
    "each-line": (
        ("End every line with an emoji.", ((_LINES_EMOJI, True), (_LINES_MISSING, False))),
        ("Each line should end with an emoji.", ((_LINES_EMOJI, True), (_LINES_MISSING, False))),
    ),
    "none-in": (
        (
            "Don't put emojis at the start.",
            ((_EMOJI_END, True), (_BODY, True), (_EMOJI_START, False)),
        ),
        ("Do not begin with an emoji.", ((_BODY, True), (_EMOJI_START, False))),
    ),
}

_BLANK = "\n\n".join(_SENTENCES[:3])
_TIGHT = "\n".join(_SENTENCES[:3])
BLANK_LINE_FRAMES: Frames = {
    "no-blank": (
        ("Don't leave any blank lines.", ((_TIGHT, True), (_BLANK, False))),
        ("No empty lines.", ((_TIGHT, True), (_BLANK, False))),
    ),
    "avoid": (
        ("Avoid blank lines.", ((_TIGHT, True), (_BLANK, False))),
        ("Avoid empty lines between lines.", ((_TIGHT, True), (_BLANK, False))),
    ),
    "without": (
        ("Write it without blank lines.", ((_TIGHT, True), (_BLANK, False))),
        ("Write without any empty lines.", ((_TIGHT, True), (_BLANK, False))),
    ),
    "must-not": (
        ("There must be no blank lines.", ((_TIGHT, True), (_BLANK, False))),
        ("There should not be any empty lines.", ((_TIGHT, True), (_BLANK, False))),
    ),
}


def _sections(*bodies: str) -> str:
    return "\n\n".join(f"## Part {i + 1}\n\n{b}" for i, b in enumerate(bodies))


_TWO_PARAS = f"{_SENTENCES[0]}\n\n{_SENTENCES[1]}"
_THREE_PARAS = f"{_TWO_PARAS}\n\n{_SENTENCES[2]}"
_THREE_BULLETS = "- a tree\n- a hill\n- a lake"
_TWO_BULLETS = "- a tree\n- a hill"
SECTION_FRAMES: Frames = {
    "paragraphs": (
        (
            "Each section should have at most 2 paragraphs.",
            ((_sections(_TWO_PARAS, _SENTENCES[3]), True), (_sections(_THREE_PARAS), False)),
        ),
        (
            "Every section must contain exactly 2 paragraphs.",
            (
                (_sections(_TWO_PARAS, _TWO_PARAS), True),
                (_sections(_TWO_PARAS, _SENTENCES[3]), False),
            ),
        ),
    ),
    "bullets": (
        (
            "Each section should include exactly 3 bullet points.",
            (
                (_sections(_THREE_BULLETS, _THREE_BULLETS), True),
                (_sections(_THREE_BULLETS, _TWO_BULLETS), False),
            ),
        ),
        (
            "Every section needs at least 3 bullet points.",
            ((_sections(_THREE_BULLETS), True), (_sections(_TWO_BULLETS), False)),
        ),
    ),
    "no-section": (
        (
            "No section may have more than 2 paragraphs.",
            ((_sections(_TWO_PARAS), True), (_sections(_TWO_PARAS, _THREE_PARAS), False)),
        ),
        (
            "No section should contain more than 3 bullet points.",
            ((_sections(_THREE_BULLETS), True), (_sections(_THREE_BULLETS + "\n- a road"), False)),
        ),
    ),
    "keep": (
        (
            "Keep each section to 2 paragraphs or fewer.",
            ((_sections(_TWO_PARAS), True), (_sections(_THREE_PARAS), False)),
        ),
        (
            "Keep every section under 3 paragraphs.",
            ((_sections(_TWO_PARAS), True), (_sections(_THREE_PARAS), False)),
        ),
    ),
}

_ALL_CAPITALISED = "The Train Left Early In The Morning."
_SOME_CAPITALISED = "The Train left Early In The Morning."
_CAPITALISED: Answers = ((_ALL_CAPITALISED, True), (_SOME_CAPITALISED, False))
WORD_CAPS_FRAMES: Frames = {
    "capitalize": (
        ("Capitalize the first letter of every word.", _CAPITALISED),
        ("Capitalise the first letter of each word.", _CAPITALISED),
    ),
    "start": (
        ("Every word must start with a capital letter.", _CAPITALISED),
        ("Each word should begin with an uppercase letter.", _CAPITALISED),
    ),
    "title-case": (
        ("Write the whole answer in title case.", _CAPITALISED),
        ("Use title case throughout.", _CAPITALISED),
    ),
    "no-lower": (
        ("No word may start with a lowercase letter.", _CAPITALISED),
        ("Don't start any word with a small letter.", _CAPITALISED),
    ),
}

_KINDS: dict[str, Frames] = {
    "each-range": EACH_RANGE_FRAMES,
    "emoji-place": EMOJI_PLACE_FRAMES,
    "blank-lines": BLANK_LINE_FRAMES,
    "section-holds": SECTION_FRAMES,
    "word-caps": WORD_CAPS_FRAMES,
}

# the kinds in the order they were added (see `inventory.KINDS`)
KINDS = tuple(_KINDS)


def items() -> Iterator[Item]:
    """Every item of the fifth wave, in a fixed order."""
    return framed(_KINDS)
