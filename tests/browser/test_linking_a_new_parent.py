"""The coordinator links a new parent in a real browser, on a phone (360 px) and a laptop
(1280 px): add her, record the consent she signed on paper with its scan, and link her to a
network, starting from the roles and hours she gave. Every page on the way has no WCAG 2.1 A
or AA violation (axe-core) and does not scroll sideways."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from experts.models import ConsentGiver, ConsentMethod, Expert, ExpertKind
from participation.models import PlacementStatus
from tests.factories import LearningNetworkFactory

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _label(message: str):
    """A field's whole label, as Django writes a model field's (first letter capital); crispy
    marks a required field with "*"."""
    return re.compile(rf"^\s*{re.escape(capfirst(_dutch(message)))}\s*\*?\s*$", re.IGNORECASE)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_new_parent_with_a_paper_consent_is_linked_to_a_network(
    page, live_server, log_in, assert_accessible, coordinator, width
):
    network = LearningNetworkFactory(
        name="Kwetsbare Gezinnen", slug="kwetsbare-gezinnen", target_parents=2
    )
    page.set_viewport_size({"width": width, "height": 800})

    def check_the_page() -> None:
        assert_accessible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"

    log_in(coordinator.email)
    page.wait_for_url(live_server.url + reverse("coordinator:dashboard"))

    # 1. Add her.
    page.goto(reverse("coordinator:expert_create"))
    check_the_page()
    page.get_by_label(_label("first name")).fill("Petra")
    page.get_by_label(_label("last name")).fill("Ouder-van Leeuwen")
    page.get_by_label(_label("kind")).select_option(ExpertKind.PARENT)
    page.get_by_label(_dutch("Connecting"), exact=True).check()
    page.get_by_label(_label("available hours per month")).fill("6")
    page.get_by_role("button", name=_dutch("Save"), exact=True).click()
    page.wait_for_url(re.compile(r"/ervaringsdeskundigen/\d+/$"))
    petra = Expert.objects.get(last_name="Ouder-van Leeuwen")
    check_the_page()

    # 2. Record the consent she signed on paper, with the scan.
    page.locator("#consents").get_by_text(_dutch("No consent recorded yet.")).wait_for()
    page.get_by_role("link", name=_dutch("Record a consent"), exact=True).first.click()
    page.wait_for_url(re.compile(re.escape(reverse("coordinator:consent_create", args=[petra.pk]))))
    check_the_page()
    # She is an adult: she gives it herself; paper and today are the start.
    assert page.get_by_label(_dutch("The expert"), exact=True).is_checked()
    assert page.get_by_label(_dutch("On paper"), exact=True).is_checked()
    page.get_by_label(_dutch("Scan or photo of the signed form")).set_input_files(
        {"name": "toestemming Petra.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name=_dutch("Save the consent")).click()
    page.wait_for_url(live_server.url + reverse("coordinator:expert_detail", args=[petra.pk]))
    check_the_page()
    consent = petra.consents.get()
    assert (consent.given_by, consent.method, consent.recorded_by) == (
        ConsentGiver.SELF,
        ConsentMethod.PAPER,
        coordinator,
    )
    assert consent.in_force
    scan = page.locator("#consents").get_by_role(
        "link", name=re.compile(_dutch("Download the scan"))
    )
    download = page.request.get(scan.get_attribute("href"))
    assert download.ok and download.body() == PDF
    assert "attachment" in download.headers["content-disposition"]

    # 3. Link her to a network: the form starts from her roles and hours.
    page.get_by_role("link", name=_dutch("Link to a network")).click()
    page.wait_for_url(re.compile(r"\?expert=\d+$"))
    check_the_page()
    assert page.get_by_label(_dutch("Connecting"), exact=True).is_checked()
    hours = page.get_by_label(_label("Hours per month"))
    assert hours.input_value() in {"6", "6,0"}
    page.get_by_label(_label("Network")).select_option(label="Kwetsbare Gezinnen")
    page.get_by_role("button", name=_dutch("Show the effect"), exact=True).click()
    page.wait_for_load_state()
    page.locator("#effect").wait_for()
    check_the_page()
    page.get_by_role("button", name=_dutch("Save the placement")).click()
    page.wait_for_url(live_server.url + reverse("coordinator:network_detail", args=[network.pk]))
    check_the_page()
    placement = petra.placements.get()
    assert (placement.network, placement.status) == (network, PlacementStatus.ACTIVE)
    assert [role.role for role in placement.roles.all()] == ["connecting"]
