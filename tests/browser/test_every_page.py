"""Every page of the coordinator's door, and the lead's and the expert's home pages, on a phone
(360 px) and on a laptop (1280 px): no WCAG 2.1 A or AA violation (axe-core), one h1, no sideways
scrolling of the page itself, every table in a focusable, named scroll region, and page links
that keep the filters.

The coordinator's pages are found by walking the URL resolver, so a new page is checked without
being listed; ``COORDINATOR_PAGES`` says how to open each one, and a page missing from it fails
the test. Each width is one test: one browser context, one login per door, every page in a loop,
and every problem reported at the end, not only the first."""

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from experts.invitations.services import expert_invite, invitation_withdraw, invitations_accept
from experts.models import (
    AvailableTime,
    AwayPeriod,
    Expertise,
    ExpertKind,
    ExpertPreferredRole,
    ExpertSupportNeed,
    Invitation,
    OrganisationKind,
    RecruitmentChannel,
    TrainingKind,
    TrainingRequest,
)
from experts.trainings.services import training_request_handle, training_request_submit
from participation.models import (
    ActivityKind,
    DeclaredAllowance,
    ErasureRequest,
    MatchStatus,
    PaymentStatus,
)
from tests.factories import (
    ActivityLogFactory,
    ConsentFactory,
    ExpertFactory,
    FeeRateFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    OrganisationFactory,
    PaymentFactory,
    PlacementFactory,
    RecruitmentContactFactory,
    RequestFactory,
    ThemeFactory,
    TrainingFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}
HEIGHT = 800


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


# How to open a page of the coordinator's door.


PAGE = "page"
POST_ONLY = "post only"  # changes data: a GET must answer 405
DOWNLOAD = "download"  # a file: a GET must answer with an attachment


@dataclasses.dataclass(frozen=True)
class Visit:
    """How to open a URL: ``obj`` names the seeded object whose pk fills ``<int:pk>``; ``query``
    may name seeded objects too (``{network}`` becomes its pk). ``prepare`` runs first, to reach
    a page that needs an earlier step; ``shows`` asserts that the page shows the seeded rows;
    each of ``then`` brings the page into another state, which is checked as well."""

    obj: str | None = None
    query: str = ""
    prepare: Callable | None = None
    shows: Callable | None = None
    then: tuple[Callable, ...] = ()
    kind: str = PAGE


IMPORT_CSV = (
    "voornaam;achternaam;e-mail;soort;ervaring;geboortedatum;beschikbaar;thema's\n"
    "Noor;Jansen;noor@voorbeeld.nl;ouder;ervaringskennis;1-2-1980;4,5;Scheiding\n"
    "Daan;de Boer;daan.de.boer-vanderhoeven@ervaringsdeskundigen-jeugdzorg.nl;ExpEx;getraind;"
    "17-05-2004;8;\n"
)


