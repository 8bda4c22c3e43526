"""The store under stress, through real `cadenza` processes: runs at the same time on
one store, a store that cannot be written (read-only file and folder), and a full disk
(a file size limit, RLIMIT_FSIZE, set on the process: it works with and without root).
Nothing already paid for is lost: a store that fails mid-run costs a note, not the
answer; one that cannot be used at all is refused before any call."""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.faults.conftest import Cli, env_for, model
from tests.faults.servers import ANSWER, FakeServer

from cadenza.store.store import Store

TASK = ("run", "Write about the sea", "-r", "at least 5 words", "-s", "single")


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def test_runs_at_the_same_time_on_one_store_are_all_recorded(cli: Cli, fake: FakeServer) -> None:
    processes = [
        cli.spawn(*TASK, "-m", model("openai", "ok"), "--store", str(cli.store), "--json")
        for _ in range(4)
    ]
    results = [finish(p) for p in processes]
    assert all(code == 0 for code, _, _ in results), results
    assert all(json.loads(out)["text"] == ANSWER for _, out, _ in results)
    with Store.open(cli.store) as store:
        rows = store.list_runs()
        # `single` asks no judge: its answer is checked and screened, so not "satisfied"
        assert len(rows) == 4 and {r.finish_reason for r in rows} == {"unverified"}
        for row in rows:
            history = store.load_run(row.id)
            assert [s.record.outcome for s in history.steps] == ["ok"]
            assert history.run.text == ANSWER


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder any user may enter (pytest's own are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="cadenza-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in (folder, *folder.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)


def without_root_powers() -> tuple[str, ...]:
    """A command prefix under which file permissions apply. Root ignores them, so as
    root the process runs without the capabilities that bypass them (setpriv)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("running as root: this test needs setpriv (util-linux) to drop root's powers")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")


def test_a_read_only_store_is_refused_before_any_call_and_can_still_be_read(
    fake: FakeServer, shared_dir: Path
) -> None:
    store = shared_dir / "cadenza.db"
    cli = Cli(env_for(fake, store), store)
    first = cli.run(*TASK, "-m", model("openai", "ok"), "--store", str(store))
    assert first.exit_code == 0, first.stderr
    calls_before = len(fake.requests)
    for path in store.parent.glob("cadenza.db*"):
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    store.parent.chmod(0o555)
    prefix = without_root_powers()

    run = cli.spawn(*TASK, "-m", model("openai", "ok"), "--store", str(store), prefix=prefix)
    code, out, err = finish(run)
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "read-only" in lines[0] and "--no-store" in lines[0]
    assert len(fake.requests) == calls_before  # refused before paying for anything

    listed = cli.spawn("runs", "--store", str(store), "--json", prefix=prefix)
    code, out, err = finish(listed)
    assert code == 0, err
    (row,) = json.loads(out)["runs"]
    assert row["text"] == ANSWER


def fsize_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # writes past it fail: EFBIG


def test_a_full_disk_at_the_start_is_refused_before_any_call(cli: Cli, fake: FakeServer) -> None:
    run = cli.spawn(
        *TASK, "-m", model("openai", "ok"), "--store", str(cli.store),
        preexec_fn=lambda: fsize_limit(0),
    )  # fmt: skip
    code, _, err = finish(run)
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "the disk could not be written: it is full" in lines[0], err
    assert fake.requests == []


def test_a_disk_that_fills_up_mid_run_costs_a_note_not_the_answer(
    cli: Cli, fake: FakeServer
) -> None:
    Store.open(cli.store).close()  # the schema is there; the run's own writes must fit
    room = cli.store.stat().st_size + 64 * 1024  # a few pages more: the large answer is not
    run = cli.spawn(
        *TASK, "-m", model("openai", "long"), "--store", str(cli.store), "--json",
        preexec_fn=lambda: fsize_limit(room),
    )  # fmt: skip
    code, out, err = finish(run)
    assert code == 0, err  # the answer was paid for: it is returned
    data = json.loads(out)
    assert data["text"].startswith(ANSWER) and len(data["text"]) > 100_000
    assert any(
        "not fully recorded" in n and "disk could not be written" in n for n in data["notes"]
    )
    assert len(fake.requests) == 1
    with Store.open(cli.store) as store:  # what did fit is intact and readable
        (row,) = store.list_runs()
    assert row.status == "interrupted"  # its end could not be written; its process is gone
