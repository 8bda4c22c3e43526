"""The situation a question is about: statements that ask nothing of the answer.

A prompt that asks only a question often tells its situation first: what the asker
does ("I sign every text with a smiley."), what something of theirs is ("Our menu is
three pages long."), what someone else wants of other texts ("My editor wants all
captions under 80 characters."). Form words in such a sentence are what the question is
about, not a requirement on its answer, even where they name a number and a unit.

`situation(prompt)` gives those sentences, and only where the prompt asks nothing but
questions: every other sentence is a question that is not a request, reported speech,
or names nothing a requirement could ("Hi!"). A statement has a subject that is the
asker, someone else or something of theirs, never the answer ("it", "this", "your
answer", "the reply"), and a finite verb that is not a modal ("must", "should", "has
to", "can") nor, for the asker, a wish or a plan ("I want", "I'd like", "I'm looking
for", "I'm writing"); no clause of it is said as an instruction. The extraction sets
such sentences aside and names them, and does not put them to a model's set-aside
question (the 1.5B says yes to nearly any part).
"""

from __future__ import annotations

import re
from functools import lru_cache

from cadenza.requirements.grammar.lexicon import UNIT_RE
from cadenza.requirements.material import material
from cadenza.requirements.segment import clauses, masked, segments
from cadenza.requirements.verbs import bare_form, base_verb, inflected_verb, noun


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# words a statement may open with before its subject ("So I ...", "Well, my ...")
_OPENERS = _set("so and but well also now okay ok actually basically honestly")
_ASKER = _set("i we")
_SOMEONE = _set("he she they someone somebody everyone everybody")
_DETERMINERS = _set("my our his her their the a an")
# "I'm", "she's", "we've": the subject and its verb in one word
_CONTRACTED = re.compile(r"^(i|we|he|she|they)'(m|re|s|ve)$")
_MODALS = _set(
    "must should shall would will can could may might ought need needs gotta "
    "'d 'll can't cannot couldn't shouldn't mustn't won't wouldn't"
)
# what the asker wants or plans ("I need ...", "I'm looking for ...") may ask for the
# answer itself, and so may what they are making ("We're writing a toast ..."), though
# not what they do as a habit ("I write everything in lowercase")
_WISHES = _set(
    "want wanna need like love prefer expect hope wish require request ask demand look "
    "seek try plan intend mean aim"
)
_MAKING = _set(
    "write draft compose prepare make create put work design build craft translate edit rewrite"
)
# a subject that names the answer itself ("The answer is ...", "A reply is ...")
_THE_ANSWER = _set("answer answers response responses reply replies output")
_ADVERBS = _set(
    "usually always never often sometimes also just still already only really even "
    "normally mostly generally typically currently recently regularly rarely"
)
_AUX = _set("am is are was were has have had do does did don't doesn't didn't")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")


@lru_cache(maxsize=64)
def situation(prompt: str) -> tuple[tuple[int, int], ...]:
    """The sentences of a prompt that only tell the situation its question is about
    (see the module docstring), as spans; none where the prompt asks more than
    questions."""
    told: list[tuple[int, int]] = []
    asked = False
    for seg in segments(prompt):
        if seg.kind == "question":
            asked = True
        elif seg.kind == "directive":
            if states(masked(prompt)[seg.start : seg.end]):
                told.append((seg.start, seg.end))
            elif any(material(prompt[a:b]).any for a, b in clauses(seg.text, seg.start)):
                return ()  # it asks something besides its questions
    return tuple(told) if asked else ()


def states(sentence: str) -> bool:
    """Whether a sentence (its quotes masked) is a statement about the asker, someone
    else or something of theirs, with no clause said as an instruction. Its subject may
    come after a setting ("At work I ...", "When I text, I ...") and may be a name
    ("Sam wants ...")."""
    said = _WORD.findall(sentence)
    words = [w.lower().replace("’", "'") for w in said]
    while words and words[0] in _OPENERS:
        said, words = said[1:], words[1:]
    if words and words[0] in _SETTINGS:  # the subject after the setting's comma, or a pronoun
        setting = re.match(r"[^,]{1,80},", sentence.lstrip())
        if setting is not None:
            return states(sentence.lstrip()[setting.end() :])
        at = next((i for i, w in enumerate(words[:8]) if _pronoun(w)), None)
        said, words = (said[at:], words[at:]) if at is not None else (said, words)
    if not words or not (_has_statement_verb(words) or _named_subject(said, words)):
        return False
    return not any(material(sentence[a:b]).directive for a, b in clauses(sentence))