def _upload_the_import_file(page, data) -> None:
    page.goto(reverse("coordinator:expert_import"))
    page.locator("input[type=file]").set_input_files(
        {"name": "experts.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}
    )
    page.get_by_role("button", name=_dutch("Check the file")).click()
    page.wait_for_url(re.compile(re.escape(reverse("coordinator:expert_import_preview")) + "$"))
    assert page.locator("main table").get_by_text("Noor Jansen").is_visible()


# The coordinator's own spreadsheet: a first name Samen cannot place ("Naam"), a long column
# name, a remarks column and a kind Samen does not know ("pleegouder").
OWN_SPREADSHEET_CSV = (
    "\ufeffNaam;E-mailadres;ExpEx of ouder;Beschikbaarheid in uren per maand (gemiddeld);"
    "Opmerkingen\r\n"
    "Noor;noor.jansen-vanoosterhout@ervaringsdeskundigen-jeugdzorg.nl;pleegouder;4;"
    "Wil graag meedenken over de ouderbijeenkomsten in Leidschendam-Voorburg\r\n"
    "Daan;daan@voorbeeld.nl;ExpEx;8;\r\n"
)


def _upload_a_file_to_map(page, data) -> None:
    page.goto(reverse("coordinator:expert_import"))
    page.locator("input[type=file]").set_input_files(
        {"name": "deelnemers.csv", "mimeType": "text/csv", "buffer": OWN_SPREADSHEET_CSV.encode()}
    )
    page.get_by_role("button", name=_dutch("Check the file")).click()
    page.wait_for_url(re.compile(re.escape(reverse("coordinator:expert_import_mapping")) + "$"))


def _columns_and_values_to_choose(page, data) -> None:
    expect(page.get_by_label("Naam", exact=True)).to_have_value("")
    expect(page.get_by_label("ExpEx of ouder", exact=True)).to_have_value("kind")
    expect(page.get_by_label(re.compile(r"^pleegouder \(1 "))).to_be_visible()


def _save_without_a_first_name(page, data) -> None:
    page.get_by_role("button", name=_dutch("Save the choices and check again")).click()
    page.wait_for_load_state()
    expect(page.locator("#mapping-problems")).to_be_visible()


def _submit_the_empty_form(page, data) -> None:
    # The browser's own check is switched off so that the server's messages are shown.
    page.locator("main form").evaluate("form => form.noValidate = true")
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").first.is_visible()


def _find_mila_while_typing(page, data) -> None:
    # Mila is already in Normaliseren (the network chosen), so she is shown but not a choice.
    page.get_by_label(_dutch("Find the expert")).press_sequentially("mila", delay=30)
    mila = page.get_by_role("radio", name=re.compile(r"^Mila de Vries"))
    expect(mila).to_be_disabled()
    with translation.override("nl"):
        one_found = ngettext("%(counter)s expert found", "%(counter)s experts found", 1)
    expect(page.locator("#expert-search-status")).to_have_text(one_found % {"counter": 1})


def _show_the_effect(page, data) -> None:
    page.get_by_label(re.compile(rf"^\s*{re.escape(_dutch('Network'))}\s*\*?\s*$")).select_option(
        label="Integraal Werken"
    )
    mila = page.get_by_role("radio", name=re.compile(r"^Mila de Vries"))
    expect(mila).to_be_enabled()
    mila.check()
    page.get_by_role("button", name=_dutch("Show the effect"), exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#effect")).to_be_visible()


def _a_network_without_parents(page, data) -> None:
    row = page.locator("#networks tbody tr").filter(has_text="Integraal Werken")
    expect(row.get_by_text(_dutch("no parents"))).to_be_visible()


def _a_full_page_of_young_experts(page, data) -> None:
    expect(page.locator("#expert-results tbody tr")).to_have_count(25)
    expect(page.get_by_role("link", name=_dutch("Next"))).to_be_visible()


def _suggestions_and_matches(page, data) -> None:
    expect(page.locator("section[aria-labelledby=matches-heading] tbody tr")).to_have_count(3)
    assert page.locator("input[name=experts]").count() > 0


def _an_ended_placement_can_be_reopened(page, data) -> None:
    page.goto(reverse("coordinator:placement_edit", args=[data["ended_placement"].pk]))
    expect(page.get_by_role("button", name=_dutch("Reopen this placement"))).to_be_visible()


def _refuse_an_answer(page, data) -> None:
    """A "no" without a reason comes back on its own page, with the message at the field."""
    row = page.locator("main tbody tr").filter(has=page.locator("details")).first
    # The page's check opened every <details> already; a click on the summary would close it.
    row.locator("details").evaluate("details => { details.open = true; }")
    row.get_by_label(_dutch("No"), exact=True).check()
    row.get_by_role("button", name=_dutch("Save the answer")).click()
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_role("link", name=_dutch("Cancel"))).to_be_visible()


def _hours_waiting(page, data) -> None:
    # Mila's two, Pim's and the logged-in expert's own waiting hours.
    expect(page.locator("main tbody tr")).to_have_count(4)


def _experts_with_the_contact_details_they_share(page, data) -> None:
    expect(page.locator("main a[href^='mailto:']")).to_have_count(12)


def _own_themes_and_trainings(page, data) -> None:
    expect(page.get_by_text("Jeugdbeschermingsmaatregelen")).to_be_visible()


def _own_hours_in_every_state(page, data) -> None:
    for state in ["Waiting for approval", "Approved", "Not approved"]:
        label = re.compile(rf"^\s*{re.escape(_dutch(state))}\s*$")  # "Niet goedgekeurd"
        expect(page.locator("main .badge", has_text=label)).to_have_count(1)


def _open_training_requests(page, data) -> None:
    expect(page.get_by_role("button", name=re.compile(_dutch("Handled")))).to_have_count(2)


def _one_erasure_request(page, data) -> None:
    expect(page.get_by_role("link", name=data["erasure_request"].expert.full_name)).to_be_visible()


def _own_pay_in_every_state(page, data) -> None:
    for words in ["Paid on %(date)s", "Approved, will be paid in the pay run of %(date)s"]:
        expect(page.get_by_text(_dutch(words).split("%(date)s")[0].strip()).first).to_be_visible()
    expect(page.get_by_text("SAMEN-2025-BETAALD-0001")).to_be_visible()
    expect(page.get_by_text("€ 1.234,50")).to_be_visible()


def _own_development(page, data) -> None:
    expect(page.locator("[aria-current=step]")).to_have_count(1)
    expect(page.get_by_text("Intervisie voor ervaringsdeskundige ouders")).to_be_visible()


def _invitations_in_every_state(page, data) -> None:
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(4)
    for state in ["Open", "Expired", "Withdrawn", "Accepted"]:
        label = re.compile(rf"^\s*{re.escape(_dutch(state))}\s*$")  # "Open" is in "Verlopen"
        expect(rows.locator(".badge", has_text=label)).to_have_count(1)
    # Only the open and the expired invitation can be sent again.
    expect(page.get_by_role("button", name=re.compile(_dutch("Send again")))).to_have_count(2)


def _open_the_menu(page, data) -> None:
    """On a phone the menu folds into a button; its open state must fit as well."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.show").wait_for()


# Every URL name of the coordinator's door and how to open it. A new URL without an entry here
# fails the test, so that no page goes unchecked.
COORDINATOR_PAGES: dict[str, Visit] = {
    "dashboard": Visit(shows=_a_network_without_parents, then=(_open_the_menu,)),
    "activity_waiting": Visit(shows=_hours_waiting),
    "activity_receipt": Visit(obj="activity_log", kind=DOWNLOAD),
    "expert_list": Visit(query="?kind=youth&sort=name", shows=_a_full_page_of_young_experts),
    "expert_detail": Visit(obj="expert"),
    "expert_create": Visit(then=(_submit_the_empty_form,)),
    "expert_edit": Visit(obj="expert"),
    "expert_export": Visit(kind=DOWNLOAD),
    "expert_invite": Visit(obj="expert", kind=POST_ONLY),
    "expert_parent_link_resend": Visit(obj="expert", kind=POST_ONLY),
    "consent_create": Visit(obj="expert", then=(_submit_the_empty_form,)),
    "consent_withdraw": Visit(obj="consent"),
    "consent_scan": Visit(obj="consent", kind=DOWNLOAD),
    "expert_import": Visit(),
    "expert_import_template": Visit(kind=DOWNLOAD),
    "expert_import_preview": Visit(prepare=_upload_the_import_file),
    "expert_import_mapping": Visit(
        prepare=_upload_a_file_to_map,
        shows=_columns_and_values_to_choose,
        then=(_save_without_a_first_name,),
    ),
    "expert_import_confirm": Visit(kind=POST_ONLY),
    "organisation_list": Visit(),
    "organisation_create": Visit(then=(_submit_the_empty_form,)),
    "organisation_edit": Visit(obj="organisation"),
    "recruitment_list": Visit(),
    "recruitment_create": Visit(),
    "recruitment_edit": Visit(obj="recruitment_contact"),
    "recruitment_follow_up_done": Visit(obj="recruitment_contact", kind=POST_ONLY),
    "recruitment_channels": Visit(),
    "network_list": Visit(),
    "network_detail": Visit(obj="network"),
    "placement_create": Visit(
        query="?network={network}", then=(_find_mila_while_typing, _show_the_effect)
    ),
    "placement_edit": Visit(obj="placement", then=(_an_ended_placement_can_be_reopened,)),
    "placement_end": Visit(obj="placement"),
    "placement_reopen": Visit(obj="placement", kind=POST_ONLY),
    "request_list": Visit(),
    "request_create": Visit(),
    "request_detail": Visit(obj="request", shows=_suggestions_and_matches),
    "request_edit": Visit(obj="request"),
    "match_propose": Visit(obj="request", kind=POST_ONLY),
    "match_list": Visit(query="?status=proposed", then=(_refuse_an_answer,)),
    "match_answer": Visit(obj="match", kind=POST_ONLY),
    "invitation_list": Visit(shows=_invitations_in_every_state),
    "invitation_resend": Visit(obj="invitation", kind=POST_ONLY),
    "invitation_withdraw": Visit(obj="invitation", kind=POST_ONLY),
    "training_request_list": Visit(shows=_open_training_requests),
    "training_request_handled": Visit(obj="training_request", kind=POST_ONLY),
    "erasure_list": Visit(shows=_one_erasure_request),
    "erasure_detail": Visit(obj="erasure_request"),
    "erasure_confirm": Visit(obj="erasure_request", kind=POST_ONLY),
    "erasure_refuse": Visit(obj="erasure_request", kind=POST_ONLY),
}


def _patterns(resolver: URLResolver, namespace: str) -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}", pattern


def coordinator_urls() -> dict[str, list[str]]:
    """Every named URL of the coordinator's door, with the names of its arguments."""
    _prefix, resolver = get_resolver().namespace_dict["coordinator"]
    return {
        name: sorted(pattern.pattern.regex.groupindex)
        for name, pattern in _patterns(resolver, "coordinator")
    }


def test_every_page_of_the_coordinators_door_is_known_to_this_module():
    urls = coordinator_urls()
    names = {name.removeprefix("coordinator:") for name in urls}

    assert names - COORDINATOR_PAGES.keys() == set(), "add these pages to COORDINATOR_PAGES"
    assert COORDINATOR_PAGES.keys() - names == set(), "these pages are gone"
    for name, arguments in urls.items():
        visit = COORDINATOR_PAGES[name.removeprefix("coordinator:")]
        assert arguments == (["pk"] if visit.obj else []), name


# The seeded door.


def _consenting_expert(**kwargs):
    expert = ExpertFactory(**kwargs)
    ConsentFactory(expert=expert, purpose="participation")
    return expert


def _seed(*, coordinator, lead, expert_user) -> dict:
    """The four networks of year one with their experts and their lead, a council and a school
    with long names and e-mail addresses, recruitment contacts (one overdue), hours waiting for
    approval, requests with proposed, confirmed and declined matches, and enough young experts
    for a second page: every kind of row the doors show, with the long Dutch words that break
    narrow layouts. Each test seeds it anew: the live server's database is emptied after every
    test."""
    today = timezone.localdate()
    divorce = ThemeFactory(name="Scheiding")
    youth_care = ThemeFactory(name="Jeugdzorg")
    protection = ThemeFactory(name="Jeugdbeschermingsmaatregelen")
    council = OrganisationFactory(
        name="Cliëntenraad Jeugdbescherming en Jeugdreclassering Zuid-Holland",
        kind=OrganisationKind.CLIENT_COUNCIL,
        city="Alphen aan den Rijn",
        contact_name="Marieke van den Heuvel-Oudshoorn",
        contact_email="secretariaat.clientenraad@jeugdbeschermingzuidholland.nl",
    )
    school = OrganisationFactory(
        name="Hogeschool Leiden",
        kind=OrganisationKind.SCHOOL,
        city="Leiden",
        contact_email="opleidingsmanager.socialwerk@hsleiden.nl",
    )
    evening = RecruitmentContactFactory(
        organisation=OrganisationFactory(name="Enver", city="Rotterdam"),
        channel=RecruitmentChannel.COUNCIL_MEETING,
        description="Wervingsavond in de ouderkamer van de ambulante jeugdhulpverlening",
        parents_reached=3,
        follow_up_on=today - datetime.timedelta(days=3),
        created_by=coordinator,
    )
    RecruitmentContactFactory(organisation=council, youth_reached=2, created_by=coordinator)
    RecruitmentContactFactory(
        organisation=school, channel=RecruitmentChannel.COUNCIL_MEETING, youth_reached=12
    )
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
        network = LearningNetworkFactory(
            name=name, slug=name.lower().replace(" ", "-"), leads=[lead]
        )
        networks[name] = network
        MeetingFactory(
            network=network,
            title=f"Netwerkbijeenkomst {name}",
            starts_at=timezone.now() - datetime.timedelta(days=10),
            ends_at=timezone.now() - datetime.timedelta(days=10, hours=-2),
            expected_participants=12 if name == "Kwetsbare Gezinnen" else 8,
        )
        MeetingFactory(network=network, title="Intervisie en casuïstiekbespreking")
        for i in range(youth + parents):
            kind = ExpertKind.YOUTH if i < youth else ExpertKind.PARENT
            first_name = next(first_names)
            expert = _consenting_expert(
                # Fixed names: the search for "mila" must find Mila alone.
                first_name=first_name,
                last_name="Jansen-van Oosterhout",
                email=f"{first_name.lower()}.jansen-vanoosterhout@ervaringsdeskundigen-jeugd.nl",
                city="Capelle aan den IJssel",
                kind=kind,
                expertise=Expertise.EXPERTISE if i % 2 else Expertise.KNOWLEDGE,
                recruitment_source=evening if kind == ExpertKind.PARENT else None,
                date_of_birth=datetime.date(1980 if kind == ExpertKind.PARENT else 2003, 4, 1),
                share_email_with_leads=True,
                share_phone_with_leads=True,
                phone="06-12345678",
            )
            # Leads see what they share: they consented to sharing it.
            ConsentFactory(expert=expert, purpose="sharing")
            expert.themes.set([divorce, protection] if i % 2 else [youth_care])
            PlacementFactory(
                expert=expert,
                network=network,
                status="active",
                ladder_level=1 + i % 5,
                fee_rate=rate,
            )
    # More young experts than fit on one page of the registry.
    for _ in range(24):
        _consenting_expert(kind=ExpertKind.YOUTH, city="Leidschendam-Voorburg")
    expert = _consenting_expert(
        first_name="Mila",
        last_name="de Vries",
        email="mila.devries-ervaringsdeskundige@jeugdbeschermingzuidholland.nl",
        kind=ExpertKind.PARENT,
        recruitment_source=evening,
        coach="Ingrid Ouwehand",
        coach_contact="ingrid.ouwehand@jeugdbeschermingzuidholland.nl",
        bio="Moeder van drie kinderen, waarvan één in de jeugdbescherming.",
        private_notes="Liever geen bijeenkomsten op woensdagmiddag.",
    )
    expert.themes.set([divorce, youth_care, protection])
    ExpertPreferredRole.objects.create(expert=expert, role="education")
    TrainingRecordFactory(expert=expert)
    placement = PlacementFactory(
        expert=expert, network=networks["Normaliseren"], status="active", fee_rate=rate
    )
    with_receipt = ActivityLogFactory(
        expert=expert,
        placement=placement,
        hours=Decimal("2.5"),
        description="Voorbereiding van de ouderbijeenkomst over jeugdbeschermingsmaatregelen",
        travel_costs=Decimal("12.40"),
    )
    with_receipt.receipt.save("receipt.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    ActivityLogFactory(expert=expert, placement=placement, hours=Decimal("12"))
    request = RequestFactory(
        title="Gastles over ervaringsdeskundigheid bij jeugdbeschermingsmaatregelen",
        organisation=school,
        contact_name="Opleidingsmanager Social Work",
        contact_email="opleidingsmanager.socialwerk@hsleiden.nl",
        role="education",
        perspective="parent",
        competencies="Vertellen over je eigen ervaring; vragen van studenten beantwoorden.",
    )
    request.themes.set([divorce, protection])
    MatchFactory(
        request=request,
        expert=expert,
        proposed_by=coordinator,
        expectations="Een gastles van twee uur en een voorgesprek met de docent.",
    )
    for status in [MatchStatus.DECLINED, MatchStatus.CONFIRMED]:
        other = _consenting_expert(kind=ExpertKind.PARENT)
        MatchFactory(
            request=request,
            expert=other,
            status=status,
            declined_reason="Past niet in de agenda" if status == MatchStatus.DECLINED else "",
            expert_confirmed_at=timezone.now() if status == MatchStatus.CONFIRMED else None,
            requester_confirmed_at=timezone.now() if status == MatchStatus.CONFIRMED else None,
        )
    network_request = RequestFactory(
        title="Meelezen met de nieuwe werkwijze",
        network=networks["Integraal Werken"],
        organisation=None,
    )
    pim = _consenting_expert(first_name="Pim", last_name="Bakker")
    MatchFactory(request=network_request, expert=pim)
    ActivityLogFactory(
        expert=pim,
        kind=ActivityKind.REQUEST,
        hours=Decimal("3"),
        description="Meegelezen",
    )
    # The expert who logs in: a profile with every part filled.
    own = expert_user.expert
    own.themes.set([divorce, protection])
    own.availability_notes = "Op maandag- en donderdagavond, niet in de schoolvakanties."
    own.save()
    ExpertPreferredRole.objects.create(expert=own, role="education")
    ConsentFactory(expert=own, purpose="participation")
    TrainingRecordFactory(expert=own, completed_on=datetime.date(2025, 3, 1))
    own_log = _own_hours(own, network=networks["Kwetsbare Gezinnen"], coordinator=coordinator)
    training_request = _own_pay_and_development(own, coordinator=coordinator)
    training_request_submit(
        expert=expert,
        training=None,
        wish="Omgaan met spanning tijdens netwerkbijeenkomsten over jeugdbeschermingsmaatregelen",
        note="Het liefst op een avond.",
    )
    own_away, own_allowance = _own_profile(own)
    invitation = _invitations(coordinator, mila=expert)
    # A parent's paper consent with its scan, for a young expert: the consent pages.
    photos = ConsentFactory(
        expert=expert,
        purpose="photos",
        given_by="guardian",
        given_by_name="Marieke van den Heuvel-Oudshoorn",
        method="paper",
        recorded_by=coordinator,
    )
    photos.scan.save("scan.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    ended = PlacementFactory(
        expert=expert,
        network=networks["Kwetsbare Gezinnen"],
        status="ended",
        ends_on=today,
        end_reason="Per ongeluk gestopt: ze wilde alleen een maand pauze.",
    )
    return {
        "invitation": invitation,
        "expert": expert,
        "placement": placement,
        "network": networks["Normaliseren"],
        "request": request,
        "organisation": council,
        "recruitment_contact": evening,
        "match": request.matches.get(status=MatchStatus.PROPOSED),
        "consent": photos,
        "ended_placement": ended,
        "activity_log": with_receipt,
        "own_log": own_log,
        "training_request": training_request,
        # An erasure asked for by an expert who is not on the other pages.
        "erasure_request": ErasureRequest.objects.create(
            expert=ExpertFactory(first_name="Wessel", last_name="van Wissen-Verbeek")
        ),
        "own_away": own_away,
        "own_allowance": own_allowance,
    }


def _own_profile(own):
    """The logging expert's profile with every part filled, long Dutch words included; returns
    an away period and an allowance from elsewhere."""
    own.phone = "06 12345678"
    own.contact_by_chat = True
    own.preferred_channel = "chat"
    own.goals = "Leren om in een grote groep over mijn ervaringen met jeugdbescherming te vertellen"
    own.support_note = "Graag de stukken een week van tevoren, dan kan ik ze rustig voorlezen"
    own.save()
    for need in ["companion", "reading"]:
        ExpertSupportNeed.objects.create(expert=own, need=need)
    for weekday, part in [(0, "evening"), (3, "morning"), (3, "evening")]:
        AvailableTime.objects.create(expert=own, weekday=weekday, part=part)
    today = timezone.localdate()
    away = AwayPeriod.objects.create(
        expert=own,
        starts_on=today + datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=28),
    )
    allowance = DeclaredAllowance.objects.create(
        expert=own,
        organisation_name="Stichting Vrijwilligerswerk Leidschendam-Voorburg en omstreken",
        year=today.year,
        month=today.month,
        amount=Decimal("75.50"),
    )
    return away, allowance


def _own_hours(own, *, network, coordinator):
    """The logging expert's hours in every state, with long Dutch words and a receipt; returns
    one that still waits."""
    from participation.hours.services import activity_log_set_status
    from participation.models import ActivityStatus

    placement = PlacementFactory(
        expert=own,
        network=network,
        status="active",
        starts_on=timezone.localdate() - datetime.timedelta(days=90),
    )
    waiting = ActivityLogFactory(
        expert=own,
        placement=placement,
        hours=Decimal("3.25"),
        travel_costs=Decimal("14.60"),
        description="Voorbereidingsgesprek over jeugdbeschermingsmaatregelen met de trekker",
    )
    waiting.receipt.save("receipt.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    for status in [ActivityStatus.APPROVED, ActivityStatus.REJECTED]:
        log = ActivityLogFactory(expert=own, placement=placement, kind=ActivityKind.PREP)
        activity_log_set_status(
            log=log,
            status=status,
            by=coordinator,
            reason="Deze uren stonden al op de ondersteuningsbijeenkomstenlijst van oktober",
        )
    return waiting


def _own_pay_and_development(own, *, coordinator) -> TrainingRequest:
    """The logging expert's payments in every state, peer supervision and training requests
    (one handled); returns the open request."""
    year = timezone.localdate().year
    PaymentFactory(
        expert=own,
        year=year,
        month=1,
        status=PaymentStatus.PAID,
        paid_at=timezone.now(),
        allowance_amount=Decimal("1234.50"),
        costs_amount=Decimal("14.60"),
        reference="SAMEN-2025-BETAALD-0001",
    )
    PaymentFactory(expert=own, year=year, month=1, fee_amount=Decimal("75"))
    PaymentFactory(expert=own, year=year - 1, month=12, status=PaymentStatus.CANCELLED)
    TrainingRecordFactory(
        expert=own,
        training=TrainingFactory(
            name="Intervisie voor ervaringsdeskundige ouders", kind=TrainingKind.INTERVISION
        ),
        started_on=datetime.date(2025, 5, 12),
        hours=Decimal("2"),
    )
    handled, _new = training_request_submit(
        expert=own, training=TrainingFactory(name="Presenteren voor een grote groep"), wish=""
    )
    training_request_handle(training_request=handled, by=coordinator)
    open_request, _new = training_request_submit(
        expert=own,
        training=None,
        wish="Schrijven over je eigen ervaringen met jeugdbeschermingsmaatregelen",
        note="<b>Graag</b> in het voorjaar, niet op woensdag.",
    )
    return open_request


def _invitations(coordinator, *, mila) -> Invitation:
    """One invitation in each state, with long names and addresses; Mila's has expired. Returns
    the open one."""
    invitations = [
        expert_invite(
            expert=ExpertFactory(
                first_name=first_name,
                last_name="van Oosterhout-Vlieland",
                email=f"{first_name.lower()}.vanoosterhout-vlieland@ouderraad-jeugdhulp.nl",
                kind=ExpertKind.PARENT,
            ),
            sent_by=coordinator,
        )
        for first_name in ["Rosalie", "Wilhelmina", "Annemarijn"]
    ]
    open_one, withdrawn, accepted = invitations
    invitation_withdraw(invitation=withdrawn, withdrawn_by=coordinator)
    accepted.expert.user.set_password("Zomer-fiets-2026!")
    accepted.expert.user.save()
    invitations_accept(user=accepted.expert.user)
    expired = expert_invite(expert=mila, sent_by=coordinator)
    Invitation.objects.filter(pk=expired.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=30),
        expires_at=timezone.now() - datetime.timedelta(days=16),
    )
    return open_one


# The checks.

# Elements and texts that stick out past the right edge of the screen, outside a table's scroll
# region: what to fix when the page scrolls sideways.
OVERFLOWING = """() => {
  const width = window.innerWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
  const outside = el => !el.closest('.table-responsive');
  const found = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && outside(el.parentElement))
    .map(el => `${name(el)} (to ${Math.round(el.getBoundingClientRect().right)} px)`);
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (texts.nextNode()) {
    range.selectNodeContents(texts.currentNode);
    const right = range.getBoundingClientRect().right;
    const parent = texts.currentNode.parentElement;
    if (right > width + 0.5 && outside(parent)) {
      const text = texts.currentNode.textContent.trim().slice(0, 40);
      found.push(`"${text}" in ${name(parent)} (to ${Math.round(right)} px)`);
    }
  }
  return found.slice(0, 6);
}"""

# Tables that are not in a focusable scroll region named by an element on the page.
TABLES_WITHOUT_REGION = """() => [...document.querySelectorAll('table')]
  .filter(table => !table.parentElement.closest('table'))
  .filter(table => {
    const region = table.parentElement;
    const label = region.getAttribute('aria-labelledby');
    return !(region.matches('.table-responsive[role=region][tabindex="0"]')
      && label && document.getElementById(label));
  })
  .map(table => (table.caption ? table.caption.textContent : table.outerHTML).trim().slice(0, 60))
"""

# Page links that lose a filter of the current page.
PAGE_LINKS_WITHOUT_FILTERS = """() => {
  const wanted = new URLSearchParams(location.search);
  wanted.delete('page');
  return [...document.querySelectorAll('nav .pagination a[href]')]
    .filter(link => {
      const params = new URL(link.href).searchParams;
      return [...wanted].some(([key, value]) => !params.getAll(key).includes(value))
        || !params.has('page');
    })
    .map(link => link.getAttribute('href'));
}"""


def _problems_on(page, axe_report) -> list[str]:
    """What is wrong with the page as it is now. Closed <details> are opened first: their
    content must fit and pass too."""
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    problems = []
    if (count := page.locator("h1").count()) != 1:
        problems.append(f"{count} h1 elements instead of one")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.evaluate("window.innerWidth"):
        problems.append(
            f"the page is {width} px wide; sticking out: {', '.join(page.evaluate(OVERFLOWING))}"
        )
    if tables := page.evaluate(TABLES_WITHOUT_REGION):
        problems.append(f"tables outside a focusable, named scroll region: {tables}")
    if links := page.evaluate(PAGE_LINKS_WITHOUT_FILTERS):
        problems.append(f"page links that lose the filters: {links}")
    if report := axe_report():
        problems.append(f"axe-core:\n{report}")
    return problems


def _coordinator_visits(data: dict) -> Iterator[tuple[str, Visit | None, str]]:
    """Each URL of the coordinator's door with its visit (None when COORDINATOR_PAGES has no
    entry for it), filled in with the seeded objects."""
    ids = {key: value.pk for key, value in data.items()}
    for name in coordinator_urls():
        visit = COORDINATOR_PAGES.get(name.removeprefix("coordinator:"))
        if visit is None:
            yield name, None, ""
            continue
        url = reverse(name, kwargs={"pk": ids[visit.obj]} if visit.obj else {})
        yield name, visit, url + visit.query.format(**ids)


def _visit(page, axe_report, visit: Visit, url: str, data: dict) -> list[str]:
    if visit.kind == POST_ONLY:
        status = page.request.get(url, max_redirects=0).status
        return [] if status == 405 else [f"a GET answers {status}, not 405"]
    if visit.kind == DOWNLOAD:
        response = page.request.get(url, max_redirects=0)
        kind = response.headers.get("content-disposition", "")
        return [] if response.ok and "attachment" in kind else [f"no download: {response.status}"]
    if visit.prepare:
        visit.prepare(page, data)
    response = page.goto(url)
    if response.status != 200 or urlsplit(page.url).path != urlsplit(url).path:
        return [f"answers {response.status} at {page.url}"]
    problems = _problems_on(page, axe_report)
    step_name = "shows"
    try:
        if visit.shows:
            visit.shows(page, data)
        for step in visit.then:
            step_name = step.__name__
            step(page, data)
            problems += [f"after {step_name}: {found}" for found in _problems_on(page, axe_report)]
    except Exception as error:  # a timeout or a failed assertion: reported with the rest
        problems.append(f"{step_name}: {type(error).__name__}: {error}")
    return problems


@pytest.fixture(autouse=True)
def _no_cached_dashboard():
    """The dashboard's cache lives in this process; no test sees another test's figures."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_page_has_no_wcag_violations_and_no_sideways_scrolling(
    page, live_server, log_in, axe_report, coordinator, lead, expert_user, width
):
    data = _seed(coordinator=coordinator, lead=lead, expert_user=expert_user)
    page.set_viewport_size({"width": width, "height": HEIGHT})
    problems: list[str] = []

    def check(name: str, visit: Visit | None, url: str) -> None:
        try:
            if visit is None:
                raise LookupError("no entry in COORDINATOR_PAGES: the page was not checked")
            found = _visit(page, axe_report, visit, url, data)
        except Exception as error:  # a timeout or a failed step: reported with the rest
            found = [f"{type(error).__name__}: {error}"]
        problems.extend(f"{name} at {width} px: {problem}" for problem in found)

    log_in(coordinator.email)
    page.wait_for_url(live_server.url + reverse("coordinator:dashboard"))
    for name, visit, url in _coordinator_visits(data):
        check(name, visit, url)
    # The lead and the expert log in in the same browser context, after the coordinator.
    for user, home, visit in [
        (lead, "lead:home", Visit(shows=_experts_with_the_contact_details_they_share)),
        (expert_user, "expert:home", Visit(shows=_own_themes_and_trainings)),
    ]:
        page.context.clear_cookies()
        log_in(user.email)
        check(home, visit, reverse(home))
    # The expert's own pages beyond the home page.
    for name, visit, args in [
        ("expert:my_hours", Visit(shows=_own_hours_in_every_state), []),
        ("expert:my_hours_create", Visit(then=(_submit_the_empty_form,)), []),
        ("expert:my_hours_edit", Visit(), [data["own_log"].pk]),
        ("expert:my_hours_withdraw", Visit(), [data["own_log"].pk]),
        ("expert:my_hours_receipt", Visit(kind=DOWNLOAD), [data["own_log"].pk]),
        ("expert:account", Visit(), []),
        ("usersessions_list", Visit(), []),
        ("expert:my_pay", Visit(shows=_own_pay_in_every_state), []),
        ("expert:my_development", Visit(shows=_own_development), []),
        ("expert:training_request_create", Visit(then=(_submit_the_empty_form,)), []),
        ("expert:profile", Visit(), []),
        ("expert:profile_contact", Visit(), []),
        ("expert:profile_availability", Visit(), []),
        ("expert:away_create", Visit(), []),
        ("expert:away_edit", Visit(), [data["own_away"].pk]),
        ("expert:away_delete", Visit(), [data["own_away"].pk]),
        ("expert:profile_themes", Visit(), []),
        ("expert:profile_growth", Visit(), []),
        ("expert:profile_sharing", Visit(), []),
        ("expert:my_allowances", Visit(), []),
        ("expert:my_allowance_create", Visit(), []),
        ("expert:my_allowance_edit", Visit(), [data["own_allowance"].pk]),
        ("expert:my_allowance_delete", Visit(), [data["own_allowance"].pk]),
        ("expert:my_benefit", Visit(), []),
    ]:
        check(name, visit, reverse(name, args=args))

    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
