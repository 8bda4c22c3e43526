"""What a task asks for, as far as the degenerate-answer screens need it: how long an
answer must at least be to do the task, and whether the task asks for repetition.

The floor is "far too short", not a target: an answer under it cannot be what was asked
(a title where a song was asked, one number where an explanation was, four words for a
cover letter). It comes from the kind of text the request asks for, read from the
object of a writing verb ("write a short cover letter", "compose two poems") or from a
verb that asks for prose ("explain", "describe", "critique"), or a "why" question; a
kind with no floor of its own (a title, a name, a slogan) asks for nothing long. Any
size the request or a requirement sets lowers it: an upper bound ("under 50 words",
"less than 5 sentences", "in one sentence"), "short" or "brief", or an answer asked
for in a word ("answer with one word", "yes or no", "just the number"). Quoted text
(the input of a rewrite, a title to use) is not read for kinds. A request in which
nothing is recognised has no floor: the screens never guess a size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cadenza.requirements.number_words import SMALL, TENS

KINDS: dict[str, int] = {
    # long-form writing
    "essay": 60,
    "article": 50,
    "story": 40,
    "tale": 40,
    "blog": 40,
    "report": 40,
    "speech": 40,
    "proposal": 40,
    "itinerary": 30,
    "biography": 30,
    "lecture": 40,
    "chapter": 40,
    "guide": 30,
    "tutorial": 30,
    "newsletter": 30,
    "document": 30,
    "paper": 40,
    "script": 30,
    "cover letter": 30,
    "resume": 25,
    "rubric": 20,
    "lesson plan": 30,
    "press release": 30,
    # medium
    "letter": 20,
    "email": 15,
    "song": 20,
    "lyrics": 20,
    "rap": 20,
    "ballad": 20,
    "anthem": 20,
    "sonnet": 40,
    "poem": 12,
    "limerick": 15,
    "dialogue": 20,
    "conversation": 20,
    "review": 20,
    "critique": 20,
    "analysis": 20,
    "explanation": 10,
    "description": 10,
    "summary": 8,
    "paragraph": 15,
    "pitch": 15,
    "advertisement": 10,
    "rant": 20,
    "announcement": 10,
    "post": 10,
    "bio": 10,
    "haiku": 6,
    "riddle": 6,
    "joke": 6,
    "tweet": 5,
    "quiz": 10,
    # short by nature: asked for, they ask for nothing long
    "title": 0,
    "name": 0,
    "slogan": 0,
    "tagline": 0,
    "headline": 0,
    "caption": 0,
    "motto": 0,
    "word": 0,
    "phrase": 0,
    "list": 0,
    "answer": 0,
    "number": 0,
    "sentence": 0,
}
"""Kinds of text, and the fewest words a genuine one has (set low: "far too short")."""

PROSE_VERBS: dict[str, tuple[int, str]] = {
    "explain": (10, "an explanation"),
    "describe": (10, "a description"),
    "discuss": (15, "a discussion"),
    "elaborate": (10, "an elaboration"),
    "critique": (20, "a critique"),
    "analyze": (15, "an analysis"),
    "analyse": (15, "an analysis"),
    "compare": (12, "a comparison"),
    "summarize": (8, "a summary"),
    "summarise": (8, "a summary"),
    "argue": (15, "an argument"),
    "persuade": (15, "a persuasive text"),
    "convince": (15, "a persuasive text"),
}
"""Verbs that ask for prose of their own (the floor, and what they ask for)."""

_WRITING_VERBS = (
    r"write|compose|draft|create|generate|produce|prepare|craft|pen|give\s+me|"
    r"tell\s+me|come\s+up\s+with|make\s+me|provide|put\s+together"
)
_BREAKS = frozenset(
    re.findall(
        r"\w+",
        "in with using without for about on to from by as of at into that which who and or "
        "but if when while where than then so is are be",
    )
)
_FILLER = re.compile(r"[\w'+-]+")
_KIND = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in KINDS), key=len, reverse=True)) + r")(?:e?s)?\b"
)
_OBJECT = re.compile(rf"\b(?:{_WRITING_VERBS})\b((?:\s+[\w'+-]+){{1,6}})", re.I)
_PROSE = re.compile(
    r"(?:^|[.!?:;\n]|\bplease|\byou|\bthee|\band|\bthen|\balso|\bnow|\bfirst|\bbriefly)"
    r"\s*(" + "|".join(PROSE_VERBS) + r")\b",
    re.I,
)
_USERS_OWN = re.compile(r"\b(?:i|we)\b(?:(?!\b(?:you|thee|u)\b)[^.?!,;:\n]){0,30}$", re.I)
_WHY = re.compile(
    r"(?:^|[.?!]\s+|\n)\s*(?:why\b|how\s+(?:do|does|did|can|could|should|would|to)\b)", re.I
)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|```.*?```", re.S)

_NUMBER = r"\d+|" + "|".join(sorted([*SMALL, *TENS], key=len, reverse=True)) + r"|a single|a|an"
_UNIT = (
    r"words?|sentences?|lines?|paragraphs?|bullet(?:\s+points?)?s?|items?|characters?|"
    r"letters?|sections?"
)
PER_UNIT = {
    "word": 1.0,
    "sentence": 12.0,
    "line": 6.0,
    "paragraph": 40.0,
    "bullet": 5.0,
    "item": 5.0,
    "character": 1 / 6,
    "letter": 1 / 6,
    "section": 30.0,
}
"""About how many words one unit holds, to compare a size in any unit with a floor."""
_UPPER = re.compile(
    rf"\b(?:(?:less|fewer)\s+than|(?:no|not|nothing|anything)\s+(?:longer|more)\s+than|at\s+most|no\s+more\s+than|not\s+more\s+than|under|below|"
    rf"maximum(?:\s+of)?|max|up\s+to|within|not\s+exceed(?:ing)?|exactly|only|just|in)\s+"
    rf"(?P<n>{_NUMBER})[\s-]+(?P<unit>{_UNIT})\b"
    rf"|\b(?P<n2>{_NUMBER})[\s-]+(?P<unit2>{_UNIT})\s+or\s+(?:less|fewer)\b"
    rf"|\b(?:one|single)[\s-](?P<unit3>word|sentence|line|paragraph)\b"
    rf"|\b(?P<n4>{_NUMBER})-(?P<unit4>{_UNIT})\b",  # a size as an adjective: "a 300-word essay"
    re.I,
)
_LOWER = re.compile(
    rf"\b(?:at\s+least|more\s+than|over|a\s+minimum\s+of|minimum(?:\s+of)?)\s+"
    rf"(?P<n>{_NUMBER})\+?[\s-]+(?P<unit>{_UNIT})\b",
    re.I,
)
_SHORT = re.compile(r"\b(?:short|shorter|brief|concise|succinct|quick|tl;?dr|few\s+words)\b", re.I)
_IN_A_WORD = re.compile(
    r"\b(?:answer|reply|respond)\s+(?:only\s+)?(?:with|in)\s+(?:only\s+)?(?:a|one|the|just)?\s*"
    r"(?:yes|no|word|single|number|name|letter|digit)\b"
    r"|\byes\s+or\s+no\b|\b(?:just|only)\s+(?:the|a|an|one)\s+(?:name|number|word|answer|title|"
    r"letter|digit|value|result)\b|\bone\s+of\s+the\s+following\b|\bchoose\s+(?:from|between)\b",
    re.I,
)
_REPETITION = re.compile(
    r"\brepeat|\brepetiti|\bagain\b|\brefrain|\bchorus|\bover\s+and\s+over\b|"
    r"\bsame\s+(?:word|phrase|sentence|line)|\bmantra|\bchant|\bword\s+for\s+word\b|\bverbatim\b|"
    r"\b(?:say|write|print|output|type|list|copy)\b[^.?!\n]{0,60}?\b(?:\w+\s+times|twice|thrice)\b",
    re.I,
)
_RESTATE = re.compile(
    r"\brepeat\s+(?:the|this|my|your|our)?\s*(?:request|question|prompt|instruction|query|task|"
    r"(?:sentence|text|words?)\s+above)|\brepeat\s+it\s+exactly\b|"
    r"\bword\s+for\s+word\b|\bverbatim\b",
    re.I,
)


_REQUEST_NOUN = re.compile(r"\b(?:request|question|prompt|instruction|query)s?\b", re.I)
_CLAUSE = re.compile(r"[^.;!?\n]+")


def _asks_repetition(text: str) -> bool:
    """Whether some clause of `text` asks for repetition. "Repeat the request word for
    word" asks for the request once, not for a loop, and so does any clause that
    repeats about the request ("the request you need to repeat ..."): such clauses are
    read as restating it."""
    for clause in _CLAUSE.findall(_RESTATE.sub(" ", text)):
        if _REPETITION.search(clause) and not _REQUEST_NOUN.search(clause):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Expected:
    """What the task asks for: `min_words`, the floor under which an answer is far too
    short for it (0: no floor), and `kind`, what was asked, for reasons ("a cover
    letter"); whether it asks for `repetition` (a word ten times, a refrain), and
    whether it asks for the request itself to be repeated (`restates_request`)."""

    min_words: int = 0
    kind: str = ""
    repetition: bool = False
    restates_request: bool = False


def expected(request: str, requirements: Sequence[str] = ()) -> Expected:
    """What `request` (with its `requirements`' descriptions) asks for (see the module
    docstring)."""
    instruction = _QUOTED.sub(" ", request)
    floor, kind = _asked_kind(instruction)
    sizes = " \n".join([instruction, *requirements])
    if floor:
        floor = _bounded(floor, sizes)
    elif not kind:
        floor, kind = _from_lower_bound(sizes)
    everything = " \n".join([request, *requirements])
    return Expected(
        min_words=floor,
        kind=kind if floor else "",
        repetition=_asks_repetition(everything),
        restates_request=_RESTATE.search(everything) is not None,
    )


def _asked_kind(instruction: str) -> tuple[int, str]:
    """The floor and name of the longest kind of text the instruction asks for."""
    best = (0, "")
    found_kind = False
    for match in _OBJECT.finditer(instruction):
        if _USERS_OWN.search(instruction[max(0, match.start() - 40) : match.start()]):
            continue  # "I want to write an essay": the user writes it
        kind = _object_kind(match.group(1))
        if kind is None:
            continue
        found_kind = True
        floor = KINDS[kind]
        if floor > best[0]:
            best = (floor, _with_article(kind))
    for match in _PROSE.finditer(instruction):
        floor, name = PROSE_VERBS[match.group(1).lower()]
        if floor > best[0]:
            best = (floor, name)
    if not best[0] and not found_kind and _WHY.search(instruction.strip()):
        best = (8, "an explanation")
    return best if best[0] else (0, "a short answer" if found_kind else "")


def _object_kind(phrase: str) -> str | None:
    """The kind named by the words after a writing verb ("a short cover letter about"),
    reading on past articles, numbers and adjectives until a preposition."""
    words = [w.lower() for w in _FILLER.findall(phrase)]
    for n, word in enumerate(words):
        if word in _BREAKS:
            return None
        two = " ".join(words[n : n + 2])
        for candidate in (two, word):
            match = _KIND.fullmatch(candidate)
            if match:
                return match.group(1)
    return None


def _with_article(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _number(text: str) -> int:
    word = text.lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an", "a single"):
        return 1
    return SMALL.get(word, TENS.get(word, 0))


def _unit(text: str) -> str:
    word = text.lower().split()[0]
    return "bullet" if word.startswith("bullet") else word.rstrip("s")


def _bounded(floor: int, text: str) -> int:
    """`floor` lowered by every size `text` sets: a bound of B words allows an answer
    of a quarter of B; "short" a third of the floor; an answer in a word, none."""
    if _IN_A_WORD.search(text):
        return 0
    for match in _UPPER.finditer(text):
        if match.group("unit3"):
            n, unit = 1, match.group("unit3")
        elif match.group("n4"):
            n, unit = _number(match.group("n4")), match.group("unit4")
        elif match.group("n2"):
            n, unit = _number(match.group("n2")), match.group("unit2")
        else:
            n, unit = _number(match.group("n")), match.group("unit")
        words = n * PER_UNIT[_unit(unit)]
        floor = min(floor, int(words / 4))
    if _SHORT.search(text):
        floor = floor // 3
    return max(floor, 0)


def _from_lower_bound(text: str) -> tuple[int, str]:
    """A request that names no kind of text but sets a least size ("at least 300
    words") asks for a text: a quarter of that size, at most 40 words, is its floor."""
    best = 0
    for match in _LOWER.finditer(text):
        words = _number(match.group("n")) * PER_UNIT[_unit(match.group("unit"))]
        best = max(best, min(40, int(words / 4)))
    return (best, "a text of that length") if best else (0, "")
