"""One function per IFEval instruction, following the semantics of Google's current
checker (google-research `instruction_following_eval`, the version that keeps
non-letter characters such as '#' and '!' in `letter_frequency`).

Each check takes the response, the instruction's kwargs (already validated by
`registry`), the prompt and the text tools, and answers whether the response
follows the instruction. Quirks of the official checker are kept on purpose
(keywords are used as regular expressions, paragraph counting skips empty pieces
but indexes the raw list...): changing them would change the benchmark.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from cadenza.bench.ifeval.official.text import TextTools

Args = Mapping[str, Any]
Check = Callable[[str, Args, str, TextTools], bool]

LESS_THAN = "less than"
AT_LEAST = "at least"
RELATIONS = (LESS_THAN, AT_LEAST)

CONSTRAINED_OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


def _compare(actual: int, relation: str, threshold: int) -> bool:
    if relation == LESS_THAN:
        return actual < threshold
    return actual >= threshold


# keywords:*


def keywords_existence(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    return all(re.search(k, text, flags=re.IGNORECASE) for k in sorted(args["keywords"]))


def keywords_frequency(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    found = re.findall(str(args["keyword"]).strip(), text, flags=re.IGNORECASE)
    return _compare(len(found), args["relation"], args["frequency"])


def keywords_forbidden(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    return not any(
        re.search(r"\b" + word + r"\b", text, flags=re.IGNORECASE)
        for word in sorted(set(args["forbidden_words"]))
    )


def keywords_letter_frequency(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    letter = str(args["letter"]).strip().lower()
    counts = Counter(text.lower())
    if args["let_relation"] == LESS_THAN:
        return counts[letter] < int(args["let_frequency"])
    return counts[letter] >= int(args["let_frequency"])


# language:*


def response_language(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    detected = tools.language(text)
    # The official checker counts an undetectable language as followed.
    return detected is None or detected == args["language"]


# length_constraints:*


def number_sentences(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    return _compare(tools.count_sentences(text), args["relation"], args["num_sentences"])


def number_paragraphs(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    pieces = re.split(r"\s?\*\*\*\s?", text)
    count = len(pieces)
    for index, piece in enumerate(pieces):
        if not piece.strip():
            if index in (0, len(pieces) - 1):
                count -= 1
            else:
                return False
    return count == int(args["num_paragraphs"])


def number_words(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    return _compare(tools.count_words(text), args["relation"], args["num_words"])


def nth_paragraph_first_word(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    pieces = re.split(r"\n\n", text)
    count = sum(1 for piece in pieces if piece.strip())
    nth = int(args["nth_paragraph"])
    if nth > count:
        return False
    # Counting skips empty pieces but the lookup indexes the raw split, as upstream.
    paragraph = pieces[nth - 1].strip()
    if not paragraph:
        return False
    word = paragraph.split()[0].strip().lstrip("'").lstrip('"')
    first = ""
    for char in word:
        if char in {".", ",", "?", "!", "'", '"'}:
            break
        first += char.lower()
    return count == int(args["num_paragraphs"]) and first == str(args["first_word"]).lower()


# detectable_content:*


def number_placeholders(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    return len(re.findall(r"\[.*?\]", text)) >= int(args["num_placeholders"])


def postscript(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    marker = str(args["postscript_marker"]).strip()
    lowered = text.lower()
    if marker == "P.P.S":
        pattern = r"\s*p\.\s?p\.\s?s.*$"
    elif marker == "P.S.":
        pattern = r"\s*p\.\s?s\..*$"
    else:
        pattern = r"\s*" + marker.lower() + r".*$"
    return bool(re.findall(pattern, lowered, flags=re.MULTILINE))


# detectable_format:*


def number_bullet_lists(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    stars = re.findall(r"^\s*\*[^\*].*$", text, flags=re.MULTILINE)
    dashes = re.findall(r"^\s*-.*$", text, flags=re.MULTILINE)
    return len(stars) + len(dashes) == int(args["num_bullets"])


def constrained_response(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    stripped = text.strip()
    return any(option in stripped for option in CONSTRAINED_OPTIONS)


def number_highlighted_sections(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    single = [h for h in re.findall(r"\*[^\n\*]*\*", text) if h.strip("*").strip()]
    double = [
        h
        for h in re.findall(r"\*\*[^\n\*]*\*\*", text)
        if h.removeprefix("**").removesuffix("**").strip()
    ]
    return len(single) + len(double) >= int(args["num_highlights"])


def multiple_sections(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    splitter = str(args["section_spliter"]).strip()
    sections = re.split(r"\s?" + splitter + r"\s?\d+\s?", text)
    return len(sections) - 1 >= int(args["num_sections"])


def json_format(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    body = text.strip()
    for fence in ("```json", "```Json", "```JSON", "```"):
        body = body.removeprefix(fence)
    body = body.removesuffix("```").strip()
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def title(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    return any(t.lstrip("<").rstrip(">").strip() for t in re.findall(r"<<[^\n]+>>", text))


# combination:*


def two_responses(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    pieces = text.split("******")
    answers: list[str] = []
    for index, piece in enumerate(pieces):
        if piece.strip():
            answers.append(piece)
        elif index not in (0, len(pieces) - 1):
            return False
    return len(answers) == 2 and answers[0].strip() != answers[1].strip()


def repeat_prompt(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    return text.strip().lower().startswith(str(args["prompt_to_repeat"]).strip().lower())


# startend:*


def end_checker(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    ending = str(args["end_phrase"]).strip().lower()
    return text.strip().strip('"').lower().endswith(ending)


def quotation(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    stripped = text.strip()
    return len(stripped) > 1 and stripped[0] == '"' and stripped[-1] == '"'


# change_case:*


def capital_word_frequency(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    capitals = sum(1 for word in tools.words(text) if word.isupper())
    if args["capital_relation"] == LESS_THAN:
        return capitals < int(args["capital_frequency"])
    return capitals >= int(args["capital_frequency"])


def english_capital(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    if not text.isupper():
        return False
    detected = tools.language(text)
    return detected is None or detected == "en"


def english_lowercase(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    if not text.islower():
        return False
    detected = tools.language(text)
    return detected is None or detected == "en"


# punctuation:*


def no_comma(text: str, args: Args, prompt: str, tools: TextTools) -> bool:
    return "," not in text
