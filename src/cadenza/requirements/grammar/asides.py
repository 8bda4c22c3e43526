"""What a requirement sentence can carry around its constraint without changing it: a
hedge ("if you can", "if possible"), a request said as a question ("could you ...?",
"would you mind ...ing?"), a closing courtesy ("thank you!") or a reason ("because it
goes in the newsletter", "so it fits on one slide").

`without_asides` gives the clause with them set aside, for the grammar to read when the
whole sentence is not read. A reason is only set aside when it names nothing a
constraint names (a number, a quoted literal, a letter, an instruction): then it is a
constraint until read, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cadenza.requirements.verbs import bare_form

# hedges said before or after the constraint
_HEDGES = (
    r"if\s+(?:you\s+can|possible|at\s+all\s+possible|it\s+is\s+possible|you\s+are\s+able)",
    r"(?:where|when|whenever|wherever)\s+possible",
    r"as\s+far\s+as\s+possible",
    r"ideally",
    r"preferably",
    r"if\s+you\s+do\s+not\s+mind",
)
_HEDGE = "|".join(_HEDGES)
_LEADING = re.compile(rf"^(?:{_HEDGE})\s*,?\s*")
_TRAILING = re.compile(rf"\s*,?\s*(?:{_HEDGE})$")

# a request said as a question ("could you keep it to ...?", "would you mind using ...?"):
# the verb after it is the instruction
_ASKED = re.compile(
    r"^(?:(?:could|can|would|will)\s+you|(?:is|would)\s+it\s+(?:be\s+)?possible\s+"
    r"(?:for\s+you\s+)?to|i\s+would\s+appreciate\s+it\s+if\s+you\s+(?:could|would))"
    r"(?:\s+(?:please|kindly|maybe|perhaps|possibly|just))?\s+(?=[a-z])"
)
_MIND = re.compile(r"^(?:would|do)\s+you\s+mind\s+(?P<v>[a-z]+ing)\b")

# a courtesy that closes the sentence, after a comma or a full stop
_COURTESY = re.compile(
    r"\s*[.!,]\s*(?:thanks|thank\s+you|many\s+thanks|much\s+appreciated|appreciated)"
    r"(?:\s+(?:so\s+much|a\s+lot|in\s+advance))?$"
)

# words that open a reason after the constraint ("as" is left out: "format it as JSON")
_REASON = re.compile(
    r"\s*,?\s+(?:because|since|so\s+that|so(?=\s+(?:it|they|the|we|i|you|people|readers|"
    r"everyone|nobody|that)\b))\s+(?P<why>.+)$"
)
# a reason said after a dash: "... - it is a quick status update"
_DASHED = re.compile(r"\s+[-–—]\s+(?P<why>(?:it|this|that|they)\s+(?:is|are|will\s+be|goes)\b.+)$")


def without_asides(text: str, names_a_constraint: Callable[[str], bool]) -> str:
    """`text` (normalised, lower case) without the hedges, courtesies and reasons around
    its constraint; `names_a_constraint(part) -> bool` says whether a reason is a
    constraint after all (then it stays)."""
    text = _asked(text)
    before = None
    while before != text:
        before = text
        text = _LEADING.sub("", text)
        text = _TRAILING.sub("", text)
        text = _COURTESY.sub("", text).strip(" .;:!,")
        for reason in (_REASON, _DASHED):
            m = reason.search(text)
            if m is not None and not names_a_constraint(m.group("why")):
                text = text[: m.start()].strip(" .;:!,")
    return text


def _asked(text: str) -> str:
    """A request said as a question, as the instruction it asks for ("would you mind
    using at most 3 lines?" -> "use at most 3 lines")."""
    mind = _MIND.match(text)
    if mind is not None and (verb := bare_form(mind.group("v"))) is not None:
        return (verb + text[mind.end() :]).rstrip(" ?")
    asked = _ASKED.match(text)
    if asked is not None and text.rstrip().endswith("?"):
        return text[asked.end() :].rstrip(" ?")
    return text
