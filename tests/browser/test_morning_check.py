"""The coordinator's morning check in a real browser, on a phone (360 px) and a laptop
(1280 px): open the dashboard, follow a signal's name to the person, follow "networks without
parents" to those networks, and mark a recruitment follow-up done; every page on the way has
no WCAG 2.1 A or AA violation (axe-core) and does not scroll sideways."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from experts.models import ExpertKind, OrganisationKind
from tests.factories import (
    ActivityLogFactory,
    ExpertFactory,
    LearningNetworkFactory,
    OrganisationFactory,
    PlacementFactory,
    RecruitmentContactFactory,
)

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}
HEIGHT = 800


@pytest.fixture(autouse=True)
def _no_cached_dashboard():
    """The dashboard's cache lives in this process; no test sees another test's figures."""
    cache.clear()
    yield
    cache.clear()


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _seed() -> dict:
    """Two networks without parents and one with, an expert quiet for months, a new expert
    (not quiet: just added) and a busy one, and recruitment contacts with a follow-up due and
    one later."""
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    integraal = LearningNetworkFactory(name="Integraal Werken", slug="integraal-werken")
    normaliseren = LearningNetworkFactory(name="Normaliseren", slug="normaliseren")
    kwetsbaar = LearningNetworkFactory(name="Kwetsbare Gezinnen", slug="kwetsbare-gezinnen")
    quiet = ExpertFactory(
        first_name="Stijn",
        last_name="van der Stil-Oosterhout",
        kind=ExpertKind.YOUTH,
        created_at=long_ago,
    )
    PlacementFactory(expert=quiet, network=integraal, starts_on=today - datetime.timedelta(300))
    PlacementFactory(
        expert=ExpertFactory(first_name="Nieuwe", last_name="Aanmelding"),
        network=normaliseren,
        starts_on=today - datetime.timedelta(300),
    )
    busy = ExpertFactory(kind=ExpertKind.PARENT, created_at=long_ago)
    PlacementFactory(expert=busy, network=kwetsbaar)
    ActivityLogFactory(expert=busy, date=today - datetime.timedelta(days=3))
    due = RecruitmentContactFactory(
        organisation=OrganisationFactory(
            name="Cliëntenraad Jeugdbescherming en Jeugdreclassering Zuid-Holland",
            kind=OrganisationKind.CLIENT_COUNCIL,
        ),
        description="Terugbellen over de wervingsavond in de ouderkamer",
        follow_up_on=today - datetime.timedelta(days=2),
    )
    RecruitmentContactFactory(
        organisation=OrganisationFactory(name="Enver"),
        follow_up_on=today + datetime.timedelta(days=5),
    )
    return {"quiet": quiet, "without_parents": [integraal, normaliseren], "due": due}


def _problems(page, axe_report) -> list[str]:
    """What is wrong with the page as it is now, with every <details> opened."""
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.evaluate("window.innerWidth"):
        problems.append(f"{page.url} is {width} px wide")
    if report := axe_report():
        problems.append(f"axe-core on {page.url}:\n{report}")
    return problems


def _signal(page, key: str):
    return page.locator(f"#signal-{key}")


def _open_who(signal) -> None:
    """Open the names under a signal, as a visitor does (the checks may have opened them)."""
    if not signal.locator("details").evaluate("details => details.open"):
        signal.locator("summary").click()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_coordinators_morning_check(
    page, live_server, log_in, axe_report, coordinator, settings, width
):
    # Cached as in production: marking a follow-up done must show on the dashboard at once.
    settings.SAMEN_DASHBOARD_CACHE_SECONDS = 60
    data = _seed()
    page.set_viewport_size({"width": width, "height": HEIGHT})
    dashboard = live_server.url + reverse("coordinator:dashboard")
    problems: list[str] = []

    log_in(coordinator.email)
    page.wait_for_url(dashboard)
    problems += _problems(page, axe_report)

    # The quiet expert, and only them: the expert added today has not been quiet for 30 days.
    inactive = _signal(page, "inactive")
    expect(inactive.locator(".stat")).to_have_text("1")
    _open_who(inactive)
    inactive.get_by_role("link", name=data["quiet"].full_name).click()
    page.wait_for_url(
        live_server.url + reverse("coordinator:expert_detail", args=[data["quiet"].pk])
    )
    expect(page.locator("h1")).to_contain_text("Stijn")
    problems += _problems(page, axe_report)

    # "Networks without parents" opens those networks; a name under it opens its page.
    page.goto(reverse("coordinator:dashboard"))
    without = _signal(page, "without_parents")
    expect(without.locator(".stat")).to_have_text("2")
    without.get_by_role("link", name=_dutch("Networks without parents")).click()
    page.wait_for_url(re.compile(r"\?parents=none$"))
    rows = page.locator("main tbody tr th[scope=row] a")
    expect(rows).to_have_text(["Integraal Werken", "Normaliseren"])
    problems += _problems(page, axe_report)
    page.goto(reverse("coordinator:dashboard"))
    without = _signal(page, "without_parents")
    _open_who(without)
    without.get_by_role("link", name="Normaliseren").click()
    normaliseren = data["without_parents"][1]
    page.wait_for_url(
        live_server.url + reverse("coordinator:network_detail", args=[normaliseren.pk])
    )
    problems += _problems(page, axe_report)

    # The follow-up that is due: to the list of follow-ups to do, marked done there.
    page.goto(reverse("coordinator:dashboard"))
    follow_ups = _signal(page, "follow_ups")
    expect(follow_ups.locator(".stat")).to_have_text("1")
    follow_ups.get_by_role("link", name=_dutch("Recruitment contacts to get back to")).click()
    page.wait_for_url(re.compile(r"\?follow_up=due$"))
    expect(page.locator("main tbody tr")).to_have_count(1)
    problems += _problems(page, axe_report)
    page.get_by_role("button", name=re.compile(rf"^{_dutch('Followed up')}\b")).click()
    page.wait_for_url(re.compile(r"\?follow_up=due$"))
    organisation = data["due"].organisation.name
    message = _dutch("The follow-up with %(organisation)s is done.") % {
        "organisation": organisation
    }
    expect(page.get_by_text(message)).to_be_visible()
    expect(page.locator("main tbody tr")).to_have_count(1)  # the row saying there are none
    expect(page.locator("main tbody").get_by_role("button")).to_have_count(0)
    problems += _problems(page, axe_report)
    data["due"].refresh_from_db()
    assert data["due"].follow_up_done_by == coordinator

    page.goto(reverse("coordinator:dashboard"))
    expect(_signal(page, "follow_ups").locator(".stat")).to_have_text("0")

    assert not problems, f"{len(problems)} problem(s) at {width} px:\n" + "\n".join(problems)
