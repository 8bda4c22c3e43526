"""Units of a text: where each word, sentence, bullet, heading, emoji ... sits."""

from __future__ import annotations

import pytest

from cadenza.requirements.lang.nodes import Named, Pattern, Split, Text, UnitName
from cadenza.requirements.lang.units import Span, count_fast, find, tables


def texts(unit: UnitName | Text | Pattern | Split, text: str) -> list[str]:
    return [s.text for s in find(Named(unit) if isinstance(unit, str) else unit, text)]


def test_spans_point_into_the_text() -> None:
    text = "Hi there, world. Next one?\n\n- a bullet"
    for unit in ("word", "sentence", "line", "paragraph", "bullet", "punctuation"):
        for span in find(Named(unit), text):  # type: ignore[arg-type]
            assert isinstance(span, Span)
            assert span.text in text[span.start : span.end] or span.text == ""


# --------------------------------------------------------------------------- words


def test_words_join_inner_apostrophes_hyphens_and_colons() -> None:
    assert texts("word", "Don't stop the check-up at 9:30, ok?") == [
        "Don't",
        "stop",
        "the",
        "check-up",
        "at",
        "9:30",
        "ok",
    ]


def test_words_drop_edge_punctuation_and_symbol_only_tokens() -> None:
    assert texts("word", '"Hello," she said — (quietly)... *bold* 42% — ---') == [
        "Hello",
        "she",
        "said",
        "quietly",
        "bold",
        "42%",
    ]
    assert texts("word", "l'été co-op's e-mail") == ["l'été", "co-op's", "e-mail"]
    span = find(Named("word"), "  (don't)")[0]
    assert (span.start, span.end) == (3, 8)


def test_letters_and_characters() -> None:
    assert texts("letter", "a1 b!é") == ["a", "b", "é"]
    assert texts("character", "  ab c ") == ["a", "b", " ", "c"]  # outer whitespace stripped
    assert count_fast(Named("character"), "  ab c ") == 4
    assert count_fast(Named("letter"), "a1 b!é") == 3


def test_digits_numbers_and_punctuation() -> None:
    assert texts("digit", "a1b22") == ["1", "2", "2"]
    assert texts("number", "3.14, 1,000 and 42% on the 7th, v2, 2024") == [
        "3.14",
        "1,000",
        "42",
        "7",
        "2024",
    ]
    assert texts("punctuation", "Hi, there! (ok)") == [",", "!", "(", ")"]


def test_capital_and_capitalized_words() -> None:
    # NLTK tokens as IFEval counts them: "I" and "U.S." are all-capital words
    assert texts("capital_word", "I live in the U.S. now, NASA!") == ["I", "U.S.", "NASA"]
    assert texts("capitalized_word", "Hello World and iPhone") == ["Hello", "World"]


# --------------------------------------------------------------------------- sentences, lines


def test_sentences_use_punkt_so_abbreviations_do_not_split() -> None:
    assert texts("sentence", "Mr. Smith went home. He slept! Did he? Yes.") == [
        "Mr. Smith went home.",
        "He slept!",
        "Did he?",
        "Yes.",
    ]


def test_lines_are_non_blank_and_stripped() -> None:
    assert texts("line", "a\n\n  \n b \n") == ["a", "b"]
    (b,) = [s for s in find(Named("line"), "a\n\n  \n b \n") if s.text == "b"]
    assert (b.start, b.end) == (7, 8)


def test_paragraphs_are_blocks_between_blank_lines() -> None:
    assert texts("paragraph", "a\nb\n\n\n c \n\n  \nd") == ["a\nb", "c", "d"]
    assert texts("paragraph", "\n\n  only one  \n\n") == ["only one"]


def test_split_parts_drop_blank_ends_and_keep_blank_middles() -> None:
    parts = find(Split("***"), "***\nOne\n***\n\n***\nTwo\n***")
    assert [p.text for p in parts] == ["One", "", "Two"]
    assert texts(Split(","), "a, b ,c") == ["a", "b", "c"]


# --------------------------------------------------------------------------- markdown


def test_bullets_need_a_marker_and_a_space_and_bold_lines_are_not_bullets() -> None:
    text = "* one\n  - two\n**bold line**\n* three\n+ four\n• five\n-not\n---\n*emphasis* here"
    assert texts("bullet", text) == ["one", "two", "three", "four", "five"]


def test_numbered_items_and_list_items_in_text_order() -> None:
    assert texts("numbered_item", "1. a\n2) b\n3.c\n 10. d") == ["a", "b", "d"]
    assert texts("list_item", "1. a\n- b\n2. c") == ["a", "b", "c"]


def test_headings_carry_their_level_and_skip_code_and_bad_markers() -> None:
    text = "# Title\n## Sub ##\n####### no\n#nospace\n```\n# code\n```\n   ### ok"
    found = find(Named("heading"), text)
    assert [(h.text, h.level) for h in found] == [("Title", 1), ("Sub", 2), ("ok", 3)]


def test_sections_run_from_a_heading_to_the_next() -> None:
    found = find(Named("section"), "intro\n# A\ntext a\n## B\ntext b")
    assert [(s.text, s.level) for s in found] == [("# A\ntext a", 1), ("## B\ntext b", 2)]


