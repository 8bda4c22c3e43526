"""Predicates on one piece of text (the answer, or one unit of it): what each finds,
how near a failing text is, and how to make it hold."""

from __future__ import annotations

import difflib
import itertools
import re
from typing import assert_never

from cadenza.requirements.lang import text as tx
from cadenza.requirements.lang import units as un
from cadenza.requirements.lang.describe import noun, numbered, quote
from cadenza.requirements.lang.formats import Fact, check_format
from cadenza.requirements.lang.nodes import (
    Case,
    CodeLanguage,
    Contains,
    Distinct,
    EndsWith,
    Equals,
    HeadingLevel,
    Language,
    Matches,
    Palindrome,
    Predicate,
    RepeatsRequest,
    Sorted,
    StartsWith,
    Text,
)
from cadenza.requirements.lang.units import Span

# Characters a start / end / equality test looks past when the wanted text has none:
# markdown emphasis, heading and quote markers, wrapping quotes.
DECOR = "*_#>\"“”'`~ \t\n"
_TRAIL_PUNCT = ".!,;:?"
_I_WORDS = re.compile(r"^I(?:['’](?:m|ll|ve|d|s))?$")
_LANG_ALIASES = {
    "py": "python",
    "python3": "python",
    "sh": "bash",
    "shell": "bash",
    "zsh": "bash",
    "console": "bash",
    "js": "javascript",
    "ts": "typescript",
    "yml": "yaml",
    "c++": "cpp",
    "postgresql": "sql",
}


def check_predicate(pred: Predicate, span: Span, request: str | None) -> Fact:
    text = span.text
    match pred:
        case StartsWith():
            return _starts_with(pred, text)
        case EndsWith():
            return _ends_with(pred, text)
        case Contains():
            return _contains(pred, text)
        case Equals():
            return _equals(pred, text)
        case Matches():
            flags = re.M | (re.I if pred.ignore_case else 0)
            m = re.search(pred.regex, text, flags)
            if pred.name is not None:
                if m:
                    return Fact(True, 1.0, f"{quote(text, 40)} is {pred.name}")
                return Fact(
                    False,
                    0.0,
                    f"{quote(text, 50)} is not {pred.name}",
                    f"rewrite it so that it is {pred.name}",
                )
            if m:
                return Fact(True, 1.0, f"matches /{pred.regex}/ at {quote(m.group(0), 40)}")
            return Fact(
                False,
                0.0,
                f"{quote(text, 50)} does not match /{pred.regex}/",
                f"change it to match /{pred.regex}/",
            )
        case Case():
            return _case(pred, text)
        case Language():
            return _language(pred, text)
        case Sorted():
            return _sorted(pred, text)
        case Distinct():
            return _distinct(pred, text)
        case Palindrome():
            core = "".join(c for c in text.casefold() if c.isalnum())
            if core and core == core[::-1]:
                return Fact(True, 1.0, f"{quote(text, 40)} is a palindrome")
            same = sum(1 for a, b in zip(core, core[::-1], strict=False) if a == b)
            return Fact(
                False,
                same / len(core) if core else 0.0,
                f"{quote(text, 40)} is not a palindrome",
                "use a word or name that reads the same backwards",
            )
        case HeadingLevel():
            if span.level == pred.level:
                return Fact(True, 1.0, f"a level-{pred.level} heading")
            seen = "not a heading" if span.level is None else f"a level-{span.level} heading"
            return Fact(
                False, 0.5 if span.level else 0.0, seen, f"write it as {'#' * pred.level} Heading"
            )
        case CodeLanguage():
            want = _LANG_ALIASES.get(pred.language.lower(), pred.language.lower())
            have = _LANG_ALIASES.get(span.language or "", span.language or "")
            if have == want:
                return Fact(True, 1.0, f"tagged {want!r}")
            seen = "has no language tag" if not span.language else f"is tagged {span.language!r}"
            return Fact(False, 0.5, seen, f"open the block with ```{pred.language}")
        case RepeatsRequest():
            return _repeats(text, pred.text if pred.text is not None else request)
        case _:
            check = check_format(pred, text)
            return check


