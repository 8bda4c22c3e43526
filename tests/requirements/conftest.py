"""The requirement tests share `lang/lang_samples.py` (an expression of every kind, a
long answer, Hypothesis strategies for expressions and answers); put its folder on
``sys.path`` so they import it as ``lang_samples`` (the suite runs in pytest's importlib
mode, where test folders are not importable)."""

from __future__ import annotations

import sys
from pathlib import Path

SAMPLES = str(Path(__file__).resolve().parent / "lang")
if SAMPLES not in sys.path:
    sys.path.insert(0, SAMPLES)
