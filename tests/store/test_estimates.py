from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cadenza.engine.estimates import Estimates
from cadenza.store import Store


def _observed(pairs: dict[tuple[str, str], list[float]]) -> Estimates:
    estimates = Estimates()
    for (model, kind), latencies in pairs.items():
        for i, latency in enumerate(latencies):
            estimates.observe(
                model, kind, latency_s=latency, tokens=10 * (i + 1), cost_usd=0.01,
                success=i % 3 != 2,
            )  # fmt: skip
    return estimates


def test_estimates_persist_across_opens(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        assert len(store.load_estimates()) == 0
        saved = _observed({("m1", "sample"): [1.0, 2.0, 3.0], ("m2", "judge"): [0.5]})
        store.save_estimates(saved)
    with Store.open(path) as store:
        loaded = store.load_estimates()
    assert loaded.to_dict() == saved.to_dict()
    estimate = loaded.get("m1", "sample")
    assert estimate is not None
    assert estimate.n == 3
    assert estimate.latency_s == pytest.approx(1.5)  # the failed third attempt not counted
    assert estimate.success_p == pytest.approx(3 / 5)


def test_saving_replaces_the_pairs_given_and_keeps_the_others(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        store.save_estimates(_observed({("m1", "sample"): [1.0], ("m2", "judge"): [4.0]}))
        store.save_estimates(_observed({("m1", "sample"): [9.0, 9.0]}))
        loaded = store.load_estimates()
    assert loaded.latency_s("m1", "sample") == pytest.approx(9.0)
    assert loaded.latency_s("m2", "judge") == pytest.approx(4.0)


def test_rows_in_an_unknown_format_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        store.save_estimates(_observed({("m1", "sample"): [1.0]}))
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO estimates VALUES ('m9', 'sample', '{\"version\": 99, \"x\": 1}', 0.0)"
    )
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        loaded = store.load_estimates()
    assert loaded.get("m9", "sample") is None
    assert loaded.get("m1", "sample") is not None
