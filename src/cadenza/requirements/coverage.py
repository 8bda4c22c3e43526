"""Coverage: which words of a prompt each reading accounts for.

A prompt's directive sentences are split into clauses (`segment.clauses`). A grammar
reading of a sentence or a clause covers the clauses of its span (the grammar reads
all of a span or nothing); a reading of a phrase inside a clause covers the clauses
it holds whole, and a clause it lies in when it uses all that the clause names (a
number, a quoted text, a letter, a unit, a mark: `material`) or, for a clause that names
none, when it accounts for every content word of it; never a clause asking for a tone
or an audience.
What no reading covers and still names a constraint is *unread*: it becomes a judged
requirement with exactly its words. The request's own opening clause ("Write a poem
about rain") is the task, not a requirement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cadenza.requirements import grammar
from cadenza.requirements.grammar.clauses import RESTATEMENT
from cadenza.requirements.grammar.lexicon import UNIT_RE, normalise
from cadenza.requirements.lang.nodes import Compare, Expr, Split
from cadenza.requirements.material import (
    elliptical,
    literals_unused,
    material,
    names_a_thing,
    says_what_must_be,
    walk,
    without_examples,
)
from cadenza.requirements.rules import unexplained
from cadenza.requirements.segment import (
    LIST_MARK,
    clauses,
    is_request,
    quoted_spans,
    segments,
)
from cadenza.requirements.situation import situation


@dataclass(frozen=True, slots=True)
class SpanReading:
    """An expression read from ``prompt[start:end]`` by the named rules; `whole` when
    the grammar read it (all of its span or nothing)."""

    start: int
    end: int
    expr: Expr
    rules: str
    whole: bool


def directive_clauses(prompt: str) -> list[tuple[int, int]]:
    """The clauses of the prompt's directive sentences, apart from the lines of an
    example a sentence introduces ("... such as:" followed by "* This is point 1")."""
    return list(_directive_clauses(prompt))


@lru_cache(maxsize=64)
def _directive_clauses(prompt: str) -> tuple[tuple[int, int], ...]:
    # read once per prompt: coverage and extraction both ask for them
    out: list[tuple[int, int]] = []
    example = False
    for seg in segments(prompt):
        line = seg.text.strip()
        if example and LIST_MARK.match(line) and not _instruction_line(line):
            continue  # an example's line, not an instruction ("* This is point 1")
        example = line.endswith(":") or (example and not line)
        if seg.imposes:
            out.extend(_joined(prompt, bracketed(prompt, clauses(seg.text, seg.start))))
    return tuple(out)


def _instruction_line(line: str) -> bool:
    """Whether a list line after "... such as:" is an instruction, not an example's line
    ("* Bullet point"): a directive that names no thing, or a requirement the grammar
    reads that names a number, a quote or a letter ("- Give me 4 or fewer sentences")."""
    said = material(line)
    if said.directive and not names_a_thing(line):
        return True
    return bool(said.numbers or said.quoted or said.letters) and grammar.parse(line) is not None


def bracketed(prompt: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clauses cut where a bracket opens an instruction of its own: "Write a poem
    (work in a mention of rain; ...)" holds the task and an instruction; a bracket that
    only qualifies ("3 paragraphs (each short)") stays with its clause."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        m = _OPEN.search(prompt, start, end)
        inner = prompt[m.end() : end].split(")")[0] if m else ""
        if m is not None and material(inner).directive:
            out += [(start, m.start()), (m.end(), end)]
        else:
            out.append((start, end))
    return out


_OPEN = re.compile(r"\s*\((?!\s*(?:\d+|[a-z])\s*\))\s*", re.I)  # not "(1)", "(b)"


def _joined(prompt: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clauses with a piece after a bare "and" or "but" that is not an instruction of
    its own joined to the one before: "a short and friendly note", "the question and
    the answer" name one thing, "confident but not arrogant" one manner; "... and make
    it funny" is a clause."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and _AND.fullmatch(prompt[out[-1][1] : start]):
            piece = prompt[start:end]
            said = material(piece)
            own = (said.directive and not said.bare_verb) or _CLAUSE_START.match(piece)
            if not (own or grammar.parse(piece) is not None):  # "... and all caps, please"
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


_AND = re.compile(r"\s+(?:and|but)\s+", re.I)
_CLAUSE_START = re.compile(  # "... and should not contain commas", "... and that you ..."
    r"(?:should|must|shall|will|can(?:not)?|may|needs?\s+to|has\s+to|have\s+to|is|are|"
    r"does|do|doesn't|don't|that|then|without)\b",
    re.I,
)


def task_clause(prompt: str, clauses_: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The request's own clause ("Write a poem about rain"): the first instruction that
    asks for a text to be written or a question answered, or else an instruction that
    opens the prompt and is not said as what must be. Wishes said before the request
    ("The vibe should be cosy. Write a poem ...") are not the task; where the request
    is a question or a statement ("What do you think of ...?", "A sales pitch is
    needed ..."), no later instruction is: there is no task clause."""
    said = [c for c in clauses_ if material(prompt[c[0] : c[1]]).directive]
    sentences = segments(prompt)
    if sentences and sentences[0].kind == "question":
        return None  # "How do vaccines work? Explain it like I'm five."
    asked = (c for c in said if is_request(prompt[c[0] : c[1]]) or _TASK.match(prompt[c[0] : c[1]]))
    if (found := next(asked, None)) is not None or not said:
        return found
    first, text = said[0], prompt[said[0][0] : said[0][1]]
    opens = first[0] < sentences[0].end  # in the prompt's first sentence
    if _HOW.match(text) or elliptical(text):  # "Keep it simple. What is a monad?"
        return None
    return first if opens and not says_what_must_be(text) else None


