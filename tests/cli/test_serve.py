"""`cadenza serve`: starts, makes its token once and says where it keeps it, answers
with the token, stops on Ctrl-C; bad options and a port in use are clear errors."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import httpx
from typer.testing import CliRunner

from cadenza.cli import app

runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src"


def _serve(data: Path, *args: str, token: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "CADENZA_TOKEN"}
    env.update(CADENZA_DATA_DIR=str(data), PYTHONPATH=str(SRC))
    if token is not None:
        env["CADENZA_TOKEN"] = token
    return subprocess.Popen(
        [sys.executable, "-c", "from cadenza.entry import main; main()", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _stop(server: subprocess.Popen[str], sig: int = signal.SIGINT) -> tuple[int, str]:
    server.send_signal(sig)
    try:
        code = server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        code = server.wait()
    rest = server.stdout.read() if server.stdout else ""
    errors = server.stderr.read() if server.stderr else ""
    for stream in (server.stdout, server.stderr):
        if stream is not None:
            stream.close()
    assert code != -signal.SIGKILL, f"the server did not stop on signal {sig}: {errors}"
    return code, rest


def test_serve_makes_a_token_once_and_answers_only_with_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = _serve(data, "--port", "0", "--store", str(tmp_path / "s.db"))
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("cadenza serve: http://127.0.0.1:")
        url = first.split()[2]
        assert "shown this once" in server.stdout.readline()
        token = server.stdout.readline().strip()
        assert len(token) >= 32
        assert server.stdout.readline().strip() == f"web page: {url}/?token={token}"
        assert httpx.get(f"{url}/v1/info").status_code == 401
        info = httpx.get(f"{url}/v1/info", headers={"authorization": f"Bearer {token}"})
        assert info.status_code == 200 and info.json()["version"]
    finally:
        code, _ = _stop(server)
    assert code == 130  # stopped by Ctrl-C, and says so
    kept = data / "server-token"
    assert kept.read_text().strip() == token
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600

    again = _serve(data, "--port", "0", "--store", str(tmp_path / "s.db"))
    try:
        assert again.stdout is not None
        again.stdout.readline()
        said = again.stdout.readline()
        assert said.startswith(f"token: from {kept}") and token not in said
    finally:
        _, rest = _stop(again)
    assert token not in rest

    configured = _serve(data, "--port", "0", token="a-configured-token-for-tests")
    try:
        assert configured.stdout is not None
        url = configured.stdout.readline().split()[2]
        assert "CADENZA_TOKEN" in configured.stdout.readline()
        headers = {"authorization": "Bearer a-configured-token-for-tests"}
        assert httpx.get(f"{url}/v1/info", headers=headers).status_code == 200  # serving
    finally:
        code, rest = _stop(configured, signal.SIGTERM)
    assert code == 0 and "stopped" in rest  # SIGTERM: the ordinary way to stop a service


def test_bad_options_and_a_taken_port_are_clear_errors(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = runner.invoke(app, ["serve", "--port", port, "--store", str(tmp_path / "s.db")])
    assert busy.exit_code == 2 and f"Cannot listen on 127.0.0.1:{port}" in busy.stderr
    zero = runner.invoke(app, ["serve", "--max-running", "0"])
    assert zero.exit_code == 2 and "--max-running must be at least 1" in zero.stderr


def test_a_short_configured_token_is_refused(tmp_path: Path) -> None:
    server = _serve(tmp_path / "data", "--port", "0", token="short")
    code = server.wait(timeout=30)
    assert server.stderr is not None
    error = server.stderr.read()
    for stream in (server.stdout, server.stderr):
        if stream is not None:
            stream.close()
    assert code == 2 and "shorter than 16 characters" in error


def test_a_store_it_cannot_use_is_refused_before_serving(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 100)
    refused = runner.invoke(app, ["serve", "--port", "0", "--store", str(notes)])
    assert refused.exit_code == 2 and "not a cadenza store" in refused.stderr
