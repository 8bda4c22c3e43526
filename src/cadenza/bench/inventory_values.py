"""The eighth wave of the reader inventory, chosen before the reader was run on it: how
values and small structures in a text are written. Dates in a format (YYYY-MM-DD,
DD/MM/YYYY, "March 5, 2024"), times (24-hour HH:MM, 12-hour with am/pm), money amounts
(a currency symbol, two decimals, thousands separators), percentages, an answer that is
only a number, text wrapped in tags (<answer>...</answer>), lines indented by spaces or
a tab, "key: value" lines, parentheses, and a JSON object with given keys. Each is said
as an imperative, with "please" or a reason, as "use the X format", "written as", a
negation and a casual fragment; answers sit near the boundary (a date without its
leading zero, a price with one decimal, a number with a unit after it). See `inventory`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from cadenza.bench.inventory_forms import Answers, Frames, Item, framed

# ------------------------------------------------------------------ dates


def _dated(first: str, second: str) -> str:
    return (
        f"The workshop runs from {first} to {second}. "
        "Registration closes a week before the first session."
    )


_ISO: Answers = (
    (_dated("2024-03-05", "2024-03-12"), True),
    (_dated("2024-03-05", "March 12, 2024"), False),
    (_dated("2024-3-5", "2024-3-12"), False),
    (_dated("05/03/2024", "2024-03-12"), False),
)
_DMY: Answers = (
    (_dated("05/03/2024", "12/03/2024"), True),
    (_dated("05/03/2024", "2024-03-12"), False),
    (_dated("March 5, 2024", "12/03/2024"), False),
)
_LONG: Answers = (
    (_dated("March 5, 2024", "March 12, 2024"), True),
    (_dated("March 5, 2024", "2024-03-12"), False),
    (_dated("5 March 2024", "12 March 2024"), False),
    (_dated("Mar 5, 2024", "Mar 12, 2024"), False),
)
_SPELLED: Answers = (
    (_dated("March 5, 2024", "March 12, 2024"), True),
    (_dated("March 5, 2024", "2024-03-12"), False),
    (_dated("05/03/2024", "March 12, 2024"), False),
)
DATE_FRAMES: Frames = {
    "written-as": (
        ("Dates should be written as YYYY-MM-DD, e.g. 2024-03-05.", _ISO),
        ("Every date must be written like March 5, 2024.", _LONG),
    ),
    "use-format": (
        ("Use the ISO date format (YYYY-MM-DD) throughout.", _ISO),
        ("Please use the DD/MM/YYYY date format, our readers are in the UK.", _DMY),
    ),
    "negation": (
        ("Don't write dates any other way than DD/MM/YYYY.", _DMY),
        ("No numeric dates: spell them out like March 5, 2024.", _SPELLED),
    ),
    "casual": (
        ("dates in YYYY-MM-DD pls", _ISO),
        ("Dates as DD/MM/YYYY, it's for the UK office.", _DMY),
    ),
}

# ------------------------------------------------------------------ times


def _timed(first: str, second: str) -> str:
    return f"Doors open at {first} and the first talk starts at {second}. Lunch is provided."


_H24: Answers = (
    (_timed("08:30", "14:00"), True),
    (_timed("08:30", "2:00 pm"), False),
    (_timed("8:30 am", "2 pm"), False),
)
_HHMM: Answers = (
    (_timed("08:30", "14:00"), True),
    (_timed("8:30", "14:00"), False),
    (_timed("08:30", "2:00 PM"), False),
)
_H12: Answers = (
    (_timed("8:30 am", "2:00 pm"), True),
    (_timed("8:30 am", "14:00"), False),
    (_timed("8:30", "2:00"), False),
)
TIME_FRAMES: Frames = {
    "clock": (
        ("Use the 24-hour clock for all times.", _H24),
        ("Give times on a 12-hour clock with am or pm.", _H12),
    ),
    "written-as": (
        ("Times should be written as HH:MM in 24-hour format.", _HHMM),
        ("Write every time like 2:30 pm.", _H12),
    ),
    "negation": (
        ("Don't use am or pm; times go in 24-hour format.", _H24),
        ("No 24-hour times please, write them with am/pm.", _H12),
    ),
    "casual": (
        ("24h times pls, it's for a European audience.", _H24),
        ("times in HH:MM (24-hour)", _HHMM),
    ),
}

# ------------------------------------------------------------------ money


def _priced(first: str, second: str) -> str:
    return f"The basic plan costs {first} a month and the team plan costs {second} a month."


_DOLLAR: Answers = (
    (_priced("$19.99", "$49.99"), True),
    (_priced("$19.99", "49.99 dollars"), False),
    (_priced("USD 19.99", "USD 49.99"), False),
)
_EURO: Answers = (
    (_priced("€19.99", "€49.99"), True),
    (_priced("€19.99", "49.99 euros"), False),
    (_priced("$19.99", "$49.99"), False),
)
_TWO_DECIMALS: Answers = (
    (_priced("$19.00", "$49.50"), True),
    (_priced("$19", "$49.50"), False),
    (_priced("$19.00", "$49.5"), False),
)
_THOUSANDS: Answers = (
    (_priced("$1,250", "$12,400"), True),
    (_priced("$1250", "$12,400"), False),
    (_priced("$1,250", "$12400"), False),
)
_FULL_MONEY: Answers = (
    (_priced("$1,250.00", "$980.00"), True),
    (_priced("$1250.00", "$980.00"), False),
    (_priced("$1,250", "$980.00"), False),
    (_priced("1,250.00 USD", "$980.00"), False),
)
MONEY_FRAMES: Frames = {
    "symbol": (
        ("Put a dollar sign in front of every price.", _DOLLAR),
        ("Amounts must be shown with the € symbol.", _EURO),
    ),
    "decimals": (
        ("Show all amounts with exactly two decimal places.", _TWO_DECIMALS),
        ("Prices should always have two decimals, so accounting can import them.", _TWO_DECIMALS),
    ),
    "thousands": (
        ("Use commas as thousands separators in amounts.", _THOUSANDS),
        ("Write large amounts with a thousands separator, like $12,500.", _THOUSANDS),
    ),
    "format-as": (
        ("Format all amounts as $X,XXX.XX.", _FULL_MONEY),
        ("Money: dollar sign, two decimals, comma for thousands.", _FULL_MONEY),
    ),
}

# ------------------------------------------------------------------ percentages


def _grew(first: str, second: str) -> str:
    return f"Sales grew {first} in March and {second} in April, mostly online."


_SIGN: Answers = (
    (_grew("12%", "8.5%"), True),
    (_grew("12 percent", "8.5%"), False),
    (_grew("12%", "8.5 per cent"), False),
)
_ONE_DECIMAL: Answers = (
    (_grew("12.5%", "8.0%"), True),
    (_grew("12.5%", "8%"), False),
    (_grew("12.50%", "8.0%"), False),
)
_WHOLE: Answers = (
    (_grew("12%", "9%"), True),
    (_grew("12.5%", "9%"), False),
)
PERCENT_FRAMES: Frames = {
    "sign": (
        ("Write percentages with the % sign.", _SIGN),
        ("Use % for percentages instead of the word.", _SIGN),
    ),
    "negation": (
        ("Don't spell out 'percent'; use the symbol.", _SIGN),
        ("Never write percentages as words.", _SIGN),
    ),
    "precision": (
        ("Give percentages to one decimal place, like 12.5%.", _ONE_DECIMAL),
        ("Round every percentage to a whole number.", _WHOLE),
    ),
    "casual": (
        ("percentages as 12.5% (one decimal)", _ONE_DECIMAL),
        ("Percent sign, not words, please.", _SIGN),
    ),
}

# ---------------------------------------------------------- a number and nothing else

_NUMBER: Answers = (
    ("42", True),
    ("The answer is 42.", False),
    ("42 apples", False),
    ("42 or 43", False),
)
_DECIMAL: Answers = (
    ("3.75", True),
    ("-12", True),
    ("about 3.75", False),
    ("3.75 km", False),
)
NUMBER_ONLY_FRAMES: Frames = {
    "only": (
        ("Answer with only a number.", _NUMBER),
        ("Reply with just the number and nothing else.", _NUMBER),
    ),
    "single": (
        ("Your answer must be a single number.", _DECIMAL),
        ("Output one number only, no units.", _DECIMAL),
    ),
    "no-words": (
        ("No words, just the final number.", _NUMBER),
        ("Don't explain anything, give only the number.", _DECIMAL),
    ),
    "reason": (
        ("Return only the number, since a script parses it.", _DECIMAL),
        ("Please respond with a number only - it goes into a spreadsheet.", _NUMBER),
    ),
}

# ------------------------------------------------------------------ tags

_WHOLE_TAGGED: Answers = (
    ("<answer>Paris</answer>", True),
    ("<answer>\nParis is the capital of France.\n</answer>", True),
    ("The capital is <answer>Paris</answer>.", False),
    ("Paris", False),
    ("<answer>Paris", False),
)
_FINAL_TAGGED: Answers = (
    ("France's government sits in Paris.\n<answer>Paris</answer>", True),
    ("<answer>Paris</answer>", True),
    ("France's government sits in Paris, so the answer is Paris.", False),
    ("France's government sits in Paris.\n<answer>Paris", False),
)


def _result_tagged(tag: str) -> Answers:
    return (
        (f"<{tag}>The meeting moved to Friday.</{tag}>", True),
        ("The meeting moved to Friday.", False),
        (f"<{tag}>The meeting moved to Friday.", False),
        ("<answer>The meeting moved to Friday.</answer>", tag == "answer"),
    )


TAG_FRAMES: Frames = {
    "wrap": (
        ("Wrap your entire reply in <answer></answer> tags.", _WHOLE_TAGGED),
        ("Enclose the whole response in <summary> and </summary>.", _result_tagged("summary")),
    ),
    "final-in": (
        ("Put the final answer inside <answer>...</answer>.", _FINAL_TAGGED),
        ("Give your final answer between <answer> tags.", _FINAL_TAGGED),
    ),
    "format": (
        (
            "Use the format <result>YOUR ANSWER</result> for the whole output.",
            _result_tagged("result"),
        ),
        ("Output format: <answer>...</answer> and nothing outside it.", _WHOLE_TAGGED),
    ),
    "must": (
        ("Your reply must be wrapped in <note> tags.", _result_tagged("note")),
        (
            "The whole output has to sit inside <answer></answer>, our parser needs it.",
            _WHOLE_TAGGED,
        ),
    ),
}

# ------------------------------------------------------------------ indentation

_POEM = ("The kettle sings at seven", "the window fogs with steam", "and nobody is awake yet")


def _indented(*prefixes: str) -> str:
    return "\n".join(p + line for p, line in zip(prefixes, _POEM, strict=True))


def _indent_answers(pad: str, other: str) -> Answers:
    return (
        (_indented(pad, pad, pad), True),
        (_indented(pad, "", pad), False),
        (_indented(other, other, other), False),
    )


_BULLETS = ("Bring a towel", "Check the tide times", "Leave before dark")


def _bullets(pad: str) -> str:
    return "Packing list:\n" + "\n".join(f"{pad}- {b}" for b in _BULLETS)


_NOT_INDENTED: Answers = (
    (_indented("", "", ""), True),
    (_indented("", "  ", ""), False),
    (_indented("\t", "\t", "\t"), False),
)
INDENT_FRAMES: Frames = {
    "by-n": (
        ("Indent every line by 4 spaces.", _indent_answers("    ", "  ")),
        ("Each line should be indented with two spaces.", _indent_answers("  ", "\t")),
    ),
    "tab": (
        ("Indent each line with a tab.", _indent_answers("\t", "    ")),
        (
            "Start every line with a tab character, it's pasted into a TSV.",
            _indent_answers("\t", "  "),
        ),
    ),
    "bullets": (
        (
            "Indent the bullet points by two spaces.",
            ((_bullets("  "), True), (_bullets(""), False), (_bullets("    "), False)),
        ),
        (
            "Every bullet should be indented four spaces.",
            ((_bullets("    "), True), (_bullets(""), False), (_bullets("  "), False)),
        ),
    ),
    "none": (
        ("Don't indent any lines.", _NOT_INDENTED),
        ("No leading spaces or tabs on any line.", _NOT_INDENTED),
    ),
}

# ------------------------------------------------------------------ key: value lines

_RECORD = "Name: Ada Lovelace\nBorn: 1815\nKnown for: the first published program"
_RECORD_PROSE = "Name: Ada Lovelace\nShe was born in 1815.\nKnown for: the first published program"
_RECORD_EQUALS = "Name = Ada Lovelace\nBorn = 1815\nKnown for = the first published program"
_KEY_VALUE: Answers = ((_RECORD, True), (_RECORD_PROSE, False), (_RECORD_EQUALS, False))
_CONTACT = "Name: Ada Lovelace\nEmail: ada@example.org\nPhone: +44 20 7946 0000"
_CONTACT_NO_PHONE = "Name: Ada Lovelace\nEmail: ada@example.org"
_CONTACT_PROSE = "Ada Lovelace can be reached at ada@example.org or +44 20 7946 0000."
_CONTACT_ANSWERS: Answers = (
    (_CONTACT, True),
    (_CONTACT_NO_PHONE, False),
    (_CONTACT_PROSE, False),
)
KEY_VALUE_FRAMES: Frames = {
    "each-line": (
        ("Write each line as key: value.", _KEY_VALUE),
        ("Every line must be a 'Field: value' pair.", _KEY_VALUE),
    ),
    "format": (
        ("Use the format 'Key: Value', one per line.", _KEY_VALUE),
        ("Format the details as key: value lines.", _KEY_VALUE),
    ),
    "named-keys": (
        ("Give lines for Name, Email and Phone, each as 'Field: value'.", _CONTACT_ANSWERS),
        ("Include the lines 'Name: ...', 'Email: ...' and 'Phone: ...'.", _CONTACT_ANSWERS),
    ),
    "casual": (
        ("key: value pairs, one per line pls", _KEY_VALUE),
        ("Just key-value lines with colons, no prose.", _KEY_VALUE),
    ),
}

# ------------------------------------------------------------------ parentheses

_PLAIN = "The bakery opens at seven. Its rye bread sells out by noon, so come early."
_ONE_ASIDE = "The bakery opens at seven (six on Saturdays). Its rye bread sells out by noon."
_SQUARE = "The bakery opens at seven [six on Saturdays]. Its rye bread sells out by noon."
_THREE_ASIDES = (
    "The bakery (on Mill Lane) opens at seven (six on Saturdays). "
    "Its rye bread (a local favourite) sells out by noon."
)
_NO_PARENS: Answers = ((_PLAIN, True), (_ONE_ASIDE, False), (_THREE_ASIDES, False))
_SOME_PARENS: Answers = ((_ONE_ASIDE, True), (_THREE_ASIDES, True), (_PLAIN, False))
PARENTHESES_FRAMES: Frames = {
    "none": (
        ("Don't use parentheses.", _NO_PARENS),
        ("No brackets of any kind.", ((_PLAIN, True), (_ONE_ASIDE, False), (_SQUARE, False))),
    ),
    "avoid": (
        ("Avoid parenthetical remarks.", _NO_PARENS),
        ("Please avoid round brackets, they break our parser.", _NO_PARENS),
    ),
    "at-least": (
        ("Include at least one parenthetical aside.", _SOME_PARENS),
        ("Add a remark in parentheses somewhere.", _SOME_PARENS),
    ),
    "at-most": (
        (
            "Use parentheses at most once.",
            ((_ONE_ASIDE, True), (_PLAIN, True), (_THREE_ASIDES, False)),
        ),
        (
            "No more than one parenthetical, please.",
            ((_ONE_ASIDE, True), (_PLAIN, True), (_THREE_ASIDES, False)),
        ),
    ),
}

# ------------------------------------------------------------------ JSON keys


def _json(**fields: object) -> str:
    return json.dumps(fields)


_PERSON: Answers = (
    (_json(name="Ada", age=36, city="London"), True),
    (f"```json\n{_json(name='Ada', age=36, city='London')}\n```", True),
    (_json(name="Ada", age=36), False),
    ("name: Ada, age: 36, city: London", False),
)
_TITLED: Answers = (
    (_json(title="Tide tables", summary="When the sea comes in."), True),
    (_json(title="Tide tables"), False),
    ("Title: Tide tables\nSummary: When the sea comes in.", False),
)
_TWO_KEYS: Answers = (
    (_json(answer="Paris", confidence=0.9), True),
    (_json(answer="Paris", confidence=0.9, reason="It is the capital."), False),
    (_json(answer="Paris"), False),
)
_SHAPE: Answers = (
    (_json(answer="Paris", confidence=0.9), True),
    (_json(answer="Paris"), False),
    ("Paris (confidence 0.9)", False),
)
_TYPED: Answers = (
    (_json(city="Paris", population=2100000), True),
    (_json(city="Paris", population="2.1 million"), False),
    (_json(city="Paris"), False),
)
_STATUS: Answers = (
    (_json(status="ok", items=[]), True),
    (_json(items=[]), False),
    ("status: ok", False),
)
JSON_KEYS_FRAMES: Frames = {
    "with-keys": (
        ("Return a JSON object with the keys name, age and city.", _PERSON),
        ("Respond with JSON containing the fields 'title' and 'summary'.", _TITLED),
    ),
    "exactly": (
        ("The JSON must have exactly two keys: answer and confidence.", _TWO_KEYS),
        ("Output a JSON object whose only keys are answer and confidence.", _TWO_KEYS),
    ),
    "shape": (
        ('Respond in this shape: {"answer": "...", "confidence": 0.0}', _SHAPE),
        ('Use this JSON format: {"city": string, "population": number}', _TYPED),
    ),
    "must-include": (
        ("The output must be JSON with a 'status' field.", _STATUS),
        ('Make sure the JSON you return has a "status" key, the client checks it.', _STATUS),
    ),
}

_KINDS: dict[str, Frames] = {
    "date-style": DATE_FRAMES,
    "time-style": TIME_FRAMES,
    "money": MONEY_FRAMES,
    "percent": PERCENT_FRAMES,
    "number-only": NUMBER_ONLY_FRAMES,
    "tags": TAG_FRAMES,
    "indent": INDENT_FRAMES,
    "key-value": KEY_VALUE_FRAMES,
    "parentheses": PARENTHESES_FRAMES,
    "json-keys": JSON_KEYS_FRAMES,
}

# the kinds in the order they were added (see `inventory.KINDS`)
KINDS = tuple(_KINDS)


def items() -> Iterator[Item]:
    """Every item of the eighth wave, in a fixed order."""
    return framed(_KINDS)
