"""A prompt-coverage test set: prompts composed of a task, requirement sentences of the
reader inventory (`cadenza.bench.inventory`) and directives no rule can check (a tone,
an audience, a genre, a content wish), joined the ways people join instructions.

It measures the worst bug a reader can have: a directive that vanishes. Every part of a
composed prompt must come back either checked (a rule's expression that decides the
inventory item's labelled answers as labelled) or judged (a judged requirement over the
words that say it); a part that comes back neither is *lost*. A directive whose words
end up only in the label of a check that does not check them is lost too, and counted
apart (`carried`): that label would report a tone as satisfied by a word count.

Two dimensions carry families: the way the parts are joined (`JOINS`) and the kind of
unreadable directive (`DIRECTIVES`). `split(seed)` halves both, so side `a` crosses the
joins and directive families of one half, side `b` those of the other, and the rest is
`mixed`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cadenza.bench.inventory import FIRST_KINDS, Item, items
from cadenza.requirements.compile import CompiledRequirement
from cadenza.requirements.extract import read_prompt
from cadenza.requirements.lang.build import flatten
from cadenza.requirements.lang.evaluate import evaluate


@dataclass(frozen=True, slots=True)
class Directive:
    """A directive only a judge can decide: its family, its words as a clause, and the
    word a requirement must carry for the directive to be accounted for."""

    family: str
    clause: str
    key: str


DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "make it funny", "funny"),
    Directive("tone", "keep the tone warm and cheerful", "cheerful"),
    Directive("tone", "use a formal register", "formal"),
    Directive("tone", "let it sound melancholy", "melancholy"),
    Directive("audience", "aim it at complete beginners", "beginners"),
    Directive("audience", "write it for a ten-year-old reader", "ten-year-old"),
    Directive("audience", "address it to busy managers", "managers"),
    Directive("genre", "make it a sonnet", "sonnet"),
    Directive("genre", "shape it as a dialogue between two friends", "dialogue"),
    Directive("genre", "format it like a recipe card", "recipe"),
    Directive("content", "mention two brands of tea", "brands"),
    Directive("content", "give one concrete example", "example"),
    Directive("content", "end on a hopeful note", "hopeful"),
    Directive("content", "avoid technical jargon", "jargon"),
    Directive("voice", "write it in the second person", "second person"),
    Directive("voice", "use British spelling", "British"),
)

# written before any reader change was measured on this set, and kept out of it until
# then: `prompts("fresh")` composes these instead (the second check of a change)
FRESH_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "sprinkle in a little humour", "humour"),
    Directive("tone", "sound confident but not arrogant", "arrogant"),
    Directive("tone", "keep it light-hearted", "light-hearted"),
    Directive("tone", "convey a sense of urgency", "urgency"),
    Directive("audience", "pitch it at retired teachers", "teachers"),
    Directive("audience", "suit it to readers who know nothing about tea", "nothing about tea"),
    Directive("audience", "target first-year students", "first-year"),
    Directive("genre", "turn it into a haiku sequence", "haiku"),
    Directive("genre", "present it as a news report", "news report"),
    Directive("genre", "cast it as a letter to a friend", "letter"),
    Directive("content", "compare it with coffee", "coffee"),
    Directive("content", "name one historical figure", "historical"),
    Directive("content", "leave out any prices", "prices"),
    Directive("content", "finish with a question to the reader", "question"),
    Directive("voice", "narrate in the first person plural", "first person plural"),
    Directive("voice", "stay in the present tense", "present tense"),
)
FRESH_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "numbered": lambda t, x, y: f"{t}.\n1. {_cap(x)}\n2. {_cap(y)}",
    "and-also": lambda t, x, y: f"{t}. {_cap(x)}, and also {y}.",
    "requirements": lambda t, x, y: f"{t}. Requirements: {x}; {y}.",
    "then": lambda t, x, y: f"{t}. First, {x}. Then {y}.",
}

# a third set, written (2026-12-07) after `FRESH_*` had been measured and before the
# reader was changed for what that measurement found; composed by `prompts("blind")`
# and measured once after the change
BLIND_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "come across as upbeat", "upbeat"),
    Directive("tone", "never sound preachy", "preachy"),
    Directive("tone", "aim for a playful feel", "playful"),
    Directive("tone", "be a little sarcastic", "sarcastic"),
    Directive("audience", "assume the reader is a nurse on a night shift", "nurse"),
    Directive("audience", "keep non-native speakers in mind", "non-native"),
    Directive("audience", "write for my grandmother", "grandmother"),
    Directive("genre", "write it as a limerick", "limerick"),
    Directive("genre", "frame it as an FAQ", "FAQ"),
    Directive("genre", "do it as a diary entry", "diary"),
    Directive("content", "work in a mention of rain", "rain"),
    Directive("content", "include a fun fact", "fun fact"),
    Directive("content", "skip anything about health benefits", "health benefits"),
    Directive("voice", "avoid the passive voice", "passive"),
    Directive("voice", "keep it in the past tense", "past tense"),
    Directive("voice", "talk directly to the reader", "directly"),
)
BLIND_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "stars": lambda t, x, y: f"{t}.\n* {_cap(x)}\n* {_cap(y)}",
    "oh-and": lambda t, x, y: f"{t}. Oh, and {x}. And pls {y}.",
    "brackets": lambda t, x, y: f"{t} ({x}; {y}).",
    "constraints": lambda t, x, y: f"{t}.\nConstraints:\n{_cap(x)}.\n{_cap(y)}.",
}

# a fourth set, written (2026-12-07) after `BLIND_*` had been measured once and before
# the reader was changed for what that measurement found; composed by
# `prompts(which="blind2")` and measured once after the change
BLIND2_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "stay calm and reassuring", "reassuring"),
    Directive("tone", "go for a wry, understated humour", "wry"),
    Directive("tone", "let the excitement show", "excitement"),
    Directive("tone", "avoid being overly formal", "overly formal"),
    Directive("audience", "picture a reader who has just moved to the city", "moved"),
    Directive("audience", "speak to parents of toddlers", "toddlers"),
    Directive("audience", "imagine you are explaining it to a visiting alien", "alien"),
    Directive("genre", "structure it like a movie trailer voice-over", "trailer"),
    Directive("genre", "write the whole thing as a riddle", "riddle"),
    Directive("genre", "deliver it as a short speech", "speech"),
    Directive("content", "weave in a reference to the moon", "moon"),
    Directive("content", "leave the ending open", "ending open"),
    Directive("content", "bring up at least one counterargument", "counterargument"),
    Directive("voice", "write from the point of view of a cat", "cat"),
    Directive("voice", "use plain, everyday words", "everyday"),
    Directive("voice", "vary the sentence length", "vary"),
)
BLIND2_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "colon-list": lambda t, x, y: f"{t}:\n1) {_cap(x)}\n2) {_cap(y)}",
    "you-should": lambda t, x, y: f"{t}. Note that you should {x}, and you should also {y}.",
    "if-possible": lambda t, x, y: f"{t}. If possible, {x}. Definitely {y}.",
    "one-more": lambda t, x, y: f"{t}. {_cap(x)}. One more thing: {y}.",
}

# a fifth set, written (2026-12-07) after every change of the session that measured
# `BLIND2_*`, to be measured once at its end: `prompts("blind3")`
BLIND3_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "keep the mood gentle", "gentle"),
    Directive("tone", "lean into the drama", "drama"),
    Directive("tone", "no sarcasm please", "sarcasm"),
    Directive("tone", "sound like a friendly coach", "coach"),
    Directive("audience", "the readers are busy parents", "busy parents"),
    Directive("audience", "assume zero background knowledge", "background"),
    Directive("audience", "this is for a high-school class", "high-school"),
    Directive("genre", "make it read like a travel brochure", "brochure"),
    Directive("genre", "I'd like it as a short play script", "play script"),
    Directive("genre", "turn it into a bedtime story", "bedtime"),
    Directive("content", "mention at least one local landmark", "landmark"),
    Directive("content", "don't mention the weather", "weather"),
    Directive("content", "add a tip at the end", "tip"),
    Directive("voice", "use we instead of I", "instead of"),
    Directive("voice", "stick to simple sentences", "simple sentences"),
    Directive("voice", "write in a conversational voice", "conversational"),
)
BLIND3_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "lines": lambda t, x, y: f"{t}.\n{_cap(x)}.\n{_cap(y)}.",
    "also-colon": lambda t, x, y: f"{t}. {_cap(x)}. Also: {y}.",
    "numbered-dot": lambda t, x, y: f"{t}\n\n1. {_cap(x)}.\n2. {_cap(y)}.",
    "header-bullets": lambda t, x, y: f"{t}.\n\nRequirements:\n- {_cap(x)}\n- {_cap(y)}",
}

# a sixth set, written (2026-12-07) after `BLIND3_*` was measured and before the reader
# learnt statements that ask for something; measured once after that: `prompts("blind4")`
BLIND4_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "a light touch would be nice", "light touch"),
    Directive("tone", "nothing too gloomy", "gloomy"),
    Directive("tone", "the vibe should be cosy", "cosy"),
    Directive("tone", "humour is welcome", "humour"),
    Directive("audience", "my audience is retired engineers", "engineers"),
    Directive("audience", "it's going to be read aloud to kids", "aloud"),
    Directive("audience", "our customers are mostly students", "customers"),
    Directive("genre", "ideally this would be a ballad", "ballad"),
    Directive("genre", "a numbered how-to would work best", "how-to"),
    Directive("genre", "think of it as a postcard", "postcard"),
    Directive("content", "there should be a twist at the end", "twist"),
    Directive("content", "please no politics", "politics"),
    Directive("content", "a quote from a famous author would be great", "famous author"),
    Directive("voice", "I prefer British English", "British English"),
    Directive("voice", "first person, present tense", "first person"),
    Directive("voice", "keep jargon to a minimum", "minimum"),
)
BLIND4_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "btw": lambda t, x, y: f"{t}. {_cap(x)}. Btw, {y}.",
    "semicolon-lines": lambda t, x, y: f"{t}\n{_cap(x)};\n{_cap(y)}.",
    "before-task": lambda t, x, y: f"{_cap(x)}. {_cap(y)}. {t}.",
    "notes": lambda t, x, y: f"{t}. Notes: {x}, {y}.",
}

# a seventh set, written (2026-12-07) after `BLIND4_*` was measured and before the reader
# learnt what that measurement found; measured once after that: `prompts("blind5")`
BLIND5_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "it ought to feel nostalgic", "nostalgic"),
    Directive("tone", "go easy on the adjectives", "adjectives"),
    Directive("tone", "a hint of irony is fine", "irony"),
    Directive("tone", "no exclamation-heavy hype", "hype"),
    Directive("audience", "the piece is meant for hospital volunteers", "volunteers"),
    Directive("audience", "could you pitch it at a teenage reader?", "teenage"),
    Directive("audience", "readers here are non-experts", "non-experts"),
    Directive("genre", "a sea shanty, if you can", "shanty"),
    Directive("genre", "why not make it a fable?", "fable"),
    Directive("genre", "format: newsletter blurb", "newsletter"),
    Directive("content", "it must credit the farmers", "farmers"),
    Directive("content", "skipping the history part is fine", "history"),
    Directive("content", "bonus points for a pun", "pun"),
    Directive("voice", "third person throughout", "third person"),
    Directive("voice", "contractions are okay", "contractions"),
    Directive("voice", "stay away from clichés", "clichés"),
)
BLIND5_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "greeting": lambda t, x, y: f"Hi! {t}. {_cap(x)}. {_cap(y)}. Thanks!",
    "ps": lambda t, x, y: f"{t}.\n\nPS: {x}. {_cap(y)}.",
    "task-last": lambda t, x, y: f"{_cap(x)}; {y}. Now: {t}.",
    "labels": lambda t, x, y: f"Task: {t}.\nStyle: {x}.\nAlso {y}.",
}

# an eighth set, written (2026-12-07) after `BLIND5_*` was measured and before the reader
# learnt from it; measured once after that: `prompts("blind6")`
BLIND6_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "tone it down a notch", "notch"),
    Directive("tone", "a melancholy undertone, please", "undertone"),
    Directive("tone", "it needs to sound hopeful", "hopeful"),
    Directive("tone", "can you keep it whimsical?", "whimsical"),
    Directive("audience", "written for first-time voters", "voters"),
    Directive("audience", "the target reader: a retired sailor", "sailor"),
    Directive("audience", "my students are nine years old", "nine years"),
    Directive("genre", "shaped like a menu", "menu"),
    Directive("genre", "a limerick would suit it best", "limerick"),
    Directive("genre", "how about framing it as a recipe?", "recipe"),
    Directive("content", "include a nod to the harvest", "harvest"),
    Directive("content", "the ending must surprise", "surprise"),
    Directive("content", "zero mentions of money", "money"),
    Directive("voice", "all in the second person", "second person"),
    Directive("voice", "past tense only", "past tense"),
    Directive("voice", "I'd appreciate a short moral at the end", "moral"),
)
BLIND6_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "letter": lambda t, x, y: f"Dear writer,\n{t}.\n{_cap(x)}. {_cap(y)}.\nBest, Sam",
    "arrow": lambda t, x, y: f"{t} -> {x}; {y}.",
    "first-second": lambda t, x, y: f"{t}. First: {x}. Second: {y}.",
    "slash": lambda t, x, y: f"{t}. {_cap(x)} / {y}.",
}

# a ninth set, written (2026-12-07) before the model was asked which unread sentences
# are instructions; it is the first with context sentences that ask for nothing
# (`CONTEXTS`), so a reader that imposes every sentence cannot pass it
BLIND7_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "the mood: bittersweet", "bittersweet"),
    Directive("tone", "less formal than a press release", "press release"),
    Directive("tone", "cheeky, not rude", "cheeky"),
    Directive("audience", "aimed squarely at busy commuters", "commuters"),
    Directive("audience", "assume the reader has never heard of it", "never heard"),
    Directive("audience", "for parents of toddlers", "toddlers"),
    Directive("genre", "in the style of a weather report", "weather report"),
    Directive("genre", "something like a haiku sequence", "haiku"),
    Directive("genre", "diary entry format", "diary"),
    Directive("content", "name a colour somewhere", "colour"),
    Directive("content", "a question for the reader in the middle", "question for the reader"),
    Directive("content", "nothing about prices", "prices"),
    Directive("voice", "told by a grandmother", "grandmother"),
    Directive("voice", "no first person", "first person"),
    Directive("voice", "use the future tense throughout", "future tense"),
    Directive("voice", "avoid passive constructions", "passive"),
)
BLIND7_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "context-first": lambda t, x, y: f"{_cap(x)}. {t}. {_cap(y)}.",
    "numbered": lambda t, x, y: f"{t}:\n1. {_cap(x)}\n2. {_cap(y)}",
    "brackets": lambda t, x, y: f"{t} ({x}; {y}).",
    "bare-lines": lambda t, x, y: f"{t}\n{_cap(x)}\n{_cap(y)}",
}
# a tenth set, written (2026-12-07) before the grammar became the only rule reader; its
# directives include statements ("it will be read aloud to a class") and hedges
BLIND8_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "keep it upbeat but honest", "upbeat"),
    Directive("tone", "dry humour throughout", "dry humour"),
    Directive("tone", "calm, like a news anchor", "news anchor"),
    Directive("audience", "pitched at retired engineers", "retired engineers"),
    Directive("audience", "for readers who speak English as a second language", "second language"),
    Directive("audience", "it will be read aloud to a class", "read aloud"),
    Directive("genre", "as a limerick", "limerick"),
    Directive("genre", "written like a product review", "product review"),
    Directive("genre", "a short FAQ would work best", "faq"),
    Directive("content", "include one surprising fact", "surprising fact"),
    Directive("content", "don't bring up the weather", "weather"),
    Directive("content", "work in a reference to a famous painting", "painting"),
    Directive("voice", "from the point of view of a cat", "point of view"),
    Directive("voice", "stick to the present tense", "present tense"),
    Directive("voice", "plain words, no metaphors", "metaphors"),
    Directive("voice", "the narrator should be a nervous tourist", "nervous tourist"),
)
BLIND8_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "requirements-header": lambda t, x, y: f"{t}.\n\nRequirements:\n* {_cap(x)}\n* {_cap(y)}",
    "ps": lambda t, x, y: f"{t}. {_cap(x)}.\nP.S. {_cap(y)}.",
    "oh-and": lambda t, x, y: f"Quick one: {t}. {_cap(x)}. Oh and {y}.",
    "hedged": lambda t, x, y: f"{_cap(x)}, that matters to me. {t}. {_cap(y)}, if you can.",
}

# an eleventh set, written (2026-12-07) blind to the reader (its code and the sentences
# earlier sets lost), measured once before any change: requests as questions, "make
# sure", "try to", "I'd love it to", second-person wishes, conditions, passives and
# inverted negatives; an e-mail, a lowercase chat line, "Task:/Notes:", and directives
# in the middle of a paragraph of background
BLIND9_DIRECTIVES: tuple[Directive, ...] = (
    Directive("tone", "would it be possible to make it sound like a pirate?", "pirate"),
    Directive("tone", "whatever you do, don't sound condescending", "condescending"),
    Directive("tone", "I'd love it to feel dreamy", "dreamy"),
    Directive("tone", "try to keep an air of mystery", "mystery"),
    Directive("audience", "you should assume the readers are truck drivers", "truck drivers"),
    Directive("audience", "hotel receptionists are who this is for", "receptionists"),
    Directive(
        "audience",
        "if it's not too much trouble, gear it toward amateur astronomers",
        "astronomers",
    ),
    Directive("genre", "one request: turn it into a horoscope", "horoscope"),
    Directive("genre", "what I need is a eulogy", "eulogy"),
    Directive("genre", "it has to take the form of a tongue twister", "tongue twister"),
    Directive("content", "make sure a lighthouse shows up somewhere", "lighthouse"),
    Directive("content", "if there's room, mention a childhood memory", "childhood memory"),
    Directive("content", "at no point should it refer to social media", "social media"),
    Directive("voice", "you'd better steer clear of rhetorical questions", "rhetorical"),
    Directive("voice", "slang is to be avoided", "slang"),
    Directive("voice", "have an old clockmaker tell it", "clockmaker"),
)
BLIND9_JOINS: dict[str, Callable[[str, str, str], str]] = {
    "email": lambda t, x, y: (
        f"Hi Maya,\n\nHope you had a good weekend. {t}. {_stop(_cap(x))} {_stop(_cap(y))}"
        "\n\nCheers,\nTom"
    ),
    "chat": lambda t, x, y: f"hey, quick thing... {t.lower()}... {x}... {y}... ty!",
    "task-notes": lambda t, x, y: f"Task: {t}\nNotes:\n  {_stop(_cap(x))}\n  {_stop(_cap(y))}",
    "amid-background": lambda t, x, y: (
        "Some background: I'm putting together a small booklet for friends, mostly photos "
        f"with a few short texts between them. {t}. {_stop(_cap(x))} {_stop(_cap(y))} The "
        "booklet goes to the printer on Monday, and each friend gets a copy."
    ),
}

# sentences about the writer or the world that ask nothing of the answer; each must come
# back as no requirement (the word that would show it imposed is its key)
CONTEXTS: dict[str, tuple[Directive, ...]] = {
    "blind7": (
        Directive("context", "I drink three cups a day", "three cups"),
        Directive("context", "the river floods every spring", "floods"),
        Directive("context", "we are visiting Kyoto next month", "kyoto"),
        Directive("context", "my sister runs a small café", "café"),
        Directive("context", "last year was unusually dry", "unusually dry"),
        Directive("context", "our club meets on Thursdays", "thursdays"),
        Directive("context", "the leaves here turn red early", "turn red"),
        Directive("context", "I tried writing this myself and gave up", "gave up"),
        Directive("context", "my laptop is old and slow", "laptop"),
        Directive("context", "the shop closes at five", "closes"),
        Directive("context", "it rained all weekend", "rained"),
        Directive("context", "my friend Ana loves long walks", "ana"),
        Directive("context", "I am learning to paint", "paint"),
        Directive("context", "the park opened in 1998", "1998"),
        Directive("context", "our neighbours keep bees", "bees"),
        Directive("context", "the bus to work takes an hour", "bus"),
    ),
    "blind8": (
        Directive("context", "my grandfather was a sailor", "sailor"),
        Directive("context", "the library is being renovated", "renovated"),
        Directive("context", "I have a meeting at noon", "noon"),
        Directive("context", "our dog is afraid of thunder", "thunder"),
        Directive("context", "the festival starts on Friday", "friday"),
        Directive("context", "my cousin lives in Lisbon", "lisbon"),
        Directive("context", "I have never been to the sea", "the sea"),
        Directive("context", "the office coffee machine broke", "coffee machine"),
        Directive("context", "we planted tomatoes in May", "tomatoes"),
        Directive("context", "the train was late again", "train"),
        Directive("context", "my phone battery is dying", "battery"),
        Directive("context", "the town has two bakeries", "bakeries"),
        Directive("context", "I started running in March", "running"),
        Directive("context", "the museum is free on Sundays", "museum"),
        Directive("context", "our team won last night", "won last night"),
        Directive("context", "it snowed in April", "snowed"),
    ),
    # some shaped like instructions not aimed at the answer, some with numbers, quotes
    # or a named language: where a reader is likeliest to make a requirement of them
    "blind9": (
        Directive("context", "my boss asked me to keep all the receipts", "receipts"),
        Directive("context", "the sign by the gate says to keep off the grass", "grass"),
        Directive("context", "my doctor told me to drink less coffee", "doctor"),
        Directive(
            "context",
            "our teacher always said never to start a sentence with 'And'",
            "with 'and'",
        ),
        Directive("context", "my German pen pal writes to me every month", "german"),
        Directive("context", "the street signs in Montreal are in French", "french"),
        Directive("context", "I once wrote a 500-word essay on tea", "500-word"),
        Directive("context", "my bread recipe calls for 3 teaspoons of salt", "teaspoons"),
        Directive("context", "my editor once told me to 'cut every adverb'", "adverb"),
        Directive("context", "the kids at my school are told to write in pencil", "pencil"),
        Directive("context", "my uncle speaks only Portuguese", "portuguese"),
        Directive(
            "context", "the label on the jar reads 'store in a cool, dry place'", "cool, dry"
        ),
        Directive("context", "I am allowed two days off a month", "days off"),
        Directive(
            "context", "my flatmate insists on bullet points in every shopping list", "bullet"
        ),
        Directive("context", "the guidebook says to arrive before 9 a.m.", "arrive"),
        Directive("context", "everyone in my office writes emails in all caps", "caps"),
    ),
}

SETS: dict[str, tuple[dict[str, Callable[[str, str, str], str]], tuple[Directive, ...]]] = {}

TASKS = (
    "Write a short note about green tea",
    "Describe a walk along the river",
    "Write a poem about autumn",
    "Explain how to brew oolong",
)


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _low(text: str) -> str:
    """A sentence as a clause: no closing stop, lowercase first word (a name or a
    quote keeps its case)."""
    text = text.rstrip(".")
    first = text.split()[0]
    if (first.isupper() and len(first) > 1) or first[:1] in "'\"" or first == "I":
        return text
    return text[0].lower() + text[1:]


def _stop(text: str) -> str:
    """A clause as a sentence: a full stop unless it already ends one ("...?")."""
    return text if text.endswith((".", "?", "!")) else text + "."


# each join: the task and two clauses (as clauses, lowercase) -> the prompt
JOINS: dict[str, Callable[[str, str, str], str]] = {
    "sentences": lambda t, x, y: f"{t}. {_cap(x)}. {_cap(y)}.",
    "and": lambda t, x, y: f"{t}. {_cap(x)} and {y}.",
    "comma-and": lambda t, x, y: f"{t}, {x}, and {y}.",
    "also": lambda t, x, y: f"{t}. Also, {x}. Please {y}.",
    "semicolons": lambda t, x, y: f"{t}; {x}; {y}.",
    "list": lambda t, x, y: f"{t}.\n- {_cap(x)}\n- {_cap(y)}",
    "plus": lambda t, x, y: f"{t}. {_cap(x)}, plus {y}.",
    "dash": lambda t, x, y: f"{t} - {x} - and {y}.",
}
SETS.update(
    dev=(JOINS, DIRECTIVES),
    fresh=(FRESH_JOINS, FRESH_DIRECTIVES),
    blind=(BLIND_JOINS, BLIND_DIRECTIVES),
    blind2=(BLIND2_JOINS, BLIND2_DIRECTIVES),
    blind3=(BLIND3_JOINS, BLIND3_DIRECTIVES),
    blind4=(BLIND4_JOINS, BLIND4_DIRECTIVES),
    blind5=(BLIND5_JOINS, BLIND5_DIRECTIVES),
    blind6=(BLIND6_JOINS, BLIND6_DIRECTIVES),
    blind7=(BLIND7_JOINS, BLIND7_DIRECTIVES),
    blind8=(BLIND8_JOINS, BLIND8_DIRECTIVES),
    blind9=(BLIND9_JOINS, BLIND9_DIRECTIVES),
)


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a composed prompt: a readable inventory item, a directive, or a
    context sentence that asks for nothing."""

    text: str  # as it stands in the prompt
    item: Item | None = None
    directive: Directive | None = None
    context: Directive | None = None


