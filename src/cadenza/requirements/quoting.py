"""What a single-quoted passage is, for every reader of quotes (segmentation and the
grammar's normalising): an apostrophe opens a quote where no word or quote mark stands
before it, an apostrophe between two letters is part of the passage ("don't", "it's"),
and the passage ends at an apostrophe no word follows. So 'Call me, don't tell Mum' is
one quote, and "the dogs' bowls" holds none."""

from __future__ import annotations

_INNER = r"(?:[^'\n]|(?<=[^\W\d_])'(?=[^\W\d_]))"

# the passage's text, at least one character that is neither a space nor a quote mark
SINGLE_QUOTED_TEXT = rf"{_INNER}*?[^\s']{_INNER}*"
# the whole passage, its marks included
SINGLE_QUOTED = rf"(?<![\w'])'{SINGLE_QUOTED_TEXT}'(?!\w)"
