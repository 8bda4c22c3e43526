"""Phrasing rules for content not yet read by the grammar alone: language and fixed
answer options."""

from __future__ import annotations

import re

from cadenza.requirements.lang import build
from cadenza.requirements.lang.nodes import Case
from cadenza.requirements.phrasing.found import Found, found_in
from cadenza.requirements.phrasing.languages import LANGUAGE_NAMES, LANGUAGES
from cadenza.requirements.phrasing.text import Sentence, quoted_strings

_I = re.I


_LANGUAGE = re.compile(
    r"\b(?:in|into|using|use|speak|only|entirely\s+in|written\s+in|language\s+(?:is|should\s+be))\s+"
    r"(?:only\s+|the\s+|entirely\s+|pure\s+|fluent\s+|proper\s+|lower\s*case\s+|all\s+lower\s*case\s+|"
    r"all\s+capital\s+letters\s+and\s+)*"
    rf"(?P<lang>{LANGUAGE_NAMES})\b(?!\s*(?:-|\s)(?:style|culture|literature|history|food|"
    r"cuisine|people|man|woman|city|accent|translation|speaker|restaurant|dish|words?|nations?|"
    rf"empire|government|army|king|and\s+(?:{LANGUAGE_NAMES}))\b)",
    _I,
)
# "speak X" sets the answer's language only when said to the one answering: an order
# ("Speak only French", "please speak ..."), or "you ... speak"
_SPOKEN_TO = re.compile(r"(?:^|[.:;!?,(-]|\b(?:and|please|only|always|you(?:\s+\w+)?|to))\s*$", _I)
_LANGUAGE_AFTER = re.compile(rf"\b(?P<lang>{LANGUAGE_NAMES})\s+(?:language\s+)?only\b", _I)


def language(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        m = _LANGUAGE.search(s.text) or _LANGUAGE_AFTER.search(s.text)
        if m is None or re.search(r"\btranslat\w*\b", s.text[: m.start() + 6], _I):
            continue
        if m.group(0).lower().startswith("speak") and not _SPOKEN_TO.search(s.text[: m.start()]):
            continue  # "readers who speak English": what others speak, not the answer's language
        code = LANGUAGES[m.group("lang").lower()]
        said = build.language(code)
        # the case words the pattern reads past ("in all lowercase English") are checked
        # too: no other reading holds them
        skipped = m.group(0)[: m.start("lang") - m.start()].lower()
        case = (
            Case("lower") if "lower" in skipped else Case("upper") if "capital" in skipped else None
        )
        out.append(found_in(s, "language", build.all_of([case, said]) if case else said))
    return out


# --------------------------------------------------------------------------- options / misc

_OPTIONS = re.compile(
    r"\b(?:one\s+of\s+the\s+following|choose\s+from|one\s+of\s+these|answer\s+with\s+one\s+of)\b"
    r"(?:\s+(?:options|answers|phrases|choices))?\s*:?\s*(?P<rest>[^\n]*)",
    _I,
)


def answer_options(text: str, sents: list[Sentence]) -> list[Found]:
    """The answers the prompt allows, in its own words: the quoted "My answer is ..."
    options, or the options listed after "my answer is" ("yes, no or maybe"). Never a
    list the prompt did not give."""
    if re.search(r"my\s+answer\s+is\s+\S", text, _I):
        first = next(
            (s for s in sents if re.search(r"my\s+answer\s+is|following|choose", s.text, _I)),
            sents[0],
        )
        given = _my_answer_options(text)
        if given:
            return [found_in(first, "answer_option", build.one_of(given))]
        return []
    out: list[Found] = []
    for s in sents:
        m = _OPTIONS.search(s.text)
        if m is None:
            continue
        options = quoted_strings(m.group("rest"))
        if len(options) >= 2:
            out.append(found_in(s, "answer_option", build.one_of(tuple(options[:12]))))
    return out


_OPTION = r"(?:my\s+answer\s+is\s+)?[\w'-]+"
_MY_ANSWER_LIST = re.compile(
    rf"\bmy\s+answer\s+is\s+(?P<list>{_OPTION}(?:\s*(?:,\s*or\b|,|/|\bor\b)\s*{_OPTION})+)",
    _I,
)


def _my_answer_options(text: str) -> tuple[str, ...]:
    quoted = tuple(
        dict.fromkeys(
            q.strip() for q in quoted_strings(text) if re.match(r"my\s+answer\s+is\b", q, _I)
        )
    )
    if quoted:
        return quoted[:12]
    m = _MY_ANSWER_LIST.search(text)
    if m is None:  # one option a line: "My answer is yes.\nMy answer is no."
        listed = re.findall(r"\bmy\s+answer\s+is\s+([\w'-]+)", text, _I)
        unique = tuple(dict.fromkeys(listed))
        return tuple(f"My answer is {w}." for w in unique)[:12] if len(unique) > 1 else ()
    parts = re.split(r"\s*(?:,\s*or\b|,|/|\bor\b)\s*", m.group("list"))
    words = [re.sub(r"^my\s+answer\s+is\s+", "", w.strip(), flags=_I) for w in parts]
    return tuple(f"My answer is {w}." for w in dict.fromkeys(w for w in words if w))[:12]
