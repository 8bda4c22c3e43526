"""The README's screenshot of the web page: a real run on an embedded model, started
through the API and shown once finished, in Debian's headless Chromium.

    .venv/bin/python scripts/screenshot_page.py [--model local:qwen2.5-coder-0.5b] \
        [--out docs/serve-page.png]

Uses a store in a temporary folder and a token of its own; loads the model (run it
under the shared CPU lock on a shared machine).
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
from pathlib import Path

import anyio
from playwright.async_api import async_playwright, expect

from cadenza.client import Client
from cadenza.server import ServerConfig
from cadenza.server.serving import running
from cadenza.settings import Secret, Settings

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TASK = "Write a riddle about a clock."
REQUIREMENTS = [
    "use only lowercase letters",
    "at most 40 words",
    "do not use any commas",
    "end with the exact phrase 'what am i?'",
]


async def shoot(model: str, out: Path) -> None:
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as folder:
        config = ServerConfig(
            store=Path(folder) / "s.db", token=Secret(token), settings=Settings.load(), port=0
        )
        async with running(config) as url, Client(url, token) as client:
            run = await client.create_run(TASK, REQUIREMENTS, models=[model], budget="medium")
            done = await client.wait(run["id"])
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=FLAGS
                )
                page = await browser.new_page(viewport={"width": 1280, "height": 900})
                await page.goto(f"{url}/?token={token}")
                await page.goto(f"{url}/#/runs/{run['id']}")
                status = page.locator("#run-status")
                await expect(status).to_have_attribute("data-status", done["status"])
                await expect(page.locator("#final")).to_be_visible()
                await page.screenshot(path=str(out), full_page=True)
                await browser.close()
    print(f"{out}: run {run['id']} {done['status']}, {done['result']['finish_reason']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="local:qwen2.5-coder-0.5b")
    parser.add_argument("--out", type=Path, default=Path("docs/serve-page.png"))
    args = parser.parse_args()
    anyio.run(shoot, args.model, args.out)


if __name__ == "__main__":
    main()
