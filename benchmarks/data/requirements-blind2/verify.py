"""Check every mechanical label of requirements-blind2 with a small independent program.

One function per mechanical item id decides whether an answer meets that item's requirement
as a careful reader means it. Plain Python, no cadenza import. Exits non-zero on any
disagreement with a label.

    python benchmarks/data/requirements-blind2/verify.py
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKS = {}


def check(item_id):
    def register(fn):
        CHECKS[item_id] = fn
        return fn

    return register


# ---------------------------------------------------------------- helpers


def words(text):
    return text.split()


def lines(text):
    return [ln for ln in text.splitlines() if ln.strip()]


def paragraphs(text):
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def sentences(text):
    parts = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    return [p for p in parts if p.strip()]


def strip_greeting(text):
    """Drop a salutation line such as 'Hi Sam,' before the body."""
    ls = text.strip().splitlines()
    if ls and re.match(r"^(hi|hello|dear)\b[^.!?]*,$", ls[0].strip(), re.I):
        ls = ls[1:]
    return "\n".join(ls).strip()


def code(text):
    m = re.search(r"```[a-zA-Z]*\n(.*?)```", text, re.S)
    return m.group(1) if m else text


FIRST_PERSON = re.compile(r"\b(I|me|my|mine|myself|we|us|our|ours|ourselves)\b")


def no_first_person(text):
    # "I" is matched case-sensitively; the others in any case.
    for m in re.finditer(r"\b(\w+)\b", text):
        w = m.group(1)
        if w == "I" or w.lower() in {
            "me",
            "my",
            "mine",
            "myself",
            "we",
            "us",
            "our",
            "ours",
            "ourselves",
        }:
            return False
    return True


def no_second_person(text):
    return not re.search(r"\b(you|your|yours|yourself|yourselves|y'all)\b", text, re.I)


CONTRACTION = re.compile(
    r"\b\w+(n't|'re|'ve|'ll|'m|'d)\b|\b(it|that|there|here|what|who|where|he|she|let|how|when)'s\b",
    re.I,
)


def no_contractions(text):
    return not CONTRACTION.search(text.replace("\u2019", "'"))


def count_bang(text):
    return text.count("!")


def headings(text):
    return [ln.strip() for ln in text.splitlines() if re.match(r"^\s*#{1,6}\s", ln)]


def all_headings_questions(text):
    hs = headings(text)
    return bool(hs) and all(h.rstrip().endswith("?") for h in hs)


def first_sentence(text):
    return sentences(strip_greeting(text))[0]


def acronyms_expanded(text, expansions):
    """Each acronym's first occurrence sits next to its expansion: 'Expansion (ACR)' or
    'ACR (Expansion)', possibly with 'the' and a following noun inside the parentheses."""
    for acr, exp in expansions.items():
        m = re.search(rf"\b{re.escape(acr)}\b", text)
        if not m:
            continue
        before = text[: m.start()]
        after = text[m.end() :]
        ok_before = before.rstrip().endswith("(") and before.rstrip()[
            :-1
        ].rstrip().lower().endswith(exp.lower())
        ok_after = re.match(rf"\s*(\w+\s+)?\((the\s+)?{re.escape(exp)}\)", after, re.I)
        if not (ok_before or ok_after):
            return False
    return True


LIST_MARKER = re.compile(r"^\s*([-*\u2022\u2013]|\d+[.)])\s")


def list_lines(text):
    return [ln for ln in text.splitlines() if LIST_MARKER.match(ln)]


def all_dash(text):
    items = list_lines(text)
    return bool(items) and all(re.match(r"^- \S", ln) for ln in items)


def step_labels(text, n=None):
    ls = lines(text)
    nums = []
    for ln in ls:
        m = re.match(r"^Step (\d+)\s*[:\-\u2013.]\s", ln)
        if not m:
            return False
        nums.append(int(m.group(1)))
    if nums != list(range(1, len(nums) + 1)):
        return False
    return n is None or len(nums) == n


def max_paragraph_words(text):
    return max(len(words(p)) for p in paragraphs(text))


US_SPELLINGS = re.compile(
    r"\b(organiz\w*|realiz\w*|recogniz\w*|apologiz\w*|colors?|colored|favor\w*|center\w*|"
    r"behavior\w*|neighbor\w*|labor\w*|theater\w*|traveling|traveled|harbor\w*)\b",
    re.I,
)
UK_SPELLINGS = re.compile(
    r"\b(organis\w*|realis\w*|recognis\w*|apologis\w*|colours?|coloured|favour\w*|centre\w*|"
    r"behaviour\w*|neighbour\w*|labour\w*|theatre\w*|travelling|travelled|harbour\w*)\b",
    re.I,
)


def missing_serial_comma(text):
    """A list 'a, b and c' written without the comma before the final and/or."""
    for sent in sentences(text):
        for clause in re.split(r"[;:]", sent):
            if re.search(r",\s+[^,]+?\s+(and|or)\s+\w", clause) and clause.count(",") >= 1:
                # a comma followed later by a bare 'and'/'or' with no comma directly before it
                for m in re.finditer(r"\s(and|or)\s", clause):
                    if clause[: m.start()].count(",") >= 1 and not clause[: m.start()].endswith(
                        ","
                    ):
                        return True
    return False


def has_serial_comma(text):
    return bool(re.search(r",\s+(and|or)\s", text))


IMPERIAL = re.compile(
    r"\b(miles?|mph|feet|foot|ft|inch(es)?|yards?|pounds?|lbs?|ounces?|oz|cups?)\b|°\s*F\b|Fahrenheit",
    re.I,
)
METRIC = re.compile(
    r"\b(km|kilomet\w+|metres?|meters?|m|cm|mm|g|kg|grams?|ml|litres?|km/h)\b|°\s*C\b|Celsius", re.I
)


def big_numbers(text):
    """Numbers of 1000 and more written in digits, skipping years (1900-2099 standing alone)."""
    out = []
    for m in re.finditer(r"(?<![\d,.])\d[\d,]*(?![\d,]*\d)", text):
        tok = m.group(0).rstrip(",")
        digits = tok.replace(",", "")
        if len(digits) < 4:
            continue
        if "," not in tok and len(digits) == 4 and 1900 <= int(digits) <= 2099:
            before = text[max(0, m.start() - 12) : m.start()].lower()
            if re.search(r"(in|spring|summer|autumn|winter|since|by|of)\s+$", before):
                continue
        out.append(tok)
    return out


def citations_ok(text, need_heading=False, first_appearance_order=False):
    paras = paragraphs(text)
    body = paras[0]
    cited = [int(n) for n in re.findall(r"\[(\d+)\]", body)]
    if not cited:
        return False
    rest = "\n".join(paras[1:])
    if need_heading and not re.search(r"^\s*(#+\s*)?References\s*$", rest, re.M):
        return False
    listed = {int(n) for n in re.findall(r"^\s*\[?(\d+)[\].]\s", rest, re.M)}
    if not set(cited) <= listed:
        return False
    if first_appearance_order:
        order = []
        for n in cited:
            if n not in order:
                order.append(n)
        if order != list(range(1, len(order) + 1)):
            return False
    return True


def qa_pairs(text):
    """Number of Q:/A: pairs when every line is a Q: or A: line alternating from Q; else None."""
    ls = lines(text)
    if not ls or len(ls) % 2:
        return None
    for k, ln in enumerate(ls):
        want = "Q:" if k % 2 == 0 else "A:"
        if not ln.startswith(want):
            return None
    return len(ls) // 2


def checkbox_items(text, prefix_dash):
    ls = lines(text)
    pat = r"^- \[ \] \S" if prefix_dash else r"^(- )?\[ \] \S"
    return len(ls) if all(re.match(pat, ln) for ln in ls) else None


def first_last_line_equal(text):
    """The last line repeats the first word for word (line-end punctuation and the capital
    letter of a line may differ, as they do in verse)."""
    ls = [ln.strip().rstrip(".,;:!?").lower() for ln in lines(text)]
    return len(ls) > 1 and ls[0] == ls[-1]


def section_order(text, names):
    found = []
    for ln in text.splitlines():
        s = ln.strip()
        m = re.match(r"^(?:#{1,6}\s*)?(?:\*\*)?([A-Za-z ]+?)(?:\*\*)?:?$", s)
        if m and m.group(1).strip().lower() in [n.lower() for n in names]:
            found.append(m.group(1).strip().lower())
    return found == [n.lower() for n in names]


def has_markdown(text):
    pats = [
        r"\*\*[^*]+\*\*",
        r"__[^_]+__",
        r"(?<!\w)\*[^*\s][^*]*\*(?!\w)",
        r"^\s*#{1,6}\s",
        r"^\s*([-*+\u2022]|\d+[.)])\s",
        r"`",
        r"\[[^\]]+\]\([^)]+\)",
        r"^\s*\|",
    ]
    return any(re.search(p, text, re.M) for p in pats)


def comma_items(text):
    """Items of a one-line comma-separated answer, or None when it is not one line."""
    ls = lines(text)
    if len(ls) != 1:
        return None
    return [x.strip() for x in ls[0].split(",") if x.strip()]


def stanzas(text):
    return [len(lines(p)) for p in paragraphs(text)]


def func_defs(src):
    return [
        n
        for n in ast.walk(ast.parse(src))
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]


def fully_annotated(fn):
    args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
    args = [a for a in args if a.arg not in ("self", "cls")]
    return fn.returns is not None and all(a.annotation is not None for a in args)


def any_annotation(fn):
    args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
    return fn.returns is not None or any(a.annotation is not None for a in args)


SQL_KEYWORDS = [
    "select",
    "from",
    "where",
    "and",
    "or",
    "not",
    "exists",
    "group by",
    "order by",
    "join",
    "left join",
    "on",
    "as",
    "limit",
    "desc",
    "asc",
    "is",
    "null",
    "in",
    "having",
]


def sql_keyword_tokens(sql):
    sql = re.sub(r"'[^']*'", "''", sql)
    sql = re.sub(r"--.*", "", sql)
    re.findall(r"\b[A-Za-z_]+\b", sql)
    singles = {k for k in SQL_KEYWORDS if " " not in k} | {"group", "by", "order", "left"}
    # a word preceded by '.' is a column, not a keyword
    out = []
    for m in re.finditer(r"(?<![.\w])([A-Za-z_]+)\b", sql):
        if m.group(1).lower() in singles:
            out.append(m.group(1))
    return out


def bullets(text):
    return [
        re.sub(r"^\s*[-*\u2022]\s+", "", ln)
        for ln in text.splitlines()
        if re.match(r"^\s*[-*\u2022]\s", ln)
    ]


def sentence_count(s):
    return len([p for p in re.split(r"(?<=[.!?])\s+", s.strip()) if p.strip()])


# ---------------------------------------------------------------- items


@check("r001")
def _(t):
    return no_first_person(t)


@check("r002")
def _(t):
    return no_first_person(t)


@check("r003")
def _(t):
    return no_first_person(t)


@check("r004")
def _(t):
    return no_second_person(t)


@check("r005")
def _(t):
    return no_second_person(t)


@check("r006")
def _(t):
    return no_second_person(t)


@check("r007")
def _(t):
    return no_contractions(t)


@check("r008")
def _(t):
    return no_contractions(t)


@check("r009")
def _(t):
    return no_contractions(t)


@check("r010")
def _(t):
    return count_bang(t) <= 1


@check("r011")
def _(t):
    return count_bang(t) <= 2


@check("r012")
def _(t):
    return count_bang(t) == 1 and t.rstrip().endswith("!")


@check("r013")
def _(t):
    return all_headings_questions(t)


@check("r014")
def _(t):
    return all_headings_questions(t)


@check("r015")
def _(t):
    return all_headings_questions(t)


@check("r016")
def _(t):
    return "dark mode" in first_sentence(t).lower()


@check("r017")
def _(t):
    return re.search(r"\bSaturday\b", first_sentence(t)) is not None


@check("r018")
def _(t):
    return "urban heat island" in first_sentence(t).lower()


@check("r019")
def _(t):
    found = set(re.findall(r"\b[A-Z]{2,6}\b", t))
    known = {
        "API": "application programming interface",
        "HTTPS": "Hypertext Transfer Protocol Secure",
        "JSON": "JavaScript Object Notation",
    }
    return found <= set(known) and acronyms_expanded(t, known)


@check("r020")
def _(t):
    found = set(re.findall(r"\b[A-Z]{2,6}\b", t))
    known = {"HR": "Human Resources", "IT": "Information Technology"}
    return found <= set(known) and acronyms_expanded(t, known)


@check("r021")
def _(t):
    return acronyms_expanded(t, {"GDPR": "General Data Protection Regulation"})


@check("r022")
def _(t):
    return all_dash(t) and len(list_lines(t)) == len(lines(t))


@check("r023")
def _(t):
    return all_dash(t)


@check("r024")
def _(t):
    return all_dash(t) and len(list_lines(t)) == 5 and len(lines(t)) == 5


@check("r025")
def _(t):
    return step_labels(t)


@check("r026")
def _(t):
    return step_labels(t)


@check("r027")
def _(t):
    return step_labels(t, 4)


@check("r028")
def _(t):
    return max_paragraph_words(t) < 50


@check("r029")
def _(t):
    return max_paragraph_words(t) <= 60


@check("r030")
def _(t):
    return max_paragraph_words(t) <= 40


@check("r031")
def _(t):
    return not US_SPELLINGS.search(t)


@check("r032")
def _(t):
    return not UK_SPELLINGS.search(t)


@check("r033")
def _(t):
    return not US_SPELLINGS.search(t)


@check("r034")
def _(t):
    return not missing_serial_comma(t)


@check("r035")
def _(t):
    return not missing_serial_comma(t)


@check("r036")
def _(t):
    return not has_serial_comma(t)


@check("r037")
def _(t):
    return not IMPERIAL.search(t)


@check("r038")
def _(t):
    return not IMPERIAL.search(t) and not re.search(r"\b\d+ \d/\d\b", t)


@check("r039")
def _(t):
    temps_ok = not re.search(r"°\s*C\b|Celsius", t) and re.search(r"Fahrenheit|°\s*F\b", t)
    wind_ok = not re.search(r"km/h|kilomet|metres per second|m/s", t) and re.search(
        r"miles per hour|mph", t
    )
    return bool(temps_ok and wind_ok)


@check("r040")
def _(t):
    pcts = re.findall(r"(\d+(?:\.\d+)?)%", t)
    return bool(pcts) and all(re.fullmatch(r"\d+\.\d", p) for p in pcts)


@check("r041")
def _(t):
    if re.search(r"\bminutes?\b", t):
        return False
    times = re.findall(r"(\d+(?:\.\d+)?) hours", t)
    return len(times) == 3 and all(re.fullmatch(r"\d+\.\d\d", x) for x in times)


@check("r042")
def _(t):
    rates = re.findall(r":\s*(\d+(?:\.\d+)?)", t)
    return len(rates) == 3 and all(re.fullmatch(r"\d+\.\d{4}", r) for r in rates)


@check("r043")
def _(t):
    return all("," in n for n in big_numbers(t))


@check("r044")
def _(t):
    return all("," in n for n in big_numbers(t))


@check("r045")
def _(t):
    return not re.search(r"\d,\d{3}", t)


@check("r046")
def _(t):
    return citations_ok(t)


@check("r047")
def _(t):
    return citations_ok(t, first_appearance_order=True)


@check("r048")
def _(t):
    return citations_ok(t, need_heading=True)


@check("r049")
def _(t):
    return (qa_pairs(t) or 0) >= 1


@check("r050")
def _(t):
    return qa_pairs(t) == 3


@check("r051")
def _(t):
    return qa_pairs(t) == 4


@check("r052")
def _(t):
    return (checkbox_items(t, prefix_dash=True) or 0) >= 1


@check("r053")
def _(t):
    return (checkbox_items(t, prefix_dash=False) or 0) >= 1


@check("r054")
def _(t):
    return checkbox_items(t, prefix_dash=True) == 6


@check("r055")
def _(t):
    return first_last_line_equal(t)


@check("r056")
def _(t):
    ss = sentences(t)
    first = ss[0].strip().lower()
    last = ss[-1].strip().lower()
    return len(ss) > 1 and last == first


@check("r057")
def _(t):
    return first_last_line_equal(t)


@check("r058")
def _(t):
    return section_order(t, ["Summary", "Steps to Reproduce", "Expected", "Actual"])


@check("r059")
def _(t):
    return section_order(t, ["Ingredients", "Method", "Notes"])


@check("r060")
def _(t):
    return section_order(t, ["Done", "Next", "Blockers"])


@check("r061")
def _(t):
    return not has_markdown(t)


@check("r062")
def _(t):
    return not has_markdown(t)


@check("r063")
def _(t):
    return not has_markdown(t)


@check("r064")
def _(t):
    items = comma_items(t)
    return items is not None and len(items) == 5


@check("r065")
def _(t):
    items = comma_items(t)
    return items is not None and 1 <= len(items) <= 8


@check("r066")
def _(t):
    items = comma_items(t)
    # nothing else: every item a bare name of a fruit (at most three words, no full stop)
    return items is not None and all(len(x.split()) <= 3 and "." not in x for x in items)


@check("r067")
def _(t):
    return stanzas(t) == [4, 4, 4]


@check("r068")
def _(t):
    return stanzas(t) == [2, 2]


@check("r069")
def _(t):
    return stanzas(t) == [3, 3, 3, 3]


@check("r070")
def _(t):
    return not re.search(
        r"\be\.g\.|\bi\.e\.|\betc\.|\bRSVP\b|\b[ap]\.m\.|\b\d+\s*[ap]m\b|\bMr\.?\s|\bDr\.?\s", t
    )


@check("r071")
def _(t):
    return not re.search(r"\bASAP\b|\bFYI\b|\betc\b|\be\.g\.|\bi\.e\.", t)


@check("r072")
def _(t):
    return not re.search(r"\bSt\b\.?|\bRd\b\.?|\bmins?\b|\b[ap]\.m\.|\b\d+\s*[ap]m\b", t)


@check("r073")
def _(t):
    return any(f.name == "is_palindrome" for f in func_defs(code(t)))


@check("r074")
def _(t):
    c = code(t)
    return bool(
        re.search(r"function\s+celsiusToFahrenheit\s*\(\s*celsius\s*\)", c)
        or re.search(
            r"(const|let|var)\s+celsiusToFahrenheit\s*=\s*(\(\s*celsius\s*\)|celsius)\s*=>", c
        )
    )


@check("r075")
def _(t):
    return any(
        isinstance(n, ast.ClassDef) and n.name == "BankAccount"
        for n in ast.walk(ast.parse(code(t)))
    )


@check("r076")
def _(t):
    return "#" not in code(t)


@check("r077")
def _(t):
    ls = code(t).splitlines()
    defs = [k for k, ln in enumerate(ls) if ln.startswith("def ")]
    return bool(defs) and all(k > 0 and ls[k - 1].lstrip().startswith("#") for k in defs)


@check("r078")
def _(t):
    return len(re.findall(r"^\s*--|\s--\s", code(t), re.M)) >= 2


@check("r079")
def _(t):
    fns = func_defs(code(t))
    return bool(fns) and all(fully_annotated(f) for f in fns)


@check("r080")
def _(t):
    fns = func_defs(code(t))
    return bool(fns) and all(fully_annotated(f) for f in fns)


@check("r081")
def _(t):
    return not any(any_annotation(f) for f in func_defs(code(t)))


@check("r082")
def _(t):
    toks = sql_keyword_tokens(code(t))
    return bool(toks) and all(k.isupper() for k in toks)


@check("r083")
def _(t):
    toks = sql_keyword_tokens(code(t))
    return bool(toks) and all(k.islower() for k in toks)


@check("r084")
def _(t):
    c = code(t)
    toks = sql_keyword_tokens(c)
    cols = re.findall(r"\.([A-Za-z_]+)", c)
    return bool(toks) and all(k.isupper() for k in toks) and all(x.islower() for x in cols)


@check("r085")
def _(t):
    bs = bullets(t)
    return bool(bs) and all(sentence_count(b) == 1 for b in bs)


@check("r086")
def _(t):
    bs = bullets(t)
    return len(bs) == 5 and all(sentence_count(b) == 1 for b in bs)


@check("r087")
def _(t):
    bs = bullets(t)
    return bool(bs) and all(sentence_count(b) <= 1 for b in bs)


def phones(t):
    return re.findall(r"[+(]?\d[\d ()\-]{7,}\d", t)


@check("r088")
def _(t):
    ps = phones(t)
    return bool(ps) and all(re.fullmatch(r"\+44[\d ]+", p) for p in ps)


@check("r089")
def _(t):
    ps = phones(t)
    return bool(ps) and all(re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", p) for p in ps)


@check("r090")
def _(t):
    ps = phones(t)
    return bool(ps) and all(re.fullmatch(r"\d+", p) for p in ps)


# ---------------------------------------------------------------- main


def main():
    items = [
        json.loads(ln)
        for ln in (HERE / "requirements.jsonl").read_text().splitlines()
        if ln.strip()
    ]
    bad = 0
    checked = 0
    for item in items:
        if item["kind"] != "mechanical":
            continue
        fn = CHECKS.get(item["id"])
        if fn is None:
            print(f"{item['id']}: no check")
            bad += 1
            continue
        for k, ans in enumerate(item["answers"]):
            verdict = bool(fn(ans["text"]))
            checked += 1
            if verdict != ans["passes"]:
                bad += 1
                print(f"{item['id']} answer {k}: label {ans['passes']}, check {verdict}")
    mech = sum(1 for i in items if i["kind"] == "mechanical")
    print(f"{mech} mechanical items, {checked} labelled answers checked, {bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
