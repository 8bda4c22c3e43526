"""`cadenza bench requirements` on judged items: besides accuracy at the pass threshold,
how often the judge's score orders an item's passing answer above its failing one, and
how many passes a solve would take as proof (a confident yes), with those that are wrong."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
from typer.testing import CliRunner

from cadenza.bench import requirements as bench
from cadenza.cli import app
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel

# P(yes) the scripted judge gives an answer, by a word only the answer carries
P_YES = {"ALPHA": 0.95, "BRAVO": 0.40, "CHARLIE": 0.50, "DELTA": 0.97}


def _write_set(folder: Path) -> None:
    def item(n: int, good: str, bad: str) -> dict[str, object]:
        return {
            "id": f"j{n}",
            "task": "Write a note to a new colleague.",
            "requirement": "Keep the tone warm and friendly.",
            "kind": "judged",
            "family": f"tone {n}",
            "answers": [
                {"text": f"Welcome aboard, {good}!", "passes": True},
                {"text": f"Report to desk four, {bad}.", "passes": False},
            ],
        }

    rows = [item(1, "ALPHA", "BRAVO"), item(2, "CHARLIE", "DELTA")]
    (folder / bench.REQUIREMENTS_FILE).write_text(
        "\n".join(json.dumps(r) for r in rows), encoding="utf-8"
    )
    (folder / bench.PROMPTS_FILE).write_text("", encoding="utf-8")


def _judge(request: CompletionRequest, index: int) -> Reply:
    text = request.messages[-1].content
    p_yes = next(p for word, p in P_YES.items() if word in text)
    return Reply(choice_probs={"yes": p_yes, "no": 1 - p_yes})


def test_pairs_and_proof_are_counted_from_the_judges_scores(tmp_path: Path) -> None:
    _write_set(tmp_path)
    report = anyio.run(lambda: bench.run(tmp_path, model=ScriptedModel(_judge)))
    judged = report["judged"]
    # every P(yes) is over the pass threshold: each item has one right, one wrong
    assert judged["accuracy"] == 0.5
    # item 1 ranks its passing answer first, item 2 the failing one
    assert judged["pairs"] == 2 and judged["pairs_ordered"] == 0.5
    # ALPHA and DELTA are confident yeses; DELTA is labelled as failing
    assert judged["proven_passes"] == 2 and judged["proven_wrong"] == 1
    first = next(i for i in report["items"] if i["id"] == "j1")
    assert first["scores"] == [0.95, 0.4] and first["proven"] == [True, False]


def test_rules_alone_never_take_a_judged_pass_as_proof(tmp_path: Path) -> None:
    _write_set(tmp_path)
    report = anyio.run(lambda: bench.run(tmp_path))
    judged = report["judged"]
    assert judged["proven_passes"] == 0 and judged["pairs"] == 0
    assert judged["pairs_ordered"] is None


def test_cli_prints_pairs_and_proof(tmp_path: Path) -> None:
    _write_set(tmp_path)
    result = CliRunner().invoke(app, ["bench", "requirements", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "pairs ordered" in result.output and "taken as proof" in result.output
