"""`cadenza bench requirements --split SEED`: families fall whole into one half, the
halves are measured apart, and the CLI prints both."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cadenza.bench import requirements as bench
from cadenza.cli import app


def _write_set(folder: Path) -> None:
    rows = []
    for n, family in enumerate(["word count", "comma use", "ending", "case", "line count"]):
        rows.append(
            {
                "id": f"r{n}a",
                "task": "Describe a harbour.",
                "requirement": "Do not use any commas.",
                "kind": "mechanical",
                "family": family,
                "answers": [
                    {"text": "Boats rest in the harbour.", "passes": True},
                    {"text": "Boats, ropes and gulls.", "passes": False},
                ],
            }
        )
        rows.append({**rows[-1], "id": f"r{n}b"})
    (folder / bench.REQUIREMENTS_FILE).write_text(
        "\n".join(json.dumps(r) for r in rows), encoding="utf-8"
    )
    prompts = [{"id": f"p{n}", "prompt": "What is a comma?", "requirements": []} for n in range(6)]
    (folder / bench.PROMPTS_FILE).write_text(
        "\n".join(json.dumps(p) for p in prompts), encoding="utf-8"
    )


def test_half_of_is_stable_and_depends_on_the_seed() -> None:
    names = [f"family {n}" for n in range(40)]
    first = [bench.half_of(3, n) for n in names]
    assert first == [bench.half_of(3, n) for n in names]
    assert set(first) == {"a", "b"}
    assert first != [bench.half_of(4, n) for n in names]


def test_split_keeps_each_family_in_one_half(tmp_path: Path) -> None:
    import anyio

    _write_set(tmp_path)
    report = anyio.run(lambda: bench.run(tmp_path, split=1))
    split = report["split"]
    families_a, families_b = set(split["a"]["families"]), set(split["b"]["families"])
    assert not families_a & families_b
    assert families_a | families_b == {i["family"] for i in report["items"]}
    items_a = split["a"]["mechanical"]["items"]
    items_b = split["b"]["mechanical"]["items"]
    assert items_a + items_b == report["mechanical"]["items"] == 10
    assert items_a == 2 * len(families_a)
    assert len(split["a"]["prompts"]) + len(split["b"]["prompts"]) == 6


def test_cli_prints_both_halves(tmp_path: Path) -> None:
    _write_set(tmp_path)
    result = CliRunner().invoke(
        app, ["bench", "requirements", "--data", str(tmp_path), "--split", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "half a" in result.output and "half b" in result.output
    as_json = CliRunner().invoke(
        app, ["bench", "requirements", "--data", str(tmp_path), "--split", "0", "--json"]
    )
    assert as_json.exit_code == 0, as_json.output
    assert set(json.loads(as_json.output)["split"]) == {"seed", "a", "b"}
