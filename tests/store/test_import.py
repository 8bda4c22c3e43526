"""Copying a whole run from one store into another (how a batch's driver records the
runs its workers made)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.api import solve
from cadenza.errors import StoreError
from cadenza.providers.scripted import ScriptedModel
from cadenza.store import Store


@pytest.mark.anyio
async def test_an_imported_run_reads_back_as_recorded(tmp_path: Path) -> None:
    model = ScriptedModel(["A calm sea, with gulls.", "A calm sea with gulls."])
    with Store.open(":memory:") as private:
        result = await solve(
            "Describe the sea", ["do not use any commas"], models=[model], store=private
        )
        assert result.run_id is not None
        recorded = private.load_run(result.run_id)
    assert recorded.steps and recorded.verdicts and recorded.decisions

    with Store.open(tmp_path / "store.db") as store:
        store.import_run(recorded)
    with Store.open(tmp_path / "store.db") as store:
        assert store.load_run(result.run_id) == recorded
        assert [row.id for row in store.list_runs()] == [result.run_id]


@pytest.mark.anyio
async def test_an_import_is_all_or_nothing(tmp_path: Path) -> None:
    with Store.open(":memory:") as private:
        result = await solve("Say hi", [], models=[ScriptedModel(["hi"])], store=private)
        assert result.run_id is not None
        recorded = private.load_run(result.run_id)
    with Store.open(tmp_path / "store.db") as store:
        store.import_run(recorded)
        with pytest.raises(StoreError, match="UNIQUE"):
            store.import_run(recorded)  # the same run twice: refused, nothing half-written
        assert len(store.load_run(result.run_id).steps) == len(recorded.steps)