def test_without_headings_emphasised_title_lines_open_sections() -> None:
    text = "*Summary*\n\nWe sell.\n\n**Costs:**\nLow.\n\nA *word* in a line.\n*Last line*"
    found = find(Named("section"), text)
    assert [s.text for s in found] == [
        "*Summary*\n\nWe sell.",
        "**Costs:**\nLow.\n\nA *word* in a line.\n*Last line*",  # no text after: no title
    ]
    # with a markdown heading, only headings open sections
    assert len(find(Named("section"), "# A\n*Not a title*\nx")) == 1


def test_code_fences_with_language_tags_tildes_and_an_unclosed_fence() -> None:
    text = "```python\nprint(1)\n```\ntext\n~~~\nraw\n~~~\n```js\nunclosed"
    found = find(Named("code_block"), text)
    assert [(b.text, b.language) for b in found] == [
        ("print(1)", "python"),
        ("raw", None),
        ("unclosed", "js"),  # an unclosed fence runs to the end
    ]
    # A longer closing fence closes; a tagged fence line inside a block does not.
    nested = "````md\n```python\nx\n```\n````"
    (block,) = find(Named("code_block"), nested)
    assert block.language == "md" and block.text == "```python\nx\n```"


def test_tables_and_their_rows() -> None:
    text = "intro\n| a | b |\n|---|:--:|\n| 1 | 2 |\n| 3 | 4 |\n\nafter | not a row"
    (table,) = tables(text)
    assert table.header == ("a", "b")
    assert table.cells == (("1", "2"), ("3", "4"))
    assert texts("table", text) == ["| a | b |\n|---|:--:|\n| 1 | 2 |\n| 3 | 4 |"]
    assert texts("table_row", text) == ["| 1 | 2 |", "| 3 | 4 |"]
    assert texts("table", "a | b\nno rule row") == []
    bare = tables("a | b\n--|--\n1 | 2")
    assert len(bare) == 1 and bare[0].cells == (("1", "2"),)


def test_emphasis_bold_italic_and_highlights() -> None:
    assert texts("bold", "**bold** and __also__ and *it*") == ["bold", "also"]
    assert texts("italic", "*it* and _also_ and **bold** and snake_case_word") == ["it", "also"]
    assert texts("italic", "see https://x.com/a_b_c") == []  # underscores inside a link
    # IFEval's highlights: *span* and **span**, empty ones not counted
    assert texts("highlight", "*a* then **b** and ** ** and * *") == ["*a*", "**b**"]


def test_placeholders_and_quotes() -> None:
    assert texts("placeholder", "Dear [name], at [address] [].") == ["[name]", "[address]", "[]"]
    quoted = "He said \"hi there\" and 'yes' and “curly” but don't split words"
    assert texts("quote", quoted) == ["hi there", "yes", "curly"]


# --------------------------------------------------------------------------- links, symbols


def test_urls_lose_trailing_punctuation() -> None:
    text = "See https://example.com/a_b. Or (www.test.org/x), and http://x.y/z?q=1!"
    assert texts("url", text) == ["https://example.com/a_b", "www.test.org/x", "http://x.y/z?q=1"]


def test_emails_mentions_and_hashtags() -> None:
    assert texts("email", "mail a.b+c@ex-ample.co.uk, or @handle") == ["a.b+c@ex-ample.co.uk"]
    assert texts("mention", "hi @bob and a@b.com") == ["@bob"]
    assert texts("hashtag", "#tag #123 a#b #ok_2 &#39;") == ["#tag", "#ok_2"]


@pytest.mark.parametrize(
    ("emoji", "what"),
    [
        ("👋🏽", "a skin tone"),
        ("🇫🇷", "a flag (two regional indicators)"),
        ("👨\u200d👩\u200d👧\u200d👦", "a ZWJ family"),
        ("❤️", "a text symbol with the emoji selector"),
        ("1️⃣", "a keycap"),
        ("🏳️\u200d🌈", "a ZWJ flag"),
    ],
)
def test_an_emoji_cluster_counts_once(emoji: str, what: str) -> None:
    found = find(Named("emoji"), f"before {emoji} after")
    assert [e.text for e in found] == [emoji], what


def test_plain_symbols_are_not_emojis() -> None:
    assert texts("emoji", "plain © ® ™ # * 123 text") == []
    assert texts("emoji", "Hi 👋 and 🎉!") == ["👋", "🎉"]


# --------------------------------------------------------------------------- literal units


def test_literal_text_is_case_insensitive_and_whole_word_by_default() -> None:
    assert texts(Text("cat"), "cat category Cat cat's cats") == ["cat", "Cat", "cat's", "cats"]
    assert texts(Text("cat", whole_word=False), "cat category Cat") == ["cat", "cat", "Cat"]
    assert texts(Text("Cat", case_sensitive=True), "cat Cat") == ["Cat"]
    assert texts(Text(","), "a, b,c") == [",", ","]
    assert texts(Text("c++"), "C++ is not ccc") == ["C++"]  # literal, not a regex


def test_patterns_are_multiline_and_skip_empty_matches() -> None:
    assert texts(Pattern(r"^\d+"), "12 a\n34 b") == ["12", "34"]
    assert texts(Pattern(r"x*"), "axxb") == ["xx"]
    assert texts(Pattern(r"todo", ignore_case=True), "TODO: fix") == ["TODO"]