# --------------------------------------------------------------------------- phrases


def _contains(pred: Contains, text: str) -> Fact:
    found = un.find(Text(pred.text, pred.whole_word, pred.case_sensitive), text)
    if found:
        return Fact(True, 1.0, f"contains {quote(pred.text)}")
    want = quote(pred.text)
    near = _loosely_found(pred.text, text)
    if near is not None:
        return Fact(
            False,
            0.5,
            f"{want} is missing; {quote(near, 60)} comes close (case, spacing, punctuation "
            "or a longer word differ)",
            f"write {quote(near, 60)} exactly as {want}",
        )
    return Fact(False, 0.0, f"{want} is missing", f"include {want}")


def _loosely_found(wanted: str, text: str) -> str | None:
    """Where `text` holds `wanted` up to case, spacing and edge punctuation, or inside
    a longer word: the text found, or None."""
    core = [w for w in re.split(r"\W+", wanted) if w]
    if sum(len(w) for w in core) < 2:  # "c++", "#": the marks are the point
        return None
    loose = r"\W*".join(re.escape(w) for w in core)
    m = re.search(r"\w*" + loose + r"[^\w\s]*\w*", text, re.I)
    return m.group(0) if m else None


def _starts_with(pred: StartsWith, text: str) -> Fact:
    want = pred.text.strip()
    body = text.lstrip()
    if not want.startswith(tuple(DECOR)):
        body = body.lstrip(DECOR)
    a, b = (body, want) if pred.case_sensitive else (body.casefold(), want.casefold())
    if a.startswith(b) and not _runs_on(body, len(want), want):
        return Fact(True, 1.0, f"starts with {quote(want)}")
    same = _common_prefix(a, b)
    return Fact(
        False,
        0.9 * same / max(1, len(b)),
        f"starts with {quote(body[: max(len(want), 20)])}",
        f"begin with exactly {quote(want, 120)}",
    )


def _ends_with(pred: EndsWith, text: str) -> Fact:
    want = pred.text.strip()
    body = text.strip()
    if not want.endswith('"'):
        body = body.strip('"')
    if not want.endswith(tuple(DECOR)):
        body = body.rstrip(DECOR)
    a, b = (body, want) if pred.case_sensitive else (body.casefold(), want.casefold())
    if a.endswith(b) and not _runs_in(body, len(body) - len(want), want):
        return Fact(True, 1.0, f"ends with {quote(want)}")
    at = a.rfind(b)
    while at >= 0 and (_runs_in(body, at, want) or _runs_on(body, at + len(want), want)):
        at = a.rfind(b, 0, at + len(b) - 1)  # only inside longer words: look further back
    if at >= 0:
        tail = body[at + len(want) :]
        return Fact(
            False,
            0.6,
            f"{quote(want)} is followed by {quote(tail, 40)}",
            f"end with {quote(want, 120)}: nothing after it",
        )
    if a.endswith(b):  # the text ends with it, but as the end of a longer word
        word = body[: len(body) - len(want)].split()[-1:] or [""]
        return Fact(
            False,
            0.5,
            f"ends with {quote(word[0] + body[len(body) - len(want) :], 40)}, a longer word",
            f"finish with {quote(want, 120)} as a word of its own",
        )
    same = _common_suffix(a, b)
    return Fact(
        False,
        0.5 * same / max(1, len(b)),
        f"ends with {quote(body[-max(len(want), 20) :])}",
        f"finish with exactly {quote(want, 120)}",
    )


def _runs_on(body: str, at: int, want: str) -> bool:
    """Whether a word continues past the wanted text ("Then" does not start with "The")."""
    return bool(want[-1:].isalnum() and at < len(body) and body[at].isalnum())


def _runs_in(body: str, at: int, want: str) -> bool:
    return bool(want[:1].isalnum() and at > 0 and body[at - 1].isalnum())


def normalised(text: str, keep_punct: bool) -> str:
    body = " ".join(text.split()).strip(DECOR)
    if not keep_punct:
        body = body.rstrip(_TRAIL_PUNCT).strip(DECOR)
    return body