# verbs that open an instruction on how the answer is said, never the request itself
_HOW = re.compile(
    r"^\W*(?:(?:please|pls|now|so|and|then|just|kindly|but|also)\W+)*(?:keep|use|avoid|be|no|"
    r"zero|nothing|none|without|"
    r"make\s+(?:it|sure|them|everything)|don'?t|do\s+not|never|always|only|limit|stick|"
    r"skip|omit|exclude|include|mention|add|start|begin|end|finish|format|highlight|bold|"
    r"capitali[sz]e|wrap|put|sign|reply|respond|stay|try\s+to|"
    r"answer\s+(?:(?:only|just|simply)\s+)?(?:in|with|using))\b",
    re.I,
)


_TASK = re.compile(  # verbs that ask for a text or an answer, not for a property of it
    r"^\W*(?:(?:please|pls|now|so|and|then|just|kindly)\W+)*(?:write|describe|explain|compose|complete|"
    r"create|draft|generate|tell|summari[sz]e|translate|rewrite|outline|compare|analy[sz]e|"
    r"brainstorm|suggest|propose|recommend|design|invent|plan|craft|produce|prepare|develop|"
    r"define|help|elaborate|expand|continue|imagine|pretend)\b",
    re.I,
)


def covers(prompt: str, f: SpanReading, clause: tuple[int, int], *, task: bool = False) -> bool:
    """Whether reading `f` reads all the constraint material of `clause`. The grammar
    reads all of its span or nothing. A phrase reading never covers a clause that
    asks for a tone, a style or an audience (the request's own clause aside): no rule
    reads those, so the clause is judged beside the reading. Otherwise it covers a
    clause it holds whole (unless it counts parts the clause names, whose contents are
    a judge's), or a clause it uses some of what the clause names of (a number, a
    quoted text, a letter, a unit, a mark) and leaves none of it out (a task's quoted
    subject aside), or, for a directive clause that names none and is not the
    request's own, when every content word of it is one the reading accounts for
    ("make it funny" is not)."""
    start, end = clause
    if not (f.start < end and start < f.end):
        return False
    if f.whole:
        return f.start <= start and end <= f.end
    text = prompt[start:end]
    if task:  # "Complete the sentence ...": the unit asked for is the answer, no constraint
        text = _ASKED_UNIT.sub(r"\g<verb>", text, count=1)
    found = material(text)
    if found.subjective and not task and material(without_examples(text, f.expr)).subjective:
        return False  # "3 lines in a melancholy tone": no rule reads a tone
    if not task and f.start <= start and end <= f.end:
        # the grammar read every word of a phrase that holds the clause, unless that
        # phrase counts parts the clause names: what they hold is a judge's
        return not _holds_named_parts(text, f.expr)
    if found.literal:
        unused = literals_unused(text, f.expr)
        names = (
            len(found.numbers)
            + len(found.quoted)
            + len(found.letters)
            + len(found.units)
            + len(found.marks)
        )
        # a task's quoted names and bare numbers are its subject ("a 25% discount")
        tolerated = ("'", '"', *"0123456789") if task else ()
        passages = _quoted_sentences(text)
        left = [u for u in unused if not u.startswith(tolerated) and u not in passages]
        # it must use something the clause names by name: "cast it as a letter to a
        # friend" names no letter an ending check uses
        named = literals_unused(text, f.expr, implied=False)
        return len(named) < names and not left and (task or not _holds_named_parts(text, f.expr))
    if task:
        return False  # the task's own words are not a reading's to carry
    if not found.directive:
        # the rest of an instruction the reading does not cover is not the reading's
        # ("..., and you should also go for a wry, understated humour")
        before = _continued(prompt, clause)
        return before is None or covers(prompt, f, before)
    return not unexplained(text, f.expr)


