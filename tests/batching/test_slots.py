"""A model's slots shared by the tasks of a batch: never more calls than slots, turns
handed round robin between tasks, and nothing leaked by cancellation."""

from __future__ import annotations

import anyio
import anyio.lowlevel
import pytest

from cadenza.batching.slots import FairSlots, SlottedModel
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import ScriptedModel


async def _hold(slots: FairSlots, owner: str, order: list[str], seconds: float = 0.01) -> None:
    async with slots.slot(owner):
        order.append(owner)
        await anyio.sleep(seconds)


@pytest.mark.anyio
async def test_a_freed_slot_goes_to_the_next_task_in_turn() -> None:
    slots = FairSlots(1)
    order: list[str] = []
    async with anyio.create_task_group() as group:
        for _ in range(4):  # task a asks for four calls at once ...
            group.start_soon(_hold, slots, "a", order)
        await anyio.lowlevel.checkpoint()
        group.start_soon(_hold, slots, "b", order)  # ... then b and c for one each
        group.start_soon(_hold, slots, "c", order)
    # a holds the slot first; then b and c each get a turn before a's second call
    assert order == ["a", "b", "c", "a", "a", "a"]
    assert slots.max_busy == 1
    assert list(slots.grants) == order


@pytest.mark.anyio
async def test_never_more_calls_than_slots_across_tasks() -> None:
    slots = FairSlots(3)
    order: list[str] = []
    async with anyio.create_task_group() as group:
        for task in "abcdef":
            for _ in range(3):
                group.start_soon(_hold, slots, task, order, 0.02)
    assert slots.max_busy == 3
    assert slots.busy == 0 and slots.waiting == 0
    # a asked first and found three free slots; then the waiting tasks take turns
    assert order == list("aaa" + "bcdef" * 3)


@pytest.mark.anyio
async def test_a_cancelled_waiter_gives_its_turn_back() -> None:
    slots = FairSlots(1)
    order: list[str] = []
    async with anyio.create_task_group() as group:
        group.start_soon(_hold, slots, "a", order, 0.05)
        await anyio.sleep(0.01)
        with anyio.CancelScope() as scope:
            group.start_soon(_hold, slots, "b", order)  # queued behind a ...
            await anyio.lowlevel.checkpoint()
            scope.cancel()
        async with anyio.create_task_group() as inner:
            inner.start_soon(_hold, slots, "c", order)
            await anyio.lowlevel.checkpoint()
            assert slots.waiting == 2
            inner.cancel_scope.cancel()  # ... c gives up while waiting
    assert order == ["a", "b"]
    assert slots.busy == 0 and slots.waiting == 0
    async with slots.slot("d"):  # nothing leaked: the slot is free at once
        assert slots.busy == 1


@pytest.mark.anyio
async def test_tasks_share_a_models_slots_through_their_views() -> None:
    model = ScriptedModel(["ok"], max_concurrency=2, latency=0.02)
    slots = FairSlots(model.max_concurrency)
    views = [SlottedModel(model, slots, owner=f"task-{i}", share=1) for i in range(5)]
    assert all(v.id == model.id and v.max_concurrency == 1 for v in views)

    async def call(view: SlottedModel) -> None:
        for _ in range(2):
            await view.complete(CompletionRequest.of("hello"))

    async with anyio.create_task_group() as group:
        for view in views:
            group.start_soon(call, view)
    assert model.calls == 10
    assert model.max_in_flight == 2  # the model's two slots, across five tasks
    with pytest.raises(ValueError, match="share"):
        SlottedModel(model, slots, owner="x", share=0)
