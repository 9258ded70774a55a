"""An expert reads their pay and asks for a training in a real browser, on a phone (360 px)
and a laptop (1280 px): from their home page to "Mijn vergoeding" (each payment's state in
words, another year chosen), to "Mijn ontwikkeling" (where they stand), the request form sent
empty (refused in Dutch, nothing stored) and then with a wish; the coordinator marks it
handled, and the expert sees that. Every page on the way has no WCAG 2.1 A or AA violation
(axe-core) and does not scroll sideways."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from experts.models import TrainingRequest, TrainingRequestStatus
from participation.fees.selectors import pay_run_date
from participation.models import ActivityStatus, PaymentStatus
from samen.formatting import format_date
from tests.factories import ActivityLogFactory, PaymentFactory, TrainingFactory

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _label(message: str):
    return re.compile(rf"^\s*{re.escape(_dutch(message))}\s*\*?\s*$")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_expert_reads_their_pay_and_asks_for_a_training(
    page, live_server, log_in, assert_accessible, expert, coordinator, width
):
    today = timezone.localdate()
    PaymentFactory(
        expert=expert,
        year=today.year,
        month=1,
        status=PaymentStatus.PAID,
        paid_at=timezone.make_aware(datetime.datetime(today.year, 1, 3, 12)),
        allowance_amount=Decimal("48.00"),
        costs_amount=Decimal("7.80"),
        reference="SAMEN-BETAALD-1",
    )
    ActivityLogFactory(
        expert=expert,
        date=today,
        status=ActivityStatus.APPROVED,
        approved_at=timezone.now(),
        amount=Decimal("16.80"),
    )
    PaymentFactory(
        expert=expert,
        year=today.year - 1,
        month=11,
        status=PaymentStatus.PAID,
        paid_at=timezone.now(),
        reference="SAMEN-VORIG-JAAR",
    )
    TrainingFactory(name="Presenteren voor een groep")
    page.set_viewport_size({"width": width, "height": 640 if width == 360 else 800})

    def check_the_page() -> None:
        assert_accessible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"

    log_in(expert.user.email)
    page.wait_for_url(live_server.url + reverse("expert:home"))
    page.locator("main").get_by_role("link", name=_dutch("My pay"), exact=True).click()
    page.wait_for_url(live_server.url + reverse("expert:my_pay"))
    check_the_page()
    with translation.override("nl"):
        paid = _dutch("Paid on %(date)s") % {"date": format_date(datetime.date(today.year, 1, 3))}
        approved = _dutch("Approved, will be paid in the pay run of %(date)s") % {
            "date": format_date(pay_run_date(today))
        }
    expect(page.get_by_text(paid)).to_be_visible()
    expect(page.get_by_text(approved)).to_be_visible()
    expect(page.get_by_text("€ 55,80").first).to_be_visible()
    expect(page.get_by_text("€ 16,80").first).to_be_visible()

    page.get_by_role("link", name=str(today.year - 1), exact=True).click()
    page.wait_for_url(re.compile(rf"year={today.year - 1}$"))
    check_the_page()
    expect(page.get_by_text("SAMEN-VORIG-JAAR")).to_be_visible()

    page.goto(reverse("expert:home"))
    page.locator("main").get_by_role("link", name=_dutch("My development"), exact=True).click()
    page.wait_for_url(live_server.url + reverse("expert:my_development"))
    check_the_page()
    expect(page.locator("[aria-current=step]")).to_contain_text(_dutch("You are here"))

    page.locator("main").get_by_role("link", name=_dutch("Ask for a training")).click()
    page.wait_for_url(live_server.url + reverse("expert:training_request_create"))
    check_the_page()
    page.get_by_role("button", name=_dutch("Send my request")).click()
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback").first).to_contain_text(
        _dutch("Choose a training from the list, or write which training you would like.")
    )
    check_the_page()
    assert not TrainingRequest.objects.exists()

    page.get_by_label(_label("Another training")).fill("Omgaan met spanning")
    page.get_by_label(_label("Anything else the coordinator should know?")).fill(
        "<b>Liefst</b> op een avond"
    )
    page.get_by_role("button", name=_dutch("Send my request")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_development"))
    check_the_page()
    expect(page.get_by_text("Omgaan met spanning")).to_be_visible()
    expect(page.get_by_text("<b>Liefst</b> op een avond")).to_be_visible()
    request_ = TrainingRequest.objects.get(expert=expert)
    assert request_.status == TrainingRequestStatus.OPEN

    page.context.clear_cookies()
    log_in(coordinator.email)
    page.goto(reverse("coordinator:training_request_list"))
    check_the_page()
    page.get_by_role("button", name=re.compile(_dutch("Handled"))).click()
    page.wait_for_url(live_server.url + reverse("coordinator:training_request_list"))
    check_the_page()
    request_.refresh_from_db()
    assert (request_.status, request_.handled_by) == (TrainingRequestStatus.HANDLED, coordinator)

    page.context.clear_cookies()
    log_in(expert.user.email)
    page.goto(reverse("expert:my_development"))
    with translation.override("nl"):
        handled = _dutch("Handled by the coordinator on %(date)s.") % {
            "date": format_date(timezone.localdate())
        }
    expect(page.get_by_text(handled)).to_be_visible()