_ASKED_UNIT = re.compile(
    rf"(?P<verb>^\W*(?:(?:please|just|now|then)\s+)*[a-z]+\s+(?:(?:a|an|the|this|following|short|single)\s+)+)"
    rf"(?:{UNIT_RE})\b",
    re.I,
)


def _quoted_sentences(text: str) -> set[str]:
    """Quoted passages that are sentences ending the sentence they stand in ('elaborate
    on "It works!" Write 2 bullets'): the text an instruction is about, not a literal
    of a constraint (as `repr`, the way `literals_unused` names them)."""
    out: set[str] = set()
    for start, end in quoted_spans(text):
        inner = text[start + 1 : end - 1]
        if inner.rstrip().endswith((".", "!", "?")) and re.match(r"\s+[A-Z]", text[end:]):
            out.add(repr(inner))
    return out


def _continued(prompt: str, clause: tuple[int, int]) -> tuple[int, int] | None:
    """The directive clause `clause` continues after a comma or "and", if any."""
    spans = directive_clauses(prompt)
    i = spans.index(clause) if clause in spans else -1
    if i <= 0:
        return None
    before = spans[i - 1]
    if not _CONTINUES.fullmatch(prompt[before[1] : clause[0]]):
        return None
    return before if material(prompt[before[0] : before[1]]).directive else None


def _holds_named_parts(text: str, expr: Expr) -> bool:
    """Whether the expression counts parts between dividers and the clause names what
    the parts hold ("separate your thinking and the final answer with ***"), in words
    the expression does not account for."""
    if not any(isinstance(a, Compare) and isinstance(a.count.unit, Split) for a in walk(expr)):
        return False
    m = _NAMED_PARTS.search(text)
    if m is None:
        return False
    left = set(unexplained(text, expr))
    return any(w in left for w in re.findall(r"[a-z]+", m.group("parts").lower()))


_NAMED_PARTS = re.compile(  # "separate X and Y with", "divide X from Y by", "between X and Y"
    r"\b(?:separat\w*|divid\w*|split\w*|between)\s+"
    r"(?P<parts>(?:(?!with\b|by\b|using\b)[\w'-]+\s+){0,4}?(?:and|from)\s+[\w'\s-]+?)"
    r"\s*(?:\bwith\b|\bby\b|\busing\b|[:(,]|$)",
    re.I,
)


def used_elsewhere(prompt: str, clause: tuple[int, int], found: list[SpanReading]) -> bool:
    """Whether a clause only says how another clause's reading is written out: every
    unit and mark it names is used by a reading of a sentence next to it, and it names
    a mark or a quoted text that reading uses ("There should be 4 paragraphs. Separate
    them with ***.")."""
    text = prompt[clause[0] : clause[1]]
    have = material(text)
    if not (have.marks or have.quoted) or have.subjective:
        return False
    near = [f for f in found if abs(f.start - clause[0]) < 400 or abs(f.end - clause[1]) < 400]
    return any(
        not literals_unused(text, f.expr) and not _holds_named_parts(text, f.expr) for f in near
    )


