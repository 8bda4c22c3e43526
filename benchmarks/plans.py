"""Plan-and-execute against a ReAct loop and a single call, on questions that need 2 to 4
tool calls (several independent), over offline tools with heavy-tailed latency.

Data and tools ship with the benchmark: `benchmarks/data/country_facts.json` (24
countries: capital, continent, population, area, GDP, life expectancy) behind a
`country_facts(country, field)` tool, and a `calculator(expression)` tool. 48 questions
come from 8 templates in the spirit of LLMCompiler's ParallQA (look facts up, compute
with them, compare): e.g. "What is the combined population of France and Japan, in
millions?" (two independent look-ups, then a sum). Every gold answer is computed from
the table. Each tool call sleeps a latency drawn from a log-normal distribution
(median 0.3 s, sigma 1.0: p90 about 1.1 s, p99 about 3 s), seeded by the call itself
so that the same call takes the same time in every arm.

Arms, on the same model and tools:
- ``single``: one call, no tools (the model answers from what it knows);
- ``react``: a ReAct loop written here: each turn the model writes a thought and one
  tool call (or the answer) as grammar-constrained JSON, sees the observation, and
  goes on (at most 8 turns);
- ``plan``: ``cadenza.solve(question, [], tools=[...])``: the model writes a plan, the
  engine runs it (independent calls at once), a joiner answers.

Scoring: exact match after normalisation: for numeric answers the last number in the
answer must equal the gold number; for choices (which country, yes/no, which capital)
the first option the answer names must be the gold one.

Providers:
- ``--model scripted`` (default) simulates a hosted model, and says what it assumes:
  a call takes 0.3 s + 0.3 ms per input token to its first token, then 15 ms per output
  token (streamed: a caller that reads the stream sees the text arrive), times a
  log-normal jitter (sigma 0.25); a token is 4 characters; up to 8 calls at once.
  The simulated model knows the question's gold program: in ``react`` it makes the
  program's calls one per turn with a one-line thought, in ``plan`` it writes the same
  calls as a plan (each with a short reason, and with an answer template when the last
  call's output is the answer, as the plan prompt invites), and both finish with the
  gold answer; in ``single`` it knows no facts (it names the first option of a choice
  and no number). Asked yes or no whether an answer does what the question asks
  (``solve``'s judge: a tool's output given as the answer is always judged), it says
  yes, with P(yes) 0.95, when the answer holds the gold answer, and no (0.05)
  otherwise, as a capable hosted judge would. So on the scripted
  provider only latency, tokens and calls are comparisons (accuracy is by construction);
  the same calls are made in both tool arms, with the same tool latencies.
- ``--model local:qwen2.5-coder-1.5b`` (or any model id): real calls. Run it under the
  CPU lock, in chunks; results are appended to ``--out`` and a re-run skips what is
  there::

      flock /tmp/cadenza-cpu.lock .venv/bin/python benchmarks/plans.py \\
          --model local:qwen2.5-coder-1.5b --out plans-local.jsonl --questions 0:16 --json

Printed: accuracy, median and p90 latency, tokens, model calls and tool calls per
question for each arm, and the plan/react ratios. ``--json`` prints one object with
``{"arms": {"single": {...}, "react": {...}, "plan": {...}}, "ratios": {...}}``.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import operator
import random
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

import anyio

from cadenza.api import solve
from cadenza.providers.base import CompletionRequest, Message, Model
from cadenza.providers.registry import resolve
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.settings import Settings
from cadenza.tools.python import PythonTool
from judge_calibration import git_commit

DATA = Path(__file__).with_name("data") / "country_facts.json"
TABLE: dict[str, dict[str, Any]] = json.loads(DATA.read_text())["countries"]
Field = Literal["capital", "continent", "population", "area", "gdp", "life_expectancy"]
FIELDS = ("capital", "continent", "population", "area", "gdp", "life_expectancy")
ARMS = ("single", "react", "plan")
REACT_TURNS = 8


# ---------------------------------------------------------------------- questions


@dataclass(frozen=True)
class Call:
    tool: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    gold: str
    kind: Literal["number", "choice"]
    choices: tuple[str, ...]
    program: tuple[Call, ...]  # the calls that answer it ($N: the Nth call's result)


def facts(country: str, field: str) -> Call:
    return Call("country_facts", {"country": country, "field": field})


def make_questions(seed: int = 0, per_template: int = 6) -> list[Question]:
    rng = random.Random(seed)
    names = sorted(TABLE)
    out: list[Question] = []

    def pick(k: int, distinct_by: str | None = None) -> list[str]:
        while True:
            chosen = rng.sample(names, k)
            if distinct_by is None or len({TABLE[c][distinct_by] for c in chosen}) == k:
                return chosen

    for n in range(per_template):
        a, b = pick(2)
        out.append(
            Question(
                f"sum-pop-{n}",
                f"What is the combined population of {a} and {b}, in millions? Answer with just "
                "the number.",
                str(TABLE[a]["population"] + TABLE[b]["population"]),
                "number",
                (),
                (
                    facts(a, "population"),
                    facts(b, "population"),
                    Call("calculator", {"expression": "$1 + $2"}),
                ),
            )
        )
        a, b = sorted(pick(2, "area"), key=lambda c: -TABLE[c]["area"])
        out.append(
            Question(
                f"area-gap-{n}",
                f"By how many thousand square kilometres is the area of {a} larger than the area "
                f"of {b}? Answer with just the number.",
                str(TABLE[a]["area"] - TABLE[b]["area"]),
                "number",
                (),
                (facts(a, "area"), facts(b, "area"), Call("calculator", {"expression": "$1 - $2"})),
            )
        )
        a, b = pick(2, "population")
        bigger = max((a, b), key=lambda c: TABLE[c]["population"])
        out.append(
            Question(
                f"more-people-{n}",
                f"Which country has the larger population, {a} or {b}? Answer with just the "
                "country name.",
                bigger,
                "choice",
                (a, b),
                (facts(a, "population"), facts(b, "population")),
            )
        )
        a, b = pick(2, "gdp")
        richer = max((a, b), key=lambda c: TABLE[c]["gdp"])
        out.append(
            Question(
                f"richer-capital-{n}",
                f"What is the capital of whichever of {a} and {b} has the larger GDP? Answer with "
                "just the city name.",
                TABLE[richer]["capital"],
                "choice",
                (TABLE[a]["capital"], TABLE[b]["capital"]),
                (facts(a, "gdp"), facts(b, "gdp"), facts(a, "capital"), facts(b, "capital")),
            )
        )
        a, b, c = pick(3)
        out.append(
            Question(
                f"total-area-{n}",
                f"What is the total area of {a}, {b} and {c}, in thousand square kilometres? "
                "Answer with just the number.",
                str(TABLE[a]["area"] + TABLE[b]["area"] + TABLE[c]["area"]),
                "number",
                (),
                (
                    facts(a, "area"),
                    facts(b, "area"),
                    facts(c, "area"),
                    Call("calculator", {"expression": "$1 + $2 + $3"}),
                ),
            )
        )
        (a,) = pick(1)
        out.append(
            Question(
                f"gdp-per-person-{n}",
                f"What is the GDP per person of {a} in thousand US dollars, that is its GDP in "
                "billions divided by its population in millions, rounded to the nearest whole "
                "number? Answer with just the number.",
                str(round(TABLE[a]["gdp"] / TABLE[a]["population"])),
                "number",
                (),
                (
                    facts(a, "gdp"),
                    facts(a, "population"),
                    Call("calculator", {"expression": "round($1 / $2)"}),
                ),
            )
        )
        a, b = pick(2)
        same = TABLE[a]["continent"] == TABLE[b]["continent"]
        if n % 2 == 0 and not same:  # half the pairs share a continent
            b = rng.choice(
                [c for c in names if c != a and TABLE[c]["continent"] == TABLE[a]["continent"]]
            )
            same = True
        out.append(
            Question(
                f"same-continent-{n}",
                f"Are {a} and {b} on the same continent? Answer with just yes or no.",
                "yes" if same else "no",
                "choice",
                ("yes", "no"),
                (facts(a, "continent"), facts(b, "continent")),
            )
        )
        a, b = sorted(pick(2, "life_expectancy"), key=lambda c: -TABLE[c]["life_expectancy"])
        out.append(
            Question(
                f"life-gap-{n}",
                f"How many years longer is life expectancy in {a} than in {b}? Answer with just "
                "the number.",
                str(TABLE[a]["life_expectancy"] - TABLE[b]["life_expectancy"]),
                "number",
                (),
                (
                    facts(a, "life_expectancy"),
                    facts(b, "life_expectancy"),
                    Call("calculator", {"expression": "$1 - $2"}),
                ),
            )
        )
    return out


def correct(question: Question, answer: str) -> bool:
    """Exact match after normalisation (see the module docstring)."""
    text = answer.lower().replace(",", "")
    if question.kind == "number":
        numbers = re.findall(r"-?\d+(?:\.\d+)?", text)
        return bool(numbers) and float(numbers[-1]) == float(question.gold)
    found = [
        (match.start(), option)
        for option in question.choices
        for match in [re.search(rf"\b{re.escape(option.lower())}\b", text)]
        if match
    ]
    return bool(found) and min(found)[1] == question.gold


# ---------------------------------------------------------------------- tools


def tool_latency(tool: str, args: dict[str, Any], scale: float, seed: int) -> float:
    key = json.dumps([seed, tool, args], sort_keys=True).encode()
    rng = random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))
    return scale * 0.3 * rng.lognormvariate(0.0, 1.0)


_OPS: dict[type, Callable[..., Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


_FUNCTIONS: dict[str, Callable[..., Any]] = {"round": round, "abs": abs, "max": max, "min": min}


def calculate(expression: str) -> float | int:
    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.operand))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS
            and not node.keywords
        ):
            return _FUNCTIONS[node.func.id](*[ev(a) for a in node.args])
        raise ValueError(
            f"cannot compute {ast.unparse(node)!r}: use numbers, + - * /, round, abs, max, min"
        )

    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", expression)  # 1,200 -> 1200; max(3, 4) stays
    value = ev(ast.parse(plain, mode="eval").body)
    return int(value) if float(value).is_integer() else round(value, 6)


def make_tools(scale: float, seed: int, counter: list[int]) -> list[Callable[..., Awaitable[Any]]]:
    async def country_facts(country: str, field: Field) -> object:
        """Look up one fact about a country: its capital, continent, population (in
        millions), area (in thousand square kilometres), gdp (in billion US dollars) or
        life_expectancy (in years)."""
        counter[0] += 1
        await anyio.sleep(
            tool_latency("country_facts", {"country": country, "field": field}, scale, seed)
        )
        row = TABLE.get(country.strip())
        if row is None:
            raise ValueError(f"unknown country {country!r}; known: {', '.join(sorted(TABLE))}")
        return row[field]

    async def calculator(expression: str) -> object:
        """Compute an arithmetic expression with numbers, + - * / and round(), abs(),
        max(), min(), e.g. "round(3031 / 68)"."""
        counter[0] += 1
        await anyio.sleep(tool_latency("calculator", {"expression": expression}, scale, seed))
        return calculate(expression)

    return [country_facts, calculator]


# ---------------------------------------------------------------------- the arms


@dataclass
class Outcome:
    provider: str
    arm: str
    qid: str
    answer: str
    correct: bool
    latency_s: float
    tokens: int
    calls: int
    tool_calls: int
    commit: str = ""  # the code that measured it: a re-run resumes only its own commit's rows


async def run_single(model: Model, q: Question) -> tuple[str, int, int, int]:
    request = CompletionRequest(
        messages=(
            Message(
                "system", "Answer the question from what you know. Reply with only the answer."
            ),
            Message("user", q.text),
        ),
        temperature=0.0,
        max_tokens=32,
    )
    completion = await model.complete(request)
    return completion.text.strip(), completion.usage.total_tokens, 1, 0


REACT_SYSTEM = (
    "Answer the question by calling tools, one call per turn. Tools:\n{tools}\n"
    'Each turn reply with JSON only: {{"thought": "one short sentence", "tool": "<tool name>", '
    '"args": {{...}}}} to call a tool (you will then see its result), or {{"thought": "...", '
    '"tool": "finish", "answer": "<the answer>"}} once the results give you the answer.\n'
    "Look every fact up with a tool: never write a value you have not looked up, and finish "
    "only when the tools have given you everything the question needs.\n"
    'Example, with other tools (get_price(item), add(a, b)), for "What do a pen and a book '
    'cost together?": {{"thought": "I need the price of the pen", "tool": "get_price", '
    '"args": {{"item": "pen"}}}}, then after its result {{"thought": "now the book", "tool": '
    '"get_price", "args": {{"item": "book"}}}}, then {{"thought": "add them", "tool": "add", '
    '"args": {{"a": 2, "b": 12}}}}, then {{"thought": "done", "tool": "finish", "answer": "14"}}.'
)


def react_schema(tools: Sequence[PythonTool]) -> dict[str, Any]:
    variants: list[dict[str, Any]] = [
        {
            "type": "object",
            "properties": {
                "thought": {"type": "string"},
                "tool": {"const": t.name},
                "args": dict(t.parameters),
            },
            "required": ["thought", "tool", "args"],
            "additionalProperties": False,
        }
        for t in tools
    ]
    variants.append(
        {
            "type": "object",
            "properties": {
                "thought": {"type": "string"},
                "tool": {"const": "finish"},
                "answer": {"type": "string"},
            },
            "required": ["thought", "tool", "answer"],
            "additionalProperties": False,
        }
    )
    return {"anyOf": variants}


async def run_react(
    model: Model, q: Question, tools: Sequence[PythonTool]
) -> tuple[str, int, int, int]:
    by_name = {t.name: t for t in tools}
    described = "\n".join(
        f"- {t.name}({', '.join(t.parameters['properties'])}): {' '.join(t.description.split())}"
        for t in tools
    )
    messages = [Message("system", REACT_SYSTEM.format(tools=described)), Message("user", q.text)]
    schema = react_schema(tools)
    tokens = calls = tool_calls = 0
    for _ in range(REACT_TURNS):
        request = CompletionRequest(
            tuple(messages), temperature=0.0, max_tokens=160, json_schema=schema
        )
        completion = await model.complete(request)
        tokens += completion.usage.total_tokens
        calls += 1
        messages.append(Message("assistant", completion.text))
        try:
            step = json.loads(completion.text)
        except json.JSONDecodeError:
            messages.append(
                Message("user", "Observation: that was not JSON; reply with the JSON object only.")
            )
            continue
        if step.get("tool") == "finish":
            return str(step.get("answer", "")).strip(), tokens, calls, tool_calls
        tool = by_name.get(str(step.get("tool")))
        if tool is None:
            observation = f"error: no tool {step.get('tool')!r}"
        else:
            tool_calls += 1
            try:
                observation = json.dumps(await tool.call(step.get("args") or {}))
            except Exception as exc:
                observation = f"error: {exc}"
        messages.append(Message("user", f"Observation: {observation}"))
    return "", tokens, calls, tool_calls


async def run_plan(
    model: Model, q: Question, tools: Sequence[PythonTool]
) -> tuple[str, int, int, int]:
    result = await solve(
        q.text,
        [],
        models=[model],
        tools=list(tools),
        budget={"calls": 40, "tokens": 64_000},
        settings=Settings.load(),
        options={"max_steps": 6},
        cache=False,
    )
    tool_calls = result.plan.tool_calls if result.plan else 0
    return result.text.strip(), result.usage.total_tokens, result.calls, tool_calls


# ---------------------------------------------------------------------- the scripted model


def scripted_model(questions: Sequence[Question], scale: float, seed: int) -> ScriptedModel:
    """A simulated hosted model (assumptions in the module docstring)."""
    by_text = {q.text: q for q in questions}

    def question_of(request: CompletionRequest) -> Question:
        for message in request.messages:
            for text, q in by_text.items():
                if text in message.content:
                    return q
        raise KeyError("no benchmark question in the request")

    def timed(request: CompletionRequest, text: str) -> Reply:
        tokens_in = sum(count_tokens(m.content) for m in request.messages)
        tokens_out = count_tokens(text)
        key = hashlib.sha256(f"{seed}{request.messages}{text}".encode()).digest()
        jitter = random.Random(int.from_bytes(key[:8], "big")).lognormvariate(0.0, 0.25)
        first = 0.3 + 0.0003 * tokens_in
        seconds = first + 0.015 * tokens_out
        return Reply(text, latency_s=scale * seconds * jitter, first_token_s=scale * first * jitter)

    def script(request: CompletionRequest, index: int) -> Reply:
        first = request.messages[0].content
        q = question_of(request)
        if first.startswith("You plan how"):
            steps = [
                {"id": i, "tool": c.tool, "args": c.args, "reason": f"get value {i}"}
                for i, c in enumerate(q.program, start=1)
            ]
            plan: dict[str, Any] = {"steps": steps}
            if q.kind == "number":  # the last call's output is the answer
                plan["answer"] = f"${len(steps)}"
            return timed(request, json.dumps(plan))
        if first.startswith("You write the final answer"):
            return timed(request, json.dumps({"answer": q.gold}))
        if first.startswith("Answer the question by calling tools"):
            seen = [m.content for m in request.messages if m.content.startswith("Observation: ")]
            if len(seen) < len(q.program):
                call = q.program[len(seen)]
                values = [o.removeprefix("Observation: ").strip('"') for o in seen]
                args = {
                    k: re.sub(r"\$(\d+)", lambda m: values[int(m.group(1)) - 1], v)
                    if isinstance(v, str)
                    else v
                    for k, v in call.args.items()
                }
                thought = f"I need {call.tool} for step {len(seen) + 1} of {len(q.program)}."
                return timed(
                    request, json.dumps({"thought": thought, "tool": call.tool, "args": args})
                )
            return timed(
                request,
                json.dumps(
                    {"thought": "I have everything I need.", "tool": "finish", "answer": q.gold}
                ),
            )
        if request.choices:  # the judge: does the answer (after "They wrote:") hold it?
            written = request.messages[-1].content.rpartition("They wrote:")[2]
            p_yes = 0.95 if str(q.gold).casefold() in written.casefold() else 0.05
            reply = timed(request, "yes" if p_yes > 0.5 else "no")
            return replace(reply, choice_probs={"yes": p_yes, "no": 1 - p_yes})
        guess = q.choices[0] if q.kind == "choice" else "I do not know."
        return timed(request, guess)

    return ScriptedModel(
        script, name="scripted:hosted-like", max_concurrency=8, seed=seed, count_tokens=count_tokens
    )


def count_tokens(text: str) -> int:
    """About 4 characters a token, as hosted models' tokenizers give on English and JSON."""
    return max(1, math.ceil(len(text) / 4)) if text else 0


