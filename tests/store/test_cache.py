from __future__ import annotations

from pathlib import Path

from cadenza.providers.base import Completion, Usage
from cadenza.store import Store


def test_a_stored_completion_comes_back_as_first_received(tmp_path: Path) -> None:
    first = Completion("hello", "stop", Usage(3, 1, 0.002, 0.4), "local:smollm2-135m")
    with Store.open(tmp_path / "s.db") as store:
        assert store.cache_get("k") is None
        assert store.cache_hits("k") is None
        store.cache_put("k", first)
        store.cache_put("k", Completion("other", "length", Usage(), "x"))  # first one stays
        assert store.cache_hits("k") == 0
    with Store.open(tmp_path / "s.db") as store:  # persists across processes
        assert store.cache_get("k") == first
        assert store.cache_get("k") == first
        assert store.cache_hits("k") == 2
        assert store.cache_get("other-key") is None


def test_the_cache_keeps_the_most_recently_used_answers(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        for n in range(5):
            store.cache_put(f"k{n}", Completion(f"answer {n}", "stop", Usage(1, 1), "m"))
        assert store.cache_get("k0") is not None  # used last: kept
        assert store.prune_cache(keep=2) == 3
        kept = [k for k in (f"k{n}" for n in range(5)) if store.cache_hits(k) is not None]
        assert kept == ["k0", "k4"]
