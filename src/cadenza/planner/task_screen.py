"""The implicit requirement that the answer does the task, decided from the text where
the text settles it, and left to the judge only where it does not.

A judge asked "does this answer do the task?" about every candidate costs a call per
candidate, and a small judge answers it badly. What makes an answer stop doing its task
is mostly visible in the text (`cadenza.requirements.screens`): it is empty, it loops,
it was cut off at the token limit, it is the request pasted back, it refuses, it is far
too short for what the task asks, or it is a tool's output that gives instructions. So:

- a text a screen is certain about fails, with the screen's reason and fix hint;
- one a screen only suspects (a refusal followed by more text, a last line that may be
  cut, a text mostly copied from the request) goes to the judge;
- a tool's output given as the answer is never passed by rule: it was not written for
  the task, so the judge tells whether it does it;
- a rewrite (a fix, a merge, a deterministic repair) that keeps at least `KEEP` of the
  content words of the answer it revises passes (words in any script; characters in
  scripts without spaces); one that keeps less goes to the judge;
- the model's own answer passes: it was written for the task and no screen found a
  fault in it.

Every verdict names the reason. A screen's failure is reported as decided by rule; a
pass is reported as `SCREENED`: no fault shows in the text, which is not proof that it
does the task. The answer a solve returns is then asked of the judge
(`cadenza.planner.final_judge`); where no judge is asked (turned off, no budget left)
the solve finishes ``unverified``, never ``satisfied`` on the screens alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from cadenza.requirements.asked import Expected, expected
from cadenza.requirements.screens import screen_text
from cadenza.requirements.verdict import Verdict
from cadenza.requirements.words import content_words

TASK_REQUIREMENT = "does-the-task"
"""The name of the implicit requirement (see `cadenza.planner.prepare`)."""

SCREENED = "screen"
"""The method of a task verdict the screens passed (no fault found, nothing proven)."""

KEEP = 0.5
"""The least share of its parent's content words a rewrite keeps to pass unjudged."""


def kept_share(parent: str, text: str) -> float:
    """The share of `parent`'s content words that `text` still has (1.0: nothing lost)."""
    before = content_words(parent)
    return 1.0 if not before else len(before & content_words(text)) / len(before)


def screen(
    text: str,
    parents: Sequence[str],
    request: str,
    *,
    repeat_asked: bool = False,
    finish_reason: str = "",
    from_tool: bool = False,
    asked: Expected | None = None,
) -> Verdict | None:
    """The task requirement's verdict for `text` (a rewrite of `parents`, or the model's
    own answer when there are none), or None when only a judge can tell.
    `finish_reason` is the provider's for the call that wrote it (``length``: cut at the
    token limit); `from_tool`: the text is a tool's output; `asked`: what the task asks
    for (read from `request` when not given)."""
    finding = screen_text(
        text,
        request,
        asked if asked is not None else expected(request),
        finish_reason=finish_reason,
        from_tool=from_tool,
        restates_request=repeat_asked,
    )
    if finding is not None:
        if not finding.certain:
            return None
        return Verdict(0.0, False, finding.reason, finding.hint, "rule")
    if from_tool:
        return None
    if parents:
        kept = max(kept_share(p, text) for p in parents)
        if kept < KEEP:
            return None
        reason = f"a revision that keeps {kept:.0%} of the content of the answer it revises"
        return Verdict(1.0, True, reason, "", SCREENED)
    reason = (
        "the model's own answer to the task: not empty, no loop, not cut off, not the "
        "request, not a refusal, not too short for what was asked"
    )
    return Verdict(1.0, True, reason, "", SCREENED)
