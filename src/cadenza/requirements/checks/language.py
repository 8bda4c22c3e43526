"""The response language, by langdetect (seeded, so a verdict never flips between runs).

As in IFEval, a text whose language cannot be detected (no letters to judge by)
passes: there is nothing in another language in it.
"""

from __future__ import annotations

from cadenza.requirements.checks import text as tx
from cadenza.requirements.checks.grade import failed, passed
from cadenza.requirements.spec import ResponseLanguage
from cadenza.requirements.verdict import Verdict


def check_language(spec: ResponseLanguage, text: str) -> Verdict:
    want = spec.language.lower()
    probabilities = tx.language_probabilities(text)
    if not probabilities:
        return passed(spec.family, "no language detectable (nothing to judge by)")
    detected = max(probabilities, key=lambda k: probabilities[k])
    if _same(detected, want):
        return passed(spec.family, f"written in {want!r} (p={probabilities[detected]:.2f})")
    share = sum(p for code, p in probabilities.items() if _same(code, want))
    return failed(
        spec.family,
        share,
        f"detected language {detected!r} (p={probabilities[detected]:.2f}), not {want!r}",
        f"write the whole answer in {want!r}, with no passages in other languages",
    )


def _same(code: str, want: str) -> bool:
    """``zh-cn`` matches ``zh``; an exact regional code must match exactly."""
    code = code.lower()
    return code == want or ("-" not in want and code.split("-")[0] == want)
