"""Reading one clause: every construction tried on the clause as written, without its
subject ("your answer must"), and without a leading verb of writing ("keep it")."""

from __future__ import annotations

import re

from cadenza.requirements.grammar import (
    clauses,
    content,
    forms,
    idioms,
    layout,
    lines,
    nested,
    structure,
    style,
    values,
    whole,
)
from cadenza.requirements.grammar.clauses import Clause, Reader
from cadenza.requirements.grammar.lexicon import FORM_WORDS, strip_lead, strip_subject
from cadenza.requirements.lang.nodes import Expr, LanguageError

READERS: tuple[Reader, ...] = (
    whole.number_alone,
    whole.tagged,
    idioms.first_line_then_blank,
    idioms.word_shapes,
    idioms.named_units,
    idioms.sentence_case,
    idioms.ratio,
    idioms.adjacent_repeats,
    idioms.bold_count,
    idioms.each_with,
    idioms.units_of,
    clauses.none_scoped,
    clauses.same_word,
    nested.within_each,
    nested.several,
    clauses.scoped,
    clauses.positional,
    clauses.literal_list,
    clauses.none_of,
    clauses.literal_count,
    clauses.quoted_use,
    clauses.capped,
    clauses.unit_appears,
    clauses.number_of,
    clauses.whole_count,
    content.language,
    content.options,
    clauses.format,
    clauses.ascii,
    clauses.code,
    clauses.whole_predicate,
    idioms.list_shape,
    forms.wrapped,
    layout.title_on_top,
    forms.titled,
    forms.postscript,
    content.emphasis,
    forms.divided,
    structure.divided,
    structure.divider,
    structure.marked,
    structure.repeat_request,
    forms.sized,
    forms.matching,
    forms.ending,
    forms.placeholders,
    forms.counted_after,
    forms.labelled_sections,
    forms.present,
    forms.in_capitals,
    layout.ordered,
    layout.spelled,
    layout.fenced,
    layout.columns,
    layout.dated,
    values.value_format,
    lines.indented,
    lines.key_value,
    style.unmarked,
    style.unlisted,
    style.bolded,
    style.unrepeated,
    style.unquoted,
    layout.own_line,
    layout.lead_line,
    layout.numerals,
)


def read_clause(clause: Clause) -> Expr | None:
    """The expression a clause states, or None when no construction reads all of it."""
    for variant in _variants(clause.text):
        c = Clause(clause.norm, variant)
        for reader in READERS:
            try:
                expr = reader(c)
            except LanguageError:
                expr = None
            if expr is not None:
                return expr
    return None


def _variants(text: str) -> list[str]:
    """The clause as written, without its subject ("your answer must"), and without a
    leading verb of writing ("keep it", "write it")."""
    out = [text]
    purpose = re.sub(
        r"\s+(?:to|so\s+that|so\s+they|so\s+people)\s+(?!the\b|a\b|an\b|\d)[a-z][^,;]*$", "", text
    )
    said = text[len(purpose) :]
    if purpose != text and not (re.match(r"\s+so\b", said) and FORM_WORDS.search(said)):
        out.append(purpose)  # not "so that each one covers a topic": a constraint
    no_subject = strip_subject(text)
    if no_subject != text:
        out.append(no_subject)
    no_lead = strip_lead(no_subject)
    if no_lead != no_subject:
        out.append(no_lead)
    return [o.strip(" ,.;:!") for o in out if o.strip()]
