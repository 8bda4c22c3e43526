"""Layout said as an instruction (`grammar.layout`), markup and repetition
(`grammar.style`), selections inside selections (`grammar.nested`), asides around a
constraint (`grammar.asides`), and dates in a format (`lang.dates`): each reading
decides answers built to pass and fail it, and what it cannot read whole it leaves
unread."""

from __future__ import annotations

import pytest

from cadenza.requirements.grammar import parse
from cadenza.requirements.lang.evaluate import evaluate

_SORTED = "- Ash\n- Birch\n- Cedar"
_UNSORTED = "- Birch\n- Ash\n- Cedar"
_TABLE3 = "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |"
_TABLE2 = "| a | b |\n|---|---|\n| 1 | 2 |"
_CODE = "Like so:\n\n```\nx = 1\n```"


@pytest.mark.parametrize(
    ("sentence", "passes", "fails"),
    [
        ("Arrange the bullets alphabetically.", _SORTED, _UNSORTED),
        ("Keep the list items in A-Z order.", _SORTED, _UNSORTED),
        ("Sort the bullet points from Z to A.", "- Cedar\n- Birch\n- Ash", _SORTED),
        ("Express all numbers in words, never digits.", "Two cats.", "2 cats."),
        ("Spell out every number.", "Ten days.", "10 days."),
        ("Wrap your code in a fenced code block.", _CODE, "x = 1"),
        ("Place the code inside one code block.", _CODE, f"{_CODE}\n\n```\ny\n```"),
        ("Create a table with 3 columns.", _TABLE3, _TABLE2),
        ("Begin with a title in double angular brackets.", "<<Oak>>\nText.", "Text.\n<<Oak>>"),
        ("Give every date as YYYY/MM/DD.", "On 2024/11/30.", "On Nov 30, 2024."),
        ("Use the DD-MM-YYYY format for all dates.", "On 30-11-2024.", "On 2024-11-30."),
        ("Avoid asking any questions.", "Fine.", "Fine? Yes."),
        ("Put a line of 3 asterisks between the paragraphs.", "A.\n\n***\n\nB.", "A.\n\nB."),
        ("Enclose the answer in quotation marks.", '"Hi."', "Hi."),
        ("Mention both Rome and Paris.", "Rome and Paris.", "Rome only."),
        ("Write 2 to 3 sentences, if you can.", "A b. C d.", "A b."),
        ("Ideally, start with 'Dear Sam'.", "Dear Sam, hi.", "Hi."),
        ("No commas since the parser hates them.", "A b.", "A, b."),
        ("Use at most 2 emojis so it stays professional.", "Hi 🙂", "Hi 🙂🙂🙂"),
        ("Keep it under 5 words. Thanks!", "One two.", "One two three four five six."),
        ("Finish with a P.S. at the end.", "Hi.\n\nP.S. Bye.", "P.S. Bye.\n\nHi."),
        ("Separate the sections with ***.", "A.\n\n***\n\nB.", "A.\n\nB."),
        ("Write somewhere between 2 and 3 sentences.", "A b. C d.", "A b."),
        ("Begin each line with an asterisk.", "* a\n* b", "* a\nb"),
        ("End every line with a colon.", "a:\nb:", "a:\nb"),
        ("Avoid sentences with more than 4 words.", "One two three.", "One two three four five."),
        ("No lines that have more than 3 words.", "a b\nc", "a b c d\ne"),
        ("Never repeat a paragraph.", "A.\n\nB.", "A.\n\nA."),
        ("No two lines should be alike.", "a\nb", "a\na"),
        ("Answer in plain text.", "Plain words.", "Some **bold** words."),
        ("Never use markdown formatting.", "Plain words.", "## Head\n\nWords."),
        ("Answer in prose rather than a list.", "Just words.", "- one\n- two"),
        ("Mark exactly 2 key terms in bold.", "**a** and **b**.", "**a** only."),
        ("Place every sentence on a separate line.", "A b.\nC d.", "A b. C d."),
        ("Start with a line beginning with 'To:'.", "To: Ann\nHi.", "Hi.\nTo: Ann"),
        ("All numbers must be written as numerals.", "It took 5 days.", "It took five days."),
        ("Footnotes aside, sections should be in title case.", None, None),
        ("Bullets must end with a semicolon.", "- a;\n- b;", "- a;\n- b"),
        ("Include at least 2 quotations.", 'He said "a" and "b".', 'He said "a".'),
        ("Never quote sources directly.", "Plain.", 'He said "a".'),
        ("Close with an emoji.", "Done 🎉", "🎉 Done"),
        ("Do not leave empty lines.", "a\nb", "a\n\nb"),
        ("There must not be any blank lines.", "a\nb", "a\n\nb"),
        ("Every section should include at least 2 bullet points.", "# A\n\n- x\n- y", "# A\n\n- x"),
        (
            "Each section must have exactly 1 paragraph.",
            "# A\n\nOne.\n\n# B\n\nTwo.",
            "# A\n\nOne.\n\nTwo.",
        ),
        ("Capitalise the first letter of each word.", "Green Tea Now.", "Green tea Now."),
        (
            "Capitalize all your words.",
            "GREEN TEA.",
            "Green Tea.",
        ),  # all capitals, as IFEval means it
        ("The first word of each paragraph must be 'So'.", "So a.\n\nSo b.", "So a.\n\nThen b."),
        ("Capitalize the first word of every bullet.", "- Go\n- Stop", "- Go\n- stop"),
        ("The second-to-last line must end with a comma.", "a,\nb", "a\nb,"),
        (
            "The first 3 bullets should end with a period.",
            "- a.\n- b.\n- c.\n- d",
            "- a.\n- b\n- c.",
        ),
        ("No bullet may omit the word 'fast'.", "- fast a\n- fast b", "- fast a\n- b"),
    ],
)
def test_a_layout_is_read_and_decides(sentence: str, passes: str | None, fails: str | None) -> None:
    expr = parse(sentence)
    if passes is None or fails is None:  # a clause before it that no rule reads
        assert expr is None
        return
    assert expr is not None, sentence
    assert evaluate(expr, passes).passed
    assert not evaluate(expr, fails).passed


@pytest.mark.parametrize(
    "sentence",
    [
        "Write 3 sentences because 2 of them go on a slide.",  # a reason with a number
        "Sort the paragraphs by importance.",  # an order no check reads
        "Write all dates in the usual format.",  # no format said
        "Use a table with 3 to 4 columns.",  # a range of columns
        "Keep it under 50 words as 'short' as possible.",  # "as" opens no reason
        "No two words may be the same.",  # words repeat in any text: not read as items
        "Sentences should be short.",  # no measure said
        "Write 3 paragraphs so that each one covers a different topic.",  # a constraint
        "Keep it under 50 words, so it ends with a question.",  # after "so": a constraint
        "Write 4 sentences since each must mention a colour.",
    ],
)
def test_what_is_not_read_whole_is_left_unread(sentence: str) -> None:
    assert parse(sentence) is None
