"""The coordinator's door in a real browser: link an expert to a network and see the dashboard
change, and match a request. WCAG 2.1 AA and small screens on every page of the door:
test_every_page.py."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from experts.models import (
    ExpertKind,
    ExpertPreferredRole,
    OrganisationKind,
)
from participation.models import Match, MatchStatus, RequestStatus
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    LearningNetworkFactory,
    OrganisationFactory,
    PlacementFactory,
    RequestFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _no_cached_dashboard():
    """The dashboard's cache lives in this process; no test sees another test's figures."""
    cache.clear()
    yield
    cache.clear()


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def _network_row(page, name: str):
    return page.locator("#networks tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(name)}\b"))
    )


def _field(page, label: str):
    """A form field by its whole label; crispy marks a required field's label with "*"."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(_dutch(label))}\s*\*?\s*$"))


def _consenting_expert(**kwargs):
    expert = ExpertFactory(**kwargs)
    ConsentFactory(expert=expert, purpose="participation")
    return expert


def test_linking_a_parent_shows_the_effect_first_and_the_dashboard_at_once(
    page, live_server, log_in, coordinator, settings
):
    # The figures are cached as in production, so the test also proves a saved placement is
    # on the dashboard at once, without "Update now".
    settings.SAMEN_DASHBOARD_CACHE_SECONDS = 60
    network = LearningNetworkFactory(
        name="Normaliseren", slug="normaliseren", target_youth=2, target_parents=2
    )
    PlacementFactory(network=network, expert=_consenting_expert(), status="active")
    parent = _consenting_expert(
        first_name="Petra",
        last_name="Ouder",
        kind=ExpertKind.PARENT,
        date_of_birth=datetime.date(1981, 3, 2),
    )

    log_in(coordinator.email)
    page.wait_for_url(_url(live_server, "coordinator:dashboard"))
    row = _network_row(page, "Normaliseren")
    assert row.locator("td").nth(1).inner_text() == "0/2"
    assert row.get_by_text(_dutch("no parents")).is_visible()

    page.goto(reverse("coordinator:expert_detail", args=[parent.pk]))
    page.get_by_role("link", name=_dutch("Link to a network")).click()
    page.wait_for_url(f"{_url(live_server, 'coordinator:placement_create')}?expert={parent.pk}")
    # From the expert's page the expert is fixed: shown by name, sent along unseen.
    assert page.locator("#expert-name").inner_text() == f"Petra Ouder ({_dutch('Parent')})"
    assert page.locator("input[name=expert]").get_attribute("type") == "hidden"
    assert page.locator("input[name=expert]").input_value() == str(parent.pk)
    _field(page, "Network").select_option(label="Normaliseren")
    _field(page, "Participation ladder").select_option("2")
    page.get_by_label(_dutch("Connecting")).check()
    _field(page, "What is expected").fill("Meedenken in de kerngroep.")
    _field(page, "Hours per month").fill("4")
    page.get_by_role("button", name=_dutch("Show the effect"), exact=True).click()
    page.wait_for_load_state()

    effect = page.locator("#effect")
    parents = effect.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=_dutch("Parents"), exact=True)
    )
    assert [cell.inner_text() for cell in parents.locator("td").all()] == ["0", "1", "2", "1"]
    assert effect.get_by_text(_dutch("The network gets its first parent.")).is_visible()
    assert effect.get_by_text(_dutch("Nothing is saved yet.")).is_visible()
    assert not parent.placements.exists()

    page.get_by_role("button", name=_dutch("Save the placement")).click()
    page.wait_for_url(_url(live_server, "coordinator:network_detail", network.pk))
    assert (
        page.get_by_text(
            _dutch("%(expert)s is now linked to %(network)s.")
            % {"expert": "Petra Ouder", "network": "Normaliseren"}
        ).count()
        == 1
    )

    page.goto(reverse("coordinator:dashboard"))
    row = _network_row(page, "Normaliseren")
    assert row.locator("td").nth(1).inner_text() == "1/2"
    assert row.get_by_text(_dutch("no parents")).count() == 0


def test_coordinator_proposes_the_best_fit_and_records_both_answers(
    page, live_server, log_in, coordinator
):
    divorce, youth_care = ThemeFactory(name="Scheiding"), ThemeFactory(name="Jeugdzorg")
    request = RequestFactory(
        title="Gastles over scheiding",
        question="Wil je aan studenten vertellen hoe de scheiding van je ouders voor jou was?",
        organisation=OrganisationFactory(name="Hogeschool Leiden", kind=OrganisationKind.SCHOOL),
        perspective="youth",
        role="education",
        expected_hours=Decimal("3"),
        experts_wanted=1,
    )
    request.themes.set([divorce, youth_care])
    best = _consenting_expert(first_name="Mila", last_name="de Vries")
    best.themes.set([divorce, youth_care])
    ExpertPreferredRole.objects.create(expert=best, role="education")
    _consenting_expert(first_name="Joris", last_name="Bakker")
    _consenting_expert(first_name="Sanne", last_name="Visser").themes.set([youth_care])
    ExpertFactory(first_name="Geen", last_name="Toestemming").themes.set([divorce])

    log_in(coordinator.email)
    page.wait_for_url(_url(live_server, "coordinator:dashboard"))
    page.goto(reverse("coordinator:request_detail", args=[request.pk]))

    suggestions = page.locator("section[aria-labelledby=suggestions-heading] tbody tr:has(input)")
    names = [row.locator("th[scope=row] a").inner_text() for row in suggestions.all()]
    assert names == ["Mila de Vries", "Sanne Visser", "Joris Bakker"]
    first = suggestions.first
    first.locator("summary").click()
    reasons = first.locator("details table")
    assert reasons.is_visible()
    assert reasons.get_by_text(
        _dutch("%(shared)s of the %(wanted)s themes match.") % {"shared": 2, "wanted": 2}
    ).is_visible()

    page.get_by_label(_dutch("Propose %(name)s") % {"name": "Mila de Vries"}).check()
    page.locator("#id_expectations").fill("Een gastles van een uur en een voorgesprek.")
    page.get_by_role("button", name=_dutch("Propose the checked experts")).click()
    page.wait_for_load_state()

    matches = page.locator("section[aria-labelledby=matches-heading] tbody tr")
    assert matches.count() == 1
    mila = matches.first
    assert mila.get_by_role("rowheader").get_by_role("link").inner_text() == "Mila de Vries"
    assert _dutch("Proposed") in mila.locator("td").first.inner_text()
    assert Match.objects.get(request=request).status == MatchStatus.PROPOSED

    for side in (_dutch("Expert"), _dutch("Requester")):
        row = page.locator("section[aria-labelledby=matches-heading] tbody tr").first
        row.get_by_text(_dutch("Record an answer")).click()
        # The side still missing is chosen for the coordinator.
        assert row.get_by_label(side, exact=True).is_checked()
        row.get_by_label(_dutch("Yes"), exact=True).check()
        row.get_by_role("button", name=_dutch("Save the answer")).click()
        page.wait_for_load_state()

    mila = page.locator("section[aria-labelledby=matches-heading] tbody tr").first
    assert mila.locator("td").first.inner_text().strip() == _dutch("Confirmed by both")
    assert page.locator("h1 .badge").inner_text() == _dutch("Matched")
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED
