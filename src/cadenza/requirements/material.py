"""Constraint material: what in a requirement's words can carry a constraint, and
whether an expression uses it.

A clause is a constraint when it names something a check would have to use: a number
("two hashtags", "exactly 4"), a quoted literal ("'leaf'"), a letter ("the letter R"),
a unit of text ("lines", "emojis", "commas"), or when it is said as an instruction (an
imperative or a modal addressed to the answer: "mention ...", "it must ..."). A
reading that leaves such material unused has not read the clause; the clause is handed
on (to the compiler, or the judge), never dropped.

`literals_unused(text, expr)` is literal accounting: the numbers, quoted strings,
letters and units of `text` that `expr` does not use (`literals_invented` the other way
round: the numbers and counted units of `expr` that `text` never says). The extraction
uses it to tell which clauses a reading covers; the model compiler uses it to reject an
expression that ignores part of its sentence ("exactly three brands of tea" is not
``contains 'tea'``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cadenza.requirements.grammar.clauses import ORDINALS
from cadenza.requirements.grammar.lexicon import UNIT_RE, normalise, unit_of
from cadenza.requirements.lang.nodes import (
    Bound,
    Contains,
    Count,
    EndsWith,
    Equals,
    Expr,
    Format,
    Named,
    Pattern,
    Select,
    Split,
    StartsWith,
    Text,
    Unit,
)
from cadenza.requirements.lang.references import referenced
from cadenza.requirements.quoting import SINGLE_QUOTED
from cadenza.requirements.segment import LIST_MARK, is_request
from cadenza.requirements.verbs import (
    adjective,
    base_verb,
    inflected_verb,
    noun,
    without_leading_adverb,
)


@dataclass(frozen=True, slots=True)
class Material:
    """What in a clause can carry a constraint (see the module docstring)."""

    numbers: tuple[float, ...] = ()
    quoted: tuple[str, ...] = ()
    letters: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()
    marks: tuple[str, ...] = ()  # runs of symbols a check would look for ("***", "<<")
    scoped: bool = False  # a unit under a quantifier ("every sentence", "no line")
    counts: bool = False  # a number counts a unit ("300 words", "two new lines")
    directive: bool = False  # said as an instruction (imperative, or a modal on the answer)
    # directive only by its first word, a verb in the lexicon (a clause after "and"
    # inside a statement starts the same way: "we will ... and sell products")
    bare_verb: bool = False
    subjective: bool = False  # asks for something only a judge can assess (tone, audience)

    @property
    def literal(self) -> bool:
        """Whether it names a number, a quoted literal, a letter or a unit."""
        return bool(self.numbers or self.quoted or self.letters or self.units or self.marks)

    @property
    def any(self) -> bool:
        return self.literal or self.directive or self.subjective


# Verbs that open an instruction about the answer's form or content. Verbs that only
# name the task ("write", "explain") count too: a clause opening with one after the
# task's own clause is an instruction of its own ("Write in a cheerful tone").
# words that may open an instruction before its verb ("And then use ...", "Please avoid")
_LEADS = r"(?:and|but|also|then|so|please|pls|now|just|finally|lastly|first(?:ly)?|plus)"
_IMPERATIVE = re.compile(
    rf"^(?:{_LEADS}\s+)*"
    r"(?:do\s+not|don'?t|do\s+(?:it|this|that|them|so|everything|the|a|an|your)|never|always|"
    r"only|make\s+sure|be\s+sure|ensure|remember|try|avoid|"
    r"use|include|mention|add|keep|make|put|start|begin|open|end|finish|close|conclude|"
    r"wrap|format|limit|restrict|list|give|write|answer|respond|reply|highlight|bold|"
    r"italici[sz]e|capitali[sz]e|separate|divide|split|sign|repeat|refer|focus|stick|"
    r"skip|omit|exclude|leave|say|cite|quote|number|title|label|mark|structure|organi[sz]e|"
    r"provide|describe|explain|be|have|ask|address|name|reference|follow|insert|present|"
    r"spell|translate|rewrite|summari[sz]e|state|call|phrase|word|express|pitch|aim|target|"
    r"tailor|tell|sort|order|rank|group|count|show|return|output|print|pretend|imagine|"
    r"act|adopt|take|set|place|fill|contain|feature|incorporate|emphasi[sz]e|stress|"
    r"bullet|enclose|surround|prefix|suffix|precede|lead|sign\s+off|no|nothing|zero|none|"
    r"compose|create|draft|generate|invent|design|craft|produce|prepare|outline|suggest|"
    r"propose|recommend|brainstorm|come\s+up|develop|plan|compile|define|compare|analy[sz]e)\b",
    re.I,
)
# an instruction whose verb no list names ("Let it sound sad", "Shape it as a dialogue"):
# a first word that is not a function word nor inflected (-s, -ed, -ing, -ly), followed
# by what an imperative's object or particle starts with
_NOT_VERBS = "|".join(
    (
        "i|you|we|they|he|she|it|this|that|these|those|the|a|an|my|your|our|their|his",
        "her|its|there|here|what|which|who|whom|how|when|where|why|is|are|was|were|be",
        "been|has|have|had|do|does|did|can|could|will|would|should|must|may|might",
        "shall|and|or|but|so|if|in|on|at|to|for|of|with|by|from|as|about|into|not|no",
        "yes|one|all|some|each|every|any|many|most|more|also|then|than|just|only|very",
        "people|someone|everyone|nobody|today|tomorrow|yesterday|after|before|during",
        "while|since|until|because|although|though|like|unlike|similar",
    )
)
_IMPERATIVE_SHAPE = re.compile(
    rf"^(?:(?:and|please|also|then|now|just|plus)\s+)*(?!(?:{_NOT_VERBS})\b)"
    r"[a-z]+(?<!s)(?<!ed)(?<!ing)(?<!ly)\s+"
    r"(?:it|them|this|that|the|a|an|your|each|every|all|some|in|up|out|off|with)\b",
    re.I,
)
_FUNCTION_WORD = re.compile(_NOT_VERBS, re.I)
# a bare verb first, by the lexicon ("Sound confident", "Stay in the present tense"),
# not a label ("Note: ...") and not followed by a verb form that makes it a statement
# ("Time is short", "Water went cold")
_BARE_FIRST = re.compile(
    rf"^(?:(?:{_LEADS}|oh)\W+)*(?!(?:{_NOT_VERBS})\b)([a-z]+)\b(?![-'])(?!\s*:)"
    r"((?:\W+[a-z'-]+){0,2})",
    re.I,
)


def names_a_thing(text: str) -> bool:
    """Whether a line names a thing rather than asks for one: a word, or a noun
    followed by a number, a noun or a capitalised word ("Bullet point 1", "Section 2",
    "Colorful!")."""
    words = re.findall(r"[A-Za-z0-9'-]+", LIST_MARK.sub("", text))
    if len(words) < 2:
        return True
    first, second = words[0], words[1]
    return (
        not _FUNCTION_WORD.fullmatch(first)
        and noun(first)
        and (
            second.isdigit()
            or (noun(second) and not adjective(second) and not _FUNCTION_WORD.fullmatch(second))
            or second.istitle()
        )
    )


# a request said without its verb: "Only the final number please", "Just the code",
# "Bullet points, please"
_ELLIPTICAL = re.compile(
    r"^(?:only|just|something|anything)\s+\w|\b(?:please|pls|plz)$"
    # a kind of answer named alone: "Short answer.", "A one-line reply"
    r"|^(?:an?\s+)?(?:[\w-]+\s+){1,2}(?:answer|reply|response|version)$",
    re.I,
)


def elliptical(text: str) -> bool:
    """Whether `text` is a request without a verb: it opens with "only", "just",
    "something" or "anything", or ends with "please", and no word of it is a verb form
    or a pronoun that would make it a statement ("Only my brother came", "Just
    kidding", "Something happened", "I'd like tea please")."""
    text = text.strip(" \t\n.!,;:")
    if not _ELLIPTICAL.search(text):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    asked = re.search(r"\b(?:please|pls|plz)$", text, re.I) is not None
    return not any(
        w.lower() in _STATEMENT_WORDS
        # a verb form makes it a statement, but "Rhyming couplets, please" describes
        or (inflected_verb(w) and not noun(w) and not (asked and w.lower().endswith("ing")))
        for w in words
    )


_STATEMENT_WORDS = frozenset(
    re.findall(
        r"\S+",
        "i i'm i'd i've we we're we'd you you're he she it it's they they're is are was were "
        "be been am has have had do does did can could will would should must may might "
        "shall let",
    )
)


def _bare_verb_first(text: str) -> bool:
    """A first word that is a bare verb, and, where it could be a noun too, is not
    followed by a noun ("Cover letter", "Wind farms") or a capitalised word (a heading:
    "Task Summary"), nor by a verb form that makes the clause a statement ("Time is
    short")."""
    m = _BARE_FIRST.match(text)
    if m is None or not m[2] or not base_verb(m[1]):
        return False
    after = re.findall(r"[A-Za-z'-]+", m[2])
    content = not _FUNCTION_WORD.fullmatch(after[0])  # "it", "the", "in" are no nouns here
    if noun(m[1]) and (
        (content and noun(after[0]) and not adjective(after[0]))
        or (m[1][0].isupper() and after[0].istitle())
    ):
        return False
    return not any(inflected_verb(w) and not noun(w) for w in after)


# a statement that asks for something: a wish about the answer ("I'd like it as a
# script", "I need more than 4 bullet points"), who it is for ("The readers are busy
# parents", "This is for a high-school class")
_WISH = re.compile(
    r"^(?:(?:I|we)(?:'d|\s+would)\s+(?:like|love|prefer)|(?:I|we)\s+(?:want|need|prefer|expect))"
    r"\b(?!\s+to\b)"
    r"|^(?:the|my|our|your)\s+(?:\w+\s+)?(?:readers?|audience|listeners?|viewers?|recipients?)"
    r"\s+(?:is|are|will\s+be|would\s+be)\b"
    r"|^(?:this|it|(?:the|your)\s+\w+)(?:'s|\s+is|\s+will\s+be|\s+should\s+be)\s+"
    r"(?:for|aimed\s+at|meant\s+for|intended\s+for|addressed\s+to|written\s+for)\b"
    r"|^(?:this|it)(?:'d|\s+would|\s+could|\s+might)\s+(?:be|work|look|read|sound)\b",
    re.I,
)
# what is welcome, best or forbidden in the answer ("Humour is welcome", "A light touch would
# be nice", "A numbered how-to would work best")
_VALUED = re.compile(
    r"\b(?:(?:would|will|'d)\s+(?:be|work)|is|are)\s+(?:(?:very|most|really|always|more\s+than|"
    r"totally|perfectly)\s+)?(?:nice|great|good|ideal|best|better|perfect|lovely|helpful|"
    r"welcome|appreciated|encouraged|preferred|a\s+must|required|forbidden|off[-\s]limits|"
    # not a permission ("... is fine", "... are okay"): that asks for nothing
    r"not\s+allowed|not\s+permitted)\b",
    re.I,
)
_EXAMPLE = re.compile(r"^(?:e\.g\.?|i\.e\.?|for\s+(?:example|instance)|such\s+as)(?!\w)", re.I)
_MODAL = re.compile(
    # the subject may be a noun phrase of up to three words ("Your entire response should")
    r"\b(?:it|this|that|they|you|there|(?:your|the|each|every|all|any|no)(?:\s+[\w-]+){1,3})\s+"
    r"(?:must|should|shall|needs?\s+to|has\s+to|have\s+to|is\s+to|are\s+to|may\s+not|"
    r"can\s*not|can'?t|mustn'?t|shouldn'?t|will\s+need\s+to|ought\s+to)\b",
    re.I,
)


def says_what_must_be(text: str) -> bool:
    """Whether `text` states what must be with a modal ("The pitch should be 500 words
    long"): a requirement said as a statement, never the request itself."""
    return _MODAL.search(text) is not None


_LETTER = re.compile(
    r"\bletters?\s+(?:['\"‘“]?)([A-Za-z])\b(?:['\"’”]?)(?:\s+(?:and|or)\s+([A-Za-z])\b)?"
)
_SUBJECTIVE = re.compile(
    r"\b(?:tone|style|voice|audience|register|persona|point\s+of\s+view|person|spelling|"
    r"jargon|slang|formal|informal|casual|friendly|polite|humble|cheerful|funny|humorous|"
    r"serious|professional|simple|plain\s+english|technical|kids?|children|beginners?|"
    r"experts?|positive|negative|optimistic|neutral)\b",
    re.I,
)
# a statement about the asker or someone they know ("We are 3 adults and 2 kids", "My son is
# a beginner"): a tone or audience word in it describes them and asks nothing of the answer.
# A statement about the answer's readers or voice ("Our readers are beginners", "My
# brand's voice is playful") still does.
_ABOUT_SOMEONE = re.compile(
    r"^(?:i|we|i'm|im|we're|i've|we've|i'd|we'd|he|she|they|he's|she's|they're|"
    r"(?:my|our|his|her|their)(?!\s+(?:\w+'s\s+)?(?:audience|readers?|listeners?|viewers?|"
    r"users?|customers?|tone|style|voice|register|brand)\b))\b",
    re.I,
)
_MARKS = re.compile(r"([*#~=_\-+|])\1{2,}|<<|>>|\[\[|\]\]|\{\{|\}\}")
_NUMBER = re.compile(r"(?<![\w⟦.])\d+(?:\.\d+)?(?![\w⟧])")


_NAMED_WORDS = re.compile(
    r"\b((?:key)?words?|terms?)\s+[a-z][\w'-]*(?:(?:,|,?\s+or|,?\s+and)\s+[a-z][\w'-]*)*"
)


def material(text: str) -> Material:
    """The constraint material of one clause (quoted text counts as a literal, never
    as an instruction)."""
    norm = normalise(text)
    body = norm.text
    numbers = tuple(float(n) for n in _NUMBER.findall(body))
    units: list[Unit] = []
    marks: list[str] = [m.group(0) for m in _MARKS.finditer(_unquoted(text))]
    named = _NAMED_WORDS.sub(r"\1", body)  # "the word steps": a word, not steps
    for m in re.finditer(rf"\b(?:{UNIT_RE})\b", named):
        found = unit_of(m.group(0))
        if found is None:
            continue
        unit, where = found
        if isinstance(where, (EndsWith, StartsWith)):
            marks.append(where.text)  # "questions": sentences ending with "?"
        elif unit not in units:
            units.append(unit)
    said = LIST_MARK.sub("", _unquoted(text)).strip(" \t,;:.-–—()")
    unquoted = without_leading_adverb(said)  # "Definitely stay calm"
    letters = tuple(
        dict.fromkeys(g.lower() for m in _LETTER.finditer(text) for g in m.groups() if g)
    )
    directive = bool(
        _IMPERATIVE.match(unquoted)
        or _IMPERATIVE_SHAPE.match(unquoted)
        or _MODAL.search(unquoted)
        or _WISH.match(unquoted)
        or _VALUED.search(unquoted)
        or is_request(unquoted)
    )
    directive = directive or elliptical(said)  # "Only the ...": its "only" still there
    if _EXAMPLE.match(unquoted):  # "e.g. 'go go' isn't allowed" shows; it asks nothing more
        directive = False
    bare_verb = not directive and _bare_verb_first(unquoted)
    return Material(
        numbers=numbers,
        quoted=tuple(q for q in norm.quoted if q.strip()),
        letters=letters,
        units=tuple(units),
        marks=tuple(dict.fromkeys(marks)),
        counts=re.search(rf"\b\d+(?:\.\d+)?\s+(?:[a-z-]+\s+)?(?:{UNIT_RE})\b", body) is not None,
        scoped=re.search(rf"\b(?:every|each|all|no|none\s+of\s+the|any)\s+(?:{UNIT_RE})\b", body)
        is not None,
        directive=directive or bare_verb,
        bare_verb=bare_verb,
        subjective=bool(_SUBJECTIVE.search(unquoted))
        and (directive or bare_verb or not _ABOUT_SOMEONE.match(unquoted)),
    )


def literals_unused(text: str, expr: Expr, *, implied: bool = True) -> list[str]:
    """The numbers, quoted strings, letters and units `text` names that `expr` does
    not use (empty when the expression accounts for every one of them). Text its
    patterns match ("Section 1" for sections marked "Section N") is an example of what
    it counts, so it names nothing the expression leaves out. A unit the expression
    only stands for (a check on the last letters for "letter") counts as used unless
    `implied` is off."""
    found = material(without_examples(text, expr))
    used = _Used.of(expr)
    if not implied:
        used = dataclasses.replace(used, referenced=frozenset())
    out: list[str] = []
    for n in found.numbers:
        if not used.number(n):
            out.append(f"{n:g}")
    for q in found.quoted:
        if not used.string(q):
            out.append(repr(q))
    for letter in found.letters:
        if not used.letter(letter):
            out.append(f"the letter {letter.upper()}")
    for unit in found.units:
        if not used.unit(unit):
            out.append(_unit_name(unit))
    for mark in found.marks:
        if not any(mark in s for s in used.strings):
            out.append(repr(mark))
    return out


def without_examples(text: str, expr: Expr) -> str:
    """`text` without what the expression's patterns match: "Section 1" is an example
    of the sections marked "Section N" it counts, not a number or a word of its own."""
    for node in walk(expr):
        if isinstance(node, Pattern):
            flags = re.M | (re.I if node.ignore_case else 0)
            text = re.sub(node.regex, " ", text, flags=flags)
    return text


def literals_invented(text: str, expr: Expr) -> list[str]:
    """What `expr` measures that `text` never says: a number other than 0 or 1 (which
    "no", "a" and "one" say; an ordinal says its number), a named unit it counts that
    `text` names neither as itself nor as a unit the same noun may stand for, and a
    string it looks for that `text` neither quotes nor names as a mark or a letter
    ("'?'" for "a question"); empty when it invents nothing."""
    found = material(text)
    body = normalise(text).text
    said = set(found.numbers) | {0.0, 1.0}
    said |= {float(m) for m in re.findall(r"\b(\d+)(?:st|nd|rd|th)\b", body)}
    said |= {float(abs(n)) for word, n in ORDINALS.items() if re.search(rf"\b{word}\b", body)}
    counted = {u.name for u in found.units if isinstance(u, Named)}
    quoted = [" ".join(q.lower().split()) for q in found.quoted]
    named = {m.lower() for m in found.marks} | set(found.letters)
    named |= {u.text.lower() for u in found.units if isinstance(u, Text)}
    out: list[str] = []
    for node in walk(expr):
        if isinstance(node, Bound):
            out += [f"{n:g}" for n in (node.n, node.high) if n is not None and n not in said]
        if isinstance(node, Format) and isinstance(node.columns, int) and node.columns not in said:
            out.append(f"{node.columns} columns")
        if isinstance(node, (StartsWith, EndsWith, Contains, Equals, Text)):
            text = " ".join(node.text.lower().split())
            if text not in named and not any(text in q for q in quoted):
                out.append(repr(node.text))  # a string it looks for that the text does not quote
        if isinstance(node, Select) and node.index is not None and abs(node.index) not in said:
            out.append(f"{abs(node.index)}")
        if isinstance(node, Count) and isinstance(node.unit, Named):
            name = node.unit.name
            if name not in counted and not _ALIASES.get(name, frozenset()) & counted:
                out.append(_unit_name(node.unit))
    return list(dict.fromkeys(out))


_COUNTED = re.compile(r"(?<![\w.])\d+\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?")
_NOT_THINGS = re.compile(r"^(?:times?|percent|per|or|and|to|of|x|more|less|fewer|max|min|tops)$")
_UNIT_WORD = re.compile(rf"(?:{UNIT_RE})")


def counted_nouns(text: str) -> list[str]:
    """The things a sentence counts that are not units of text ("three *brands* of
    tea", "2 *examples*"): a check that counts them must name them."""
    out: list[str] = []
    for m in _COUNTED.finditer(normalise(text).text):
        first, second = m.group(1), m.group(2) or ""
        if _UNIT_WORD.fullmatch(first) or _UNIT_WORD.fullmatch(second):
            continue  # "3 hashtags", "2 new lines"
        if not _NOT_THINGS.match(first):
            out.append(first)
    return out


def nouns_unnamed(text: str, expr: Expr) -> list[str]:
    """The counted things of `text` (`counted_nouns`) that no text of `expr` names."""
    strings = " ".join(_Used.of(expr).strings).lower()
    return [n for n in counted_nouns(text) if n.rstrip("s")[:5] not in strings]


def _unit_name(unit: Unit) -> str:
    match unit:
        case Named():
            return f"{unit.name}s"
        case Text():
            return repr(unit.text)
        case Pattern():
            return unit.name or unit.regex
        case Split():
            return f"parts split by {unit.separator!r}"


# A unit the text names is used by an expression that uses the same unit or one the
# same noun may stand for (a "point" may be a bullet or a list item).
_ALIASES: dict[str, frozenset[str]] = {
    "bullet": frozenset({"list_item", "numbered_item"}),
    "list_item": frozenset({"bullet", "numbered_item"}),
    "numbered_item": frozenset({"list_item", "bullet"}),
    "capital_word": frozenset({"capitalized_word"}),
    "heading": frozenset({"section"}),
    "section": frozenset({"heading"}),
    "table_row": frozenset({"table", "line"}),
    "table": frozenset({"table_row"}),
    "letter": frozenset({"character"}),
    "character": frozenset({"letter"}),
}


@dataclass(frozen=True, slots=True)
class _Used:
    """The numbers, strings and units an expression uses anywhere in its tree."""

    numbers: tuple[float, ...]
    ranges: tuple[tuple[float, float], ...]
    strings: tuple[str, ...]
    units: tuple[Unit, ...]
    referenced: frozenset[str]  # the unit nouns the rules let the expression stand for

    @staticmethod
    def of(expr: Expr) -> _Used:
        numbers: list[float] = []
        ranges: list[tuple[float, float]] = []
        strings: list[str] = []
        units: list[Unit] = []
        for node in walk(expr):
            if isinstance(node, Bound):
                numbers.append(node.n)
                if node.high is not None:
                    numbers.append(node.high)
                    ranges.append((node.n, node.high))
            if isinstance(node, Select) and node.index is not None:
                numbers.append(float(abs(node.index)))
            if isinstance(node, (Named, Text, Pattern, Split)):
                units.append(node)
            for f in dataclasses.fields(node):
                value = getattr(node, f.name)
                if isinstance(value, str) and f.name not in ("mode", "relation", "name"):
                    strings.append(value)
                if isinstance(value, tuple):
                    strings.extend(v for v in value if isinstance(v, str))
        return _Used(
            tuple(numbers), tuple(ranges), tuple(strings), tuple(units), frozenset(referenced(expr))
        )

    def number(self, n: float) -> bool:
        # "around 300" reads as a range around 300; "under 280" as fewer than 280; "six
        # asterisks" is the length of a mark made of one character ("******")
        return (
            n in self.numbers
            or any(low <= n <= high for low, high in self.ranges)
            or any(len(s) == n and len(set(s)) == 1 for s in self.strings)
        )

    def string(self, quoted: str) -> bool:
        want = " ".join(quoted.lower().split())
        return any(want in " ".join(s.lower().split()) for s in self.strings) or any(
            _pattern_matches(s, quoted) for s in self.strings
        )

    def letter(self, letter: str) -> bool:
        low, up = letter.lower(), letter.upper()
        return any(
            s.lower() == low or f"[{low}{up}]" in s or f"[{up}{low}]" in s or _word_letter(s, low)
            for s in self.strings
        )

    def unit(self, unit: Unit) -> bool:
        if unit in self.units:
            return True
        if isinstance(unit, Named):
            names = {u.name for u in self.units if isinstance(u, Named)} | self.referenced
            return unit.name in names or bool(_ALIASES.get(unit.name, frozenset()) & names)
        if isinstance(unit, Text):
            return any(unit.text in s for s in self.strings)
        if isinstance(unit, Pattern):  # "quotation marks": a check on '"' uses them
            return any(_pattern_matches(unit.regex, s) for s in self.strings)
        return False


def _pattern_matches(regex: str, literal: str) -> bool:
    try:
        return len(regex) > 2 and re.search(regex, literal, re.I) is not None
    except re.error:
        return False


def _word_letter(s: str, letter: str) -> bool:
    """A short pattern or text that is about one letter (`\\A\\W*[rR]`, `^r`)."""
    return len(s) <= 24 and re.search(rf"(?<![a-z]){letter}(?![a-z])", s.lower()) is not None


def walk(expr: Expr) -> Iterator[Any]:
    """Every node of an expression (units, counts and bounds included), depth first."""
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        if not dataclasses.is_dataclass(node) or isinstance(node, type):
            continue
        yield node
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, tuple):
                stack.extend(v for v in value if dataclasses.is_dataclass(v))
            elif dataclasses.is_dataclass(value):
                stack.append(value)


def _unquoted(text: str) -> str:
    return re.sub(rf"\"[^\"]*\"|“[^”]*”|‘[^’]*’|{SINGLE_QUOTED}", " ", text)


__all__ = [
    "Material",
    "counted_nouns",
    "literals_invented",
    "literals_unused",
    "material",
    "nouns_unnamed",
    "walk",
    "without_examples",
]
