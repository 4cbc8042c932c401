"""A real Chromium (Debian's, through Playwright) against the app served on 127.0.0.1.

The server is a real `flask run` subprocess on a free port with its own SQLite file, migrated by
Alembic and loaded with the small geography fixture, so the journey crosses every real layer.
Preparing an instance (migrations, geography import, demo seed, index build: five `flask`
processes) took 15-20 s per test; each test process now prepares each kind of instance once and
every test gets a copy of its own (database, index files, uploads), so tests never share state.
"""
from __future__ import annotations

import email
import email.policy
import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from tests.browser import axe_audit

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


FLASK = [sys.executable, "-m", "flask"]
DATABASE_FILE = "browser.sqlite3"


def _server_env(instance: Path) -> dict:
    """The environment of the served app and of the `flask` commands run against it."""
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "ESSAIM_INSTANCE_DIR": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / DATABASE_FILE}",
        "MAIL_FILE_PATH": str(instance / "mail"),
        "SECRET_KEY": "browser-test",
        # Every journey registers and resets from 127.0.0.1 (failed logins only are throttled).
        "EMAIL_RATE_LIMIT_IP": "1000 per hour",
        "EMAIL_RATE_LIMIT_ADDRESS": "100 per hour",
    }
    env.pop("REDIS_URL", None)
    env.pop("MAIL_SERVER", None)
    return env


def _prepare(env: dict, *commands: list[str]) -> None:
    """Migrate the instance's database and run these `flask` commands against it, in one process
    (tests/tools/flask_commands.py: the application's imports once, not once per command)."""
    commands = [["db", "upgrade"], *commands]
    done = subprocess.run([sys.executable, "-m", "tests.tools.flask_commands", json.dumps(commands)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"flask {commands}: {done.stdout[-2000:]}{done.stderr[-3000:]}"


def _prepared_instance(factory, name: str, *commands: list[str]) -> Path:
    """An instance folder prepared once per test process, to be copied by `_copy_instance`."""
    template = factory.mktemp(name) / "instance"
    template.mkdir()
    _prepare(_server_env(template), *commands)
    return template


def _copy_instance(template: Path, instance: Path) -> None:
    """A test's own copy of a prepared instance. The e-mails its preparation wrote stay behind;
    the index files' absolute paths, stored in the database, follow the copy."""
    shutil.copytree(template, instance, dirs_exist_ok=True, ignore=shutil.ignore_patterns("mail"))
    with closing(sqlite3.connect(instance / DATABASE_FILE)) as conn, conn:
        conn.execute("UPDATE matching_index_states SET path = replace(path, ?, ?)",
                     (str(template), str(instance)))


@contextmanager
def _serve(tmp_path: Path, env: dict, *commands: list[str], template: Path | None = None):
    """Copy the prepared `template` instance, or else migrate the instance's database and run these
    `flask` commands, then serve the app on a free port for the time of the block; yields its
    base URL."""
    if template is not None:
        _copy_instance(template, Path(env["ESSAIM_INSTANCE_DIR"]))
    else:
        _prepare(env, *commands)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        FLASK + ["run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env={**env, "PUBLIC_BASE_URL": base_url}, stdout=log, stderr=subprocess.STDOUT,
    )
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
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


GEO_IMPORT = ["geo", "import", "--source", str(ROOT / "tests/fixtures/geo/reference"),
              "--coords-source", str(ROOT / "tests/fixtures/geo/coords/communes.csv"), "--vintage", "2026"]


@pytest.fixture(scope="session", autouse=True)
def patient_expectations():
    """`expect(...)` retries for up to 20 s instead of 5: freezing a convention renders its PDF
    (xhtml2pdf) before the page answers, which took more than 5 s on a loaded CI machine."""
    from playwright.sync_api import expect
    expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def geography_instance(tmp_path_factory) -> Path:
    """Migrated, with the geography fixture and the journeys' e-mail domains (their people write
    from these domains: their role requests are verified by them)."""
    domains = [["domains", "add", name, f"{name.lower()}.example.fr"] for name in ("Lyon", "Dijon", "Villeurbanne")]
    return _prepared_instance(tmp_path_factory, "geography", GEO_IMPORT, *domains)


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory) -> Path:
    """Migrated, loaded with the demo data (`flask seed-demo`) and its stored suggestions
    (`flask matching rebuild --suggest`)."""
    return _prepared_instance(tmp_path_factory, "demo", ["seed-demo"], ["matching", "rebuild", "--suggest"])


@pytest.fixture
def live_server(tmp_path, geography_instance):
    """A served Essaim: (base_url, instance_dir)."""
    instance = tmp_path / "instance"
    with _serve(tmp_path, _server_env(instance), template=geography_instance) as base_url:
        yield base_url, instance


@pytest.fixture
def flask_command(live_server):
    """Run `flask <args>` against the served app's database and mail folder (what cron or beat
    would do); returns the command's output, failing the test if it fails."""
    instance = live_server[1]

    def run(*args: str) -> str:
        done = subprocess.run(FLASK + list(args), cwd=ROOT, env=_server_env(instance),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    return run


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


class Mailbox:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that records every message it receives: one
    entry per recipient, with the decoded subject and text body."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[dict] = []
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        body = text.get_content() if text is not None else ""
        # A long encoded subject is folded right after "Subject:": unfolded, it starts with a space.
        subject = str(message["Subject"]).strip()
        for recipient in envelope.rcpt_tos:
            self.messages.append({"to": recipient, "subject": subject, "body": body})
        return "250 Message accepted for delivery"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *_exc):
        self._controller.stop()


@pytest.fixture
def demo_server(tmp_path, demo_instance):
    """A served Essaim loaded with the demo data and its stored suggestions, sending its e-mails to
    a recording SMTP server: (base_url, instance_dir, mailbox). The mailbox holds only what the
    served app sends (the e-mails of the preparation stayed with the prepared instance)."""
    _require(importlib.util.find_spec("aiosmtpd") is not None, "aiosmtpd is not installed")
    instance = tmp_path / "instance"
    with Mailbox() as mailbox:
        env = _server_env(instance) | {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port)}
        with _serve(tmp_path, env, template=demo_instance) as base_url:
            yield base_url, instance, mailbox



