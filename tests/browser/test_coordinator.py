"""The coordinator's door in a real browser: link an expert to a network and see the dashboard
change, match a request, and WCAG 2.1 AA (axe-core) on every page of the door.

Each browser test costs a database flush, so each test walks through many pages."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from experts.models import (
    Expertise,
    ExpertKind,
    ExpertPreferredRole,
    OrganisationKind,
    RecruitmentChannel,
)
from participation.models import Match, MatchStatus, RequestStatus
from tests.factories import (
    ActivityLogFactory,
    ConsentFactory,
    ExpertFactory,
    FeeRateFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    OrganisationFactory,
    PlacementFactory,
    RecruitmentContactFactory,
    RequestFactory,
    ThemeFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.browser

SMALL_SCREEN = {"width": 360, "height": 740}


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


def _realistic_door(coordinator) -> dict:
    """The four networks of year one with their experts, councils, a recruitment evening,
    hours waiting for approval, and a request with matches: every kind of row the door shows."""
    today = timezone.localdate()
    divorce, youth_care = ThemeFactory(name="Scheiding"), ThemeFactory(name="Jeugdzorg")
    council = OrganisationFactory(name="Jeugdformaat", kind=OrganisationKind.CLIENT_COUNCIL)
    OrganisationFactory(name="Hogeschool Leiden", kind=OrganisationKind.SCHOOL)
    evening = RecruitmentContactFactory(
        organisation=OrganisationFactory(name="Enver"),
        channel=RecruitmentChannel.COUNCIL_MEETING,
        description="Wervingsavond",
        parents_reached=3,
        follow_up_on=today - datetime.timedelta(days=3),
    )
    RecruitmentContactFactory(organisation=council, youth_reached=2)
    rate = FeeRateFactory(name="Vrijwilligersvergoeding per uur")
    first_names = iter(
        ["Anouk", "Bram", "Chloé", "Daan", "Eva", "Finn", "Gijs", "Hanna", "Ilse", "Jesse"]
        + ["Kees", "Lotte", "Mees", "Nina", "Otto"]
    )
    networks = {}
    for name, youth, parents in [
        ("Integraal Werken", 3, 0),
        ("Normaliseren", 2, 0),
        ("Kwetsbare Gezinnen", 3, 1),
        ("Complexe Scheidingen", 2, 1),
    ]:
        network = LearningNetworkFactory(name=name, slug=name.lower().replace(" ", "-"))
        networks[name] = network
        MeetingFactory(
            network=network,
            starts_at=timezone.now() - datetime.timedelta(days=10),
            ends_at=timezone.now() - datetime.timedelta(days=10, hours=-2),
            expected_participants=12 if name == "Kwetsbare Gezinnen" else 8,
        )
        for i in range(youth + parents):
            kind = ExpertKind.YOUTH if i < youth else ExpertKind.PARENT
            expert = _consenting_expert(
                # Fixed names: the search for "mila" below must find Mila alone.
                first_name=next(first_names),
                last_name="Jansen",
                kind=kind,
                expertise=Expertise.EXPERTISE if i % 2 else Expertise.KNOWLEDGE,
                recruitment_source=evening if kind == ExpertKind.PARENT else None,
                date_of_birth=datetime.date(1980 if kind == ExpertKind.PARENT else 2003, 4, 1),
            )
            expert.themes.set([divorce] if i % 2 else [youth_care])
            PlacementFactory(
                expert=expert,
                network=network,
                status="active",
                ladder_level=1 + i % 5,
                fee_rate=rate,
            )
    expert = _consenting_expert(
        first_name="Mila", last_name="de Vries", kind=ExpertKind.PARENT, recruitment_source=evening
    )
    expert.themes.set([divorce, youth_care])
    TrainingRecordFactory(expert=expert)
    placement = PlacementFactory(
        expert=expert, network=networks["Normaliseren"], status="active", fee_rate=rate
    )
    ActivityLogFactory(expert=expert, placement=placement, hours=Decimal("2.5"))
    ActivityLogFactory(expert=expert, placement=placement, hours=Decimal("12"))
    request = RequestFactory(
        title="Gastles over scheiding",
        organisation=OrganisationFactory(name="Hogeschool Leiden"),
        role="education",
    )
    request.themes.set([divorce])
    MatchFactory(request=request, expert=expert, proposed_by=coordinator)
    MatchFactory(
        request=RequestFactory(network=networks["Integraal Werken"], organisation=None),
        expert=_consenting_expert(first_name="Pim", last_name="Bakker"),
    )
    return {
        "expert": expert,
        "placement": placement,
        "network": networks["Normaliseren"],
        "request": request,
    }


IMPORT_CSV = (
    "voornaam;achternaam;e-mail;soort;ervaring;geboortedatum;beschikbaar;thema's\n"
    "Noor;Jansen;noor@voorbeeld.nl;ouder;ervaringskennis;1-2-1980;4,5;Scheiding\n"
    "Daan;de Boer;daan@voorbeeld.nl;ExpEx;getraind;17-05-2004;8;\n"
)


def test_every_page_of_the_coordinators_door_has_no_wcag_violations_and_fits_a_phone(
    page, live_server, log_in, coordinator, assert_accessible
):
    data = _realistic_door(coordinator)
    expert, placement, network, request = (
        data["expert"],
        data["placement"],
        data["network"],
        data["request"],
    )
    log_in(coordinator.email)
    page.wait_for_url(_url(live_server, "coordinator:dashboard"))

    def check(url: str) -> None:
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("h1").count() == 1, url
        assert_accessible()

    check(reverse("coordinator:dashboard"))
    assert _network_row(page, "Integraal Werken").get_by_text(_dutch("no parents")).is_visible()
    check(reverse("coordinator:activity_waiting"))
    check(reverse("coordinator:expert_list") + "?kind=parent&theme=&available=yes&sort=name")
    assert page.get_by_role("link", name="Mila de Vries").count() == 1
    check(reverse("coordinator:expert_detail", args=[expert.pk]))
    check(reverse("coordinator:expert_create"))
    # The browser's own check is switched off so that the server's messages are shown.
    page.locator("main form").evaluate("form => form.noValidate = true")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").first.is_visible()
    assert_accessible()
    check(reverse("coordinator:expert_edit", args=[expert.pk]))

    check(reverse("coordinator:expert_import"))
    page.locator("input[type=file]").set_input_files(
        {"name": "experts.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}
    )
    page.get_by_role("button", name=_dutch("Check the file")).click()
    page.wait_for_url(_url(live_server, "coordinator:expert_import_preview"))
    assert page.locator("main table").get_by_text("Noor Jansen").is_visible()
    assert_accessible()

    check(reverse("coordinator:network_list"))
    check(reverse("coordinator:network_detail", args=[network.pk]))
    check(f"{reverse('coordinator:placement_create')}?network={network.pk}")
    # From the network's side the expert is found while typing (htmx); Mila is already in
    # Normaliseren, and becomes a choice once another network is chosen.
    page.get_by_label(_dutch("Find the expert")).press_sequentially("mila", delay=50)
    mila = page.get_by_role("radio", name=re.compile(r"^Mila de Vries"))
    expect(mila).to_be_disabled()
    with translation.override("nl"):
        one_found = ngettext("%(counter)s expert found", "%(counter)s experts found", 1)
    expect(page.locator("#expert-search-status")).to_have_text(one_found % {"counter": 1})
    assert_accessible()
    _field(page, "Network").select_option(label="Integraal Werken")
    expect(mila).to_be_enabled()
    mila.check()
    page.get_by_role("button", name=_dutch("Show the effect"), exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#effect").is_visible()
    assert_accessible()
    check(reverse("coordinator:placement_edit", args=[placement.pk]))
    check(reverse("coordinator:placement_end", args=[placement.pk]))

    check(reverse("coordinator:organisation_list"))
    check(reverse("coordinator:organisation_create"))
    check(reverse("coordinator:recruitment_list"))
    check(reverse("coordinator:recruitment_create"))
    check(reverse("coordinator:recruitment_channels"))

    check(reverse("coordinator:request_list"))
    check(reverse("coordinator:request_detail", args=[request.pk]))
    assert page.locator("input[name=experts]").count() > 0
    page.locator("section[aria-labelledby=suggestions-heading] details").first.locator(
        "summary"
    ).click()
    page.locator("section[aria-labelledby=matches-heading] details summary").first.click()
    assert_accessible()
    check(reverse("coordinator:request_create"))
    check(reverse("coordinator:match_list"))
    check(reverse("coordinator:match_list") + "?status=proposed")

    # On a phone the pages do not scroll sideways; wide tables scroll inside their own box,
    # which a keyboard can reach.
    page.set_viewport_size(SMALL_SCREEN)
    for url in [
        reverse("coordinator:dashboard"),
        reverse("coordinator:expert_list"),
        reverse("coordinator:request_detail", args=[request.pk]),
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SMALL_SCREEN["width"], f"{url} is {width} px wide on a small screen"
        assert_accessible()
