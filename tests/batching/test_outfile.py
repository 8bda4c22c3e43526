"""OUT, the record of what a batch has done: read back, cleaned after a crash, and
rewritten without the failed tasks when they are to run again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cadenza.batching.outfile import OutFile
from cadenza.errors import UserError


def write(path: Path, *lines: str) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_append_then_read_back(tmp_path: Path) -> None:
    out = OutFile(tmp_path / "sub" / "out.jsonl")
    assert out.open_for_run(drop_failed=False) == {}
    assert out.path.parent.is_dir() and not out.path.exists()  # made by the first result
    out.append([{"id": "a", "text": "é", "finish_reason": "satisfied"}])
    out.append([{"id": 2, "finish_reason": "failed", "error": "boom"}, {"id": "c", "text": ""}])
    done = out.read()
    assert list(done) == ['"a"', "2", '"c"']
    assert [line.failed for line in done.values()] == [False, True, False]
    assert done['"a"'].data["text"] == "é"
    assert [r["id"] for r in out.records()] == ["a", 2, "c"]


def test_a_line_cut_short_by_a_crash_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write(path, json.dumps({"id": "a"}), '{"id": "b", "text": "half a li')
    out = OutFile(path)
    assert list(out.open_for_run(drop_failed=False)) == ['"a"']
    assert path.read_text(encoding="utf-8") == json.dumps({"id": "a"}) + "\n"


def test_a_bad_line_elsewhere_is_named(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write(path, json.dumps({"id": "a"}), "garbage", json.dumps({"id": "b"}))
    with pytest.raises(UserError, match=r"out.jsonl, line 2: not a batch result"):
        OutFile(path).open_for_run(drop_failed=False)
    write(path, json.dumps({"text": "no id"}), json.dumps({"id": "b"}))
    with pytest.raises(UserError, match="line 1"):
        OutFile(path).read()


def test_failed_tasks_are_dropped_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    ok, failed = {"id": 1, "text": "fine"}, {"id": 2, "finish_reason": "failed", "error": "x"}
    write(path, json.dumps(ok), json.dumps(failed))
    out = OutFile(path)
    assert list(out.open_for_run(drop_failed=False)) == ["1", "2"]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2
    assert list(out.open_for_run(drop_failed=True)) == ["1"]
    assert path.read_text(encoding="utf-8") == json.dumps(ok) + "\n"
    assert not (tmp_path / "out.jsonl.tmp").exists()


def test_the_later_line_of_an_id_wins(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write(path, json.dumps({"id": 1, "text": "old"}), json.dumps({"id": 1, "text": "new"}))
    assert [r["text"] for r in OutFile(path).records()] == ["new"]
