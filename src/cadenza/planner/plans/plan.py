"""A tool plan: a DAG of steps, each a call of one tool (or ``llm``, a sub-task the
model answers), whose arguments may refer to earlier steps' outputs, each with a
one-line reason.

References are written ``$N`` (N is a step's id). An argument that is exactly ``"$N"``
takes step N's value as it is (a number stays a number); ``$N`` inside a longer text
is replaced by step N's output as text. The model writes plans as JSON constrained by
`plan_schema` (each tool's own argument schema, where every argument may also be a
reference; arrays bounded so a small model cannot ramble), parsed by `parse_plan`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cadenza.tools.base import ToolInfo, render_value

LLM = "llm"
"""The pseudo-tool of a sub-task answered by the model."""
LLM_PARAMETERS: Mapping[str, Any] = {
    "type": "object",
    "properties": {"prompt": {"type": "string"}},
    "required": ["prompt"],
    "additionalProperties": False,
}
LLM_INFO = ToolInfo(LLM, "ask the model a sub-question that needs no tool", LLM_PARAMETERS)
REF = re.compile(r"\$(\d+)")
WHOLE_REF = re.compile(r"^\s*\$(\d+)\s*$")
REF_SCHEMA: Mapping[str, Any] = {"type": "string", "pattern": "^[$][0-9]+$"}


@dataclass(frozen=True, slots=True)
class PlanNode:
    """One step. `deps` are the ids its arguments refer to."""

    id: int
    tool: str
    args: Mapping[str, Any]
    reason: str = ""

    @property
    def deps(self) -> tuple[int, ...]:
        return _refs(_strings(self.args))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "tool": self.tool, "args": dict(self.args), "reason": self.reason}

    def call_text(self) -> str:
        """``tool(arg=value, ...)`` for prompts and displays."""
        args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in self.args.items())
        return f"{self.tool}({args})"


@dataclass(frozen=True, slots=True)
class ToolPlan:
    """The steps, and optionally the final `answer` as a template over their outputs
    (``"$3 million"``): when every step succeeds it is filled in with no joiner call."""

    nodes: tuple[PlanNode, ...]
    answer: str | None = None

    @property
    def answer_deps(self) -> tuple[int, ...]:
        return _refs([self.answer or ""])

    def node(self, node_id: int) -> PlanNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"steps": [n.to_json() for n in self.nodes]}
        if self.answer is not None:
            data["answer"] = self.answer
        return data


def _refs(texts: Sequence[str]) -> tuple[int, ...]:
    """The step ids `texts` refer to, each once, in order."""
    return tuple(dict.fromkeys(int(m.group(1)) for text in texts for m in REF.finditer(text)))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


# ------------------------------------------------------------------ the model's schema


def with_refs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A tool's argument schema where each argument may also be a reference."""
    properties = {}
    for name, prop in dict(schema.get("properties") or {}).items():
        if isinstance(prop, Mapping) and prop.get("type") == "string" and "enum" not in prop:
            properties[name] = dict(prop)  # a reference fits in any text already
        else:
            properties[name] = {
                "anyOf": [dict(prop) if isinstance(prop, Mapping) else {}, REF_SCHEMA]
            }
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if schema.get("required"):
        out["required"] = list(schema["required"])
    out["additionalProperties"] = False
    return out


def plan_schema(tools: Sequence[ToolInfo], max_steps: int) -> dict[str, Any]:
    """The JSON schema a plan answer must match: ``{"steps": [...]}``, each step one of
    the tools (its name as a constant, its arguments by its schema)."""
    variants = [
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "tool": {"const": tool.name},
                "args": with_refs(tool.parameters),
                "reason": {"type": "string"},
            },
            "required": ["id", "tool", "args", "reason"],
            "additionalProperties": False,
        }
        for tool in tools
    ]
    item: dict[str, Any] = variants[0] if len(variants) == 1 else {"anyOf": variants}
    return {
        "type": "object",
        "properties": {
            "steps": {"type": "array", "items": item, "maxItems": max_steps},
            "answer": {"type": "string"},
        },
        "required": ["steps"],
        "additionalProperties": False,
    }


def parse_plan(text: str) -> tuple[ToolPlan | None, str]:
    """The plan in a model's answer, or None and why it cannot be read."""
    data = json_object(text)
    if data is None:
        return None, "the answer is not a JSON object"
    steps = data.get("steps")
    if not isinstance(steps, list):
        return None, 'the JSON object has no "steps" list'
    nodes: list[PlanNode] = []
    for n, step in enumerate(steps, start=1):
        node = node_of(step, n)
        if isinstance(node, str):
            return None, node
        nodes.append(node)
    answer = data.get("answer")
    if answer is not None and not isinstance(answer, str):
        return None, '"answer" must be a text (with $N references to step outputs)'
    return ToolPlan(tuple(nodes), answer.strip() if answer and answer.strip() else None), ""


def node_of(step: object, n: int) -> PlanNode | str:
    """Step number `n` of a plan as a node, or why it cannot be read."""
    if not isinstance(step, Mapping):
        return f"step {n} is not an object"
    raw_id = step.get("id", n)
    if isinstance(raw_id, bool) or not isinstance(raw_id, (int, str)):
        return f"step {n} has no integer id"
    try:
        node_id = int(raw_id)
    except ValueError:
        return f"step {n} has id {raw_id!r}, not an integer"
    tool = step.get("tool")
    args = step.get("args", {})
    if not isinstance(tool, str) or not isinstance(args, Mapping):
        return f'step {n} needs "tool" (a name) and "args" (an object)'
    return PlanNode(node_id, tool, dict(args), str(step.get("reason") or ""))


_STEPS = re.compile(r'"steps"\s*:\s*\[')


def streamed_steps(text: str) -> list[object]:
    """The steps already complete in the first part of a plan being written (the
    objects of its "steps" list that have closed), so they can start early."""
    match = _STEPS.search(text)
    if match is None:
        return []
    decoder = json.JSONDecoder()
    found: list[object] = []
    pos = match.end()
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] != "{":
            return found
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return found  # this step is still being written
        found.append(value)


def json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in `text` (fences and chatter around it are ignored)."""
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    start = body.find("{")
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(body[start:])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


# ------------------------------------------------------------------ references


def resolve(value: object, outputs: Mapping[int, object]) -> object:
    """`value` with every reference replaced by the referenced step's output
    (`outputs`: step id -> value)."""
    if isinstance(value, str):
        whole = WHOLE_REF.match(value)
        if whole and int(whole.group(1)) in outputs:
            return outputs[int(whole.group(1))]
        return _as_text(value, outputs)
    if isinstance(value, Mapping):
        return {k: resolve(v, outputs) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, outputs) for v in value]
    return value


def fill(template: str, outputs: Mapping[int, object]) -> str:
    """An answer template with every reference replaced by that step's output as text."""
    return _as_text(template, outputs).strip()


def _as_text(text: str, outputs: Mapping[int, object]) -> str:
    """`text` with each reference to a step in `outputs` replaced by its output as text
    (JSON when the output is structured, never a Python repr)."""

    def output(m: re.Match[str]) -> str:
        ref = int(m.group(1))
        return render_value(outputs[ref]) if ref in outputs else m.group(0)

    return REF.sub(output, text)


def only_references(template: str) -> bool:
    """Whether `template` is nothing but references (and punctuation or blanks): an
    answer filled from it is the outputs as they came, with no word of the model's."""
    return not re.sub(r"[\W_]+", "", REF.sub("", template))
