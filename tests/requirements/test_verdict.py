from __future__ import annotations

import pytest

from cadenza.requirements.verdict import Verdict


def test_score_must_be_in_unit_interval() -> None:
    assert Verdict(0.5, False, "r").score == 0.5
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Verdict(1.5, True, "r")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Verdict(float("nan"), True, "r")
