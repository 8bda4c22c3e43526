"""A server that never answers, or never stops answering, is given up on after the
timeout the user set (`--timeout`, the config file's ``timeout``): exit 3 with one
paragraph saying so and how to raise it, instead of hanging."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.faults.conftest import Cli, model
from tests.faults.servers import FakeServer

from cadenza.settings import DEFAULT_TIMEOUT_S, Settings

ATTEMPTS = 3  # the engine retries a timeout twice (0.5 s, then about 1 s, apart)


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
@pytest.mark.parametrize("behaviour", ["silent", "endless"])
def test_a_call_that_never_ends_times_out(
    cli: Cli, fake: FakeServer, provider: str, behaviour: str
) -> None:
    started = time.monotonic()
    result = cli.run(
        "run", "Write about the sea", "-m", model(provider, behaviour), "-s", "single",
        "--timeout", "0.3",
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.exit_code == 3
    assert "timed out after 0.3 s" in result.stderr and "--timeout" in result.stderr
    # every attempt was given up on (the first may time out before its request is even
    # sent: the first call in a process loads the SDK's lazy parts within the timeout)
    assert 1 <= len(fake.requests) <= ATTEMPTS
    assert elapsed < 10.0  # bounded by the timeout and the retries, not by the server


def test_the_timeout_comes_from_the_flag_the_environment_or_the_config_file(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("timeout = 45\n")
    assert Settings.load(env={}, config_file=tmp_path / "none.toml").request_timeout_s == (
        DEFAULT_TIMEOUT_S
    )
    assert Settings.load(env={}, config_file=config).request_timeout_s == 45
    env = {"CADENZA_TIMEOUT": "30"}
    assert Settings.load(env=env, config_file=config).request_timeout_s == 30
    assert Settings.load(env=env, config_file=config, timeout=5).request_timeout_s == 5


def test_a_bad_timeout_is_refused_naming_where_it_came_from(cli: Cli, tmp_path: Path) -> None:
    result = cli.run("run", "x", "-m", "scripted:echo", "--timeout", "-1")
    assert result.exit_code == 2 and "--timeout: field 'timeout' must be above 0" in result.stderr
    config = tmp_path / "bad.toml"
    config.write_text('timeout = "soon"\n')
    with pytest.raises(Exception, match="must be a number, got a string"):
        Settings.load(env={}, config_file=config)
