"""A panel of unlike texts, to tell a check that can fail from one that cannot.

A model's restatement can be well formed, account for every literal of its requirement
and still check nothing ("every sentence has at least 1 line"). A check that holds for
every text of the panel is vacuous, and a requirement compiled to it would always be
`satisfied`: a one-word reply, lower-case prose, a markdown page with headings, lists,
a table, emojis and links (and thirty of them), text in capitals, JSON, French, values
(times, money, percentages) written unlike each other, and thousands of words. Checks
that look for quoted text are not put to the panel (no panel holds every word)."""

from __future__ import annotations

from functools import cache

from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Contains, EndsWith, Equals, Expr, StartsWith, Text
from cadenza.requirements.material import walk

_PROSE = (
    "we walked along the river before dawn, and the water was still grey. "
    "a heron stood in the reeds, waiting; it did not move when we passed. "
    "why do they wait so long? nobody in our group knew, so we kept walking "
    "until the bridge, where the path turns back toward the village"
)
_PAGE = """## the plan ahead

Our Team meets on **Monday** at 9:30, see https://example.org/plan or write to ops@example.org 🙂

- check the budget
- Call the printer.
- milk
- Ask first. Wait. Then ask again.
- Then we read every single line of the contract together, slowly. After that we sign \
it and send three copies back to the office...
1. Draft the agenda
2. send it out #planning @dana

| item | cost |
|------|------|
| paper | 12 |

> "Keep it short," she said.

```python
print("done")
```

### NEXT STEPS
Fill in [name] and *sign* the form by 03/05/2024 or March 7, 2024!"""
_CAPITALS = "THE MEETING IS MOVED TO FRIDAY.\n\nPLEASE BRING YOUR NOTES AND A PEN."
_JSON = '{"name": "Ada", "age": 36, "tags": ["math", "code"]}'
_VALUES = "🙂 The fee rose from $1200.5 to 30 dollars at 9:30 pm, about twelve percent or 12.25%."
_FRENCH = "Nous avons marché le long de la rivière. Le héron attendait dans les roseaux."


@cache
def texts() -> tuple[str, ...]:
    """The panel, the long text built once."""
    sentence = "The committee reviewed each proposal with care and wrote short notes on it."
    paragraph = " ".join([sentence] * 6)
    # one section of 480 sentences, 6,240 words, 80 paragraphs
    long = "## Report\n\n" + "\n\n".join([paragraph] * 80)
    lines = "\n".join(f"Line {n} says one thing." for n in range(1, 121))
    pages = "\n\n".join([_PAGE] * 30)  # 60 headings, bullets and steps, 30 emojis ...
    return ("ok", _PROSE, _PAGE, _CAPITALS, _JSON, _FRENCH, _VALUES, long, lines, pages)


def vacuous(expr: Expr) -> bool:
    """Whether `expr` holds for every text of the panel (never for an expression that
    looks for quoted text)."""
    if any(isinstance(n, (Text, StartsWith, EndsWith, Contains, Equals)) for n in walk(expr)):
        return False
    return all(evaluate(expr, text).passed for text in texts())
