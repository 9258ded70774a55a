"""After a coordinator searches with htmx and logs out, the browser holds no copy of the page:
htmx keeps no snapshots in its storage, and Back loads the page from the server again."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.factories import ExpertFactory

pytestmark = pytest.mark.browser

STORED = """() => {
    const all = {};
    for (const storage of [window.sessionStorage, window.localStorage]) {
        for (let i = 0; i < storage.length; i++) {
            all[storage.key(i)] = storage.getItem(storage.key(i));
        }
    }
    return all;
}"""


def _dutch(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def test_an_htmx_search_leaves_no_snapshot_in_the_browser(page, live_server, log_in, coordinator):
    ExpertFactory(first_name="Mila", last_name="Verborgen", email="mila@voorbeeld.nl")
    ExpertFactory(first_name="Noor", last_name="Anders")
    log_in(coordinator.email)
    page.goto(reverse("coordinator:expert_list"))
    expect(page.get_by_text("Verborgen")).to_be_visible()

    page.locator("#id_q").press_sequentially("Noor")  # htmx searches as the keys go up
    page.wait_for_url(lambda url: "q=Noor" in url)  # and pushes the search into the history
    assert page.locator("#expert-results").get_by_text("Verborgen").count() == 0

    stored = page.evaluate(STORED)
    assert "htmx-history-cache" not in stored
    assert not any("Verborgen" in value for value in stored.values())

    # Back: the page before the search, whole, from the server.
    page.go_back()
    page.wait_for_url(live_server.url + reverse("coordinator:expert_list"))
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == _dutch("ExpEx and parents")
    expect(page.get_by_text("Verborgen")).to_be_visible()
    assert "htmx-history-cache" not in page.evaluate(STORED)

    page.get_by_role("button", name=_dutch("Log out")).click()
    page.wait_for_load_state()
    assert not any("Verborgen" in value for value in page.evaluate(STORED).values())
