"""An expert logs hours with a receipt in a real browser, on a phone (360 px) and a laptop
(1280 px): from their home page to "Mijn uren", the form with a wrong file first (refused in
Dutch, nothing stored), then a photo of the ticket, and the entry with its state, receipt and
totals. Every page on the way has no WCAG 2.1 A or AA violation (axe-core) and does not scroll
sideways."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from participation.models import ActivityLog, ActivityStatus
from tests.factories import PlacementFactory

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _label(message: str):
    """A field's label as crispy writes it (a required field gets "*")."""
    return re.compile(rf"^\s*{re.escape(_dutch(message))}\s*\*?\s*$")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_expert_logs_hours_with_a_receipt(
    page, live_server, log_in, assert_accessible, expert, network, width
):
    placement = PlacementFactory(
        expert=expert,
        network=network,
        status="active",
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    page.set_viewport_size({"width": width, "height": 640 if width == 360 else 800})

    def check_the_page() -> None:
        assert_accessible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"

    log_in(expert.user.email)
    page.wait_for_url(live_server.url + reverse("expert:home"))
    page.get_by_role("main").get_by_role("link", name=_dutch("My hours"), exact=True).click()
    page.wait_for_url(live_server.url + reverse("expert:my_hours"))
    check_the_page()
    expect(page.get_by_text(_dutch("You have not logged any hours yet."))).to_be_visible()

    page.get_by_role("link", name=_dutch("Log hours"), exact=True).click()
    page.wait_for_url(live_server.url + reverse("expert:my_hours_create"))
    check_the_page()
    page.get_by_label(_label("What was it for?")).select_option(f"placement:{placement.pk}")
    page.get_by_label(_label("What did you do?")).select_option("prep")
    page.get_by_label(_label("Hours")).fill("2,5")
    page.get_by_label(_label("Travel costs in euros")).fill("7,80")
    page.get_by_label(_label("What did you do? (a few words)")).fill(
        "Voorbereiding van de netwerkbijeenkomst"
    )
    receipt = page.get_by_label(_label("Receipt"))
    # A text file with a photo's name: refused by its content.
    receipt.set_input_files(
        {"name": "kaartje.jpg", "mimeType": "image/jpeg", "buffer": b"geen foto"}
    )
    page.get_by_role("button", name=_dutch("Save my hours")).click()
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback").first).to_contain_text(
        _dutch("The receipt must be a photo (JPG or PNG) or a PDF.")
    )
    check_the_page()
    assert not ActivityLog.objects.exists()

    page.get_by_label(_label("Receipt")).set_input_files(
        {"name": "kaartje.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_role("button", name=_dutch("Save my hours")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_hours"))
    check_the_page()

    log = ActivityLog.objects.get(expert=expert)
    assert (log.hours, log.travel_costs, log.status) == (
        Decimal("2.5"),
        Decimal("7.80"),
        ActivityStatus.SUBMITTED,
    )
    assert log.receipt.name.endswith(".png")
    expect(page.get_by_text("Voorbereiding van de netwerkbijeenkomst")).to_be_visible()
    expect(page.get_by_text(_dutch("Waiting for approval"), exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(rf"^{_dutch('Receipt')}")).click()
    assert download.value.suggested_filename.endswith(".png")
