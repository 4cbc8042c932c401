"""axe-core run automatically on every page a browser journey visits.

Playwright's sync API gives no safe moment inside an event handler to evaluate a script (the test
goes on while the handler waits, and may navigate away), so the handler only marks the page as
loaded; the audit runs just before the test's next call on that page or one of its locators, and
before a page, context or browser is closed. The mark is set on DOMContentLoaded (which waits for
the stylesheets before our deferred scripts), not on `load`: a test that fills a form and submits it
may never wait for `load`, and its page would go unaudited. Each distinct URL (without its fragment) is audited
once per test. The playwright classes are patched for the time of one test only (monkeypatch).
"""
from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, tags: v.tags,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""
IMPACTS = ("minor", "moderate", "serious", "critical")
FAILING_IMPACTS = ("serious", "critical")
# Moderate rules fixed everywhere: they fail the test too, so that they cannot come back.
FAILING_RULES = ("heading-order",)


def page_violations(page) -> list[dict]:
    """Every axe-core violation (all impacts) on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN)


def is_failing(violation: dict) -> bool:
    return violation["impact"] in FAILING_IMPACTS or violation["id"] in FAILING_RULES


def describe(url: str, violations: list[dict]) -> str:
    return "\n".join(f"{url}: {v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in violations)


@dataclass
class AxeAudit:
    """The audits of one test: URL -> its violations, and the pages it watches."""

    audited: dict[str, list[dict]] = field(default_factory=dict)
    missed: set[str] = field(default_factory=set)  # URLs left before their audit could finish
    _pending: dict[int, object] = field(default_factory=dict)  # id(page) -> page loaded, not audited
    _busy: bool = False

    def watch(self, page) -> None:
        page.on("domcontentloaded", lambda loaded: self._pending.__setitem__(id(loaded), loaded))

    def audit_now(self, page) -> list[dict]:
        """Audit the page as it is now (assert_accessible), and count it as this URL's audit."""
        self._pending.pop(id(page), None)
        self._busy = True
        try:
            violations = page_violations(page)
        finally:
            self._busy = False
        self.audited[_address(page.url)] = violations
        return violations

    def flush(self, page) -> None:
        """Audit the page if it loaded a document whose URL this test has not audited yet."""
        if self._busy or self._pending.pop(id(page), None) is None:
            return
        self._busy = True
        try:
            if page.is_closed():
                return
            url = _address(page.url)
            if not url.startswith("http") or url in self.audited:
                return
            from playwright.sync_api import Error

            try:
                self.audited[url] = page_violations(page)
            except Error:  # a navigation started meanwhile: counted, the next document is audited
                self.missed.add(url)
        finally:
            self._busy = False

    def flush_all(self, pages) -> None:
        for page in list(pages):
            self.flush(page)

    def failures(self) -> str:
        return "\n".join(describe(url, [v for v in found if is_failing(v)])
                         for url, found in self.audited.items() if any(is_failing(v) for v in found))


def _address(url: str) -> str:
    return url.split("#", 1)[0]


def _before(method, hook):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        hook(self)
        return method(self, *args, **kwargs)
    return wrapper


def _after(method, hook):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        hook(result)
        return result
    return wrapper


# The audit of the running test (set by conftest.py's autouse fixture), for assert_accessible.
current: AxeAudit | None = None
LISTENER_METHODS = {"on", "once", "remove_listener", "is_closed"}


def install(audit: AxeAudit, monkeypatch) -> None:
    """Patch the sync API so that every new page is watched and audited before it is used again."""
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

    for cls, page_of in ((Page, lambda page: page), (Locator, lambda locator: locator.page)):
        for name, member in vars(cls).items():
            if name.startswith("_") or name in LISTENER_METHODS or not inspect.isfunction(member):
                continue
            monkeypatch.setattr(cls, name, _before(member, lambda obj, page_of=page_of: audit.flush(page_of(obj))))
    monkeypatch.setattr(Browser, "new_page", _after(Browser.new_page, audit.watch))
    monkeypatch.setattr(BrowserContext, "new_page", _after(BrowserContext.new_page, audit.watch))
    monkeypatch.setattr(BrowserContext, "close", _before(BrowserContext.close, lambda ctx: audit.flush_all(ctx.pages)))
    monkeypatch.setattr(Browser, "close", _before(
        Browser.close, lambda browser: audit.flush_all(p for ctx in browser.contexts for p in ctx.pages)))
