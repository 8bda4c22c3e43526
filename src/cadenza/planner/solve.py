"""What every strategy shares: prepare the validator, refuse what cannot run, run the
rounds, judge the final answer on its task once, and assemble the `SolveResult`."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace

import anyio

from cadenza.engine.estimates import Estimates
from cadenza.engine.outcomes import Spend
from cadenza.errors import BudgetError, ProviderError, StoreError
from cadenza.planner.context import SolveContext
from cadenza.planner.costs import CostBook, Remaining, model_compiles, refuse_unaffordable
from cadenza.planner.prepare import Allowance, Prepared, prepare
from cadenza.planner.runner import Rounds, Tally, Wiring
from cadenza.planner.state import Search, SearchLimits
from cadenza.planner.steps import DriveOptions, Steps, prompt_sizes
from cadenza.planner.strategy import Policy, Prelude, Seed, settle
from cadenza.providers.base import Usage
from cadenza.providers.pricing import prices_for
from cadenza.requirements.assessment import Assessment, Judgement, joined, judge_failed
from cadenza.requirements.extract import reading_summary
from cadenza.requirements.verdict import Verdict
from cadenza.result import SolveResult, overall_score
from cadenza.store.recorder import RunRecorder, ended, finished
from cadenza.store.records import VerdictRecord
from cadenza.store.store import Store
from cadenza.task import Requirement

PreludeFn = Callable[[SolveContext, Search, Wiring], Awaitable[Prelude]]  # before the tree


async def solve_with(
    context: SolveContext,
    strategy: str,
    policy: Policy,
    options: DriveOptions,
    *,
    repairs: bool,
    limits: SearchLimits | None = None,
    prelude: PreludeFn | None = None,
) -> SolveResult:
    """Run `policy` for `context`, recorded from the start (a refused, interrupted or
    crashed run too); a `prelude`'s answer seeds the tree."""
    started = time.monotonic()
    budget = context.budget  # the caller's: what is left is always reckoned from it
    store = context.store
    run_id: str | None = None
    if store is not None:
        run_id = store.start_run(  # a run id given may be recorded already (the server)
            task=context.task,
            requirements=context.requirements,
            strategy=strategy,
            models=context.model_ids,
            budget=context.budget,
            extra={"options": dict(context.options)} if context.options else None,
            run_id=context.run_id,
            labels=context.labels,
        )
    try:
        prices = prices_for(context.models, context.settings)
        estimates: Estimates | None = None
        recorder: RunRecorder | None = None
        if store is not None:
            with suppress(StoreError):  # no estimates to start from: the defaults
                estimates = store.load_estimates()
            recorder = RunRecorder(store)
        listed = options.list_requirements and context.requirements is not None

        def costs_of(requirements: Sequence[Requirement], judged: Sequence[int] = ()) -> CostBook:
            sizes = prompt_sizes(context.task.prompt(), requirements, judged, listed=listed)
            return CostBook(
                max_tokens=options.max_tokens,
                prices=prices,
                sizes=sizes,
                estimates=estimates,
                judges=len(judged),
                judge_model=context.model_ids[0],
            )

        def allowance(requirements: Sequence[Requirement]) -> int:
            if not context.options.get("compile_with_model", True):
                return 0
            return model_compiles(budget, costs_of(requirements), context.model_ids)

        prepared = await _prepare(context, repairs, allowance, started)
        spent = Spend.of_usage(prepared.usage, prepared.calls)  # what is spent before the tree
        if prepared.calls:  # the model compiled requirements: that comes out of the budget
            left = Remaining.left(budget, spent, time.monotonic() - started)
            context = replace(context, budget=left.cut(budget))
        validator = prepared.validator
        costs = costs_of(validator.requirements, validator.judged)
        search = Search(validator, context.model_ids, costs, limits=limits, emit=context.on_event)
        search.notes.extend(validator.notes)
        listeners = tuple(f for f in (recorder, context.on_engine_event) if f is not None)
        if validator.conflicts:
            why = "the requirements contradict each other: " + "; ".join(validator.conflicts)
            policy.contradicted(search, why, refuse=not prepared.extracted)
        if search.finish is None:  # else the policy stopped it: no answer is asked for
            refuse_unaffordable(costs, context.model_ids, context.budget)
        options = replace(options, list_requirements=listed)
        before: Prelude | None = None
        seed: Seed | None = None
        if prelude is not None and estimates is None:
            estimates = costs.estimates = Estimates()
        wiring = Wiring(Estimates() if estimates is None else estimates, listeners, run_id)
        if prelude is not None and search.finish is None:
            before = await prelude(context, search, wiring)
            spent = spent + before.spent
            left = Remaining.left(budget, spent, time.monotonic() - started)
            context = replace(context, task=before.task, budget=left.cut(budget))
            seed = policy.start_from(search, before, exhausted=left.exhausted)
        rounds: Rounds | None = None
        final = None
        if search.finish is None:
            rounds = Rounds(Steps(context, search, options), policy, wiring, seed)
            await rounds.run()
            spent = spent + Spend.of_usage(rounds.runner.tally.usage, rounds.runner.tally.calls)
            exhausted = Remaining.left(budget, spent, time.monotonic() - started).exhausted
            final = await judge_final(context, search, exhausted=exhausted)
        result = _result(context, strategy, search, rounds, started, prepared, final, before)
        return _recorded(store, run_id, search, rounds, result, recorder)
    except BaseException as error:
        if store is not None and run_id is not None:
            ended(store, run_id, error)
        raise


