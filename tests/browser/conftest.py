"""A real Chromium (Debian's, through Playwright) against the app served on 127.0.0.1.

The server is a real `flask run` subprocess on a free port with its own SQLite file, migrated by
Alembic and loaded with the small geography fixture, so the journey crosses every real layer.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


def _require(condition: bool, reason: str):
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(tmp_path):
    """A served Essaim: (base_url, instance_dir)."""
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "ESSAIM_INSTANCE_DIR": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'browser.sqlite3'}",
        "MAIL_FILE_PATH": str(instance / "mail"),
        "SECRET_KEY": "browser-test",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    env.pop("REDIS_URL", None)
    env.pop("MAIL_SERVER", None)
    flask = [sys.executable, "-m", "flask"]
    instance.mkdir()
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        flask + ["geo", "import", "--source", str(ROOT / "tests/fixtures/geo/reference"),
                 "--coords-source", str(ROOT / "tests/fixtures/geo/coords/communes.csv"),
                 "--vintage", "2026"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    port = _free_port()
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        flask + ["run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base_url + "/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((tmp_path / "server.log").read_text()[-3000:])
                time.sleep(0.2)
        yield base_url, instance
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def browser():
    _require(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - installed by requirements-dev.txt
        _require(False, "playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
