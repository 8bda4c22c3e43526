"""Phrasing rules for keywords: words that must appear ("include the keywords 'a' and
'b'", "mention Paris and Rome") and words that must not ("do not use the words ...")."""

from __future__ import annotations

import re

from cadenza.errors import RequirementError
from cadenza.requirements.lang import build
from cadenza.requirements.phrasing.found import Found, found_in
from cadenza.requirements.phrasing.text import QUOTED, Sentence, word_list

_I = re.I

_KEYWORDS_IN = re.compile(
    r"\b(?:include|including|includes|included|contain|containing|contains|use|using|uses|"
    r"mention|mentioning|mentions|feature|featuring|incorporate|incorporating|with|has|have)\s+"
    r"(?:both\s+|all\s+)?(?:of\s+)?(?:the\s+|these\s+|following\s+|two\s+|three\s+|specific\s+)*"
    r"(?P<what>key\s*-?\s*words?|words?|phrases?|terms?|names?|items?|lines?)\b\s*:?\s*(?P<rest>.*)",
    _I,
)
_KEYWORDS_QUOTED = re.compile(
    rf"\b(?:include|including|includes|mention|mentioning|mentions|use|using|uses|contain|"
    rf"containing|contains)\s+(?P<rest>{QUOTED}(?:\s*(?:,|,?\s*and|,?\s*or)\s*{QUOTED})*)",
    _I,
)
_KEYWORDS_NAMES = re.compile(
    r"\b(?:mention|mentions|mentioning|name|names|naming)\s+(?P<rest>[A-Z][\w-]*"
    r"(?:\s*(?:,|,?\s*and)\s*[A-Z][\w-]*)+)\b"
)
_KEYWORDS_WORD = re.compile(r"\b(?:key\s*-?\s*words?)\b\s*:?\s*(?P<rest>(?:\[|[\"'“]).*)", _I)
_FORBID = re.compile(
    r"\b(?:do\s+not|don't|dont|does\s+not|doesn't|not|won't|never|without(?:\s+using)?|avoid(?:ing)?(?:\s+using)?|"
    r"exclude|excluding|refrain\s+from(?:\s+using)?|not\s+allowed\s+to(?:\s+use)?|"
    r"should\s+not|shouldn't|must\s+not|mustn't|cannot|can't|no)\s+"
    r"(?:\w+\s+){0,3}?(?:the\s+|these\s+|following\s+|any\s+of\s+the\s+)*"
    r"(?P<what>key\s*-?\s*words?|words?|phrases?|terms?)\b\s*:?\s*(?P<rest>.*)",
    _I,
)
_ITEM = rf"(?:{QUOTED}|[A-Za-z][\w-]*)"
_FORBID_AFTER = re.compile(
    rf"\b(?:key\s*-?\s*words?|words?|phrases?|terms?)\s+(?P<rest>{_ITEM}(?:\s*(?:,|,?\s*and|,?\s*or)\s*{_ITEM})*)"
    r"\s+(?:should|must|can|may|does|do|will)?\s*(?:not|n't|never)\s+(?:be\s+)?"
    r"(?:appear|used|included|mentioned|show|in\b|part\s+of)",
    _I,
)
_FORBID_QUOTED = re.compile(
    r"\b(?:do\s+not|don't|never|avoid|without|not|refrain\s+from)\s+(?:\w+\s+)?"
    r"(?:use|using|say|saying|mention|mentioning|include|including|write|writing|contain|containing)\s+"
    rf"(?P<rest>{QUOTED}(?:\s*(?:,|,?\s*and|,?\s*or)\s*{QUOTED})*)"
    r"|\b(?:do\s+not|don't|never)\s+mention\s+(?P<plain>[A-Za-z][\w-]*(?:\s*(?:,|,?\s*and|,?\s*or)\s*[A-Za-z][\w-]*)*)"
    r"\s+(?:in|throughout|anywhere)\b",
    _I,
)


