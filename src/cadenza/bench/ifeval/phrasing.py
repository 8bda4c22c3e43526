"""`explicit` mode: each IFEval instruction written as a separate natural-language
requirement, the way a Maestro-style user would state it next to the task.

This is harness code: the solver receives only these sentences, never the
instruction ids or kwargs, and validates them with its own checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cadenza.bench.ifeval.data import IFEvalRow

LANGUAGE_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese",
    "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ne": "Nepali", "nl": "Dutch",
    "no": "Norwegian", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "so": "Somali",
    "sq": "Albanian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "zh-cn": "Chinese", "zh-tw": "Chinese",
}  # fmt: skip


def _count(relation: str, n: int, noun: str) -> str:
    return f"fewer than {n} {noun}" if relation == "less than" else f"at least {n} {noun}"


def _times(relation: str, n: int) -> str:
    return f"fewer than {n} times" if relation == "less than" else f"at least {n} times"


def _quoted(words: list[str]) -> str:
    return ", ".join(f'"{w}"' for w in words)


def describe(instruction_id: str, args: Mapping[str, Any]) -> str:
    """One requirement sentence for one instruction."""
    a = args
    match instruction_id:
        case "keywords:existence":
            return f"Include the keywords {_quoted(list(a['keywords']))} in the response."
        case "keywords:frequency":
            return f'Use the word "{a["keyword"]}" {_times(a["relation"], a["frequency"])}.'
        case "keywords:forbidden_words":
            return f"Do not use any of these words: {_quoted(list(a['forbidden_words']))}."
        case "keywords:letter_frequency":
            times = _times(a["let_relation"], a["let_frequency"])
            return f'The letter "{a["letter"]}" must appear {times} in the response.'
        case "language:response_language":
            name = LANGUAGE_NAMES.get(a["language"], a["language"])
            return f"Write the entire response in {name}; no other language is allowed."
        case "length_constraints:number_sentences":
            return f"Write {_count(a['relation'], a['num_sentences'], 'sentences')}."
        case "length_constraints:number_paragraphs":
            return (
                f"Write exactly {a['num_paragraphs']} paragraphs, separated from each other "
                "by the markdown divider ***."
            )
        case "length_constraints:number_words":
            return f"Answer with {_count(a['relation'], a['num_words'], 'words')}."
        case "length_constraints:nth_paragraph_first_word":
            return (
                f"Write exactly {a['num_paragraphs']} paragraphs separated by blank lines; "
                f'paragraph {a["nth_paragraph"]} must start with the word "{a["first_word"]}".'
            )
        case "detectable_content:number_placeholders":
            return (
                f"Include at least {a['num_placeholders']} placeholders in square brackets, "
                "such as [address]."
            )
        case "detectable_content:postscript":
            return f"End with a postscript that starts with {a['postscript_marker']}."
        case "detectable_format:number_bullet_lists":
            return (
                f"Use exactly {a['num_bullets']} markdown bullet points, each line starting "
                "with '* '."
            )
        case "detectable_format:constrained_response":
            return (
                "Answer with one of the following options: 'My answer is yes.', "
                "'My answer is no.', 'My answer is maybe.'"
            )
        case "detectable_format:number_highlighted_sections":
            return (
                f"Highlight at least {a['num_highlights']} sections with markdown, "
                "i.e. *highlighted section*."
            )
        case "detectable_format:multiple_sections":
            splitter = a["section_spliter"]
            return (
                f"Split the response into {a['num_sections']} sections, each starting with "
                f"'{splitter} X' (e.g. '{splitter} 1', '{splitter} 2')."
            )
        case "detectable_format:json_format":
            return "Wrap the entire output in JSON format (markdown ``` fences are allowed)."
        case "detectable_format:title":
            return "Include a title wrapped in double angular brackets, such as <<poem of joy>>."
        case "combination:two_responses":
            return (
                "Give two different responses, separated by six asterisks (******) and "
                "nothing else."
            )
        case "combination:repeat_prompt":
            return (
                "First repeat this request word for word without change, then give your "
                f'answer: "{a["prompt_to_repeat"]}"'
            )
        case "startend:end_checker":
            return (
                f'End the response with the exact phrase "{a["end_phrase"]}"; no other words '
                "may follow it."
            )
        case "startend:quotation":
            return "Wrap the entire response in double quotation marks."
        case "change_case:capital_word_frequency":
            times = _times(a["capital_relation"], a["capital_frequency"])
            return f"Use words written entirely in capital letters {times}."
        case "change_case:english_capital":
            return "Write the entire response in English, using capital letters only."
        case "change_case:english_lowercase":
            return (
                "Write the entire response in English, using lowercase letters only; "
                "no capital letters are allowed."
            )
        case "punctuation:no_comma":
            return "Do not use any commas in the response."
    raise ValueError(f"no phrasing for instruction {instruction_id!r}")


def requirements_for(row: IFEvalRow) -> list[dict[str, Any]]:
    """The row's instructions as Maestro-style `{name, description, is_mandatory}`."""
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for instruction_id, args in zip(row.instruction_ids, row.kwargs, strict=True):
        base = instruction_id.split(":", 1)[1]
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base}_{seen[base]}"
        out.append(
            {"name": name, "description": describe(instruction_id, args), "is_mandatory": True}
        )
    return out
