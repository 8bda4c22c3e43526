"""Properties every check keeps on arbitrary text: no crash, a score in [0, 1], and
`passed` exactly when the score is 1 (a failure never scores 1, a pass always does)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadenza.requirements.checks import run_check

_spec = importlib.util.spec_from_file_location(
    "speed_specs", Path(__file__).with_name("test_speed.py")
)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
SPECS = _module.SPECS

PIECES = st.sampled_from(
    [
        "word", "Word", "WORD", ",", ".", "!", "?", " ", "\n", "\n\n", "***", "******",
        "* ", "- ", "1. ", "SECTION 1", "Section 2", "*hi*", "**b**", "[x]", "<<T>>",
        "P.S.", '"', "{", "}", "[", "]", "```", "```python", "| a |", "|---|", "river",
        "The end.", "My answer is yes.", "é", "ß", "中文", "1234", "\t",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_verdicts_are_well_formed_on_any_text(text: str) -> None:
    for spec in SPECS:
        verdict = run_check(spec, text, prompt="Write about rivers")
        assert 0.0 <= verdict.score <= 1.0
        assert verdict.passed == (verdict.score == 1.0), (spec, verdict)
        assert verdict.passed or verdict.fix_hint
