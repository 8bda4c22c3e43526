"""The requests a plan sends: sample, fix with feedback, merge. Texts come from the
``plan_*.txt`` templates; this module only fills them in."""

from __future__ import annotations

from collections.abc import Sequence

from cadenza.planner.validation import Assessment
from cadenza.prompts import render
from cadenza.providers.base import CompletionRequest


def sample_request(
    task: str,
    requirements: Sequence[str],
    *,
    temperature: float,
    max_tokens: int,
    seed: int | None = None,
) -> CompletionRequest:
    """A fresh answer. `requirements` are listed after the task when the caller gave
    them separately (when they were extracted from the task, they are already in it)."""
    listed = render("plan_requirements", items=_bullets(requirements)) if requirements else ""
    prompt = render("plan_sample", task=task.strip(), requirements=listed).strip()
    return CompletionRequest.of(prompt, temperature=temperature, max_tokens=max_tokens, seed=seed)


def fix_request(
    task: str,
    draft: str,
    assessment: Assessment,
    *,
    temperature: float,
    max_tokens: int,
    seed: int | None = None,
) -> CompletionRequest:
    """Rewrite `draft` so that exactly its failed requirements pass, naming each with
    what was found and the fix hint."""
    reqs = assessment.requirements
    failures = []
    for i in assessment.failed:
        verdict = assessment.verdicts[i]
        line = f"{reqs[i].description} (found: {verdict.reason}"
        line += f"; fix: {verdict.fix_hint})" if verdict.fix_hint else ")"
        failures.append(line)
    met = [reqs[i].description for i, v in sorted(assessment.verdicts.items()) if v.passed]
    keep = render("plan_keep", items=_bullets(met)) if met else ""
    prompt = render(
        "plan_fix",
        task=task.strip(),
        draft=draft.strip(),
        failures=_bullets(failures),
        keep=keep,
    )
    return CompletionRequest.of(prompt, temperature=temperature, max_tokens=max_tokens, seed=seed)


def merge_request(
    task: str,
    drafts: Sequence[tuple[str, Assessment]],
    *,
    temperature: float,
    max_tokens: int,
    seed: int | None = None,
) -> CompletionRequest:
    """One answer combining `drafts`, each shown with what it meets and misses."""
    parts = []
    for n, (text, assessment) in enumerate(drafts, start=1):
        reqs = assessment.requirements
        met = [reqs[i].label for i, v in sorted(assessment.verdicts.items()) if v.passed]
        missed = [reqs[i].label for i in assessment.failed]
        parts.append(
            render(
                "plan_draft",
                n=n,
                text=text.strip(),
                met=", ".join(met) or "none",
                missed=", ".join(missed) or "none",
            )
        )
    items = [r.description for r in drafts[0][1].requirements] if drafts else []
    prompt = render("plan_merge", task=task.strip(), drafts="".join(parts), items=_bullets(items))
    return CompletionRequest.of(prompt, temperature=temperature, max_tokens=max_tokens, seed=seed)


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)