@dataclass(frozen=True, slots=True)
class Prompt:
    join: str
    text: str
    parts: tuple[Part, ...]

    @property
    def directive_families(self) -> set[str]:
        return {p.directive.family for p in self.parts if p.directive is not None}


def prompts(which: str = "dev") -> Iterator[Prompt]:
    """Every composed prompt of one set (`SETS`: "dev", "fresh", "blind" ...), in
    a fixed order: for each join, each directive beside a readable item (in both
    orders), beside another directive and, in a set with `CONTEXTS`, beside a context
    sentence."""
    readable = _readable_items()
    if which not in SETS:
        raise ValueError(f"no composed set {which!r}: choose one of {', '.join(SETS)}")
    joins, directives = SETS[which]
    n = 0
    for join, make in joins.items():
        for d, directive in enumerate(directives):
            task = TASKS[(d + len(join)) % len(TASKS)]
            item = readable[n % len(readable)]
            n += 1
            said = _low(item.sentence)
            mine = Part(directive.clause, directive=directive)
            theirs = Part(said, item=item)
            first, second = (mine, theirs) if d % 2 == 0 else (theirs, mine)
            yield Prompt(join, make(task, first.text, second.text), (first, second))
            other = directives[(d + 5) % len(directives)]
            pair = (mine, Part(other.clause, directive=other))
            yield Prompt(join, make(task, pair[0].text, pair[1].text), pair)
            contexts = CONTEXTS.get(which, ())
            if contexts:
                fact = contexts[(d + 3 * len(join)) % len(contexts)]
                aside = Part(fact.clause, context=fact)
                pair = (aside, mine) if d % 2 == 0 else (mine, aside)
                yield Prompt(join, make(task, pair[0].text, pair[1].text), pair)


