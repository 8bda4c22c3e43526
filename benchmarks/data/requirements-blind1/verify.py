"""Checks every mechanical label of requirements-blind1 with a plain program.

One function per item id decides whether an answer meets that item's requirement, as
a careful reader means it; `main` asserts that each decision equals the label. Written
independently of cadenza (nothing is imported from it). Run from anywhere:

    python benchmarks/data/requirements-blind1/verify.py
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORD = re.compile(r"[\w$£€%]+(?:[-'’.,/][\w]+)*")
BULLET = re.compile(r"^\s*[-*•]\s+")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def count_word(text: str, word: str) -> int:
    return len(re.findall(rf"\b{re.escape(word)}\b", text, flags=re.IGNORECASE))


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def bullets(text: str) -> list[str]:
    return [BULLET.sub("", line) for line in lines(text) if BULLET.match(line)]


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [p for p in parts if p]


def json_value(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def only_tokens(text: str) -> list[str]:
    """The answer's words once a final full stop is taken off."""
    return text.strip().removesuffix(".").split()


def acrostic(text: str) -> str:
    return "".join(line.strip()[0].upper() for line in lines(text))


def parentheticals(text: str) -> int:
    return len(re.findall(r"\([^()]*\)", text))


STOPWORDS = {
    "en": {"the", "and", "is", "to", "of", "in", "you", "we", "that", "with", "for", "so"},
    "es": {"el", "la", "de", "que", "y", "en", "su", "a", "los", "nuestro", "sea", "es"},
    "fr": {"le", "la", "et", "les", "est", "dans", "de", "pour", "par", "encore", "des"},
    "de": {"und", "die", "der", "das", "ich", "bei", "für", "nie", "den", "an", "im", "euch"},
}


def language(text: str) -> str:
    tokens = [t.lower() for t in re.findall(r"[^\W\d_]+", text)]
    scores = {lang: sum(t in stop for t in tokens) for lang, stop in STOPWORDS.items()}
    return max(scores, key=lambda lang: scores[lang])


# 1 total word count range
def b001(t: str) -> bool:
    return 40 <= len(words(t)) <= 60


def b002(t: str) -> bool:
    return len(words(t)) < 50


def b003(t: str) -> bool:
    return len(words(t)) >= 80


# 2 bullet count
def b004(t: str) -> bool:
    return len(bullets(t)) == 5


def b005(t: str) -> bool:
    return 1 <= len(bullets(t)) <= 3


def b006(t: str) -> bool:
    return len(bullets(t)) == 4 and len(lines(t)) == 4


# 3 required phrase
def b007(t: str) -> bool:
    return "keeps drinks cold for 24 hours" in t


def b008(t: str) -> bool:
    return "Eastfield Library" in t


def b009(t: str) -> bool:
    return count_word(t, "sourdough") >= 1


# 4 forbidden word
def b010(t: str) -> bool:
    return count_word(t, "rockstar") == 0


def b011(t: str) -> bool:
    return count_word(t, "revolutionary") == 0 and "game-changing" not in t.lower()


def b012(t: str) -> bool:
    return count_word(t, "sorry") == 0


# 5 word frequency
def b013(t: str) -> bool:
    return count_word(t, "ocean") == 2


def b014(t: str) -> bool:
    return count_word(t, "keep") >= 3


def b015(t: str) -> bool:
    return count_word(t, "snow") <= 1


# 6 final question
def b016(t: str) -> bool:
    return t.rstrip().endswith("?")


def b017(t: str) -> bool:
    last = sentences(t)[-1]
    return last.endswith("?") and "Tuesday" in last


def b018(t: str) -> bool:
    return sentences(t)[-1].endswith("?")


# 7 no questions
def b019(t: str) -> bool:
    return "?" not in t


def b020(t: str) -> bool:
    return "?" not in t


def b021(t: str) -> bool:
    return "?" not in t


# 8 title line form
def b022(t: str) -> bool:
    return re.fullmatch(r"<<[^<>]+>>", t.splitlines()[0].strip()) is not None


def b023(t: str) -> bool:
    return t.splitlines()[0].startswith("Subject: ") and len(t.splitlines()[0]) > 9


def b024(t: str) -> bool:
    split = t.splitlines()
    title = split[0].split()
    return (
        len(split) > 2
        and split[1].strip() == ""
        and bool(title)
        and all(word[0].isupper() for word in title)
    )


# 9 JSON with keys
def b025(t: str) -> bool:
    value = json_value(t)
    return isinstance(value, dict) and set(value) == {"title", "author", "year"}


def b026(t: str) -> bool:
    value = json_value(t)
    return (
        isinstance(value, dict)
        and set(value) == {"high", "low", "summary"}
        and all(
            isinstance(value[key], int | float) and not isinstance(value[key], bool)
            for key in ("high", "low")
        )
        and isinstance(value["summary"], str)
    )