# ---------------------------------------------------------------------- running


async def run_one(
    provider: str, model: Model, arm: str, q: Question, scale: float, seed: int
) -> Outcome:
    counter = [0]
    tools = [PythonTool(fn) for fn in make_tools(scale, seed, counter)]
    started = time.monotonic()
    if arm == "single":
        answer, tokens, calls, _ = await run_single(model, q)
    elif arm == "react":
        answer, tokens, calls, _ = await run_react(model, q, tools)
    else:
        answer, tokens, calls, _ = await run_plan(model, q, tools)
    wall = time.monotonic() - started
    return Outcome(provider, arm, q.id, answer, correct(q, answer), wall, tokens, calls, counter[0])


def summary(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    arms: dict[str, Any] = {}
    for arm in ARMS:
        rows = [o for o in outcomes if o.arm == arm]
        if not rows:
            continue
        lat = sorted(o.latency_s for o in rows)
        arms[arm] = {
            "questions": len(rows),
            "accuracy": sum(o.correct for o in rows) / len(rows),
            "latency_median_s": statistics.median(lat),
            "latency_p90_s": lat[min(len(lat) - 1, math.ceil(0.9 * len(lat)) - 1)],
            "tokens_per_question": statistics.fmean(o.tokens for o in rows),
            "calls_per_question": statistics.fmean(o.calls for o in rows),
            "tool_calls_per_question": statistics.fmean(o.tool_calls for o in rows),
        }
    ratios: dict[str, float] = {}
    if "plan" in arms and "react" in arms:
        plan, react = arms["plan"], arms["react"]
        ratios["plan_over_react_latency_median"] = (
            plan["latency_median_s"] / react["latency_median_s"]
        )
        ratios["plan_over_react_tokens"] = (
            plan["tokens_per_question"] / react["tokens_per_question"]
        )
        ratios["plan_minus_react_accuracy"] = plan["accuracy"] - react["accuracy"]
    if "plan" in arms and "single" in arms:
        ratios["plan_minus_single_accuracy"] = arms["plan"]["accuracy"] - arms["single"]["accuracy"]
    return {"arms": arms, "ratios": ratios}


def load(path: Path | None, provider: str, commit: str) -> list[Outcome]:
    """The rows of `path` this run can reuse: the same provider, measured at the same
    commit (a figure regenerated at HEAD is measured at HEAD, not carried over)."""
    if path is None or not path.exists():
        return []
    rows = [Outcome(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in rows if r.provider == provider and r.commit == commit]


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    questions = make_questions(args.seed)
    start, _, stop = args.questions.partition(":")
    chosen = questions[int(start or 0) : int(stop) if stop else None]
    arms = [a for a in args.arms.split(",") if a]
    scripted = args.model == "scripted"
    scale = args.time_scale
    model: Model = (
        scripted_model(questions, scale, args.seed)
        if scripted
        else resolve(args.model, Settings.load())
    )
    out = Path(args.out) if args.out else None
    commit = git_commit()
    done = load(out, args.model, commit)
    have = {(o.arm, o.qid) for o in done}
    todo = [(arm, q) for q in chosen for arm in arms if (arm, q.id) not in have]
    results = list(done)
    limiter = anyio.CapacityLimiter(args.concurrency if scripted else 1)

    async def one(arm: str, q: Question) -> None:
        async with limiter:
            outcome = replace(
                await run_one(args.model, model, arm, q, scale, args.seed), commit=commit
            )
        results.append(outcome)
        if out is not None:
            with out.open("a") as handle:
                handle.write(json.dumps(asdict(outcome)) + "\n")
        if not args.json:
            mark = "ok " if outcome.correct else "no "
            print(
                f"{mark}{arm:6} {q.id:18} {outcome.latency_s:6.2f}s {outcome.tokens:5d} tok "
                f"{outcome.calls} calls {outcome.tool_calls} tools  {outcome.answer[:60]!r}",
                file=sys.stderr,
            )

    async with anyio.create_task_group() as tg:
        for arm, q in todo:
            tg.start_soon(one, arm, q)
    wanted = {q.id for q in chosen}
    report = summary([r for r in results if r.qid in wanted] if args.only_chosen else results)
    report["model"] = args.model
    report["assumptions"] = (
        "scripted: simulated hosted model (0.3 s + 15 ms/output token + 0.3 ms/input token, "
        "log-normal jitter sigma 0.25, words as tokens, knows each question's gold calls)"
        if scripted
        else "real model calls"
    )
    report["tool_latency"] = f"log-normal, median {0.3 * scale:.2f} s, sigma 1.0"
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="scripted", help="scripted, or a model id")
    parser.add_argument("--arms", default="single,react,plan")
    parser.add_argument("--questions", default=":", help="a slice of the 48, e.g. 0:16")
    parser.add_argument("--out", help="append each result to this JSON-lines file (resumable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="multiply every simulated latency (tools and scripted model)",
    )
    parser.add_argument("--concurrency", type=int, default=8, help="questions at once (scripted)")
    parser.add_argument(
        "--only-chosen",
        action="store_true",
        help="summarise only the --questions slice, not the whole --out file",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = anyio.run(main_async, args)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"model: {report['model']} ({report['assumptions']}); tools: {report['tool_latency']}")
    print(
        f"{'arm':8}{'n':>4}{'accuracy':>10}{'median s':>10}{'p90 s':>8}{'tokens':>9}"
        f"{'calls':>7}{'tools':>7}"
    )
    for arm, row in report["arms"].items():
        print(
            f"{arm:8}{row['questions']:>4}{row['accuracy']:>10.1%}{row['latency_median_s']:>10.2f}"
            f"{row['latency_p90_s']:>8.2f}{row['tokens_per_question']:>9.0f}"
            f"{row['calls_per_question']:>7.2f}{row['tool_calls_per_question']:>7.2f}"
        )
    for name, value in report["ratios"].items():
        print(f"{name}: {value:.3f}")


if __name__ == "__main__":
    main()