def _equals(pred: Equals, text: str) -> Fact:
    want = pred.text.strip()
    keep = want[-1:] in _TRAIL_PUNCT
    have = normalised(text, keep)
    target = normalised(want, keep)
    a, b = (have, target) if pred.case_sensitive else (have.casefold(), target.casefold())
    if a == b:
        return Fact(True, 1.0, f"is {quote(want)}")
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return Fact(False, 0.9 * ratio, f"is {quote(have, 50)}", f"make it exactly {quote(want)}")


def _case(pred: Case, text: str) -> Fact:
    letters = [c for c in text if c.isalpha() and (c.isupper() or c.islower())]
    if not letters:
        return Fact(False, 0.0, "no letters at all", "write it in letters")
    match pred.kind:
        case "lower":
            bad = [
                m.group(0) for m in un.WORD.finditer(text) if any(c.isupper() for c in m.group(0))
            ]
            wrong = sum(1 for c in letters if c.isupper())
            if not wrong:
                return Fact(True, 1.0, "no capital letters")
            return Fact(
                False,
                1 - wrong / len(letters),
                f"capital letters in {_examples(bad)}",
                "write everything in lowercase, including the first word of each sentence, "
                "names and acronyms",
            )
        case "upper":
            bad = [
                m.group(0) for m in un.WORD.finditer(text) if any(c.islower() for c in m.group(0))
            ]
            wrong = sum(1 for c in letters if c.islower())
            if not wrong:
                return Fact(True, 1.0, "no lowercase letters")
            return Fact(
                False,
                1 - wrong / len(letters),
                f"lowercase letters in {_examples(bad)}",
                "write everything in CAPITAL LETTERS",
            )
        case "title":
            words = [w.text for w in un.find_words(text)]
            small = {
                "a",
                "an",
                "the",
                "and",
                "but",
                "or",
                "nor",
                "for",
                "of",
                "in",
                "on",
                "at",
                "to",
                "by",
                "with",
                "from",
                "as",
                "vs",
                "via",
                "per",
            }
            bad = [w for i, w in enumerate(words) if w[:1].islower() and (i == 0 or w not in small)]
            if not bad:
                return Fact(True, 1.0, "every word is capitalised")
            return Fact(
                False,
                1 - len(bad) / max(1, len(words)),
                f"not capitalised: {_examples(bad)}",
                "capitalise the first letter of every major word",
            )
        case "sentence":
            wrong_words: list[str] = []
            for sentence in un.sentences(text):
                for i, w in enumerate(un.find_words(sentence.text)):
                    word = w.text
                    if i == 0:
                        if word[:1].islower():
                            wrong_words.append(word)
                        if any(c.isupper() for c in word[1:]):
                            wrong_words.append(word)
                    elif any(c.isupper() for c in word) and not _I_WORDS.match(word):
                        wrong_words.append(word)
            if not wrong_words:
                return Fact(True, 1.0, "capitals only where sentences start")
            total = max(1, len(un.find_words(text)))
            return Fact(
                False,
                1 - len(wrong_words) / total,
                f"wrong capitals in {_examples(wrong_words)}",
                "capitalise only the first word of each sentence (and the word 'I'); "
                "write every other word in lowercase",
            )
        case _:
            assert_never(pred.kind)


def _language(pred: Language, text: str) -> Fact:
    want = pred.code
    probabilities = tx.language_probabilities(text)
    if not probabilities:
        return Fact(True, 1.0, "no language detectable (nothing to judge by)")
    detected = max(probabilities, key=lambda k: probabilities[k])
    if _same_language(detected, want):
        return Fact(True, 1.0, f"written in {want!r} (p={probabilities[detected]:.2f})")
    numbered = list(enumerate(un.sentences(text), start=1))
    judged = [(i, s) for i, s in numbered if len(un.find_words(s.text)) >= 3]
    other = [
        i
        for i, s in judged
        if (code := tx.detect_language(s.text)) is not None and not _same_language(code, want)
    ]
    share = 1.0 - len(other) / len(judged) if judged else 0.0
    found = f"detected language {detected!r} (p={probabilities[detected]:.2f}), not {want!r}"
    hint = f"write the whole answer in {want!r}, with no passages in other languages"
    if other and len(other) < len(numbered):
        which = _sentence_list(other)
        found += f"; {which} {'is' if len(other) == 1 else 'are'} in another language"
        hint = f"rewrite {which} in {want!r}"
    return Fact(False, share, found, hint)


