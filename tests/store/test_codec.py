from __future__ import annotations

import enum
import json
import math
from pathlib import Path

from cadenza.engine.outcomes import Spend, StepRecord
from cadenza.providers.scripted import ScriptedModel
from cadenza.settings import Secret, Settings
from cadenza.store import Store
from cadenza.store.codec import REDACTED, dumps, to_jsonable

KEY = "sk-test-0123456789abcdef-do-not-store"


class Colour(enum.Enum):
    RED = "red"


def test_values_become_json_ready() -> None:
    value = {
        "nums": (1, 2.5, math.inf),
        "set": {"b", "a"},
        "colour": Colour.RED,
        "path": Path("/tmp/x"),
        "model": ScriptedModel(name="scripted:judge"),
        "spend": Spend(0.5, 1, 2, 1),
        3: b"bytes",
        "other": object,
    }
    data = to_jsonable(value)
    assert data["nums"] == [1, 2.5, "inf"]
    assert data["set"] == ["a", "b"]
    assert data["colour"] == "red"
    assert data["path"] == "/tmp/x"
    assert data["model"] == {"type": "Model", "id": "scripted:judge"}
    assert data["spend"] == {
        "type": "Spend", "dollars": 0.5, "input_tokens": 1, "output_tokens": 2, "calls": 1,
    }  # fmt: skip
    assert data["3"] == "bytes"
    assert data["other"] == repr(object)
    json.dumps(data)  # really JSON


def test_settings_and_secrets_are_redacted_wherever_they_are() -> None:
    settings = Settings(keys={"openai": Secret(KEY)})
    text = dumps({"context": [settings], "key": Secret(KEY), "deep": {"s": (settings,)}})
    assert KEY not in text
    assert text.count(REDACTED) == 3


def test_no_secret_reaches_the_database_file(tmp_path: Path) -> None:
    settings = Settings(keys={"openai": Secret(KEY)}, data_dir=tmp_path)
    with Store.open(None, settings) as store:
        run_id = store.start_run(strategy="single", extra={"settings": settings})
        record = StepRecord(
            run_id, "s", "sample", None, "ok", "", None, 1, 0.0, 1.0, 0.0, 1.0, Spend()
        )
        store.record_step(record, {"settings": settings, "secret": Secret(KEY)})
        store.finish_run(run_id, stats={"settings": settings})
        assert store.load_run(run_id).steps[0].result["settings"] == REDACTED
    for file in tmp_path.iterdir():  # the database, its WAL and shared memory
        assert KEY.encode() not in file.read_bytes()