@pytest.fixture(scope="module")
def demo_site(tmp_path_factory, demo_instance):
    """One served Essaim with the demo data and its suggestions for all the tests of a module that
    only read it or change distinct records (e-mails go to the instance's mail folder): its base URL.
    A copy of the prepared demo instance (preparing it again took 30-40 s of the module)."""
    tmp_path = tmp_path_factory.mktemp("demo-site")
    instance = tmp_path / "instance"
    with _serve(tmp_path, _server_env(instance), template=demo_instance) as base_url:
        yield base_url

AXE_REPORT_DIR = ROOT / "build" / "axe-report"


@pytest.fixture(scope="session")
def endpoint_of():
    """The Flask endpoint a visited URL's path maps to (None when none does), from the app's routes."""
    from config import TestingConfig
    from marketplace import create_app

    adapter = create_app(TestingConfig).url_map.bind("localhost")

    def match(url: str):
        from urllib.parse import urlsplit

        from werkzeug.exceptions import HTTPException
        from werkzeug.routing import RequestRedirect

        parts = urlsplit(url)
        for method in ("GET", "POST"):
            try:
                return adapter.match(parts.path, method=method)[0]
            except RequestRedirect:
                return adapter.match(parts.path + "/", method=method)[0]
            except HTTPException:
                continue
        return None

    return match


@pytest.fixture(autouse=True)
def axe_audit_every_page(request, monkeypatch, endpoint_of):
    """Run axe-core on every page the test's browser visits (once per URL); at teardown, write what
    it found to build/axe-report/, fail on any serious or critical violation (or a fixed rule that
    came back) and on any audited page the accessibility statement does not list."""
    from marketplace.legal.accessibility import AUDITED_ENDPOINTS

    audit = axe_audit.AxeAudit()
    axe_audit.install(audit, monkeypatch)
    monkeypatch.setattr(axe_audit, "current", audit)
    yield audit
    if not audit.audited:
        return
    pages = {url: {"endpoint": endpoint_of(url), "violations": found} for url, found in audit.audited.items()}
    AXE_REPORT_DIR.mkdir(parents=True, exist_ok=True)
    name = request.node.nodeid.replace("/", ".").replace("::", "--")
    report = {"pages": pages, "missed": sorted(audit.missed - set(audit.audited))}
    (AXE_REPORT_DIR / f"{name}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    failures = audit.failures()
    assert not failures, f"axe-core violations on the pages this journey visited:\n{failures}"
    unlisted = sorted({f"{page['endpoint']} ({url})" for url, page in pages.items()
                       if page["endpoint"] not in AUDITED_ENDPOINTS})
    assert not unlisted, ("pages audited but not listed in the accessibility statement "
                          f"(marketplace/legal/accessibility.py AUDITED_PAGES): {unlisted}")


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionstart(session):
    """The reports of this run only (the end-of-run check reads them, also from xdist workers)."""
    if not _is_xdist_worker(session.config):
        shutil.rmtree(AXE_REPORT_DIR, ignore_errors=True)


def _whole_browser_suite(config) -> bool:
    """Whether this run was asked for every browser journey (a folder holding this one, no -k/-m)."""
    if config.option.keyword or config.option.markexpr or config.option.deselect:
        return False
    here = Path(__file__).resolve().parent
    return any("::" not in arg and here.is_relative_to(Path(arg).resolve()) for arg in config.args)


def pytest_sessionfinish(session, exitstatus):
    """After a whole, green run of the browser suite, the statement may list only pages that some
    journey audited: a page left unvisited makes the run fail, naming it. The audited endpoints are
    read from the reports every test wrote, so that the check holds with xdist workers too."""
    from marketplace.legal.accessibility import AUDITED_ENDPOINTS

    if _is_xdist_worker(session.config) or exitstatus != 0 or session.testsfailed:
        return
    if not _whole_browser_suite(session.config):
        return
    audited = set()
    for report in AXE_REPORT_DIR.glob("*.json"):
        pages = json.loads(report.read_text())["pages"]
        audited |= {page["endpoint"] for page in pages.values() if page["endpoint"]}
    unvisited = sorted(AUDITED_ENDPOINTS - audited)
    if unvisited:
        session.config.get_terminal_writer().line(
            f"accessibility statement lists pages no journey audited: {unvisited}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
