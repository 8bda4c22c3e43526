"""How each line is written: indented ("indent every line by 4 spaces", "indent the
bullet points by 2 spaces", "indent each line with a tab") or a "key: value" pair ("use
the format 'Key: Value', 1 per line", "format the details as key: value lines")."""

from __future__ import annotations

import re

from cadenza.requirements.grammar.clauses import EACH, Clause
from cadenza.requirements.lang.nodes import Expr, Matches, Pattern, Select
from cadenza.requirements.lang.units import BULLET_MARK

# lines as written, their indentation kept (blank lines are no lines here)
LINE = Pattern(r"^[^\n]*\S[^\n]*$", name="line")
BULLET_LINE = Pattern(rf"^[ \t]*{BULLET_MARK}[ \t]+\S[^\n]*$", name="bullet line")
_SPACES = {"1": 1, "2": 2, "3": 3, "4": 4, "6": 6, "8": 8}


def indented(clause: Clause) -> Expr | None:
    """Every line (or bullet line) indented by exactly n spaces, or by one tab."""
    m = re.fullmatch(
        rf"(?:indent\s+(?:{EACH}|the\s+)?(?P<u>lines?|bullets?|bullet\s+points?)|"
        rf"(?:{EACH})?(?P<u2>lines?|bullets?|bullet\s+points?)\s+(?:(?:must|should)\s+)?be\s+indented)"
        r"\s+(?:(?:by|with)\s+)?(?:(?:exactly\s+)?(?P<n>\d)\s+spaces?|(?P<tab>(?:a|1|one)\s+tab(?:\s+character)?))",
        clause.text,
    )
    if m is None:
        return None
    noun = m.group("u") or m.group("u2")
    unit = LINE if noun.startswith("line") else BULLET_LINE
    if m.group("tab"):
        return Select("each", unit, Matches(r"\A\t(?![ \t])", name="indented by 1 tab"))
    n = _SPACES.get(m.group("n"))
    if n is None:
        return None
    return Select("each", unit, Matches(rf"\A {{{n}}}(?![ \t])", name=f"indented by {n} spaces"))


KEY_VALUE = Matches(r"\A\s*[^:\n]*\w[^:\n]*:[ \t]+\S", name="a 'key: value' pair")
_PAIR_WORDS = r"(?:key|field|name|label|property)"
_PAIR = rf"{_PAIR_WORDS}\s*:\s*(?:value|\.\.\.|…)|key[- /]value"


def key_value(clause: Clause) -> Expr | None:
    """Every line a "key: value" pair."""
    c = clause.text

    def spec(k: int) -> str:
        return rf"(?:⟦(?P<q{k}>\d+)⟧|{_PAIR})"

    m = re.fullmatch(
        rf"(?:use\s+the\s+format\s+{spec(1)}\s*,?\s*(?:1|one)\s+(?:pair\s+)?per\s+line|"
        rf"(?:format|write|give|present|put)\s+(?:it|the\s+\w+|everything)\s+as\s+{spec(2)}\s+"
        r"(?:lines|pairs)(?:\s*,?\s*(?:1|one)\s+per\s+line)?|"
        rf"(?:write\s+)?{EACH}line\s+(?:(?:must|should)\s+be\s+a\s+|as\s+(?:a\s+)?){spec(3)}(?:\s+pair)?)",
        c,
    )
    if m is None:
        return None
    q = m.group("q1") or m.group("q2") or m.group("q3")
    if q is not None:
        said = clause.norm.quote(q).strip().lower()
        if not re.fullmatch(rf"{_PAIR_WORDS}\s*:\s*(?:value|\.\.\.|…)", said):
            return None
    return Select("each", LINE, KEY_VALUE)
