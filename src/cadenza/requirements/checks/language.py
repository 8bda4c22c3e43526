"""The response language, by langdetect (seeded, so a verdict never flips between runs).

As in IFEval, a text whose language cannot be detected (no letters to judge by)
passes: there is nothing in another language in it. On a failure the score is the
share of sentences written in the wanted language, and the hint names the others.
"""

from __future__ import annotations

from cadenza.requirements.checks import text as tx
from cadenza.requirements.checks.grade import failed, passed, where_sentences
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
    judged, other = 0, []
    for number, (start, end) in enumerate(tx.sentences(text).spans, start=1):
        sentence = text[start:end]
        if tx.word_count(sentence) < 3:
            continue
        judged += 1
        code = tx.detect_language(sentence)
        if code is not None and not _same(code, want):
            other.append(number)
    share = 1.0 - len(other) / judged if judged else 0.0
    where = f"; {where_sentences(other)} are not in {want!r}" if other and judged > 1 else ""
    return failed(
        spec.family,
        share,
        f"detected language {detected!r} (p={probabilities[detected]:.2f}), not {want!r}{where}",
        (f"rewrite {where_sentences(other)} in {want!r}; " if where else "")
        + f"write the whole answer in {want!r}, with no passages in other languages",
    )


def _same(code: str, want: str) -> bool:
    """``zh-cn`` matches ``zh``; an exact regional code must match exactly."""
    code = code.lower()
    return code == want or ("-" not in want and code.split("-")[0] == want)