@dataclass(frozen=True, slots=True)
class FinalJudgement:
    """The judgement of `candidate` on the task requirement, and its cost (one call)."""

    candidate: str
    verdict: Verdict
    usage: Usage


async def judge_final(
    context: SolveContext, search: Search, *, exhausted: bool = False
) -> FinalJudgement | None:
    """Judge the leader once on the implicit task requirement (in the search a screen
    may have settled it), recorded in `search`. A "no" or a failed judge replaces the
    screen's yes, so that answer is never ``satisfied``; None: no judgement made."""
    options = context.options
    if not options.get("judge_final", True) or not options.get("judge", True):
        return None
    leader = search.leader()
    index = search.validator.task_index
    if leader is None or index is None:
        return None
    current = leader.assessment.verdicts.get(index)  # judged, or a screen's no a yes can't undo
    if current is not None and (current.method in ("judged", "judge") or not current.passed):
        return None
    if exhausted:
        search.notes.append(
            "The final answer was not judged on whether it does the task: the budget is spent."
        )
        return None
    try:
        judgement = await search.validator.judge(leader.text, index, context.models[0])
    except ProviderError as error:  # the call is still counted
        used = Usage(error.input_tokens, error.output_tokens, error.cost_usd)
        judgement = Judgement(judge_failed(error.message), used)
        search.notes.append(
            f"The final answer could not be judged on whether it does the task ({error.message})."
        )
    else:
        if not judgement.verdict.passed:
            search.notes.append(
                "The final judge says the best answer does not do the task "
                f"({judgement.verdict.reason})."
            )
    search.judged(leader.id, {index: judgement.verdict})
    return FinalJudgement(leader.id, judgement.verdict, judgement.usage)


async def _prepare(
    context: SolveContext, repairs: bool, allowance: Allowance, started: float
) -> Prepared:
    """Compile the requirements, within the time budget when there is one."""
    seconds = context.budget.seconds
    with anyio.move_on_after(None if seconds is None else seconds - (time.monotonic() - started)):
        return await prepare(context, allowance=allowance, repairs=repairs)
    raise BudgetError(
        f"The time budget ({seconds:g} s) ran out while the requirements were being "
        "prepared, before any answer was asked for. Raise the seconds limit, or give "
        "requirements the rules understand (no model call needed to compile them)."
    )


