"""A real browser: Debian's Chromium driven by Playwright (no downloaded browser).

Every page a test visits can be audited with `audit(page, name)`: axe-core finds no serious
or critical violation, nothing scrolls sideways at 360 px, and screenshots at 360 px and
1280 px land in tests/browser/artifacts/. Console errors and uncaught exceptions fail the
test that caused them.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium reaches for Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parents[2] / "portal/static/vendor/axe-core/axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
PAGE_BUDGET = 200_000  # bytes a page and its files take on the wire (a weak 3G link)


@pytest.fixture(scope="session")
def app_config(app_config):
    """One person signs in several times within a minute here; the limits have their own
    tests (tests/api)."""
    return {
        **app_config,
        "SMS_RATE_LIMIT_PHONE": "100/minute",
        "SMS_RATE_LIMIT_IP": "500/minute",
        "LOGIN_RATE_LIMIT_ACCOUNT": "100/minute",
        "LOGIN_RATE_LIMIT_IP": "500/minute",
    }


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def is_api_refusal(msg) -> bool:
    """Chromium logs every 4xx as a console error; an API refusal (a bad value, a full slot)
    is the page's normal business, which it shows. Any other failed load still counts."""
    return msg.text.startswith(
        "Failed to load resource: the server responded with a status of 4"
    ) and "/api/v1/" in msg.location.get("url", "")


def watch_console(page, errors: list[str], expected: list[str]) -> None:
    def on_console(msg):
        if msg.type == "error" and not is_api_refusal(msg):
            if any(text in msg.text for text in expected):
                return
            errors.append(f"{msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


@pytest.fixture
def expected_console_errors() -> list[str]:
    """Texts of console errors a test causes on purpose (a connection it cuts)."""
    return []


@pytest.fixture
def new_context(browser, live_server, expected_console_errors):
    """Phone-sized contexts (a cheap Android phone) pointed at the live server; the test
    fails on any console error in any of their pages."""
    contexts, errors = [], []

    def make(**options):
        context = browser.new_context(
            base_url=live_server, viewport=PHONE, locale="zh-CN", **options
        )
        context.on("page", lambda page: watch_console(page, errors, expected_console_errors))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def audit(page, name: str) -> None:
    """axe-core, no sideways scroll at 360 px, the page's weight (without API answers and
    photos), screenshots at 360 and 1280 px."""
    page.wait_for_load_state("networkidle")
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).slice(0, 5).map(e => e.outerHTML.slice(0, 120))"
    )
    assert overflow <= 0, f"{name}: scrolls sideways by {overflow}px at 360 px: {wide}"
    weight = page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".filter(e => !e.name.includes('/api/v1/')).reduce((sum, e) => sum + e.transferSize, 0)"
    )
    assert weight < PAGE_BUDGET, f"{name}: {weight} bytes over the wire"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-360.png", full_page=True)
    # Evaluated, not added as a <script>: the page's Content-Security-Policy stays in force.
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], f"{name}: axe violations {blocking}"
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=ARTIFACTS / f"{name}-1280.png", full_page=True)
    page.set_viewport_size(size)
