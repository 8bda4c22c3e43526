"""Phrasing rules for counted things: words, sentences, characters, bullet points,
placeholders, highlighted spans, letters, keywords and capitalised words."""

from __future__ import annotations

import re
from collections.abc import Callable

from cadenza.errors import RequirementError
from cadenza.requirements.lang.build import characters as character_count
from cadenza.requirements.lang.build import count, occurrences
from cadenza.requirements.lang.nodes import Compare, Expr, Relation, Text
from cadenza.requirements.phrasing.found import Found, found_in
from cadenza.requirements.phrasing.numbers import (
    COUNT,
    NUM,
    TIMES,
    negate,
    read_count,
    read_times,
    to_int,
)
from cadenza.requirements.phrasing.text import QUOTED, Sentence, unquote
from cadenza.requirements.segment import DISTRIBUTIVE

Builder = Callable[[Relation, float, "float | None"], Expr]


def _of(unit: str) -> Builder:
    def build(relation: Relation, n: float, high: float | None) -> Expr:
        return count(unit, relation, n, high)  # type: ignore[arg-type]

    return build


WordCount = _of("word")
SentenceCount = _of("sentence")
LineCount = _of("line")
BulletCount = _of("bullet")
NumberedItemCount = _of("numbered_item")
PlaceholderCount = _of("placeholder")
HighlightCount = _of("highlight")
CapitalWordCount = _of("capital_word")


def CharacterCount(relation: Relation, n: float, high: float | None) -> Expr:
    return character_count(relation, n, high)


_I = re.I
_ADJ = (
    r"(?:(?!(?:must|should|shall|will|start|starts|begin|with|of|in|and|or|be|to|is|are|that|"
    r"for|the|times?)\b)[\w'-]+\s+){0,3}?"
)
_NEG = re.compile(
    r"\b(?:no|not|never|without|avoid(?:ing)?|refrain|exclude|excluding|free|forbidden|"
    r"cannot|zero)\b|n't\b",
    _I,
)
_CAPS = (
    r"(?:(?:all[- ])?(?:capital(?:ized)?|caps|upper\s*-?case|block)\s*(?:letters?)?|"
    r"all[- ]caps)"
)
_CAPS_WORDS = re.compile(
    rf"\bwords?\s+(?:or\s+phrases\s+)?(?:with|in|written\s+in|that\s+are(?:\s+in)?|using|of|be\s+in)"
    rf"\s+(?:all\s+)?{_CAPS}|\b(?:{_CAPS}|all-caps|capitalized)\s+words?\b",
    _I,
)


def _count_of(m: re.Match[str], *, bare: Relation = "exactly") -> tuple[Relation, int, int | None]:
    return read_count(
        m.group("rel"), m.group("n"), m.group("m"), m.group("suffix"), m.group("plus"), bare=bare
    )


def _spec(build: Builder, relation: Relation, n: int, n_max: int | None) -> Expr | None:
    try:
        return build(relation, n, n_max)
    except RequirementError:
        return None


def _suffix(m: re.Match[str]) -> str | None:
    return m.group("tsuffix0") or m.group("tsuffix")


# --------------------------------------------------------------------------- words etc.

_WORDS = re.compile(
    rf"\b{COUNT}(?:\s*-\s*|\s+){_ADJ}words?\b(?P<after>(?:\s+or\s+(?:more|less|fewer))?"
    r"(?:\s+(?:be\s+)?(?:with|in|written\s+in|that\s+are|using)\s+(?:all\s+)?(?:capital|caps|upper))?)",
    _I,
)
_WORDS_AFTER = re.compile(
    rf"\b(?:number\s+of\s+words|word\s+count|words?)\b[^.\n]{{0,60}}?\b(?:be|is|of|to)\s+"
    rf"{COUNT}(?!\s*(?:sentences?|paragraphs?|times?|characters?|letters?|bullet))",
    _I,
)
_LIMIT_WORDS = re.compile(
    rf"\b(?:limit|keep|restrict)\b[^.\n]{{0,40}}?\bto\s+{COUNT}\s+words?\b|"
    rf"\banything\s+longer\s+than\s+(?P<long>\d+)\s+words\b",
    _I,
)