def _readable_items() -> list[Item]:
    """Inventory items spread over every kind, in a fixed shuffled order."""
    first = [i for i in items() if i.family.split("/")[0] in FIRST_KINDS]
    chosen = [i for k, i in enumerate(first) if k % 7 == 0]
    random.Random(7).shuffle(chosen)
    return chosen


def split(seed: int) -> tuple[tuple[set[str], set[str]], tuple[set[str], set[str]]]:
    """The joins and the directive families, each in two halves by `seed`."""
    rng = random.Random(seed)
    joins = sorted(JOINS)
    families = sorted({d.family for d in DIRECTIVES})
    rng.shuffle(joins)
    rng.shuffle(families)
    h, k = (len(joins) + 1) // 2, (len(families) + 1) // 2
    return (set(joins[:h]), set(joins[h:])), (set(families[:k]), set(families[k:]))


def side(prompt: Prompt, seed: int) -> str:
    """ "a", "b" or "mixed": which half of `split(seed)` the prompt's join and directive
    families lie in."""
    (joins_a, joins_b), (fam_a, fam_b) = split(seed)
    families = prompt.directive_families
    if prompt.join in joins_a and families <= fam_a:
        return "a"
    if prompt.join in joins_b and families <= fam_b:
        return "b"
    return "mixed"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one part: "checked", "judged", "carried" (its words only in the
    label of a check that does not check them) or "dropped"; for a context sentence,
    "imposed" (a requirement was made of it) or "aside"."""

    prompt: Prompt
    part: Part
    fate: str


def score(prompt: Prompt, found: tuple[CompiledRequirement, ...] | None = None) -> list[Outcome]:
    """Say what became of each part of the prompt in `found`, a reading of it (by
    default the rules' reading, no model)."""
    if found is None:
        found = read_prompt(prompt.text).requirements
    return [Outcome(prompt, p, _fate(prompt.text, p, found)) for p in prompt.parts]


def _fate(text: str, part: Part, found: tuple[CompiledRequirement, ...]) -> str:
    start = text.lower().find(part.text.lower())
    span = (start, start + len(part.text))
    judged = [c for c in found if c.expr is None or c.rubric]
    if part.context is not None:
        key = part.context.key.lower()
        overlaps = any(c.span and c.span[0] < span[1] and span[0] < c.span[1] for c in found)
        named = any(key in c.requirement.description.lower() for c in found)
        return "imposed" if overlaps or named else "aside"
    if part.item is not None:
        answers = part.item.answers
        for c in found:
            if c.expr is None:
                continue
            for atom in (c.expr, *flatten(c.expr)):
                if all(evaluate(atom, a).passed == label for a, label in answers):
                    return "checked"
        if any(c.span and c.span[0] < span[1] and span[0] < c.span[1] for c in judged):
            return "judged"
        return "dropped"
    assert part.directive is not None
    key = part.directive.key.lower()
    if any(key in c.requirement.description.lower() for c in judged):
        return "judged"
    if any(key in c.requirement.description.lower() for c in found):
        return "carried"
    return "dropped"


def summary(outcomes: list[Outcome]) -> dict[str, dict[str, int | float]]:
    """For directives and readable items apart: how many (`n`), how many of each fate,
    and `lost_share`, the share neither checked nor judged."""
    out: dict[str, dict[str, int | float]] = {}
    for kind, mine in (
        ("directives", [o for o in outcomes if o.part.directive is not None]),
        ("items", [o for o in outcomes if o.part.item is not None]),
    ):
        counts: dict[str, int | float] = {"n": len(mine)}
        for fate in ("checked", "judged", "carried", "dropped"):
            counts[fate] = sum(1 for o in mine if o.fate == fate)
        lost = sum(1 for o in mine if o.fate in ("carried", "dropped"))
        counts["lost_share"] = round(lost / len(mine), 4) if mine else 0.0
        out[kind] = counts
    contexts = [o for o in outcomes if o.part.context is not None]
    if contexts:
        imposed = sum(1 for o in contexts if o.fate == "imposed")
        out["contexts"] = {
            "n": len(contexts),
            "imposed": imposed,
            "aside": len(contexts) - imposed,
            "imposed_share": round(imposed / len(contexts), 4),
        }
    return out