def b027(t: str) -> bool:
    value = json_value(t)
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and {"city", "country"} <= set(v) for v in value)
    )


# 10 date format
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"


def b028(t: str) -> bool:
    iso = re.findall(r"\b\d{4}-\d{2}-\d{2}\b", t)
    other = re.findall(rf"\b\d{{4}}/\d{{2}}/\d{{2}}\b|\b\d{{1,2}} (?:{MONTHS})\b", t)
    return bool(iso) and not other


def b029(t: str) -> bool:
    wanted = re.findall(rf"\b(?:{WEEKDAYS}) \d{{1,2}} (?:{MONTHS})\b", t)
    other = re.findall(rf"\b(?:{WEEKDAYS}), |\b\d{{1,2}}/\d{{1,2}}\b|(?:{MONTHS}) \d", t)
    return bool(wanted) and not other


def b030(t: str) -> bool:
    wanted = re.findall(r"\b\d{2}/\d{2}/\d{4}\b", t)
    other = re.findall(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}} (?:{MONTHS})\b", t)
    return len(wanted) >= 2 and not other


# 11 time format
def b031(t: str) -> bool:
    times = re.findall(r"\b\d{2}:\d{2}\b", t)
    return bool(times) and not re.search(r"\b(?:am|pm)\b", t, flags=re.IGNORECASE)


