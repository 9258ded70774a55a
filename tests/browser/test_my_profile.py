"""An expert changes their profile in a real browser on a phone (360 px): from the home page to
"Mijn profiel"; the way to be reached (every way off first: refused in Dutch, nothing stored;
then WhatsApp with a phone number); their time with days of the week; a period away (the last
day before the first: refused; then saved, and the expert is not available then); what leads
see, with the preview showing the shared e-mail address; an allowance from elsewhere. Every page
on the way has no WCAG 2.1 A or AA violation (axe-core) and does not scroll sideways."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from experts.models import AwayPeriod, Expert
from participation.models import DeclaredAllowance

pytestmark = pytest.mark.browser


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _label(message: str):
    """A field's label as crispy writes it (a required field gets "*")."""
    return re.compile(rf"^\s*{re.escape(_dutch(message))}\s*\*?\s*$")


def _change(part: str):
    """The "Change" link of one part of the overview (its hidden text names the part)."""
    return re.compile(rf"^{re.escape(_dutch('Change'))}\s+{re.escape(_dutch(part))}$")


def test_an_expert_changes_their_profile_on_a_phone(
    page, live_server, log_in, assert_accessible, expert
):
    today = timezone.localdate()
    page.set_viewport_size({"width": 360, "height": 640})

    def check_the_page() -> None:
        assert_accessible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"

    def save() -> None:
        page.locator("main form").get_by_role("button", name=_dutch("Save")).click()
        page.wait_for_load_state()

    log_in(expert.user.email)
    page.wait_for_url(live_server.url + reverse("expert:home"))
    page.get_by_role("link", name=_dutch("Change my profile")).click()
    page.wait_for_url(live_server.url + reverse("expert:profile"))
    check_the_page()

    # How to reach me: every way off is refused.
    page.get_by_role("link", name=_change("how to reach me")).click()
    page.wait_for_url(live_server.url + reverse("expert:profile_contact"))
    check_the_page()
    page.get_by_role("checkbox", name=_dutch("E-mail"), exact=True).uncheck()
    save()
    expect(page.get_by_text(_dutch("Choose at least one way to reach you."))).to_be_visible()
    check_the_page()
    assert Expert.objects.get(pk=expert.pk).contact_channels == ["email"]

    page.get_by_label(_label("Phone number")).fill("06 12345678")
    chat = _dutch("WhatsApp or another chat app")
    page.get_by_role("checkbox", name=chat).check()
    page.get_by_role("radio", name=chat).check()
    save()
    page.wait_for_url(live_server.url + reverse("expert:profile"))
    expect(page.get_by_text(_dutch("Your contact details are saved."))).to_be_visible()
    expert.refresh_from_db()
    assert (expert.phone, expert.contact_channels, expert.preferred_channel) == (
        "06 12345678",
        ["chat"],
        "chat",
    )

    # My time: hours, Monday evening and Thursday morning, online.
    page.get_by_role("link", name=_change("my time")).click()
    page.wait_for_url(live_server.url + reverse("expert:profile_availability"))
    check_the_page()
    page.get_by_label(_label("Hours per month")).fill("6,5")
    page.get_by_role("group", name=_dutch("Monday")).get_by_label(_dutch("Evening")).check()
    page.get_by_role("group", name=_dutch("Thursday")).get_by_label(_dutch("Morning")).check()
    page.get_by_role("radio", name=_dutch("Online"), exact=True).check()
    save()
    page.wait_for_url(live_server.url + reverse("expert:profile"))
    expert.refresh_from_db()
    assert expert.availability_hours_per_month == Decimal("6.5")
    assert expert.meeting_mode == "online"
    assert set(expert.available_times.values_list("weekday", "part")) == {
        (0, "evening"),
        (3, "morning"),
    }

    # A period away: the last day before the first is refused, then it is saved.
    page.get_by_role("link", name=_change("my time")).click()
    page.get_by_role("link", name=_dutch("Add a period")).click()
    page.wait_for_url(live_server.url + reverse("expert:away_create"))
    check_the_page()
    first, last = today + datetime.timedelta(days=10), today + datetime.timedelta(days=17)
    page.get_by_label(_label("First day away")).fill(last.isoformat())
    page.get_by_label(_label("Last day away")).fill(first.isoformat())
    save()
    expect(page.get_by_text(_dutch("The last day cannot be before the first day."))).to_be_visible()
    check_the_page()
    assert not AwayPeriod.objects.exists()
    page.get_by_label(_label("First day away")).fill(first.isoformat())
    page.get_by_label(_label("Last day away")).fill(last.isoformat())
    save()
    page.wait_for_url(live_server.url + reverse("expert:profile_availability"))
    check_the_page()
    assert AwayPeriod.objects.filter(expert=expert, starts_on=first, ends_on=last).exists()
    assert not Expert.objects.available(on=first).filter(pk=expert.pk).exists()

    # What leads see: share the e-mail address; the preview shows it as a lead sees it.
    page.get_by_role("link", name=_dutch("My profile"), exact=True).first.click()
    page.get_by_role("link", name=_change("what network leads see")).click()
    page.wait_for_url(live_server.url + reverse("expert:profile_sharing"))
    check_the_page()
    preview = page.locator("#lead-preview")
    expect(preview.locator("a[href^='mailto:']")).to_have_count(0)
    page.get_by_label(_label("A short introduction for network leads")).fill(
        "Moeder van twee, ervaring met jeugdhulp thuis."
    )
    page.get_by_label(_dutch("Leads of my networks may see my e-mail address")).check()
    save()
    page.wait_for_url(live_server.url + reverse("expert:profile_sharing"))
    check_the_page()
    # Without the consent to share contact details, leads do not see it yet; the page says so
    # and leads to that consent.
    expect(preview.locator("a[href^='mailto:']")).to_have_count(0)
    page.get_by_role("link", name=_dutch("Give consent to share")).click()
    page.get_by_role("button", name=_dutch("Yes, I agree")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_consents"))
    page.goto(live_server.url + reverse("expert:profile_sharing"))
    expect(page.get_by_role("link", name=_dutch("Give consent to share"))).to_have_count(0)
    expect(preview.locator("a[href^='mailto:']")).to_have_text(expert.email)
    expect(preview).to_contain_text("Moeder van twee, ervaring met jeugdhulp thuis.")
    expect(preview).not_to_contain_text("06 12345678")
    assert expert.history.first().history_user == expert.user

    # An allowance from another organisation.
    page.goto(reverse("expert:my_allowances"))
    check_the_page()
    page.get_by_role("link", name=_dutch("Add an allowance")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_allowance_create"))
    check_the_page()
    page.get_by_label(_label("Organisation")).fill("Buurthuis De Linde")
    page.get_by_label(_label("Amount in euros")).fill("40,50")
    save()
    page.wait_for_url(live_server.url + reverse("expert:my_allowances"))
    check_the_page()
    expect(page.get_by_role("heading", name="Buurthuis De Linde")).to_be_visible()
    allowance = DeclaredAllowance.objects.get(expert=expert)
    assert (allowance.amount, allowance.year, allowance.month) == (
        Decimal("40.50"),
        today.year,
        today.month,
    )
