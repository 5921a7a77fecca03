"""Take the README's screenshots (see scripts/screenshots): serve the demo scenario from a
data folder of its own, sign in as its supervisor in each language asked for, and save the
dashboard as the demo shows it (as of its dashboard day) at 1366 x 768 px."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
HOMEWARD = Path(sys.executable).with_name("homeward")
CHROMIUM = os.environ.get("HOMEWARD_CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1366, "height": 768}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("languages", nargs="*", default=["en"], help="e.g. en ru ar")
    parser.add_argument("--data-dir", type=Path, help="a folder with the demo loaded, or to load")
    args = parser.parse_args()
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="homeward-screenshots-"))
    env = demo_env(folder)
    print(f"Loading the demo in {folder} (once)...", flush=True)
    subprocess.run([str(HOMEWARD), "demo", "--no-serve"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    settings = django_settings(folder)
    port = free_port()
    server = subprocess.Popen(
        [str(HOMEWARD), "serve", "--port", str(port)], env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/healthz/")
        OUT.mkdir(parents=True, exist_ok=True)
        for path in take(url, args.languages, settings):
            print(path.relative_to(ROOT))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def demo_env(folder: Path) -> dict[str, str]:
    """The environment of a Homeward of its own: SQLite in `folder`, demo sign-ins."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return env | {"HOMEWARD_DATA_DIR": str(folder), "HOMEWARD_DEMO_MODE": "true"}


def django_settings(folder: Path) -> dict[str, Any]:
    """What the screenshots read from the project: the demo's day and password, and the
    language cookie's name."""
    os.environ.update(HOMEWARD_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="homeward.settings")
    import django
    from django.conf import settings

    django.setup()
    from homeward.demo.plan import DASHBOARD_DAY
    from homeward.demo.scenario import DEMO_PASSWORD

    return {
        "day": DASHBOARD_DAY,
        "password": DEMO_PASSWORD,
        "cookie": settings.LANGUAGE_COOKIE_NAME,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # nosec B310: our own local server
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def take(url: str, languages: list[str], settings: dict[str, Any]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for language in languages:
            context = browser.new_context(base_url=url, viewport=VIEWPORT, locale=language)
            cookie = {"name": settings["cookie"], "value": language, "url": url}
            context.add_cookies([cookie])
            page = context.new_page()
            page.goto("/sign-in/")
            page.locator("input[name=username]").fill("supervisor")
            page.locator("input[name=password]").fill(settings["password"])
            page.locator("main button[type=submit]").click()
            page.wait_for_url(lambda u: "/sign-in/" not in u)
            page.goto(f"/?on={settings['day']:%Y-%m-%d}")
            shots.append(OUT / f"dashboard-{language}.png")
            page.screenshot(path=str(shots[-1]))
            context.close()
        browser.close()
    return shots


if __name__ == "__main__":
    main()