def _sentence_list(numbers: list[int], limit: int = 6) -> str:
    """``sentence 2``, ``sentences 2 and 3``, ``sentences 2, 4, 5 ... (9 in all)``."""
    if len(numbers) == 1:
        return f"sentence {numbers[0]}"
    if len(numbers) > limit:
        shown = ", ".join(map(str, numbers[:limit]))
        return f"sentences {shown} ... ({len(numbers)} in all)"
    return f"sentences {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def _same_language(code: str, want: str) -> bool:
    """`code` (as langdetect names it: "en", "zh-cn") is the language `want` names;
    when either has no region, the primary languages are compared ("pt-br" holds
    for "pt", langdetect's only Portuguese)."""
    code, want = code.lower(), want.lower()
    if code == want:
        return True
    (lang, _, region), (want_lang, _, want_region) = code.partition("-"), want.partition("-")
    return lang == want_lang and not (region and want_region)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _sorted(pred: Sorted, text: str) -> Fact:
    items = [_key(s.text) for s in un.find(pred.unit, text)]
    items = [i for i in items if i]
    if len(items) < 2:
        return Fact(True, 1.0, f"{noun(pred.unit, len(items))}: nothing to order")
    pairs = list(itertools.pairwise(items))
    wrong = [(a, b) for a, b in pairs if (a > b if not pred.descending else a < b)]
    if not wrong:
        order = "Z to A" if pred.descending else "A to Z"
        return Fact(True, 1.0, f"{noun(pred.unit, len(items))} in order {order}")
    a, b = wrong[0]
    return Fact(
        False,
        1 - len(wrong) / len(pairs),
        f"{quote(a, 30)} comes before {quote(b, 30)}",
        f"put the {noun(pred.unit)} in {'reverse ' if pred.descending else ''}alphabetical order",
    )


def _distinct(pred: Distinct, text: str) -> Fact:
    spans = un.find(pred.unit, text)
    keys: list[str] = []
    for s in spans:
        words = un.find_words(s.text)
        match pred.by:
            case "text":
                keys.append(_key(s.text))
            case "first_word":
                keys.append(words[0].text.casefold() if words else "")
            case "last_word":
                keys.append(words[-1].text.casefold() if words else "")
    if pred.adjacent:
        repeats = [
            (i + 2, keys[i]) for i in range(len(keys) - 1) if keys[i] and keys[i] == keys[i + 1]
        ]
    else:
        seen: set[str] = set()
        repeats = []
        for i, k in enumerate(keys):
            if k and k in seen:
                repeats.append((i + 1, k))
            seen.add(k)
    if not repeats:
        return Fact(True, 1.0, f"no repeated {noun(pred.unit)}")
    where = ", ".join(f"{numbered(pred.unit, i)} ({quote(k, 20)})" for i, k in repeats[:3])
    what = {"text": "", "first_word": " first word", "last_word": " last word"}[pred.by]
    return Fact(
        False,
        max(0.0, 1 - len(repeats) / max(1, len(keys))),
        f"repeated{what}: {where}",
        f"reword {where} so no{what or ' text'} repeats",
    )


def _repeats(text: str, request: str | None) -> Fact:
    if request is None or not request.strip():
        return Fact(False, 0.0, "the request to repeat is not known", "")
    want = request.strip().lower()
    have = text.strip().lower()
    if have.startswith(want):
        return Fact(True, 1.0, "starts with the request, word for word")
    same = _common_prefix(have, want)
    return Fact(
        False,
        same / len(want),
        f"differs from the request after {same} of {len(want)} characters",
        f"start with the request exactly as given, {quote(request.strip(), 120)}, then answer",
    )


def _examples(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(repr(i) for i in items[:limit])
    return shown + (" ..." if len(items) > limit else "")


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
