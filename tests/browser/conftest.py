"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against the live server.

Playwright's own browser download does not work on these machines, so the tests use
/usr/bin/chromium. Without it they are skipped, except in CI (SAMEN_REQUIRE_SERVICES), where a
missing browser is an error.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told that this is safe (the tests' ORM calls are not concurrent).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BASE_DIR = Path(__file__).resolve().parents[2]
# The WCAG 2.1 A and AA rules of axe-core: what Dutch public-sector sites must meet (EN 301 549).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing; install Debian's chromium package."
        if os.environ.get("SAMEN_REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    if not (BASE_DIR / "node_modules" / "bootstrap" / "dist").is_dir():
        pytest.fail("node_modules is missing: run `npm ci` so the live server can serve Bootstrap.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """Console messages about the Content-Security-Policy seen by this test's page."""
    return []


@pytest.fixture
def page(browser, live_server, csp_violations, settings) -> Iterator:
    """A fresh browser context (no cookies) with a Dutch browser, as most visitors have."""
    # The suite logs in many times a minute from one address, also as users that other tests
    # locked out on purpose; the rate limits themselves are tested in tests/accounts.
    settings.ACCOUNT_RATE_LIMITS = False
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations))


@pytest.fixture
def log_in(page) -> Callable[[str], None]:
    """Log in through the real login form, with the keyboard, as a visitor would."""

    def log_in(email: str) -> None:
        page.goto(reverse("account_login"))
        # Finding the inputs by their label also proves the labels are attached.
        page.get_by_label("E-mailadres").fill(email)
        password = page.get_by_label("Wachtwoord")
        password.fill(PASSWORD)
        password.press("Enter")
        page.wait_for_load_state()

    return log_in


def _axe_report(page) -> str:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return "\n".join(
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"  {violation['helpUrl']}\n"
        + "\n".join(
            f"  at {', '.join(map(str, node['target']))}: {node['failureSummary']}"
            for node in violation["nodes"]
        )
        for violation in violations
    )


@pytest.fixture
def axe_report(page) -> Callable[[], str]:
    """axe-core's WCAG 2.1 A and AA violations on the current page, each with its id, targets
    and help; an empty string when there are none. For tests that collect every problem first."""
    return lambda: _axe_report(page)


@pytest.fixture
def assert_accessible(page) -> Callable[[], None]:
    """Run axe-core on the current page and fail with each violation's id, targets and help."""

    def assert_accessible() -> None:
        report = _axe_report(page)
        assert not report, f"axe found problems on {page.url}:\n{report}"

    return assert_accessible
