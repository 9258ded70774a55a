"""Formats in a real browser: the dashboard's charts write numbers in the page's language, not
in the browser's own (a Dutch page says "2,5" whatever the browser speaks)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import ActivityLogFactory

pytestmark = pytest.mark.browser

CHART_LOCALE = "() => window.Chart.getChart('monthly-chart').options.locale"


@pytest.fixture(autouse=True)
def _no_cached_dashboard():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dashboard_charts_write_numbers_in_the_pages_language(
    page, live_server, log_in, coordinator, settings, language
):
    ActivityLogFactory(hours=Decimal("2.5"))
    log_in(coordinator.email)
    # The browser is Dutch (nl-NL); the page's language comes from the cookie.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.goto(reverse("coordinator:dashboard"))
    assert page.locator("html").get_attribute("lang") == language
    page.wait_for_function("() => window.Chart && window.Chart.getChart('monthly-chart')")
    assert page.evaluate(CHART_LOCALE) == language