def introduces(prompt: str, clause: tuple[int, int], found: list[SpanReading]) -> bool:
    """Whether a clause only introduces what a reading reads, from the clause or from
    right after its colon on ("Choose from:", "Your answer must contain one of the
    following phrases:" before the options an options check reads)."""
    after = re.match(r"\s*:\s*", prompt[clause[1] :])
    if after is None:
        return False
    start = clause[1] + after.end()
    if any(f.start <= clause[0] and f.end > start for f in found):
        return True  # one reading of the clause and its list together
    if material(prompt[clause[0] : clause[1]]).literal:
        return False
    return any(clause[0] <= f.start <= start + 2 for f in found)


def unread(
    prompt: str,
    clauses_: list[tuple[int, int]],
    covered: set[tuple[int, int]],
    task: tuple[int, int] | None,
) -> list[tuple[int, int]]:
    """Directive clauses no reading covers that still name a constraint, merged where
    they follow each other in one sentence. The request's own opening clause is the
    task, not a requirement, unless it counts a unit ("300 words"), names one with a
    quoted text or a quantifier ("in every sentence"), or names a letter. A sentence
    that only tells the situation a question is about (`situation`) names none."""
    out: list[tuple[int, int]] = []
    last: tuple[int, int] | None = None
    told = situation(prompt)
    for i, (start, end) in enumerate(clauses_):
        found = material(prompt[start:end])
        if (start, end) in covered or any(s <= start and end <= e for s, e in told):
            last = None
            continue
        named = found.units or found.marks
        literal = bool(found.letters) or bool(
            named and (found.counts or found.quoted or found.scoped)
        )
        asked = found.directive or found.subjective  # "..., cheerful tone"
        asked = asked or (i > 0 and _of_each(prompt, clauses_[i - 1], (start, end), covered))
        if (
            out
            and last is not None
            and out[-1][1] == last[1]
            and not found.directive
            and _CONTINUES.fullmatch(prompt[last[1] : start])
        ):  # the rest of an unread instruction: "use plain, everyday words"
            out[-1] = (out[-1][0], end)
            last = (start, end)
            continue
        if not (literal or (asked and (start, end) != task)):
            last = None
            continue
        if out and last is not None and same_sentence(prompt, last, start):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        last = (start, end)
    return out


_CONTINUES = re.compile(r"\s*(?:,|,?\s+(?:and|but))\s+", re.I)


def _of_each(
    prompt: str, before: tuple[int, int], clause: tuple[int, int], covered: set[tuple[int, int]]
) -> bool:
    """Whether the clause says what each of the things an instruction just before it
    counts must be ("3 paragraphs, each starting with a verb", "4 bullets, all of them
    questions"); after a statement ("I have two cats, both of them black") it asks
    nothing."""
    if not _OF_EACH.match(prompt[clause[0] : clause[1]]):
        return False
    if not same_sentence(prompt, before, clause[0]):
        return False
    return before in covered or material(prompt[before[0] : before[1]]).directive


_OF_EACH = re.compile(
    r"\W*(?:and\s+|but\s+|with\s+)?(?:each|every\s+one|all|none|both|neither|either|"
    r"the\s+(?:first|second|third|fourth|last|other|others|rest)|one\s+of\s+them)\b",
    re.I,
)


