"""The words of requirement sentences: unit nouns, relations, punctuation names and the
filler a requirement can carry without changing what it asks.

`normalise` turns a sentence into the form the constructions read: quoted text set
aside (``⟦0⟧`` ...; `Normalised.quoted` keeps it as written), lower case, contractions
opened, number words as digits, filler dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from cadenza.requirements.lang.nodes import (
    Count,
    EndsWith,
    Expr,
    Named,
    Pattern,
    Relation,
    Text,
    Unit,
)
from cadenza.requirements.number_words import SMALL, TENS
from cadenza.requirements.quoting import SINGLE_QUOTED_TEXT

# --------------------------------------------------------------------------- quoting

_QUOTED = re.compile(
    r"”(?P<f>[^”\"\n]+)[\"”]|\"(?P<a>[^\"\n]+)\"|“(?P<b>[^”\n]+)”|‘(?P<c>[^’\n]+)’|`(?P<d>[^`\n]+)`|"
    rf"(?<![\w'])'(?P<e>{SINGLE_QUOTED_TEXT})'(?!\w)"
)


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str
    quoted: tuple[str, ...]

    def quote(self, index: str | int) -> str:
        return self.quoted[int(index)]


_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'`]+")
_TAG = re.compile(r"(?<![\w#@&])[#@][A-Za-z_]\w*")
_TOKEN = re.compile(r"[a-z]{6,}")
# Words a typo in a requirement is most likely to hit; a token one edit away from one
# of them (and not itself a word of this list) is read as that word.
_VOCABULARY = (
    "sentence",
    "sentences",
    "paragraph",
    "paragraphs",
    "alphabetical",
    "character",
    "characters",
    "bullets",
    "headings",
    "lowercase",
    "uppercase",
    "numbered",
    "separated",
    "exclamation",
    "semicolons",
    "question",
    "questions",
    "placeholder",
    "placeholders",
    "hashtag",
    "hashtags",
    "bullet",
    "heading",
    "semicolon",
    "separate",
    "capital",
    "capitalize",
    "capitalise",
    "numbers",
    "emojis",
    "maximum",
    "minimum",
    "exactly",
)


def _corrected(m: re.Match[str]) -> str:
    word = m.group(0)
    if word in _VOCABULARY:
        return word
    if any(known.startswith(word) or word.startswith(known) for known in _VOCABULARY):
        return word  # an inflection ("capitals", "number"), not a typo
    for known in _VOCABULARY:
        if abs(len(known) - len(word)) <= 1 and _one_edit(word, known):
            return known
    return word


# "<verb> sure (that) you ...": what is made sure of is asked, however the verb is typed
_SURE = re.compile(
    r"(?:^|(?<=[.,;:]\s))(?!(?:not|am|i'?m|is|are|was|for)\b)[a-z]{2,6}\s+sure\s+(?:that\s+)?(?=you\b)"
)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one insertion, deletion or substitution."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] or (len(a) == len(b) and a[i + 1 :] == b[i + 1 :])


# --------------------------------------------------------------------------- numbers

_UNDER_100 = rf"(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(SMALL)}))?|(?:{'|'.join(SMALL)})"
# a number in words: "forty-two", "two hundred", "one hundred (and) forty", "two
# thousand five hundred", "3 hundred"
_END = r"\b(?!\s+(?:hundred|thousand)\b)"
_HUNDREDS = rf"(?:{_UNDER_100}|a)\s+hundred\b(?:\s+(?:and\s+)?(?:{_UNDER_100}){_END})?"
_BELOW_1000 = rf"(?:{_HUNDREDS}|(?:{_UNDER_100})\b)"
_NUMBER_WORD = re.compile(
    rf"\b(?:(?:{_BELOW_1000}|a)\s+thousand\b(?:\s+(?:and\s+)?{_BELOW_1000}{_END})?"
    rf"|{_BELOW_1000})"
)
_FRACTIONS = {"half": "0.5", "a half": "0.5", "a third": "0.33", "a quarter": "0.25"}


def _number(m: re.Match[str]) -> str:
    """The value of a number in words: each word under a hundred adds, "hundred"
    multiplies what came since the last "thousand", "thousand" what came before."""
    total = part = 0
    for word in re.split(r"[\s-]+", m.group(0)):
        if word == "hundred":
            part *= 100
        elif word == "thousand":
            total, part = (total + part) * 1000, 0
        elif word == "a":
            part = 1
        elif word != "and":
            part += TENS.get(word, 0) + SMALL.get(word, 0)
    return str(total + part)


# --------------------------------------------------------------------------- filler

_CONTRACTIONS = (
    (r"\bdon'?t\b", "do not"),
    (r"\bdoesn'?t\b", "does not"),
    (r"\bshouldn'?t\b", "should not"),
    (r"\bmustn'?t\b", "must not"),
    (r"\bcan'?t\b|\bcannot\b", "can not"),
    (r"\bwon'?t\b", "will not"),
    (r"\bisn'?t\b", "is not"),
    (r"\baren'?t\b", "are not"),
    (r"\bwouldn'?t\b", "would not"),
    (r"\b(that|it|there|which|what)'s\b", r"\1 is"),
)
# What an answer is called ("your reply", "the whole essay", "your itinerary"): a kind of
# text, or any other noun that is not a unit of it (then only with a modal after it).
_ANSWER = (
    r"(?:answer|response|reply|text|output|message|post|copy|note|email|piece|essay|story|"
    r"poem|blurb|caption|bio|summary|list|description|letter|tweet|draft|name|slogan|tagline|"
    r"motto|handle|username|resume|article|song|speech|ad|advertisement|pitch|riddle|limerick|"
    r"rap|review|proposal|haiku|joke|script|memo|report|blog\s+post|cover\s+letter)"
)
_WHOLE_OF = r"(?:your|the|my|this)\s+(?:entire\s+|whole\s+)?"
_FILLER = re.compile(
    rf"\b(?:please|pls|plz|kindly|mak(?:e|ing)\s+sure(?:\s+that|\s+to)?|"
    r"ensure(?:\s+that)?|be\s+sure(?:\s+to|\s+that)?|"
    r"note\s+that|keep\s+in\s+mind\s+that|"
    r"remember\s+to|(?:do\s+not|never)\s+forget\s+to|really|also|whatsoever|at\s+all|of\s+any\s+kind|anywhere|"
    rf"throughout(?:\s+{_WHOLE_OF}{_ANSWER})?|"
    rf"in\s+(?:the|your)\s+(?:entire\s+|whole\s+|full\s+)?{_ANSWER}|"
    r"in\s+it|in\s+there|here|in\s+total|in\s+particular|total|overall|altogether|strictly|incl\.?\s+spaces|"
    r"including\s+spaces|spaces\s+included|"
    r"no\s+more,?\s+no\s+less|no\s+less,?\s+no\s+more)\b"
)
_MODALS = r"(?:must|should|needs\s+to|has\s+to|have\s+to|shall|will|is\s+to|ought\s+to)"
_LEAD = re.compile(
    r"^(?:(?:keep|make|write|put|give|format|do|present|deliver|return|provide|answer|reply|use|"
    r"respond|output)\s+(?:it|this|them|everything|"
    rf"{_WHOLE_OF}{_ANSWER})?\s*|the\s+(?:answer|response|reply|text)\s+)"
)


# A phrase given unquoted after a colon, to the end of the clause ("end with this exact
# phrase: So what is next?"): quoted as written.
_SAID_AFTER_COLON = re.compile(
    r"(?i)\b((?:phrase|sentence|question|words?|line|like|read|with)\s*:|"
    r"exact\s+(?:phrase|sentence|question|words)(?=\s+(?-i:[A-Z])))"
    r"\s*(?![\"“'‘`])(\S[^\n\"“”]*?)\s*$"
)


# Names after "mention" or "name" ("mention Oslo and Bergen"): quoted as written
_CAPITALISED = re.compile(r"\b[A-Z][\w-]*")
_NAMES = re.compile(
    r"\b((?i:mention|name)(?:s|ing)?\s+(?i:both\s+)?)(?!(?:The|A|An|I|It|This|That)\b)"
    r"([A-Z][\w-]*(?:\s*(?:,|,?\s*and)\s*[A-Z][\w-]*)*)\b"
)
_WORD_LIST = re.compile(r"[\w'-]+(?:\s*,\s*(?:and\s+|or\s+)?[\w'-]+)+\.?")


# A numbered label ("SECTION X", "Day N", "PART [x]") said unquoted: quoted as written
_NUMBERED_LABEL = re.compile(
    r"(?<![\w\"'“‘⟦])[A-Z][A-Za-z]+(?:\s(?:X|N)|\s?(?:\[[xX]\]|\{[xX]\}))(?![\w\"'”’])"
)


# A JSON object written in the sentence ("this JSON schema: {...}"): kept as written.
_JSON_LITERAL = re.compile(r"\{[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*\}")


def keep_json(m: re.Match[str], quoted: list[str]) -> str:
    try:
        json.loads(m.group(0))
    except ValueError:
        return m.group(0)  # "{{like_this}}" is no JSON
    quoted.append(m.group(0))
    return f" ⟦{len(quoted) - 1}⟧ "


def _quoted_after_colon(m: re.Match[str]) -> str:
    if _WORD_LIST.fullmatch(m.group(2)):
        return m.group(0)  # "these words: bad, awful": a list, not one phrase
    said = m.group(1)
    said = said.rstrip(":").rstrip() if said.lower().startswith("with") else said  # "end with:"
    return f'{said} "{m.group(2)}"'


# a relation written as a symbol before a number: "<= 50 words", "≥ 3 bullets"
_SYMBOLS = {
    "<=": "at most ",
    "=<": "at most ",
    "≤": "at most ",
    ">=": "at least ",
    "≥": "at least ",
    "<": "fewer than ",
    ">": "more than ",
}
_SYMBOL = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=\())(<=|=<|≤|>=|≥|<|>)\s*(?=\d)")


def normalise(text: str) -> Normalised:
    """`text` lower-cased with quotes set aside, contractions opened, number words as
    digits and filler dropped."""
    quoted: list[str] = []

    def keep(m: re.Match[str]) -> str:
        inner = next(g for g in m.groups() if g is not None)
        quoted.append(inner)
        if inner.endswith((".", "!", "?")) and re.match(r"\s+[A-Z]", m.string[m.end() :]):
            return f" ⟦{len(quoted) - 1}⟧ ; "  # a quoted sentence that ends the sentence
        return f" ⟦{len(quoted) - 1}⟧ "

    def keep_url(m: re.Match[str]) -> str:
        quoted.append(m.group(0).rstrip(".,;:!?)"))
        tail = m.group(0)[len(quoted[-1]) :]
        return f" ⟦{len(quoted) - 1}⟧{tail} "

    text = _SAID_AFTER_COLON.sub(_quoted_after_colon, text)
    text = _NUMBERED_LABEL.sub(r'"\g<0>"', text)  # "SECTION X": a label, kept as written
    text = re.sub(r"\s*:\s*(?=[*\-_=~#]{3,})", " ", text)  # "the divider: ***"
    text = _NAMES.sub(lambda m: m.group(1) + _CAPITALISED.sub(r'"\g<0>"', m.group(2)), text)
    text = _JSON_LITERAL.sub(lambda m: keep_json(m, quoted), text)
    body = _QUOTED.sub(keep, text).replace("’", "'")
    body = _URL.sub(keep_url, body) if "://" in body or "www." in body else body
    body = _TAG.sub(keep_url, body)
    body = body.lower()
    body = _TOKEN.sub(_corrected, body)
    for pattern, repl in _CONTRACTIONS:
        body = re.sub(pattern, repl, body)
    body = re.sub(r"\btwice\b", "2 times", body)
    body = re.sub(r"\bonce\b", "1 time", body)
    body = re.sub(r"\bthrice\b", "3 times", body)
    body = re.sub(r"\ba\s+single\b|\bsingle\b", "1", body)
    body = re.sub(r"\ba\s+dozen\b", "12", body)
    for word, value in _FRACTIONS.items():
        body = re.sub(rf"\b{word}\b", value, body)
    body = _NUMBER_WORD.sub(_number, body)
    body = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1)], body)  # "<= 50 words"
    body = re.sub(r"(?<=\d),(?=\d{3}\b)", "", body)
    body = re.sub(r"\ba\s+total\s+of\s+(?=\d)", "", body)
    # "a maximum of 10" keeps its relation (it read as "10", exactly)
    body = re.sub(r"\ba\s+max(?:imum)?\s+of\s+(?=\d)", "at most ", body)
    body = re.sub(r"\ba\s+min(?:imum)?\s+of\s+(?=\d)", "at least ", body)
    # "for at least 5 times", "1 time or less": the count of times said the usual way
    body = re.sub(r"\bfor\s+(?=(?:[a-z]+\s+){0,2}\d+\s+times?\b)", "", body)
    body = re.sub(
        r"\b(\d+)\s+(times?)\s+(or\s+(?:less|fewer|more|over|under))\b", r"\1 \3 \2", body
    )
    body = re.sub(
        r"\b(?:such|those|these)\s+(?=(?:all[- ]caps|capitali[sz]ed|capital)\s+words)", "", body
    )
    # "avoid asking questions", "without adding emojis": what is avoided is the thing
    # (not before a count: "avoid adding more than 2 ...")
    body = re.sub(
        r"\b(avoid|without)\s+(?:asking|adding|including|putting|having)\s+(?![^.;,]*\d)",
        r"\1 ",
        body,
    )
    body = _FILLER.sub(" ", body)
    body = _SURE.sub("", body.strip())
    # a trailing example ("..., like [Name]", "such as 'noon'") never changes the measure;
    # words given as examples of words ("no slang words like 'lit'") are words named
    body = re.sub(
        r"(?<!words)(?<!terms)(?<!phrases),?\s+(?:like|such\s+as|e\.g\.?,?|for\s+example)\s+(?:⟦\d+⟧|\[[^\]\n]*\]|\{\{[^}]*\}\}|"
        r"\*\*[^*\n]+\*\*)(?:(?:,|,?\s+(?:or|and))\s+(?:⟦\d+⟧|\[[^\]\n]*\]))*\s*(?=[.,;]|$)",
        "",
        body,
    )
    # how a unit looks, said after it ("bullet points in markdown format", "... such as:"
    # before an example on the next line): the unit's own noun says as much
    body = re.sub(
        r"\b(bullet(?:s|\s+points?)|placeholders?|tables?|headings?|lists?|sections?)\s+"
        r"(?:in|using|with)\s+(?:the\s+)?markdown(?:\s+(?:format|syntax|bullet\s+points?|bullets))?\b",
        r"\1",
        body,
    )
    body = re.sub(
        r",?\s+(?:such\s+as|like|as\s+follows|in\s+the\s+following\s+(?:form|format)|"
        r"following\s+the\s+format\s+below|like\s+this|as\s+shown\s+below)\s*:?\s*$",
        "",
        body,
    )
    # a manner word between a count and its unit ("9 very short bullet points")
    body = re.sub(
        r"\b(\d+)\s+(?:(?:very|really|quite)\s+)?(?:short|brief|concise|simple|key|main|"
        r"separate|distinct|different|detailed)\s+(?=bullet|sentence|paragraph|section|item|point|line)",
        r"\1 ",
        body,
    )
    body = re.sub(r",?\s+separated\s+by\s+(?:a\s+)?(?:blank|empty)\s+lines?\b", "", body)
    body = re.sub(r"\bsign\s+(?:it|this|the\s+\w+)\s+off\b", "sign off", body)
    body = re.sub(r"\s+before\s+anything\s+else\b", "", body)
    body = re.sub(
        r"\b(start|begin|open|end|finish|close|conclude|sign\s+off|lead)\s+"
        r"(?:your\s+(?:answer|response|reply|message|text)|the\s+(?:answer|response|reply|text)|it|off)\s+"
        r"(?=with\b|on\b)",
        r"\1 ",
        body,
    )
    body = re.sub(r"[ \t]+", " ", body).strip()
    return Normalised(body, tuple(quoted))


def strip_subject(clause: str) -> str:
    """Drop "your answer must" / "keep it" style openings."""
    clause = _SUBJECT.sub("", clause).strip()
    return clause


def strip_lead(clause: str) -> str:
    return _LEAD.sub("", clause, count=1).strip()


# --------------------------------------------------------------------------- units

QUESTION = EndsWith("?")
EXCLAMATION = EndsWith("!")


def _t(char: str) -> Unit:
    return Text(char, whole_word=False)


# a pair of brackets counts once (a stray bracket counts too): "use parentheses at
# most once" allows one pair
PARENTHESES = Pattern(r"\([^()\n]*\)|[()]", name="pair of parentheses")
SQUARE_BRACKETS = Pattern(r"\[[^\[\]\n]*\]|[\[\]]", name="pair of square brackets")
BRACKETS = Pattern(r"\([^()\n]*\)|\[[^\[\]\n]*\]|\{[^{}\n]*\}|[()\[\]{}]", name="pair of brackets")

# (pattern, unit, where) — longest phrases first where they overlap.
UNIT_NOUNS: tuple[tuple[str, Unit, Expr | None], ...] = (
    (
        r"bullet(?:ed)?\s+(?:points?|items?|lines?)|bullet\s+list\s+items?|bullets?",
        Named("bullet"),
        None,
    ),
    (
        r"numbered\s+(?:items?|points?|steps?|lines?|entries|list\s+items?)",
        Named("numbered_item"),
        None,
    ),
    (r"list\s+items?|items?|entries|steps?|tips?", Named("list_item"), None),
    (
        r"(?:markdown\s+)?(?:sub)?headings?|(?:markdown\s+)?headers?|headlines?",
        Named("heading"),
        None,
    ),
    (r"sections?", Named("section"), None),
    (r"sent[ae]nces?", Named("sentence"), None),
    (r"paragraphs?|paras?", Named("paragraph"), None),
    (r"(?:blank|empty)\s+lines?", Pattern(r"\n[ \t]*(?=\n)", name="blank line"), None),
    (r"lines?", Named("line"), None),
    (r"emojis?|emoji|emoticons?|smileys?", Named("emoji"), None),
    (
        r"(?:(?:all[- ]caps|all[- ]capital|capitali[sz]ed|upper-?case)\s+|stress\s+)words?|"
        r"(?:stress\s+)?words?(?:\s+or\s+phrases?)?\s+(?:(?:that|which)\s+are\s+)?"
        r"(?:(?:in|with|written\s+in|using)\s+(?:all\s+)?"
        r"(?:capital\s+letters|caps|capitals|upper-?case(?:\s+letters)?)|capitali[sz]ed)",
        Named("capital_word"),
        None,
    ),
    (r"bold(?:ed)?\s+(?:words?|phrases?|terms?|keywords?|spans?|text)|bold", Named("bold"), None),
    (r"italic(?:s|ized|ised)?(?:\s+(?:words?|phrases?|terms?|text))?", Named("italic"), None),
    (r"words?", Named("word"), None),
    (r"char(?:acter)?s?", Named("character"), None),
    (r"letters?", Named("letter"), None),
    (r"digits?|numerals?", Named("digit"), None),
    (r"numbers?", Named("number"), None),
    (r"hash\s*tags?", Named("hashtag"), None),
    (r"(?:web\s+|hyper)?links?|urls?|web\s*addresses", Named("url"), None),
    (r"e-?mail\s+addresses|e-?mail\s+address", Named("email"), None),
    (r"@[- ]?mentions?", Named("mention"), None),
    (
        r"placeholders?(?:,?\s+(?:(?:which|that)\s+(?:should|must)\s+be\s+|that\s+are\s+)?"
        r"(?:represented\s+by|wrapped\s+in|enclosed\s+in|marked\s+(?:by|with)|in|using|with|inside)"
        r"\s+(?:square\s+)?brackets)?",
        Named("placeholder"),
        None,
    ),
    (r"(?:table\s+)?rows?", Named("table_row"), None),
    (r"(?:markdown\s+)?tables?", Named("table"), None),
    (r"(?:fenced\s+)?code\s*blocks?|code\s+fences?", Named("code_block"), None),
    (r"questions?", Named("sentence"), QUESTION),
    (r"exclamations?", Named("sentence"), EXCLAMATION),
    (r"exclamation\s+(?:marks?|points?)", _t("!"), None),
    (r"question\s+marks?", _t("?"), None),
    (r"semi-?colons?", _t(";"), None),
    (r"colons?", _t(":"), None),
    (r"commas?", _t(","), None),
    (r"full\s+stops?|periods?", _t("."), None),
    (r"em[- ]?dash(?:es)?", _t("—"), None),
    (r"en[- ]?dash(?:es)?", _t("–"), None),
    (r"hyphens?", _t("-"), None),
    (r"ampersands?", _t("&"), None),
    (r"asterisks?", _t("*"), None),
    (r"(?:direct\s+)?quotations?(?!\s+marks?)|direct\s+quotes?", Named("quote"), None),
    (r"(?:quotation|quote)\s+marks?|quotes", Pattern('["“”„«»]'), None),
    (
        r"parenthes[ie]s|round\s+brackets|parentheticals?(?:\s+(?:remarks?|asides?|notes?))?|"
        r"(?:remarks?|asides?|notes?)\s+in\s+parenthes[ie]s",
        PARENTHESES,
        None,
    ),
    (r"square\s+brackets", SQUARE_BRACKETS, None),
    (r"brackets(?:\s+of\s+any\s+kind)?", BRACKETS, None),
    (r"ellips[ie]s", Pattern(r"\.\.\.|…"), None),
    (r"slash(?:es)?", _t("/"), None),
    (r"punctuation(?:\s+marks?)?", Named("punctuation"), None),
)
UNIT_RE = "|".join(f"(?:{p})" for p, _, _ in UNIT_NOUNS)
# what a reason never says: an obligation, a quantifier, a verb of form ("since each
# must mention a colour", "so it ends with a question" are constraints; "our printer
# chokes on curly quotes" is a reason)
FORM_WORDS = re.compile(
    r"\b(?:must|should|needs?\s+to|has\s+to|have\s+to|shall|ought|each|every|all|none|"
    r"(?:start|begin|open|end|finish|close|mention|include|contain|cover|avoid|repeat|"
    r"appear)(?:s|ed|ing)?)\b"
)

# A noun naming the answer that is no unit of it ("your itinerary", "the sales pitch").
_OTHER_NOUN = (
    r"(?!(?:first|last|final|next|opening|closing|second|third|title|keyword|phrase|term|"
    rf"{UNIT_RE})\b)[a-z]+"
)
# The answer named as a whole: "your reply", "the entire essay", "the rant".
THE_ANSWER = rf"{_WHOLE_OF}(?:{_ANSWER}|{_OTHER_NOUN})"
_SUBJECT = re.compile(
    rf"^(?:(?:i|we)\s+(?:need|want|would\s+like|expect)(?:\s+(?:you|it|{_WHOLE_OF}{_ANSWER})\s+to)?|"
    r"give\s+me|"
    r"there\s+(?:are|is|(?:must|should|will|needs?\s+to)\s+be))\s+|"
    rf"^{_MODALS}\s+|"  # the subject said before: "..., and must contain ..."
    rf"^(?:(?:{_WHOLE_OF}{_ANSWER}|it|everything|all\s+of\s+it|there|you)\s+{_MODALS}?\s*|"
    rf"{_WHOLE_OF}{_OTHER_NOUN}(?:\s+{_OTHER_NOUN}){{0,2}}\s+{_MODALS}\s+|"
    rf"(?:the|your)\s+(?:sentence|paragraph)\s+{_MODALS}\s+)"  # the one asked for
)


def unit_of(phrase: str) -> tuple[Unit, Expr | None] | None:
    """The unit (and a filter, e.g. questions are sentences ending with '?') a noun
    phrase names."""
    phrase = phrase.strip()
    for pattern, unit, where in UNIT_NOUNS:
        if re.fullmatch(pattern, phrase):
            return unit, where
    return None


def count_of(phrase: str) -> Count | None:
    """A `Count` for a unit noun phrase ("questions" -> sentences ending with '?')."""
    found = unit_of(phrase)
    if found is None:
        return None
    unit, where = found
    return Count(unit, where)


# --------------------------------------------------------------------------- relations

REL_BEFORE = (
    r"(?P<rel>at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|min(?:imum)?(?:\s+of)?|"
    r"a\s+minimum\s+of|more\s+than|over|above|upwards\s+of|at\s+most|no\s+more\s+than|not\s+more\s+than|"
    r"max(?:imum)?(?:\s+of)?|a\s+maximum\s+of|up\s+to|fewer\s+than|less\s+than|under|below|"
    r"exactly|precisely|just|only|no\s+longer\s+than|within|roughly|approximately|around|about)"
)
REL_AFTER = (
    r"(?P<after>or\s+(?:more|over|above|greater|longer)|or\s+(?:fewer|less|under|shorter)|max(?:imum)?|"
    r"min(?:imum)?|at\s+most|at\s+the\s+most|at\s+least|tops|or\s+so|\+)"
)
_BEFORE_MAP: dict[str, Relation] = {
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "not less than": "at_least",
    "min": "at_least",
    "minimum": "at_least",
    "min of": "at_least",
    "minimum of": "at_least",
    "a minimum of": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "above": "more_than",
    "upwards of": "at_least",
    "at most": "at_most",
    "no more than": "at_most",
    "not more than": "at_most",
    "max": "at_most",
    "maximum": "at_most",
    "max of": "at_most",
    "maximum of": "at_most",
    "a maximum of": "at_most",
    "up to": "at_most",
    "no longer than": "at_most",
    "within": "at_most",
    "fewer than": "less_than",
    "less than": "less_than",
    "under": "less_than",
    "below": "less_than",
    "exactly": "exactly",
    "precisely": "exactly",
    "just": "exactly",
    "roughly": "between",  # about n: within 20% (`clauses.bound_of`)
    "approximately": "between",
    "around": "between",
    "about": "between",
    "only": "exactly",
}


def relation_of(before: str | None, after: str | None) -> Relation | None:
    """The relation a count's words say ("at least" before, "or fewer" after; none:
    exactly). None when the words contradict or are not relations."""
    rel_b = _BEFORE_MAP.get(" ".join(before.split())) if before else None
    rel_a: Relation | None = None
    if after:
        a = " ".join(after.split())
        if (
            a in ("+",)
            or a.startswith("or more")
            or a.startswith("or over")
            or a
            in (
                "min",
                "minimum",
                "at least",
            )
            or a.startswith("or above")
            or a.startswith("or greater")
            or a.startswith("or longer")
        ):
            rel_a = "at_least"
        elif a.startswith("or") or a in ("max", "maximum", "at most", "at the most", "tops"):
            rel_a = "at_most"
        else:
            return None
    if rel_b and rel_a and rel_b != rel_a and rel_b != "exactly":
        return None
    return rel_a or rel_b or "exactly"