def _items(rest: str) -> tuple[str, ...]:
    items = word_list(rest)
    bad = {"any", "or", "and", "the", "a", "an", "to", "that", "this", "those", "these"}
    return tuple(i for i in items if i.lower() not in bad)


def forbidden(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        words: list[str] = []
        for m in _FORBID.finditer(s.text):
            rest = re.sub(
                r"^\s*(?:such\s+as|like|including|e\.g\.,?)\s*", "", m.group("rest"), flags=_I
            )
            if re.match(r"\s*(?:or|before|after|that|in|to|other|about|with)\b", rest, _I):
                continue  # "do not say any words or characters before ..."
            if re.match(r"\s*(?:with\s+all\s+)?capital", rest, _I):
                continue
            if not re.match(r"\s*[\[\"'“‘`]", rest) and not re.search(
                r"(?:the|following|these)\s+(?:key\s*-?\s*)?words?\s*:?\s*$",
                s.text[: m.end("what")],
                _I,
            ):
                continue  # unquoted lists only after "the words" / "the following keywords"
            words.extend(_items(rest))
        for m in _FORBID_AFTER.finditer(s.text):
            words.extend(_items(m.group("rest")))
        for m in _FORBID_QUOTED.finditer(s.text):
            words.extend(_items(m.group("rest") or m.group("plain")))
        words = list(dict.fromkeys(w for w in words if w))
        if words:
            try:
                out.append(found_in(s, "forbidden_words", build.excludes(words)))
            except RequirementError:
                continue
    return out


def keywords(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        words: list[str] = []
        for m in _KEYWORDS_IN.finditer(s.text):
            head = s.text[: m.start()]
            if re.search(
                r"\b(?:start|starts|begin|begins|end|ends|starting|beginning|finish|conclude)\b[^.]{0,40}$",
                head,
                _I,
            ):
                continue  # "start the 4th paragraph with the word X" belongs to other rules
            if _FORBID.search(s.text[max(0, m.start() - 40) : m.end("what")]) or re.search(
                r"\b(?:not|n't|without|avoid|never|exclude)\s*$", head, _I
            ):
                continue
            rest = m.group("rest")
            if m.group("what").lower().startswith(("word", "name", "term")) and not re.match(
                r"\s*[\[\"'“‘`]", rest
            ):
                if m.group("what").lower() in ("words", "names", "terms"):
                    plain = _items(rest)
                    if len(plain) >= 2 and not re.match(
                        r"\s*(?:in|with|that|or|of|to|about|for|each|per|such|like)\b", rest, _I
                    ):
                        words.extend(plain)
                    continue
                if re.match(r"\s*(?:in|with|that|or|of|to|about|for|each|per)\b", rest, _I):
                    continue
                first = re.match(r"\s*([A-Za-z][\w'-]*)", rest)
                if first is None:
                    continue
                words.append(first.group(1))
                continue
            if re.match(r"\s*(?:in|with|that|or|of|to|about|for|each|per|such)\b", rest, _I):
                continue
            words.extend(_items(rest))
        for m3 in _KEYWORDS_QUOTED.finditer(s.text):
            if not _FORBID.search(
                s.text[max(0, m3.start() - 30) : m3.start() + 12]
            ) and not re.search(
                r"\b(?:not|n't|never|avoid|without)\b[^.]{0,20}$", s.text[: m3.start()], _I
            ):
                words.extend(_items(m3.group("rest")))
        for m4 in _KEYWORDS_NAMES.finditer(s.text):
            if not _FORBID.search(s.text[max(0, m4.start() - 30) : m4.start() + 12]):
                words.extend(_items(m4.group("rest")))
        if not words:
            m2 = _KEYWORDS_WORD.search(s.text)
            if m2 is not None and not _FORBID.search(s.text):
                words.extend(_items(m2.group("rest")))
        words = list(dict.fromkeys(w for w in words if w))
        if words:
            try:
                out.append(found_in(s, "keywords", build.includes(words)))
            except RequirementError:
                continue
    return out
