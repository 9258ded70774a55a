"""An expert downloads their data and asks for erasure, and a coordinator answers, in a real
browser on a phone (360 px) and a laptop (1280 px). Every page on the way has no WCAG 2.1 A or
AA violation (axe-core) and does not scroll sideways."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from experts.models import ExpertStatus
from participation.models import (
    DataExport,
    DataExportState,
    ErasureRequest,
    ErasureState,
    PaymentStatus,
)
from participation.mydata import services
from tests.factories import ActivityLogFactory, ExpertFactory, PaymentFactory, PlacementFactory
from tests.participation.mydata.conftest import ready_export

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _label(message: str):
    """A field's label as crispy writes it (a required field gets "*")."""
    return re.compile(rf"^\s*{re.escape(_dutch(message))}\s*\*?\s*$")


@pytest.fixture
def check_the_page(page, assert_accessible):
    def check() -> None:
        assert_accessible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"

    return check


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_expert_downloads_their_data_and_asks_for_erasure(
    page, live_server, log_in, check_the_page, expert, width
):
    page.set_viewport_size({"width": width, "height": 640 if width == 360 else 800})
    log_in(expert.user.email)
    page.wait_for_url(live_server.url + reverse("expert:home"))
    page.get_by_role("link", name=_dutch("My data: download it, or ask to erase it")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_data"))
    check_the_page()

    page.get_by_role("button", name=_dutch("Make my download")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_data"))
    # Without a broker the job runs at once; with one, htmx would show it when it is ready.
    download_link = page.get_by_role("link", name=re.compile(rf"^{_dutch('Download')}"))
    expect(download_link).to_be_visible()
    check_the_page()
    assert DataExport.objects.get(expert=expert).state == DataExportState.READY
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".zip")

    page.get_by_role("link", name=_dutch("Ask to erase my data")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_data_erasure"))
    check_the_page()
    page.get_by_role("button", name=_dutch("Yes, ask to erase my data")).click()
    expect(page.get_by_text(_dutch("Tick the box to say you understand this."))).to_be_visible()
    check_the_page()
    assert not ErasureRequest.objects.exists()

    page.get_by_label(
        _label("I understand that my data cannot be brought back after it is erased.")
    ).check()
    page.get_by_role("button", name=_dutch("Yes, ask to erase my data")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_data"))
    expect(page.get_by_role("button", name=_dutch("Take back my request"))).to_be_visible()
    check_the_page()
    assert ErasureRequest.objects.get(expert=expert).state == ErasureState.WAITING


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_coordinator_refuses_and_then_erases(
    page, live_server, log_in, check_the_page, coordinator, expert, network, width
):
    page.set_viewport_size({"width": width, "height": 640 if width == 360 else 800})
    PlacementFactory(expert=expert, network=network, status="active")
    PaymentFactory(expert=expert, status=PaymentStatus.PAID, paid_at=timezone.now())
    ActivityLogFactory(expert=expert, description="Voorbereiding")
    ErasureRequest.objects.create(expert=expert)
    log_in(coordinator.email)
    page.wait_for_url(live_server.url + reverse("coordinator:dashboard"))
    page.locator("#signal-erasure_requests").get_by_role(
        "link", name=_dutch("Requests to erase data")
    ).click()
    page.wait_for_url(live_server.url + reverse("coordinator:erasure_list"))
    check_the_page()
    page.get_by_role("link", name=expert.full_name).click()
    erasure = ErasureRequest.objects.get(expert=expert)
    page.wait_for_url(live_server.url + reverse("coordinator:erasure_detail", args=[erasure.pk]))
    check_the_page()

    page.get_by_role("button", name=_dutch("Erase this person's data")).click()
    expect(page.get_by_text(_dutch("Tick the box to say you checked this."))).to_be_visible()
    check_the_page()
    page.get_by_role("button", name=_dutch("Refuse with this reason")).click()
    expect(page.get_by_text(_dutch("Say why, so the expert knows what to do."))).to_be_visible()
    check_the_page()

    page.get_by_label(
        _label("I checked this: erase everything of this person, except what is kept.")
    ).check()
    page.get_by_role("button", name=_dutch("Erase this person's data")).click()
    page.wait_for_url(live_server.url + reverse("coordinator:erasure_list"))
    check_the_page()
    expect(page.get_by_text(expert.full_name)).to_have_count(0)
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.ERASED


def test_a_refused_request_reads_well_on_a_phone(
    page, live_server, log_in, check_the_page, expert, coordinator
):
    page.set_viewport_size({"width": 360, "height": 640})
    erasure = services.erasure_request_create(expert=expert)
    services.erasure_refuse(
        erasure=erasure,
        by=coordinator,
        reason="Er staat nog een betaling voor je klaar. Daarna wissen we alles.",
    )
    log_in(expert.user.email)
    page.goto(reverse("expert:my_data"))
    expect(page.get_by_text("Er staat nog een betaling voor je klaar.")).to_be_visible()
    check_the_page()


def test_the_page_shows_the_download_when_it_is_ready_without_a_reload(
    page, live_server, log_in, check_the_page, expert
):
    """While a download is being made, htmx asks for the list again every few seconds."""
    page.set_viewport_size({"width": 360, "height": 640})
    export = DataExport.objects.create(expert=expert)
    log_in(expert.user.email)
    page.goto(reverse("expert:my_data"))
    expect(page.get_by_role("button", name=_dutch("Make my download"))).to_be_disabled()
    check_the_page()
    ready = ready_export(ExpertFactory())  # a file to point to
    DataExport.objects.filter(pk=export.pk).update(
        state=DataExportState.READY,
        file=ready.file.name,
        finished_at=ready.finished_at,
        expires_at=ready.expires_at,
    )
    download_link = page.get_by_role("link", name=re.compile(rf"^{_dutch('Download')}"))
    expect(download_link).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name=_dutch("Make my download"))).to_be_enabled()
    assert page.url == live_server.url + reverse("expert:my_data")
    check_the_page()