# words that open a setting before the subject: "At work", "On Mondays", "When I text,"
_SETTINGS = _set(
    "at in on during after before since when whenever while once if because as every most"
)


def _unit(word: str) -> bool:
    return re.fullmatch(UNIT_RE, word) is not None


def _pronoun(word: str) -> bool:
    return word in _ASKER or word in _SOMEONE or _CONTRACTED.match(word) is not None


def _named_subject(said: list[str], words: list[str]) -> bool:
    """A name, then a finite verb: "Sam wants ...", "Twitter limits ..."; a capitalised
    bare verb opens an instruction ("Keep ...", "Title it ..."), not a name."""
    if len(words) < 2 or not said[0][:1].isupper() or base_verb(words[0]):
        return False
    if words[0] in _DETERMINERS or _pronoun(words[0]) or words[0] in _MODALS or _unit(words[0]):
        return False  # "Paragraphs have ...": the answer's parts, not a name
    verb = words[1]
    finite = verb in _AUX or (inflected_verb(verb) and not verb.endswith("ing"))
    return finite and _verb_first(words[1:], asker=False)


def _has_statement_verb(words: list[str]) -> bool:
    first, rest = words[0], words[1:]
    if m := _CONTRACTED.match(first):
        asker = m.group(1) in _ASKER
        return _aux_then(rest, asker=asker)
    if first in _ASKER or first in _SOMEONE:
        return _verb_first(rest, asker=first in _ASKER)
    if first in _DETERMINERS:
        return _noun_phrase_then_verb(rest, named=first in ("the", "a", "an"))
    return False


def _verb_first(words: list[str], *, asker: bool) -> bool:
    """After a pronoun: adverbs, then a verb that is neither a modal nor, for the asker,
    a wish ("I usually summarise ...", "We don't ...", "She wants ...")."""
    words = _without_adverbs(words)
    if not words or words[0] in _MODALS:
        return False
    verb = words[0]
    if verb in _AUX:
        return _aux_then(words[1:], asker=asker)
    if not (inflected_verb(verb) or base_verb(verb) or verb.endswith("ed")):
        return False
    return not (asker and _wish(verb))


def _aux_then(words: list[str], *, asker: bool) -> bool:
    """After "I'm", "we've", "I am": no modal use ("I have to", "I'm going to write"),
    and for the asker no wish or plan in a participle ("I'm looking for ...")."""
    words = _without_adverbs(words)
    if words[:1] == ["to"] or words[:2] == ["got", "to"]:
        return False  # "have to", "have got to"
    if words[:2] == ["going", "to"] and len(words) > 2:
        return not base_verb(words[2])  # "going to Rome", not "going to write"
    if words and words[0].endswith("ing"):
        return not (asker and (_wish(words[0]) or bare_form(words[0]) in _MAKING))
    return True


def _noun_phrase_then_verb(words: list[str], *, named: bool) -> bool:
    """After "my", "the" ...: up to six words of the noun phrase, then a finite verb
    that is not a modal. The answer, or after "the" or "a" a part of text ("The first
    line is ..."), is no subject of a statement; "my headline" is the asker's."""
    for i, word in enumerate(words[:7]):
        if word in _MODALS:
            return bool(i) and not named and _someone_elses_duty(words[i + 1 :])
        if i and (word in _AUX or inflected_verb(word) or (word.endswith("ed") and not noun(word))):
            if named and any(w in _THE_ANSWER or _unit(w) for w in words[:i]):
                return False  # "The answer is ...", "The first line is ...": the answer's
            if words[i + 1 : i + 2] == ["to"]:  # "has to", "is to be"
                return not named and _someone_elses_duty(words[i + 1 :])
            return True
    return False


def _someone_elses_duty(after: list[str]) -> bool:
    """After the modal of "my daughter has to ...", "our teacher needs ...": what that
    person must do ("to write a five-line poem") or wants of another text ("the report
    under 500 words") is theirs. What something must be ("my toast has to be short")
    may be the answer's, and stays a requirement."""
    after = after[1:] if after[:1] == ["to"] else after
    after = _without_adverbs(after)
    if not after or after[0] in ("be", "have", "get", "stay", "keep", "sound", "look"):
        return False
    return base_verb(after[0]) or after[0] in _DETERMINERS


def _without_adverbs(words: list[str]) -> list[str]:
    while words and (words[0] in _ADVERBS or words[0] == "not"):
        words = words[1:]
    return words


def _wish(verb: str) -> bool:
    return (bare_form(verb) or verb) in _WISHES


__all__ = ["situation", "states"]
