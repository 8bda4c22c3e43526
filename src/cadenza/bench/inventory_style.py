"""The third wave of the reader inventory: what a word, a line or the markup of an
answer may look like, chosen before the reader was run on them: word length, how each
line or item opens, repetition, markdown allowed or not, bold spans, and the kind of
list. Each sentence carries answers built to pass and to fail it. See `inventory`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cadenza.bench.inventory_forms import _BODY, Answers, Item, _part

# ------------------------------------------------------------- word length

_LONG = {8: "wonderful", 10: "magnificent", 12: "extraordinary"}  # one letter over each
WORD_LENGTH_FRAMES: dict[str, tuple[str, ...]] = {
    "no-longer": (
        "Use no word longer than {n} letters.",
        "No word may be longer than {n} letters.",
    ),
    "avoid": (
        "Avoid words with more than {n} letters.",
        "Avoid any word longer than {n} characters.",
    ),
    "every": (
        "Every word must be at most {n} letters long.",
        "Each word should have {n} letters or fewer.",
    ),
    "dont": ("Don't use words over {n} letters.", "Do not write words of more than {n} letters."),
}


def _word_length_items() -> Iterator[Item]:
    for family, frames in WORD_LENGTH_FRAMES.items():
        for f, frame in enumerate(frames):
            for k, (n, long) in enumerate(_LONG.items()):
                if (k + f) % 2:
                    continue
                answers = ((_BODY, True), (f"{_BODY} It was {long}.", False))
                yield Item(f"word-length/{family}", frame.format(n=n), answers)


# ------------------------------------------------------ how each line opens

_LINES = [_part(4, i) + "." for i in range(4)]


def _opened(mark: str, miss: bool = False, bullets: bool = False) -> str:
    lines = [f"{mark}{line}" for line in _LINES]
    if miss:
        lines[2] = _LINES[2]
    if bullets:
        return "\n".join(f"- {line}" for line in lines)
    return "\n".join(lines)


_LOWERED = "\n".join(
    line[0].lower() + line[1:] if i == 1 else line for i, line in enumerate(_LINES)
)
LINE_START_FRAMES: dict[str, tuple[tuple[str, Answers], ...]] = {
    "dash": (
        ("Start every line with a dash.", ((_opened("- "), True), (_opened("- ", True), False))),
        ("Each line should begin with '>'.", ((_opened("> "), True), (_opened("> ", True), False))),
    ),
    "capital": (
        ("Begin every line with a capital letter.", (("\n".join(_LINES), True), (_LOWERED, False))),
        (
            "Each sentence must start with a capital letter.",
            ((" ".join(_LINES), True), (_LOWERED.replace("\n", " "), False)),
        ),
    ),
    "number": (
        (
            "Start each line with a number.",
            (
                ("\n".join(f"{i + 1}) {x}" for i, x in enumerate(_LINES)), True),
                (_opened(""), False),
            ),
        ),
        (
            "Every line must begin with a digit.",
            (("\n".join(f"{i + 1} {x}" for i, x in enumerate(_LINES)), True), (_opened(""), False)),
        ),
    ),
    "word": (
        (
            "Every bullet point should start with the word 'Then'.",
            ((_opened("Then ", bullets=True), True), (_opened("Then ", True, True), False)),
        ),
        (
            "Open each line with 'Note:'.",
            ((_opened("Note: "), True), (_opened("Note: ", True), False)),
        ),
    ),
}

# ---------------------------------------------------------------- repetition

_DISTINCT = ("Ash", "Birch", "Cedar", "Elm")
_REPEATED = ("Ash", "Birch", "Ash", "Elm")


def _bulleted(names: tuple[str, ...]) -> str:
    return "\n".join(f"- {n} trees grow here." for n in names)


def _lined(names: tuple[str, ...]) -> str:
    return "\n".join(f"{n} trees grow here." for n in names)


def _sentenced(names: tuple[str, ...]) -> str:
    return " ".join(f"{n} trees grow here." for n in names)


UNIQUE_FRAMES: dict[str, tuple[tuple[str, Answers], ...]] = {
    "dont-repeat": (
        (
            "Don't repeat any bullet point.",
            ((_bulleted(_DISTINCT), True), (_bulleted(_REPEATED), False)),
        ),
        ("Do not repeat any line.", ((_lined(_DISTINCT), True), (_lined(_REPEATED), False))),
    ),
    "different": (
        ("Every line must be different.", ((_lined(_DISTINCT), True), (_lined(_REPEATED), False))),
        (
            "All bullet points should be different from each other.",
            ((_bulleted(_DISTINCT), True), (_bulleted(_REPEATED), False)),
        ),
    ),
    "no-two": (
        (
            "No two sentences may be the same.",
            ((_sentenced(_DISTINCT), True), (_sentenced(_REPEATED), False)),
        ),
        (
            "No two bullets should be identical.",
            ((_bulleted(_DISTINCT), True), (_bulleted(_REPEATED), False)),
        ),
    ),
    "unique": (
        ("Each line should be unique.", ((_lined(_DISTINCT), True), (_lined(_REPEATED), False))),
        (
            "Make every sentence unique.",
            ((_sentenced(_DISTINCT), True), (_sentenced(_REPEATED), False)),
        ),
    ),
}

# ------------------------------------------------------------- markdown, bold

_BOLDED = f"{_BODY} It was **very** calm."
_TWO_BOLD = f"{_BODY} It was **very** calm and **quiet**."
_HEADED = f"# Trip\n\n{_BODY}"
_ITALIC = f"{_BODY} It was *very* calm."
MARKDOWN_FRAMES: dict[str, tuple[tuple[str, Answers], ...]] = {
    "no-markdown": (
        ("Don't use markdown.", ((_BODY, True), (_BOLDED, False), (_HEADED, False))),
        ("Plain text only, no markdown.", ((_BODY, True), (_HEADED, False))),
    ),
    "no-bold": (
        ("No bold text.", ((_BODY, True), (_BOLDED, False))),
        ("Do not use bold.", ((_ITALIC, True), (_TWO_BOLD, False))),
    ),
    "no-headings": (
        ("Don't use any headings.", ((_BODY, True), (_HEADED, False))),
        ("Avoid headers.", ((_BOLDED, True), (_HEADED, False))),
    ),
    "no-italics": (
        ("Avoid italics.", ((_BODY, True), (_ITALIC, False))),
        ("Don't use italic text.", ((_BOLDED, True), (_ITALIC, False))),
    ),
}
BOLD_FRAMES: dict[str, tuple[tuple[str, Answers], ...]] = {
    "at-least": (
        ("Bold at least 2 key terms.", ((_TWO_BOLD, True), (_BOLDED, False))),
        ("Put at least one word in bold.", ((_BOLDED, True), (_BODY, False))),
    ),
    "exactly": (
        ("Use bold for exactly one phrase.", ((_BOLDED, True), (_TWO_BOLD, False), (_BODY, False))),
        ("Bold exactly 2 words.", ((_TWO_BOLD, True), (_BOLDED, False))),
    ),
    "at-most": (
        ("Use bold no more than once.", ((_BOLDED, True), (_BODY, True), (_TWO_BOLD, False))),
        ("Bold at most 1 phrase.", ((_BOLDED, True), (_TWO_BOLD, False))),
    ),
    "highlight": (
        ("Highlight at least 2 words in bold.", ((_TWO_BOLD, True), (_BOLDED, False))),
        ("Highlight exactly one term in bold.", ((_BOLDED, True), (_TWO_BOLD, False))),
    ),
}

# ------------------------------------------------------------ kinds of list

_NUMBERED = "Steps:\n1. Boil water.\n2. Add tea.\n3. Wait."
_BULLETED = "Steps:\n- Boil water.\n- Add tea.\n- Wait."
_PROSE = "Boil water, add tea and wait."
LIST_FRAMES: dict[str, tuple[tuple[str, Answers], ...]] = {
    "use-numbered": (
        ("Use a numbered list.", ((_NUMBERED, True), (_BULLETED, False), (_PROSE, False))),
        ("Format the steps as a numbered list.", ((_NUMBERED, True), (_PROSE, False))),
    ),
    "use-bulleted": (
        ("Use a bulleted list.", ((_BULLETED, True), (_PROSE, False))),
        ("Format the answer as a bullet list.", ((_BULLETED, True), (_PROSE, False))),
    ),
    "no-list": (
        ("Don't use bullet points.", ((_PROSE, True), (_BULLETED, False))),
        ("No numbered lists.", ((_PROSE, True), (_NUMBERED, False))),
    ),
    "prose": (
        ("Write in prose, not a list.", ((_PROSE, True), (_BULLETED, False), (_NUMBERED, False))),
        ("Avoid lists.", ((_PROSE, True), (_NUMBERED, False))),
    ),
}

_LISTED: dict[str, dict[str, tuple[tuple[str, Answers], ...]]] = {
    "line-start": LINE_START_FRAMES,
    "unique": UNIQUE_FRAMES,
    "markdown": MARKDOWN_FRAMES,
    "bold": BOLD_FRAMES,
    "list-kind": LIST_FRAMES,
}

# the kinds in the order they were added (see `inventory.KINDS`)
KINDS = ("word-length", *_LISTED)


def items() -> Iterator[Item]:
    """Every item of the third wave, in a fixed order."""
    yield from _word_length_items()
    for kind, frames_of in _LISTED.items():
        for family, frames in frames_of.items():
            for sentence, answers in frames:
                yield Item(f"{kind}/{family}", sentence, answers)
