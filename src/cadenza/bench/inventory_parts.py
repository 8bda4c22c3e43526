"""The fourth wave of the reader inventory, chosen before the reader was run on it:
sentences one to a line, one-word and one-line answers, quotations, a line the answer
opens with, numbers written as digits, and how headings are written. Each sentence
carries answers built to pass and to fail it. See `inventory`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cadenza.bench.inventory_forms import _BODY, _SENTENCES, Answers, Frames, Item, framed

_ONE_A_LINE = "\n".join(_SENTENCES[:4])
_TWO_ON_ONE = "\n".join([_SENTENCES[0], f"{_SENTENCES[1]} {_SENTENCES[2]}", _SENTENCES[3]])
_ONE_A_LINE_ANSWERS: Answers = ((_ONE_A_LINE, True), (_TWO_ON_ONE, False))
OWN_LINE_FRAMES: Frames = {
    "own-line": (
        ("Put each sentence on its own line.", _ONE_A_LINE_ANSWERS),
        ("Every sentence should go on a separate line.", _ONE_A_LINE_ANSWERS),
    ),
    "new-line": (
        ("Start every sentence on a new line.", _ONE_A_LINE_ANSWERS),
        ("Write each sentence on a new line.", _ONE_A_LINE_ANSWERS),
    ),
    "per-line": (
        ("One sentence per line.", _ONE_A_LINE_ANSWERS),
        ("Use one sentence per line, please.", _ONE_A_LINE_ANSWERS),
    ),
    "line-holds": (
        ("Each line should hold exactly one sentence.", _ONE_A_LINE_ANSWERS),
        ("No line may contain more than one sentence.", _ONE_A_LINE_ANSWERS),
    ),
}

_WORD: Answers = (("Yes.", True), ("Yes, it is.", False))
_LINE: Answers = (("It left early and we sat by the window.", True), (_ONE_A_LINE, False))
ONE_WORD_FRAMES: Frames = {
    "answer-with": (
        ("Answer with a single word.", _WORD),
        ("Answer with one line only.", _LINE),
    ),
    "reply-in": (("Reply in one word.", _WORD), ("Reply in a single line.", _LINE)),
    "just": (("Just one word, please.", _WORD), ("Just one line.", _LINE)),
    "must-be": (
        ("Your answer must be one word.", _WORD),
        ("The whole reply should fit on one line.", _LINE),
    ),
}

_QUOTE1 = f'{_BODY} She said "wait here" to us.'
_QUOTE2 = f'{_BODY} She said "wait here" and he said "fine by me".'
QUOTE_FRAMES: Frames = {
    "include": (
        ("Include at least 2 direct quotes.", ((_QUOTE2, True), (_QUOTE1, False))),
        ("Include exactly one quotation.", ((_QUOTE1, True), (_QUOTE2, False), (_BODY, False))),
    ),
    "use": (
        ("Use at least one quotation in double quotes.", ((_QUOTE1, True), (_BODY, False))),
        ("Use no more than one direct quote.", ((_QUOTE1, True), (_BODY, True), (_QUOTE2, False))),
    ),
    "none": (
        ("Don't quote anyone.", ((_BODY, True), (_QUOTE1, False))),
        ("No direct quotes.", ((_BODY, True), (_QUOTE2, False))),
    ),
    "quote": (
        ("Quote at least two people directly.", ((_QUOTE2, True), (_QUOTE1, False))),
        ("Add a direct quotation.", ((_QUOTE1, True), (_BODY, False))),
    ),
}


def _led(lead: str, at_end: bool = False) -> str:
    return f"{_BODY}\n{lead} It went well." if at_end else f"{lead} It went well.\n{_BODY}"


def _lead_answers(lead: str) -> Answers:
    return ((_led(lead), True), (_BODY, False), (_led(lead, at_end=True), False))


LEAD_LINE_FRAMES: Frames = {
    "begin-line": (
        ("Begin with a line that starts with 'TL;DR:'.", _lead_answers("TL;DR:")),
        ("Start with a line beginning with 'Summary:'.", _lead_answers("Summary:")),
    ),
    "first-line": (
        ("The first line must begin with 'Subject:'.", _lead_answers("Subject:")),
        ("The first line should start with 'Re:'.", _lead_answers("Re:")),
    ),
    "open": (
        ("Open with a 'Note:' line.", _lead_answers("Note:")),
        ("Open with a line starting with 'Update:'.", _lead_answers("Update:")),
    ),
    "last-line": (
        (
            "The last line must start with 'Sent from'.",
            ((_led("Sent from", True), True), (_led("Sent from"), False)),
        ),
        ("End with a line that begins with 'Ref:'.", ((_led("Ref:", True), True), (_BODY, False))),
    ),
}

_DIGITS = f"{_BODY} It took 3 hours and 20 minutes."
_WORDS = f"{_BODY} It took three hours and 20 minutes."
_DIGIT_ANSWERS: Answers = ((_DIGITS, True), (_WORDS, False))
DIGITS_ONLY_FRAMES: Frames = {
    "write-as": (
        ("Write all numbers as digits.", _DIGIT_ANSWERS),
        ("Write every number in numerals.", _DIGIT_ANSWERS),
    ),
    "use-numerals": (
        ("Use numerals for every number, not words.", _DIGIT_ANSWERS),
        ("Use digits for all numbers.", _DIGIT_ANSWERS),
    ),
    "must-be": (
        ("Numbers must be written in digits.", _DIGIT_ANSWERS),
        ("All numbers should be written as numerals.", _DIGIT_ANSWERS),
    ),
    "dont-spell": (
        ("Don't spell out numbers.", _DIGIT_ANSWERS),
        ("Do not write numbers as words.", _DIGIT_ANSWERS),
    ),
}


def _headed(*headings: str) -> str:
    return "\n\n".join(f"{h}\n\n{_SENTENCES[i]}" for i, h in enumerate(headings))


_CAPS = (_headed("## TRIP", "## VIEW"), _headed("## TRIP", "## View"))
_TITLED = (_headed("## The Long Trip", "## A Green View"), _headed("## The long trip", "## View"))
_COLON = (_headed("## Trip:", "## View:"), _headed("## Trip:", "## View"))
_LEVEL2 = (_headed("## Trip", "## View"), _headed("## Trip", "# View"))


def _pair(texts: tuple[str, str]) -> Answers:
    return ((texts[0], True), (texts[1], False))


HEADING_FRAMES: Frames = {
    "caps": (
        ("Write every heading in all caps.", _pair(_CAPS)),
        ("Headings must be in uppercase.", _pair(_CAPS)),
    ),
    "title-case": (
        ("Put each heading in title case.", _pair(_TITLED)),
        ("All headings should be in title case.", _pair(_TITLED)),
    ),
    "colon": (
        ("End every heading with a colon.", _pair(_COLON)),
        ("Each heading must end with a colon.", _pair(_COLON)),
    ),
    "level": (
        ("Use ## for every heading.", _pair(_LEVEL2)),
        ("Every heading should be a level-2 heading.", _pair(_LEVEL2)),
    ),
}

_KINDS: dict[str, Frames] = {
    "own-line": OWN_LINE_FRAMES,
    "one-word": ONE_WORD_FRAMES,
    "quotes": QUOTE_FRAMES,
    "lead-line": LEAD_LINE_FRAMES,
    "digits-only": DIGITS_ONLY_FRAMES,
    "heading-form": HEADING_FRAMES,
}

# the kinds in the order they were added (see `inventory.KINDS`)
KINDS = tuple(_KINDS)


def items() -> Iterator[Item]:
    """Every item of the fourth wave, in a fixed order."""
    return framed(_KINDS)