def b032(t: str) -> bool:
    bare = re.findall(r"\b\d{1,2}(?::\d{2})?(?!\s?(?:am|pm))\b(?![:\d])", t)
    twelve = re.findall(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b", t)
    return bool(twelve) and not bare


def b033(t: str) -> bool:
    good = re.findall(r"\b\d{1,2}:\d{2}\b", t)
    bad = re.findall(r"\b\d{1,2}[.h]\d{2}\b", t)
    return bool(good) and not bad


# 12 currency format
def b034(t: str) -> bool:
    amounts = re.findall(r"\$\d+(?:\.\d+)?", t)
    return (
        bool(amounts)
        and all(re.fullmatch(r"\$\d+\.\d{2}", a) for a in amounts)
        and "dollar" not in t.lower()
    )


def b035(t: str) -> bool:
    numbers = re.findall(r"£?\d[\d,]*£?", t)
    return (
        bool(numbers)
        and all(n.startswith("£") and not n.endswith("£") for n in numbers)
        and "GBP" not in t
    )


def b036(t: str) -> bool:
    numbers = re.findall(r"(?:EUR |€)?\d[\d.,]*", t)
    return bool(numbers) and all(re.fullmatch(r"EUR \d+\.\d{2}", n) for n in numbers)


# 13 quoted speech
QUOTED = re.compile(r"\"[^\"]+\"|“[^”]+”")


def b037(t: str) -> bool:
    return bool(QUOTED.search(t))


def b038(t: str) -> bool:
    return len(QUOTED.findall(t)) >= 4


def b039(t: str) -> bool:
    return not re.search(r"[\"“”]", t)


# 14 postscript
def is_ps(line: str) -> bool:
    return re.match(r"\s*P\.?S\.?\b", line) is not None


def b040(t: str) -> bool:
    return is_ps(lines(t)[-1]) and sum(is_ps(line) for line in lines(t)) == 1


def b041(t: str) -> bool:
    last = lines(t)[-1]
    return is_ps(last) and "Friday" in last


def b042(t: str) -> bool:
    return not any(is_ps(line) for line in lines(t))


# 15 acrostic
def b043(t: str) -> bool:
    return acrostic(t) == "WAVE"


def b044(t: str) -> bool:
    return acrostic(t) == "TOM"


def b045(t: str) -> bool:
    return acrostic(t) == "BOLT"


# 16 words per bullet
def b046(t: str) -> bool:
    return bool(bullets(t)) and all(len(words(b)) <= 5 for b in bullets(t))


def b047(t: str) -> bool:
    return bool(bullets(t)) and all(len(words(b)) <= 8 for b in bullets(t))


def b048(t: str) -> bool:
    return bool(bullets(t)) and all(len(words(b)) >= 3 for b in bullets(t))


# 17 single word answer
def b049(t: str) -> bool:
    return len(only_tokens(t)) == 1


def b050(t: str) -> bool:
    return len(only_tokens(t)) == 1 and t.strip().isalpha()


def b051(t: str) -> bool:
    return len(only_tokens(t)) == 1


# 18 yes/no answer
def b052(t: str) -> bool:
    return t.strip().removesuffix(".").lower() in {"yes", "no"}


def b053(t: str) -> bool:
    parts = sentences(t)
    return len(parts) == 2 and parts[0] in {"Yes.", "No."}


def b054(t: str) -> bool:
    return t.strip() in {"yes", "no"}


# 19 single number answer
def b055(t: str) -> bool:
    return re.fullmatch(r"\d+", t.strip()) is not None


def b056(t: str) -> bool:
    return re.fullmatch(r"\d+(?:\.\d+)?", t.strip()) is not None


def b057(t: str) -> bool:
    return re.fullmatch(r"-?\d+", t.strip()) is not None


# 20 key-value lines
KEY_VALUE = re.compile(r"^[A-Z][\w ]*: \S")


def b058(t: str) -> bool:
    return len(lines(t)) > 1 and all(KEY_VALUE.match(line) for line in lines(t))


def b059(t: str) -> bool:
    keys = [line.split(":", 1)[0] for line in lines(t)]
    return keys == ["Name", "Phone", "Email"] and all(KEY_VALUE.match(x) for x in lines(t))


def b060(t: str) -> bool:
    return len(lines(t)) == 4 and all(KEY_VALUE.match(line) for line in lines(t))


# 21 separator line
def separators(t: str, mark: str) -> list[int]:
    return [i for i, line in enumerate(t.splitlines()) if line.strip() == mark]


def b061(t: str) -> bool:
    found = separators(t, "---")
    return len(found) == 1 and 0 < found[0] < len(t.splitlines()) - 1


def b062(t: str) -> bool:
    split = t.splitlines()
    found = separators(t, "***")
    return (
        len(found) == 1
        and any(line.startswith("Pros") for line in split[: found[0]])
        and any(line.startswith("Cons") for line in split[found[0] :])
    )


def b063(t: str) -> bool:
    split = t.splitlines()
    found = separators(t, "~~~")
    return len(found) == 2 and found[-1] < len(split) - 1


# 22 indentation
def b064(t: str) -> bool:
    subs = [line for line in t.splitlines() if line.lstrip().startswith("-")]
    return bool(subs) and all(re.match(r" {4}\S", line) for line in subs)


def b065(t: str) -> bool:
    return all(re.match(r" {2}\S", line) for line in lines(t))


def b066(t: str) -> bool:
    return not any(line[0] in " \t" for line in lines(t))


# 23 parentheses
def b067(t: str) -> bool:
    return parentheticals(t) >= 1


def b068(t: str) -> bool:
    return parentheticals(t) <= 1


def b069(t: str) -> bool:
    return parentheticals(t) == 2


# 24 letter use
def b070(t: str) -> bool:
    return "e" not in t.lower()


def b071(t: str) -> bool:
    return t.lower().count("z") >= 5


def b072(t: str) -> bool:
    return "a" not in t.lower()


# 25 line count
def b073(t: str) -> bool:
    return len(lines(t)) == 4


def b074(t: str) -> bool:
    return len(lines(t)) <= 2


def b075(t: str) -> bool:
    return len(lines(t)) >= 5


# 26 tag wrapping
def b076(t: str) -> bool:
    return re.search(r"<answer>.+</answer>", t, flags=re.DOTALL) is not None


def b077(t: str) -> bool:
    return re.fullmatch(r"<summary>.+</summary>", t.strip(), flags=re.DOTALL) is not None


def b078(t: str) -> bool:
    return bool(re.search(r"<fr>.+?</fr>", t)) and bool(re.search(r"<it>.+?</it>", t))


# 27 response language
def b079(t: str) -> bool:
    return language(t) == "es"


def b080(t: str) -> bool:
    return language(t) == "fr" and t == t.lower()


def b081(t: str) -> bool:
    return language(t) == "de"


CHECKS: dict[str, Callable[[str], bool]] = {
    name: value
    for name, value in dict(globals()).items()
    if re.fullmatch(r"b\d{3}", name) and callable(value)
}


def main() -> int:
    rows = [
        json.loads(line)
        for line in (HERE / "requirements.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    mechanical = [r for r in rows if r["kind"] == "mechanical"]
    missing = [r["id"] for r in mechanical if r["id"] not in CHECKS]
    assert not missing, f"no check for {missing}"
    wrong = []
    answers = 0
    for row in mechanical:
        for n, answer in enumerate(row["answers"]):
            answers += 1
            if CHECKS[row["id"]](answer["text"]) != answer["passes"]:
                wrong.append(f"{row['id']} answer {n}: label {answer['passes']}")
    for line in wrong:
        print("MISMATCH", line)
    families = {r["family"] for r in mechanical}
    judged = len(rows) - len(mechanical)
    print(
        f"{len(mechanical)} mechanical items in {len(families)} families, {answers} answers: "
        f"{answers - len(wrong)} labels confirmed, {len(wrong)} mismatched "
        f"({judged} judged items not checked by program)"
    )
    assert not wrong
    return 0


if __name__ == "__main__":
    sys.exit(main())
