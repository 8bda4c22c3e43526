"""How long `cadenza serve` takes to start: from launching the command to the first
answer of an authenticated request (``GET /v1/info``), on a fresh data folder and an
empty store each time. Target: under 2 s.

    python benchmarks/server_start.py [--starts 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CADENZA = Path(sys.executable).with_name("cadenza")


def start_once(folder: Path) -> float:
    token = secrets.token_urlsafe(24)
    env = {**os.environ, "CADENZA_DATA_DIR": str(folder), "CADENZA_TOKEN": token}
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(CADENZA), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[2]
        headers = {"authorization": f"Bearer {token}"}
        while True:  # the port is bound before the line is printed; wait for the app
            try:
                if httpx.get(f"{url}/v1/info", headers=headers, timeout=5).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.005)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def measure(starts: int) -> dict[str, object]:
    times = []
    for _ in range(starts):
        folder = Path(tempfile.mkdtemp(prefix="cadenza-start-"))
        try:
            times.append(start_once(folder))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return {
        "starts": starts,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "all_s": [round(t, 3) for t in times],
        "target_s": 2.0,
        "met": max(times) < 2.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.starts)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"cadenza serve ready in {figures['median_s']:.2f} s median, "
            f"{figures['max_s']:.2f} s worst of {args.starts} starts (target < 2 s)"
        )


if __name__ == "__main__":
    main()