def _recorded(
    store: Store | None,
    run_id: str | None,
    search: Search,
    rounds: Rounds | None,
    result: SolveResult,
    recorder: RunRecorder | None = None,
) -> SolveResult:
    """`result`, recorded in the store; a failed write costs the caller only a note."""
    if store is None or run_id is None:
        return result
    verdicts = (
        VerdictRecord.of(run_id, c.step_id, c.id, search.requirements[i].label, v)
        for c in search.candidates.values()
        for i, v in sorted(c.assessment.verdicts.items())
    )
    estimates = rounds.runner.wiring.estimates if rounds is not None else None
    error = finished(store, run_id, result, verdicts, search.decisions, estimates)
    failure = (recorder.failure if recorder is not None else None) or error
    if failure is not None:
        note = f"This run is not fully recorded. {failure}"
        return replace(result, run_id=run_id, notes=(*result.notes, note))
    return replace(result, run_id=run_id)


def _result(
    context: SolveContext,
    strategy: str,
    search: Search,
    rounds: Rounds | None,
    started: float,
    prepared: Prepared,
    final: FinalJudgement | None = None,
    before: Prelude | None = None,
) -> SolveResult:
    """The result of the solve (`before`'s calls, trace and plan are the solve's too)."""
    winner = search.leader()
    if winner is not None:
        search.set_status(winner.id, "winner", "the final answer")
    settled = settle(
        search.finish,
        search.explanation,
        winner.assessment if winner else None,
        rejected=final is not None and not final.verdict.passed,  # the final judge said no
        judging=bool(context.options.get("judge", True)),
        contradicted=bool(prepared.validator.conflicts),
        unsorted=prepared.unsorted,
    )
    tally = rounds.runner.tally if rounds is not None else Tally()
    usage, calls = tally.usage + prepared.usage, tally.calls + prepared.calls
    if final is not None:
        usage, calls = usage + final.usage, calls + 1
    if before is not None:
        usage, calls = usage + before.usage, calls + before.calls
    notes = [*dict.fromkeys(search.notes), *settled.notes]
    if prepared.extracted:
        notes.append(reading_summary(prepared.compiled))
    if tally.served:
        notes.append(f"{tally.served} answer(s) served from the response cache (no call, no cost).")
    if before is not None and before.plan.refused:
        notes.append(f"no answer: {before.plan.refused}")
    extra: dict[str, object] = {}
    trace_steps: list[dict[str, object]] = []
    run_id = None
    report = rounds.runner.report() if rounds is not None else None
    if report is not None:
        run_id = report.run_id
        extra["engine"] = report.stats.to_dict()
        extra["run_status"] = report.status
        trace_steps = [r.to_dict() for r in report.records.values()]
    if final is not None:  # made after the engine's run: not in its ledger
        extra["final_judgement"] = {
            "candidate": final.candidate,
            "passed": final.verdict.passed,
            "score": final.verdict.score,
            "calls": 1,
        }
    trace = tuple(
        [{"type": "step", **s} for s in (before.trace if before is not None else [])]
        + [{"type": "candidate", **c.to_node()} for c in search.candidates.values()]
        + [{"type": "step", **s} for s in trace_steps]
    )
    assessment = winner.assessment if winner else Assessment(search.requirements, {})
    reports = joined(assessment.reports(), prepared.compiled)
    return SolveResult(
        text=winner.text if winner else "",
        requirements=reports,
        score=overall_score(reports) if winner is not None else 0.0,
        finish_reason=settled.reason,
        usage=usage,
        calls=calls,
        wall_s=time.monotonic() - started,
        strategy=strategy,
        models=context.model_ids,
        decisions=tuple(search.decisions),
        trace=trace,
        notes=tuple(notes),
        run_id=run_id,
        extra=extra,
        plan=before.plan if before is not None else None,
    )