def words(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        if re.search(r"\bcharacters?\b", s.text, _I) and not re.search(r"\bwords?\b", s.text, _I):
            continue
        for m in _WORDS.finditer(s.text):
            tail = s.text[m.end() : m.end() + 50]
            if re.search(r"capital|caps|upper", (m.group("after") or "") + m.group(0) + tail, _I):
                continue  # "5 words in all capital letters": a capital-word count
            if re.search(r"(?:word|letter)\s*$", s.text[: m.start()], _I):
                continue
            before = s.text[: m.start()]
            if re.search(rf"\b{DISTRIBUTIVE}(?:\s+one)?\s*$", before, _I):
                continue  # "3 bullets, each under 10 words": not the answer's words
            bare: Relation = "between"
            if re.search(r"\b(?:limit|restrict|cap|keep)\w*\b[^.]{0,30}\bto\s*$", before, _I):
                bare = "at_most"  # "limit yourself to 60 words"
            relation, n, n_max = negate(_count_of(m, bare=bare), before)
            if m.group("after") and re.search(r"less|fewer", m.group("after"), _I):
                relation = "at_most"
            if relation == "between" and n_max is None:
                # "a 500-word story": about 500, within 20%
                n, n_max = int(n * 0.8), -(-n * 6 // 5)
            spec = _spec(WordCount, relation, n, n_max)
            if spec is not None:
                out.append(Found(s.start + m.start(), s.start + m.end(), "words", (spec,)))
        if not any(f.start >= s.start and f.end <= s.end for f in out):
            m2 = _WORDS_AFTER.search(s.text)
            if m2 is not None and not _CAPS_WORDS.search(s.text):
                relation, n, n_max = _count_of(m2, bare="exactly")
                spec = _spec(WordCount, relation, n, n_max)
                if spec is not None:
                    out.append(found_in(s, "words", spec))
                    continue
            m3 = _LIMIT_WORDS.search(s.text)
            if m3 is not None:
                if m3.group("long"):
                    spec = _spec(WordCount, "at_most", int(m3.group("long")), None)
                else:
                    relation, n, n_max = _count_of(m3, bare="at_most")
                    spec = _spec(WordCount, relation, n, n_max)
                if spec is not None:
                    out.append(found_in(s, "words", spec))
    return out


_SENTENCES = re.compile(rf"\b{COUNT}\s+{_ADJ}sentences?\b", _I)
_SENTENCES_LONG = re.compile(rf"\b(?:be\s+)?{COUNT}\s+sentences?\s+long\b", _I)
_SENTENCES_RANGE = re.compile(
    r"\bnumber\s+of\s+sentences\b[^.\n]{0,60}?\brange\s+of\s+(?P<n>\d+)\s*(?:to|-|and)\s*(?P<m>\d+)",
    _I,
)
_ONE_SENTENCE = re.compile(
    r"(?<!not\s)\b(?:a\s+)?single[- ]sentence\b|\bone[- ]sentence\s+(?:answer|response|reply)\b",
    _I,
)


def sentences_rule(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        spec: Expr | None = None
        if re.search(r"\brepeat", s.text, _I):
            continue  # "the request you need to repeat only contains the first four sentences"
        m = _SENTENCES_RANGE.search(s.text)
        if m is not None:
            spec = _spec(SentenceCount, "between", int(m.group("n")), int(m.group("m")))
        else:
            for m2 in _SENTENCES.finditer(s.text):
                before = s.text[: m2.start()]
                if re.search(
                    r"\b(?:each|every|per)\s+(?:line|paragraph|section|bullet)\s+(?:should|must|has|have|to|will|"
                    r"contains?|with)?\s*(?:\w+\s+){0,2}$",
                    before,
                    _I,
                ):
                    continue
                if re.search(r"\b(?:just|not)\s*$", before, _I) and spec is not None:
                    continue  # "under 3 sentences (just 1 or 2 sentences, not 3)"
                relation, n, n_max = negate(_count_of(m2, bare="exactly"), before)
                spec = _spec(SentenceCount, relation, n, n_max)
                break
        if spec is None and _ONE_SENTENCE.search(s.text):
            spec = SentenceCount("exactly", 1, None)
        if spec is not None:
            out.append(found_in(s, "sentences", spec))
    return out


_CHARACTERS = re.compile(rf"\b{COUNT}\s+{_ADJ}characters?\b", _I)
_LINES = re.compile(
    rf"\b(?P<rel0>at\s+least|at\s+most|exactly|no\s+more\s+than|less\s+than|fewer\s+than|more\s+than)\s+{COUNT}\s+(?:non-empty\s+)?lines\b",
    _I,
)


def characters(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        m = _CHARACTERS.search(s.text)
        if m is not None and not re.search(r"\bwords?\s+or\s+characters\b", s.text, _I):
            relation, n, n_max = _count_of(m, bare="at_most")
            spec = _spec(CharacterCount, relation, n, n_max)
            if spec is not None:
                out.append(found_in(s, "characters", spec))
        m2 = _LINES.search(s.text)
        if m2 is not None:
            relation, n, n_max = read_count(m2.group("rel0"), m2.group("n"), m2.group("m"))
            spec = _spec(LineCount, relation, n, n_max)
            if spec is not None:
                out.append(found_in(s, "lines", spec))
    return out


# --------------------------------------------------------------------------- markdown counts

_BULLETS = re.compile(rf"\b{COUNT}\s+{_ADJ}bullet(?:\s*-?\s*points?|s)?\b", _I)
# "name exactly 3 names ... using markdown bullet points": the items are the bullets
_BULLETS_ITEMS = re.compile(rf"\bexactly\s+(?P<n>{NUM})\s+\w+[^.]*\bbullet", _I)
_BULLETS_FORMAT = re.compile(rf"\bformat\s+of\s+{COUNT}\s+bullet", _I)


def bullets(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        if not re.search(r"\bbullet", s.text, _I):
            continue
        m = _BULLETS.search(s.text) or _BULLETS_FORMAT.search(s.text)
        items = _BULLETS_ITEMS.search(s.text) if m is None else None
        relation: Relation
        if items is not None:
            relation, n, n_max = "exactly", to_int(items.group("n")), None
        elif m is None or re.search(r"\bexample", m.group(0), _I):
            continue
        else:
            relation, n, n_max = _count_of(m, bare="exactly")
        spec = _spec(BulletCount, relation, n, n_max)
        if spec is not None:
            out.append(found_in(s, "bullets", spec))
    return out


_XCOUNT = COUNT.replace("?P<", "?P<x")  # the same count under other group names
_NUMBERED = re.compile(
    rf"\b{COUNT}\s+{_ADJ}numbered\s+(?:items?|points?|list\s+items?|steps?|entries|lines?)\b|"
    rf"\bnumbered\s+list\s+(?:of|with)\s+{_XCOUNT}\s+(?:items?|points?|entries)\b",
    _I,
)


def numbered(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        m = _NUMBERED.search(s.text)
        if m is None:
            continue
        if m.group("n") is not None:
            relation, n, n_max = _count_of(m, bare="exactly")
        else:
            relation, n, n_max = read_count(
                m.group("xrel"), m.group("xn"), m.group("xm"), m.group("xsuffix"), m.group("xplus")
            )
        spec = _spec(NumberedItemCount, relation, n, n_max)
        if spec is not None:
            out.append(found_in(s, "numbered", spec))
    return out


_PLACEHOLDERS = re.compile(rf"\b{COUNT}\s+{_ADJ}placeholders?\b", _I)


def placeholders(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        if not re.search(r"placeholder", s.text, _I):
            continue
        m = _PLACEHOLDERS.search(s.text)
        if m is not None:
            relation, n, n_max = _count_of(m, bare="at_least")
            spec = _spec(PlaceholderCount, relation, n, n_max)
        elif re.search(r"square\s+brackets", s.text, _I):
            spec = PlaceholderCount("at_least", 1, None)
        else:
            spec = None
        if spec is not None:
            out.append(found_in(s, "placeholders", spec))
    return out


_HIGHLIGHT_WORD = re.compile(r"\bhighlight|\bitali[cs]|\bemphasi[sz]|\bmarkdown\b", _I)
_HIGHLIGHTS = re.compile(
    rf"\b{COUNT}\s+{_ADJ}(?:sections?|parts?|portions?|phrases?|spans?|texts?|areas?|"
    r"passages?|key\s+points?|points?|words?|lines?|sentences?)\b",
    _I,
)
_HIGHLIGHT_VERB = re.compile(rf"\b(?:highlight|italicize|emphasize|bold)\s+{COUNT}\b", _I)


def highlights(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        if not re.search(r"\bhighlight|\bitali[cs]", s.text, _I):
            continue
        if re.search(r"\bwords?\s+(?:with|in)\s+all\s+capital", s.text, _I) and not re.search(
            r"markdown|\*", s.text
        ):
            continue  # "use words with all capital letters to highlight key points"
        m = _HIGHLIGHT_VERB.search(s.text)
        if m is None:
            candidates = [
                c
                for c in _HIGHLIGHTS.finditer(s.text)
                if not re.search(r"\bwords?\b|\bsentences?\b", c.group(0), _I)
                or re.search(r"highlight|itali", c.group(0), _I)
            ]
            m = candidates[0] if candidates else None
        if m is not None:
            relation, n, n_max = _count_of(m, bare="at_least")
            spec = _spec(HighlightCount, relation, n, n_max)
        else:
            spec = HighlightCount("at_least", 1, None)
        if spec is not None:
            out.append(found_in(s, "highlights", spec))
    return out


# --------------------------------------------------------------------------- frequencies

_LETTER = re.compile(
    r"\bletters?\s+[\"'“‘]?(?P<l>[A-Za-z])[\"'”’]?(?![\w'])"
    r"(?P<mid>(?:\s+(?:should|must|needs?\s+to|has\s+to|to|will|shall|can|may))?"
    r"(?:\s+(?:be\s+)?(?:appear(?:ing|s)?|occurs?|occurring|shows?\s+up|used|be\s+used|included|present))?"
    r"(?:\s+(?:in|throughout)\s+(?:the|your)\s+(?:entire\s+)?\w+(?:\s+\w+)?)?"
    r"(?:\s+(?:for|a\s+total\s+of))?)\s+"
    rf"{TIMES}",
    _I,
)
_NO_LETTER = re.compile(
    r"\b(?:without(?:\s+using)?|not?\s+(?:use|include|contain|say)|avoid(?:\s+using)?|don't\s+"
    r"(?:use|include|contain)|never\s+use|no)\s+(?:any\s+)?(?:the\s+)?letters?\s+"
    r"[\"'“‘]?(?P<l>[A-Za-z])[\"'”’]?(?![\w'])"
    r"|\bletter\s+[\"'“‘]?(?P<l2>[A-Za-z])[\"'”’]?\s+(?:should|must|may|can)\s*(?:not|n't|never)\s+"
    r"(?:appear|be\s+used|occur|be\s+present)",
    _I,
)


def letters(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        for m in _LETTER.finditer(s.text):
            relation, n, n_max = read_times(
                m.group("trel"), m.group("tn"), m.group("tm"), m.group("tw"), _suffix(m)
            )
            if _NEG.search(s.text[: m.start()]) and relation == "more_than":
                relation = "at_most"  # "avoid using the letter i more than twice"
            try:
                spec: Expr = occurrences(m.group("l").lower(), relation, n, n_max)
            except RequirementError:
                continue
            out.append(Found(s.start + m.start(), s.start + m.end(), "letters", (spec,)))
        if not out or out[-1].start < s.start:
            m2 = _NO_LETTER.search(s.text)
            if m2 is not None and not re.search(
                r"capital|upper|lower", s.text[m2.start() : m2.end()], _I
            ):
                letter = (m2.group("l") or m2.group("l2")).lower()
                spec = occurrences(letter, "exactly", 0)
                out.append(Found(s.start + m2.start(), s.start + m2.end(), "letters", (spec,)))
    counted = {letter for f in out if (letter := _counted_text(f.specs[0], positive=True))}
    return [f for f in out if _counted_text(f.specs[0], positive=False) not in counted]


def _counted_text(expr: Expr, *, positive: bool) -> str | None:
    """The text a letter count counts, when it asks for some (`positive`) or none."""
    if (
        isinstance(expr, Compare)
        and isinstance(expr.count.unit, Text)
        and (expr.bound.n > 0) == positive
    ):
        return expr.count.unit.text
    return None


_KW = rf"(?P<kw>{QUOTED}|[A-Za-z][\w'-]*)"
_KEYWORD_FREQ = re.compile(
    rf"\b(?:key\s*word|word|term|name|phrase)\s+{_KW}"
    r"(?:\s+(?:should|must|needs?\s+to|has\s+to|to|will|shall|is\s+to))?"
    r"(?:\s+(?:be\s+)?(?:used|mentioned|included|appear(?:s|ing)?|occurs?|shows?\s+up|present|repeated))?"
    r"(?:\s+(?:in|throughout)\s+(?:the|your)\s+(?:entire\s+)?\w+)?"
    rf"(?:\s+(?:for|a\s+total\s+of))?\s+{TIMES}",
    _I,
)
_KEYWORD_VERB_FREQ = re.compile(
    r"\b(?:use|using|uses|include|including|includes|mention|mentioning|mentions|say|repeat|"
    r"contain|containing|contains)\s+(?:the\s+)?(?:(?:key\s*word|word|term|name|phrase)\s+)?"
    rf"{_KW}(?:\s+(?:in|throughout)\s+(?:the|your)\s+(?:entire\s+)?\w+)?(?:\s+for)?\s+{TIMES}",
    _I,
)


def keyword_frequency(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        spans: list[tuple[int, int]] = []
        for pattern in (_KEYWORD_FREQ, _KEYWORD_VERB_FREQ):
            for m in pattern.finditer(s.text):
                if any(a <= m.start() < b for a, b in spans):
                    continue
                keyword = unquote(m.group("kw"))
                if keyword.lower() in ("letter", "word", "words", "the", "a") and not m.group(
                    "kw"
                ).startswith(("'", '"', "“")):
                    continue
                if re.fullmatch(r"[A-Za-z]", keyword) and re.search(
                    r"letter\s*$", s.text[: m.start("kw")], _I
                ):
                    continue
                relation, n, n_max = read_times(
                    m.group("trel"), m.group("tn"), m.group("tm"), m.group("tw"), _suffix(m)
                )
                try:
                    spec: Expr = occurrences(keyword, relation, n, n_max)
                except RequirementError:
                    continue
                spans.append((m.start(), m.end()))
                out.append(
                    Found(s.start + m.start(), s.start + m.end(), "keyword_frequency", (spec,))
                )
    return out


_CAPS_COUNT = re.compile(rf"\b{COUNT}\s+(?:such\s+)?{_ADJ}(?:words?|times?)\b", _I)
_CAPS_TIMES = re.compile(TIMES, _I)
_CAPS_LIMIT = re.compile(rf"\b(?:be|to)\s+{COUNT}\b", _I)


def capital_words(text: str, sents: list[Sentence]) -> list[Found]:
    out: list[Found] = []
    for s in sents:
        if not _CAPS_WORDS.search(s.text) and not re.search(
            r"\bin\s+all\s+caps\b|\bcapitalized\b|\bcapitalize\s+(?:a\s+few|some)\b", s.text, _I
        ):
            continue
        if re.search(
            r"\b(?:entire|whole)\s+(?:response|answer|reply|output)\b", s.text, _I
        ) and not re.search(r"\btimes?\b|\bwords?\s+(?:with|in)\b", s.text, _I):
            continue
        m_times = _CAPS_TIMES.search(s.text)
        m_count = _CAPS_COUNT.search(s.text)
        m_limit = _CAPS_LIMIT.search(s.text)
        spec: Expr | None = None
        if m_times is not None and (m_times.group("tn") or m_times.group("tw")):
            relation, n, n_max = read_times(
                m_times.group("trel"),
                m_times.group("tn"),
                m_times.group("tm"),
                m_times.group("tw"),
                _suffix(m_times),
            )
            spec = _spec(CapitalWordCount, relation, n, n_max)
        elif m_count is not None:
            relation, n, n_max = _count_of(m_count, bare="at_least")
            spec = _spec(CapitalWordCount, relation, n, n_max)
        elif m_limit is not None:
            relation, n, n_max = _count_of(m_limit, bare="exactly")
            spec = _spec(CapitalWordCount, relation, n, n_max)
        elif re.search(r"\b(?:use|include|add|capitalize)\b", s.text, _I):
            spec = CapitalWordCount("at_least", 1, None)
        if spec is not None:
            out.append(found_in(s, "capital_words", spec))
    return out
