"""The second wave of the reader inventory, continued: constraints on markers and
layout (links and email addresses, numerals, postscripts, titles, quotes around the
answer, separators, dates in a format, tables, code blocks, order, the size of the
first, last or nth unit, several literals at once). See `inventory_forms`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cadenza.bench.inventory_forms import (
    _BODY,
    _SENTENCES,
    Answers,
    Item,
    _bullets,
    _paragraphs,
    _sentences,
    _words,
)

PresenceFrames = dict[str, tuple[tuple[str, Answers], ...]]

# ----------------------------------------- links, email addresses, numerals

# (frame, text that passes, text that fails)
_URL = f"{_BODY} See https://example.com/trains for times."
_TWO_URLS = f"{_URL} Maps are at https://example.org/maps today."
_EMAIL = f"{_BODY} Write to info@example.com with questions."
_DIGITS = f"{_BODY} It took 3 hours and 20 minutes over 2 days."
_SPELLED = f"{_BODY} It took three hours and twenty minutes over two days."
_ONE_DIGIT = f"{_BODY} It took 3 hours and twenty minutes over two days."
LINK_FRAMES: PresenceFrames = {
    "include-link": (
        ("Include a link.", ((_URL, True), (_BODY, False))),
        ("Include at least two URLs.", ((_TWO_URLS, True), (_URL, False))),
    ),
    "no-link": (
        ("Don't include any links.", ((_BODY, True), (_URL, False))),
        ("No URLs, please.", ((_BODY, True), (_TWO_URLS, False))),
    ),
    "email": (
        ("Include an email address.", ((_EMAIL, True), (_BODY, False))),
        ("Give an email address.", ((_EMAIL, True), (_URL, False))),
    ),
    "no-email": (
        ("Do not include any email addresses.", ((_BODY, True), (_EMAIL, False))),
        ("No email addresses.", ((_URL, True), (_EMAIL, False))),
    ),
}
DIGIT_FRAMES: PresenceFrames = {
    "no-digits": (
        ("Don't use any digits.", ((_SPELLED, True), (_ONE_DIGIT, False))),
        ("Do not use numerals.", ((_SPELLED, True), (_DIGITS, False))),
    ),
    "spell": (
        ("Spell out all numbers instead of using digits.", ((_SPELLED, True), (_ONE_DIGIT, False))),
        ("Write numbers as words, not digits.", ((_SPELLED, True), (_DIGITS, False))),
    ),
    "include": (
        ("Include at least 2 numerals.", ((_DIGITS, True), (_ONE_DIGIT, False))),
        ("Use 3 or more numerals.", ((_DIGITS, True), (_SPELLED, False))),
    ),
    "no": (
        ("No digits.", ((_SPELLED, True), (_DIGITS, False))),
        ("No numbers in digits, please.", ((_SPELLED, True), (_ONE_DIGIT, False))),
    ),
}

# ------------------------------------ markers: postscripts, titles, quotes, separators

_PS = f"{_BODY}\n\nP.S. Bring snacks."
_PPS = f"{_BODY}\n\nP.S. Bring snacks.\n\nP.P.S. And water."
_PS_FIRST = f"P.S. Bring snacks.\n\n{_BODY}"
POSTSCRIPT_FRAMES: PresenceFrames = {
    "end-with": (
        ("End with a postscript starting with P.S.", ((_PS, True), (_BODY, False))),
        ("End your letter with a P.S.", ((_PS, True), (_BODY, False), (_PS_FIRST, False))),
    ),
    "add": (
        ("Add a P.S. at the end.", ((_PS, True), (_BODY, False), (_PS_FIRST, False))),
        ("Add a postscript that starts with P.S.", ((_PS, True), (_BODY, False))),
    ),
    "include": (
        ("Include a P.S.", ((_PS, True), (_BODY, False))),
        ("Include a postscript (P.S.) at the bottom.", ((_PS, True), (_BODY, False))),
    ),
    "pps": (
        ("Finish with a P.P.S.", ((_PPS, True), (_PS, False))),
        ("Add a P.P.S. at the end.", ((_PPS, True), (_BODY, False))),
    ),
}
_ANGLED, _BOLD, _HEADED = "<<Slow Trains>>", "**Slow Trains**", "# Slow Trains"


def _titled(title: str) -> str:
    return f"{title}\n\n{_BODY}"


_ANGLED_ANSWERS: Answers = (
    (_titled(_ANGLED), True),
    (_BODY, False),
    (_titled("Slow Trains"), False),
)
TITLE_FRAMES: PresenceFrames = {
    "angular": (
        (
            "Give it a title wrapped in double angular brackets, such as <<my title>>.",
            _ANGLED_ANSWERS,
        ),
        ("Include a title in double angle brackets, like <<title>>.", _ANGLED_ANSWERS),
    ),
    "top": (
        ("Put a title in double angular brackets at the top.", _ANGLED_ANSWERS),
        ("Start with a title wrapped in << and >>.", _ANGLED_ANSWERS),
    ),
    "bold": (
        ("Start with a bold title.", ((_titled(_BOLD), True), (_titled("Slow Trains"), False))),
        ("Begin with a title in bold.", ((_titled(_BOLD), True), (_BODY, False))),
    ),
    "heading": (
        ("Start with a markdown heading.", ((_titled(_HEADED), True), (_BODY, False))),
        ("Begin your answer with a heading.", ((_titled(_HEADED), True), (_titled(_BOLD), False))),
    ),
}
_QUOTED: Answers = ((f'"{_BODY}"', True), (_BODY, False), (f'"{_BODY}', False))
WRAP_FRAMES: PresenceFrames = {
    "wrap": (
        ("Wrap your entire response in double quotation marks.", _QUOTED),
        ("Wrap the whole answer in double quotes.", _QUOTED),
    ),
    "enclose": (
        ("Enclose your reply in double quotation marks.", _QUOTED),
        ("Enclose the entire answer in double quotes.", _QUOTED),
    ),
    "put": (
        ("Put your whole answer in double quotes.", _QUOTED),
        ("Put the entire response inside quotation marks.", _QUOTED),
    ),
}


def _separated(mark: str, missing: bool = False) -> str:
    parts = [_sentences(2, 2 * i) for i in range(3)]
    if missing:
        return f"{parts[0]}\n\n{mark}\n\n{parts[1]}\n\n{parts[2]}"
    return f"\n\n{mark}\n\n".join(parts)


def _separator_answers(mark: str) -> Answers:
    return ((_separated(mark), True), (_paragraphs(3), False), (_separated(mark, True), False))


SEPARATOR_FRAMES: PresenceFrames = {
    "separate": (
        ("Separate the paragraphs with ***.", _separator_answers("***")),
        ("Separate paragraphs with the markdown divider ***.", _separator_answers("***")),
    ),
    "between": (
        ("Put *** between paragraphs.", _separator_answers("***")),
        ("Put a line of three asterisks between the paragraphs.", _separator_answers("***")),
    ),
    "use": (
        ("Use --- between paragraphs.", _separator_answers("---")),
        ("Use a horizontal rule (---) between paragraphs.", _separator_answers("---")),
    ),
    "divided": (
        ("Paragraphs should be divided by ***.", _separator_answers("***")),
        ("The paragraphs must be separated by ---.", _separator_answers("---")),
    ),
}

# ------------------------------------------------------------------ dates


def _dated(first: str, second: str) -> str:
    return f"The sale opens on {first} and closes on {second}. {_SENTENCES[1]}"


_ISO: Answers = (
    (_dated("2025-04-25", "2025-05-02"), True),
    (_dated("April 25, 2025", "2025-05-02"), False),
    (_dated("2025-04-25", "02/05/2025"), False),
)
_DMY: Answers = (
    (_dated("25/04/2025", "02/05/2025"), True),
    (_dated("2025-04-25", "02/05/2025"), False),
    (_dated("25/04/2025", "May 2, 2025"), False),
)
_MDY: Answers = (
    (_dated("04/25/2025", "05/02/2025"), True),
    (_dated("25/04/2025", "05/02/2025"), False),
    (_dated("04/25/2025", "2025-05-02"), False),
)
_DMY_DOTS: Answers = (
    (_dated("25.04.2025", "02.05.2025"), True),
    (_dated("25/04/2025", "02.05.2025"), False),
)
DATE_FRAMES: PresenceFrames = {
    "write": (
        ("Write all dates in YYYY-MM-DD format.", _ISO),
        ("Write every date as DD/MM/YYYY.", _DMY),
    ),
    "use": (
        ("Use the YYYY-MM-DD format for dates.", _ISO),
        ("Use MM/DD/YYYY for all dates.", _MDY),
    ),
    "must": (
        ("Dates must be in YYYY-MM-DD format.", _ISO),
        ("All dates should be formatted as DD.MM.YYYY.", _DMY_DOTS),
    ),
    "format": (
        ("Format dates as YYYY-MM-DD.", _ISO),
        ("Format every date like DD/MM/YYYY.", _DMY),
    ),
}

# ------------------------------------------------------- tables, code blocks


def _table(columns: int, rows: int) -> str:
    head = "| " + " | ".join(f"Col {c + 1}" for c in range(columns)) + " |"
    rule = "|" + "---|" * columns
    body = ["| " + " | ".join(f"v{r}{c}" for c in range(columns)) + " |" for r in range(rows)]
    return "\n".join(["Here it is:", "", head, rule, *body])


TABLE_FRAMES: PresenceFrames = {
    "format": (
        ("Format the answer as a markdown table.", ((_table(3, 3), True), (_bullets(3), False))),
        ("Present it as a table.", ((_table(2, 4), True), (_BODY, False))),
    ),
    "columns": (
        (
            "Use a markdown table with exactly 3 columns.",
            ((_table(3, 3), True), (_table(4, 3), False), (_BODY, False)),
        ),
        ("Make a table with 4 columns.", ((_table(4, 2), True), (_table(3, 2), False))),
    ),
    "rows": (
        ("The table should have at least 5 rows.", ((_table(2, 7), True), (_table(2, 2), False))),
        (
            "Include a table with no more than 4 rows.",
            ((_table(2, 2), True), (_table(2, 7), False)),
        ),
    ),
    "no": (
        ("Don't use tables.", ((_BODY, True), (_table(2, 2), False))),
        ("No tables, please.", ((_bullets(3), True), (_table(3, 2), False))),
    ),
}
_CODE = "Run this:\n\n```python\nprint('tea')\n```"
_TWO_CODE = f"{_CODE}\n\nThen this:\n\n```python\nprint('milk')\n```"
_NO_CODE = "Run print('tea') in a Python shell."
CODE_FRAMES: PresenceFrames = {
    "single": (
        ("Put the code in a single fenced code block.", ((_CODE, True), (_TWO_CODE, False))),
        ("Include exactly one code block.", ((_CODE, True), (_TWO_CODE, False), (_NO_CODE, False))),
    ),
    "wrap": (
        ("Wrap the code in triple backticks.", ((_CODE, True), (_NO_CODE, False))),
        ("Put the code inside a code block.", ((_CODE, True), (_NO_CODE, False))),
    ),
    "no": (
        ("Don't use code blocks.", ((_NO_CODE, True), (_CODE, False))),
        ("No code blocks.", ((_BODY, True), (_TWO_CODE, False))),
    ),
    "count": (
        ("Include at least 2 code blocks.", ((_TWO_CODE, True), (_CODE, False))),
        ("Use no more than one code block.", ((_CODE, True), (_NO_CODE, True), (_TWO_CODE, False))),
    ),
}

# ------------------------------------------------------------------ order

_ITEMS = ("Apples", "Bread", "Cheese", "Dates", "Eggs")
_MIXED = ("Bread", "Apples", "Eggs", "Cheese", "Dates")


def _listed(unit: str, names: tuple[str, ...]) -> str:
    if unit == "line":
        return "\n".join(names)
    return "Shopping:\n" + "\n".join(f"- {n}" for n in names)


def _ordered(unit: str, reverse: bool = False) -> Answers:
    sorted_ = tuple(reversed(_ITEMS)) if reverse else _ITEMS
    return ((_listed(unit, sorted_), True), (_listed(unit, _MIXED), False))


ORDER_FRAMES: PresenceFrames = {
    "alpha": (
        ("List the bullet points in alphabetical order.", _ordered("bullet")),
        ("Sort the bullets alphabetically.", _ordered("bullet")),
    ),
    "sort-lines": (
        ("Sort the lines alphabetically.", _ordered("line")),
        ("Put the lines in alphabetical order.", _ordered("line")),
    ),
    "a-to-z": (
        ("Order the list items from A to Z.", _ordered("bullet")),
        ("Arrange the list items in alphabetical order.", _ordered("bullet")),
    ),
    "reverse": (
        ("Sort the bullets in reverse alphabetical order.", _ordered("bullet", True)),
        ("List the lines from Z to A.", _ordered("line", True)),
    ),
}

# ------------------------------------------- the first, last or nth unit's size


def _paras(sizes: tuple[int, ...]) -> str:
    return "\n\n".join(_sentences(k, 2 * i) for i, k in enumerate(sizes))


def _worded_paras(sizes: tuple[int, ...]) -> str:
    return "\n\n".join(_words(k) for k in sizes)


POSITION_COUNT_FRAMES: PresenceFrames = {
    "first": (
        (
            "The first paragraph should have exactly 2 sentences.",
            ((_paras((2, 3, 1)), True), (_paras((3, 2, 2)), False), (_paras((1, 2)), False)),
        ),
        (
            "The opening paragraph must be at most 20 words.",
            ((_worded_paras((20, 40)), True), (_worded_paras((21, 10)), False)),
        ),
    ),
    "last": (
        (
            "The last paragraph must have at most 2 sentences.",
            ((_paras((3, 4, 2)), True), (_paras((1, 1, 3)), False)),
        ),
        (
            "Keep the final paragraph under 15 words.",
            ((_worded_paras((30, 14)), True), (_worded_paras((10, 15)), False)),
        ),
    ),
    "nth": (
        (
            "The second paragraph should contain at least 3 sentences.",
            ((_paras((1, 3, 1)), True), (_paras((3, 2, 3)), False)),
        ),
        (
            "The third paragraph must be exactly one sentence long.",
            ((_paras((2, 3, 1)), True), (_paras((1, 1, 2)), False)),
        ),
    ),
    "bullets": (
        (
            "The first bullet point must be under 6 words.",
            (
                ("- " + _words(5) + "\n- " + _words(9), True),
                ("- " + _words(6) + "\n- " + _words(3), False),
            ),
        ),
        (
            "The last bullet should have at least 8 words.",
            (
                ("- " + _words(3) + "\n- " + _words(8), True),
                ("- " + _words(9) + "\n- " + _words(7), False),
            ),
        ),
    ),
}

# --------------------------------------------- several literals at once

_A, _B, _C = "Oslo", "Bergen", "fjord"
_WITH = {
    "all": f"{_BODY} We went from {_A} to {_B} along a {_C}.",
    "no-a": f"{_BODY} We went to {_B} along a {_C}.",
    "no-b": f"{_BODY} We went from {_A} along a {_C}.",
    "no-c": f"{_BODY} We went from {_A} to {_B}.",
    "only-b": f"{_BODY} We went to {_B}.",
    "none": _BODY,
}
LITERALS_FRAMES: PresenceFrames = {
    "both": (
        (
            f"Mention both '{_A}' and '{_B}'.",
            ((_WITH["no-c"], True), (_WITH["no-a"], False), (_WITH["no-b"], False)),
        ),
        (
            f"Mention both {_A} and {_B}.",
            ((_WITH["all"], True), (_WITH["only-b"], False), (_WITH["none"], False)),
        ),
    ),
    "keywords": (
        (
            f"Include the keywords '{_A}', '{_B}' and '{_C}'.",
            ((_WITH["all"], True), (_WITH["no-c"], False), (_WITH["no-a"], False)),
        ),
        (
            f"Use the words {_A}, {_B} and {_C}.",
            ((_WITH["all"], True), (_WITH["no-b"], False)),
        ),
    ),
    "avoid-all": (
        (
            f"Avoid the words '{_A}' and '{_B}'.",
            ((_WITH["none"], True), (_WITH["only-b"], False), (_WITH["no-b"], False)),
        ),
        (
            f"Don't use the words '{_A}', '{_B}' or '{_C}'.",
            ((_WITH["none"], True), (_WITH["only-b"], False)),
        ),
    ),
    "never": (
        (
            f"Never mention {_A} or {_B}.",
            ((_WITH["none"], True), (_WITH["only-b"], False), (_WITH["no-b"], False)),
        ),
        (f"Do not say '{_A}' or '{_C}'.", ((_WITH["only-b"], True), (_WITH["no-b"], False))),
    ),
}

_PRESENCE: dict[str, PresenceFrames] = {
    "links": LINK_FRAMES,
    "digits": DIGIT_FRAMES,
    "postscript": POSTSCRIPT_FRAMES,
    "title": TITLE_FRAMES,
    "wrap": WRAP_FRAMES,
    "separator": SEPARATOR_FRAMES,
    "date": DATE_FRAMES,
    "table": TABLE_FRAMES,
    "code": CODE_FRAMES,
    "order": ORDER_FRAMES,
    "position-count": POSITION_COUNT_FRAMES,
    "literals": LITERALS_FRAMES,
}

# the kinds in the order they were added (see `inventory.KINDS`)
KINDS = tuple(_PRESENCE)


def items() -> Iterator[Item]:
    """Every item of the second wave's marker and layout kinds, in a fixed order."""
    for kind, frames_of in _PRESENCE.items():
        for family, frames in frames_of.items():
            for sentence, answers in frames:
                yield Item(f"{kind}/{family}", sentence, answers)
