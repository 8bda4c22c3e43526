"""Servers that fail, through the real `cadenza run`: the right exit code and one
paragraph saying what went wrong, no key anywhere (stdout, stderr, --json, the store's
files), nothing lost that was paid for, and usage counted even when the server lies
about it. Each case runs against the fake OpenAI-compatible and Anthropic servers."""

from __future__ import annotations

import json

import pytest
from tests.faults.conftest import KEY, PLAIN_KEY, Cli, env_for, model
from tests.faults.servers import ANSWER, FakeServer

PROVIDERS = ("openai", "anthropic")
TASK = ("run", "Write about the sea", "-r", "at most 40 words")


def no_key_anywhere(cli: Cli, *outputs: str, key: str = KEY) -> None:
    for output in outputs:
        assert key not in output
    assert key.encode() not in cli.store_bytes()


def one_paragraph(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr  # one paragraph, no traceback
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_rejected_key_exits_3_naming_the_variable(cli: Cli, provider: str) -> None:
    result = cli.run(*TASK, "-m", model(provider, "status-401"))
    assert result.exit_code == 3
    line = one_paragraph(result.stderr)
    assert "rejected the API key (HTTP 401)" in line
    assert ("OPENAI_API_KEY" if provider == "openai" else "ANTHROPIC_API_KEY") in line
    no_key_anywhere(cli, result.stdout, result.stderr)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("key", [KEY, PLAIN_KEY])
def test_a_server_echoing_the_key_never_leaks_it(
    fake: FakeServer, tmp_path: object, provider: str, key: str
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    store = tmp_path / "cadenza.db"
    cli = Cli(env_for(fake, store, key), store)
    result = cli.run(*TASK, "-m", model(provider, "status-500-echo"), "--json")
    assert result.exit_code == 3
    echoed = [r for r in fake.requests if key in json.dumps(r.headers)]
    assert echoed  # the server really had the key and sent it back in its error body
    line = one_paragraph(result.stderr)
    assert "HTTP 500" in line and "[redacted]" in line
    data = json.loads(result.stdout)  # the --json report still comes, without the key
    assert data["finish_reason"] == "failed" and data["text"] == ""
    no_key_anywhere(cli, result.stdout, result.stderr, key=key)
    runs = cli.run("runs", "--store", str(store), "--json")
    (row,) = json.loads(runs.stdout)["runs"]
    assert row["finish_reason"] == "failed"
    shown = cli.run("runs", row["id"], "--store", str(store), "--json")
    assert "[redacted]" in shown.stdout
    no_key_anywhere(cli, runs.stdout, shown.stdout, key=key)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_429_waits_as_asked_then_answers(cli: Cli, fake: FakeServer, provider: str) -> None:
    result = cli.run(*TASK, "-m", model(provider, "status-429-once"), "--json", "-s", "single")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["text"] == ANSWER
    first, second = fake.requests[0], fake.requests[1]
    assert second.at - first.at >= 1.0  # Retry-After: 1 was honoured


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("behaviour", ["truncated", "malformed"])
def test_a_cut_or_garbled_stream_is_a_provider_failure_not_an_answer(
    cli: Cli, fake: FakeServer, provider: str, behaviour: str
) -> None:
    # without --json the call streams (progress is shown), which is where these happen
    chosen = model(provider, behaviour)
    result = cli.run(*TASK, "-m", chosen, "--store", str(cli.store), "-s", "single")
    assert result.exit_code == 3, result.stdout
    line = one_paragraph(result.stderr)
    assert "before the model finished" in line and "try again" in line
    assert "Waves fold on" not in result.stdout  # a cut answer is never the answer
    assert len(fake.requests) == 3  # one call, retried twice: the failure may be passing
    history = cli.run("runs", "--store", str(cli.store), "--json")
    (row,) = json.loads(history.stdout)["runs"]
    # every attempt is counted: a cut stream may still be billed
    assert row["calls"] == len(fake.requests) and row["finish_reason"] == "failed"
    steps = cli.run("runs", row["id"], "--store", str(cli.store), "--json")
    (sample,) = [s for s in json.loads(steps.stdout)["steps"] if s["kind"] == "sample"]
    assert sample["outcome"] == "failed"


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("behaviour", ["no-usage", "negative-usage"])
def test_missing_or_nonsense_usage_is_counted_by_cadenza(
    cli: Cli, provider: str, behaviour: str
) -> None:
    result = cli.run(*TASK, "-m", model(provider, behaviour), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["text"] == ANSWER
    usage = data["usage"]
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0  # estimated, not 0 or < 0
    assert usage["cost_usd"] > 0  # priced from the estimate


@pytest.mark.parametrize("provider", PROVIDERS)
def test_huge_reported_usage_is_charged_and_stops_the_run(cli: Cli, provider: str) -> None:
    result = cli.run(
        "run", "Write about the sea", "-r", "Answer with at least 300 words",
        "-m", model(provider, "huge-usage"), "--json", "-b", "high", "-s", "refine",
        "-o", "task_requirement=false",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr  # the answer was paid for: it is returned
    data = json.loads(result.stdout)
    assert data["text"] == ANSWER and data["calls"] == 1  # no fix started after it
    assert data["finish_reason"] == "budget_spent"
    assert data["usage"]["input_tokens"] == 5_000_000


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_closed_port_exits_3_naming_the_url(cli: Cli, provider: str) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    env = {**cli.env, "OPENAI_BASE_URL": f"{url}/v1", "ANTHROPIC_BASE_URL": url}
    result = Cli(env, cli.store).run(*TASK, "-m", model(provider, "ok"), "-s", "single")
    assert result.exit_code == 3
    line = one_paragraph(result.stderr)
    assert "Could not connect to" in line and url in line


def test_check_with_a_judge_whose_server_fails_exits_3(cli: Cli) -> None:
    result = cli.run("check", "Hi!", "-r", "use a warm tone", "-m", model("openai", "status-401"))
    assert result.exit_code == 3
    assert "rejected the API key" in one_paragraph(result.stderr)
