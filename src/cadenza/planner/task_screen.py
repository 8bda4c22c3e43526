"""The implicit requirement that the answer does the task, decided from the text where
the text settles it, and left to the judge only where it does not.

A judge asked "does this answer do the task?" about every candidate costs a call per
candidate, and a small judge answers it badly (the embedded 1.5B model says "no" to
nearly every answer, good or not). What makes an answer stop doing its task is known:
it is empty, it refuses, it is the request pasted back, or it is a rewrite that threw
away the content of the answer it revised (a fix that "meets" a limit by keeping five
words of a cover letter). So:

- an empty answer fails, without a call;
- an answer that opens like a refusal, or is mostly the request pasted back (unless a
  requirement asks for the request to be repeated), goes to the judge;
- a rewrite (a fix, a merge, a deterministic repair) that keeps at least `KEEP` of the
  content words of the answer it revises passes: it still carries what that answer
  said; one that keeps less goes to the judge;
- the model's own answer to the task passes: it was written for the task, it is not
  empty, it does not refuse, and it is not the request.

Every verdict names the reason, and a pass here is reported as decided by rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cadenza.requirements.verdict import Verdict
from cadenza.requirements.words import content_words

TASK_REQUIREMENT = "does-the-task"
"""The name of the implicit requirement (see `cadenza.planner.adapter`)."""

KEEP = 0.5
"""The least share of its parent's content words a rewrite keeps to pass unjudged."""

_REFUSAL = re.compile(
    r"^\W*(?:i'?m sorry|i am sorry|sorry[,.!]|i apologi[sz]e|i can(?:no|')t|i am unable|"
    r"i'?m unable|i won'?t|i will not|as an ai\b|unfortunately,? i)",
    re.IGNORECASE,
)
_SHORT_REST = 20
"""Words left once the pasted request is removed, below which the answer is mostly it."""


def kept_share(parent: str, text: str) -> float:
    """The share of `parent`'s content words that `text` still has (1.0: nothing lost)."""
    before = content_words(parent)
    return 1.0 if not before else len(before & content_words(text)) / len(before)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _mostly_the_request(text: str, request: str) -> bool:
    asked = _normal(request)
    said = _normal(text)
    if len(asked) < 30 or asked not in said:
        return False
    return len(said.replace(asked, " ").split()) < _SHORT_REST


def screen(
    text: str, parents: Sequence[str], request: str, *, repeat_asked: bool = False
) -> Verdict | None:
    """The task requirement's verdict for `text` (a rewrite of `parents`, or the model's
    own answer when there are none), or None when only a judge can tell."""
    stripped = text.strip()
    if not stripped:
        return Verdict(0.0, False, "the answer is empty", "answer the request", "rule")
    if _REFUSAL.match(stripped):
        return None
    if not repeat_asked and _mostly_the_request(stripped, request):
        return None
    if parents:
        kept = max(kept_share(p, stripped) for p in parents)
        if kept < KEEP:
            return None
        reason = f"a revision that keeps {kept:.0%} of the content of the answer it revises"
        return Verdict(1.0, True, reason, "", "rule")
    reason = "the model's own answer to the task: not empty, not a refusal, not the request"
    return Verdict(1.0, True, reason, "", "rule")
