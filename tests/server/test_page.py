"""The web page in a real browser (Debian's Chromium, driven by Playwright; nothing
is downloaded): it refuses a visit without the token, and shows a run started
through the API live until it is completed."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from cadenza.client import Client
from cadenza.providers.scripted import ScriptedModel
from cadenza.server.serving import running

from .conftest import TOKEN, config_for

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.anyio
async def test_the_page_shows_an_api_run_live_until_completed(tmp_path: Path) -> None:
    slow = ScriptedModel(name="scripted:slow", latency=0.4)  # slow enough to watch
    config = config_for(tmp_path / "s.db", models={"scripted:slow": slow})
    async with running(config) as url, Client(url, TOKEN) as client, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = await browser.new_page()
            refused = await page.goto(f"{url}/")
            assert refused is not None and refused.status == 401
            assert "needs its token" in await page.content()

            opened = await page.goto(f"{url}/?token={TOKEN}")
            assert opened is not None and opened.status == 200
            assert page.url == f"{url}/"  # the token left the address bar
            await expect(page.locator("#feed-state")).to_have_text("live")

            run = await client.create_run(
                "Write one line about the sea",
                ["at most 12 words", "mention the sea"],
                models=["scripted:slow"],
            )
            row = page.locator(f'#runs tr[data-run-id="{run["id"]}"]')
            await expect(row).to_be_visible()  # the run list is live
            await row.click()
            status = page.locator("#run-status")
            await expect(status).to_have_attribute("data-status", "in_progress")
            await expect(page.locator(".node").first).to_be_visible()  # the tree grows
            await expect(status).to_have_attribute("data-status", "completed", timeout=30_000)

            done = await client.get_run(run["id"])
            result = done["result"]
            nodes = page.locator("#tree .node")
            candidates = [n for n in result["trace"] if n["type"] == "candidate"]
            await expect(nodes).to_have_count(len(candidates))
            await expect(page.locator("#tree .node.winner")).to_have_count(1)
            rows = page.locator("#requirements tbody tr")
            await expect(rows).to_have_count(3)  # the two given, and "does the task"
            await expect(rows.last).to_have_attribute("data-requirement", "does-the-task")
            await expect(page.locator("#answer")).to_have_text(result["text"])
            await expect(page.locator("#decisions tbody tr")).to_have_count(
                len(result["decisions"])
            )
            await expect(row.locator("[data-status]")).to_have_attribute("data-status", "completed")
            png = await page.screenshot(full_page=True)
            assert png.startswith(b"\x89PNG") and len(png) > 10_000
        finally:
            await browser.close()