def set_aside(
    prompt: str,
    clauses_: list[tuple[int, int]],
    covered: set[tuple[int, int]],
    task: tuple[int, int] | None,
    left: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Directive clauses that no reading covers and that `unread` did not keep, because
    no rule finds them asking anything ("I drink three cups a day", and also "past
    tense only", which a rule cannot tell from a fact), merged where one goes on after a
    comma or "and" ("cheeky, not rude"); a piece with no word outside brackets and code marks (a
    placeholder such as "[Movie 1]") is no part anyone could read. What the task's
    clause says in a bracket no rule read is set aside too."""
    out: list[tuple[int, int]] = []
    for start, end in clauses_:
        if (start, end) == task and (bracket := _OPEN.search(prompt, start, end)):
            closing = prompt.find(")", bracket.end(), end)  # "Write a poem (the mood: ..."
            start, end = bracket.end(), end if closing < 0 else closing
        elif (start, end) in covered or (start, end) == task:
            continue
        if any(s <= start and end <= e for s, e in left):
            continue
        if not _WORD.search(_PLACEHOLDER.sub(" ", prompt[start:end])):
            continue
        if out and _CONTINUES.fullmatch(prompt[out[-1][1] : start]):
            out[-1] = (out[-1][0], end)  # "cheeky, not rude"
        else:
            out.append((start, end))
    return out


_PLACEHOLDER = re.compile(r"\[[^\]]*\]|`+")
_WORD = re.compile(r"[^\W\d_]{2,}")


_EXAMPLE_LEAD = re.compile(r"\W*(?:for\s+(?:example|instance)|e\.g\.|i\.e\.?|such\s+as)\s", re.I)


def illustrates(prompt: str, clause: tuple[int, int], covered: set[tuple[int, int]]) -> bool:
    """Whether a clause only shows an example of what the covered clause right before it
    in its sentence asks ("highlight 3 sections, for example *this one*")."""
    if not _EXAMPLE_LEAD.match(prompt[clause[0] : clause[1]]):
        return False
    before = [c for c in covered if c[1] <= clause[0]]
    if not before:
        return False
    last = max(before, key=lambda c: c[1])
    return not prompt[last[1] : clause[0]].strip(" ,;:-") and same_sentence(prompt, last, clause[0])


def restates(prompt: str, clause: tuple[int, int], read: set[tuple[int, int]]) -> bool:
    """Whether a clause only restates what is read elsewhere in its sentence (`read`:
    covered clauses and readings; "write it in Italian, no other language is allowed"):
    `grammar.RESTATEMENT`."""
    said = normalise(prompt[clause[0] : clause[1]]).text.strip(" .,;:!")
    if not RESTATEMENT.match(re.sub(r"^(?:and|but)\s+", "", said)):
        return False
    sentence = next((s for s in segments(prompt) if s.start <= clause[0] < s.end), None)
    return sentence is not None and any(
        sentence.start <= c[0] < sentence.end for c in read if c != clause
    )


def same_sentence(prompt: str, before: tuple[int, int], start: int) -> bool:
    """Whether the clause at `start` follows `before` in the same sentence."""
    return not re.search(r"[.!?\n]\W*$", prompt[before[0] : start])


def text_of(prompt: str, spans: list[tuple[int, int]]) -> str:
    """The words of the clauses a reading covers (apart where they are apart)."""
    runs: list[tuple[int, int]] = []
    for start, end in spans:
        between = prompt[runs[-1][1] : start] if runs else ""
        if runs and _JOINER.fullmatch(between):
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return " … ".join(clean(prompt[s:e]) for s, e in runs)


_JOINER = re.compile(r"[\s,;:\-–—]*(?:(?:and|but|then|or)\b)?[\s,;:\-–—]*", re.I)


def clean(text: str) -> str:
    text = LIST_MARK.sub("", " ".join(text.split()))
    text = re.sub(r"^(?:and|but|also|then|so|plus|while)\s+", "", text, flags=re.I)
    if text.count(")") > text.count("("):  # the end of a bracket the clause opened inside
        text = text.rstrip(" .)") + ("." if text.endswith(".") else "")
    return text.strip(" ,;:-–—") or text


def accounted(prompt: str, span: tuple[int, int], items: list[tuple[int, int]]) -> bool:
    """Whether the model's items quote the constraint material of unread text: what
    is left of it outside their quotes names no constraint."""
    if not any(s < span[1] and span[0] < e for s, e in items):
        return False
    rest = list(prompt[span[0] : span[1]])
    for s, e in items:
        for i in range(max(s, span[0]), min(e, span[1])):
            rest[i - span[0]] = " "
    left = material("".join(rest))
    return not (left.literal or left.subjective)
