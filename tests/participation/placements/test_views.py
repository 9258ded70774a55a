"""Placements in the coordinator's door: who may open the pages, the preview that writes
nothing, the forms that show the services' refusals (tests/participation/placements/
test_services.py tests the rules themselves), the ladder history, and query counts that do not
grow with the data."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from experts.models import ExpertKind, ExpertPreferredRole, ExpertRole, ExpertStatus
from participation.models import (
    Circle,
    PaymentScheme,
    Placement,
    PlacementRole,
    PlacementStatus,
)
from participation.placements import services as placement_services
from participation.placements.services import Agreements
from tests.factories import (
    ExpertFactory,
    FeeRateFactory,
    LearningNetworkFactory,
    MeetingFactory,
    PlacementFactory,
)

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
ALLOWED = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 200, "admin": 200}


def _today() -> datetime.date:
    return timezone.localdate()


def _form_data(expert, network, **overrides) -> dict:
    data = {
        "expert": expert.pk,
        "network": network.pk,
        "starts_on": "2025-02-03",
        "ladder_level": "3",
        "circle": "",
        "expectations": "Meedenken in de bijeenkomsten.",
        "hours_per_month": "4",
        "attendance_agreement": "Elke bijeenkomst",
        "continuity_agreement": "Een jaar",
        "payment_scheme": PaymentScheme.VOLUNTEER_ALLOWANCE,
        "fee_rate": "",
        "travel_costs_reimbursed": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Access ------------------------------------------------------------------------------------


@pytest.fixture
def placement(network):
    return PlacementFactory(network=network, expert=ExpertFactory(first_name="Pim"))


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(
    "url_name, needs",
    [
        ("coordinator:network_list", None),
        ("coordinator:network_detail", "network"),
        ("coordinator:placement_create", None),
        ("coordinator:placement_edit", "placement"),
        ("coordinator:placement_end", "placement"),
    ],
)
def test_only_coordinators_and_admins_reach_the_placement_pages(
    visitor, url_name, needs, placement
):
    name, client = visitor
    args = {None: [], "network": [placement.network.pk], "placement": [placement.pk]}[needs]
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == ALLOWED[name], (name, url_name)
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("visitor", ["anonymous", "expert", "lead"], indirect=True)
def test_outsiders_cannot_create_change_or_end_a_placement_by_posting(visitor, placement):
    name, client = visitor
    expert = ExpertFactory()
    before = Placement.objects.count()
    responses = [
        client.post(
            reverse("coordinator:placement_create"),
            {**_form_data(expert, placement.network), "preview": "1"},
        ),
        client.post(
            reverse("coordinator:placement_end", args=[placement.pk]),
            {"ends_on": str(_today()), "reason": "Gestopt"},
        ),
    ]
    assert [r.status_code for r in responses] == [ALLOWED[name]] * 2
    assert Placement.objects.count() == before
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ACTIVE


@pytest.mark.parametrize(
    "url_name, needs",
    [
        ("coordinator:network_list", None),
        ("coordinator:network_detail", "network"),
    ],
)
def test_read_only_pages_refuse_post_with_405(coordinator_client, placement, url_name, needs):
    args = [placement.network.pk] if needs else []
    assert coordinator_client.post(reverse(url_name, args=args)).status_code == 405


@pytest.mark.parametrize(
    "url_name, needs",
    [
        ("coordinator:placement_create", None),
        ("coordinator:placement_edit", "placement"),
        ("coordinator:placement_end", "placement"),
    ],
)
def test_form_pages_refuse_other_methods_with_405(coordinator_client, placement, url_name, needs):
    args = [placement.pk] if needs else []
    assert coordinator_client.delete(reverse(url_name, args=args)).status_code == 405


def test_unknown_network_and_placement_are_404(coordinator_client):
    assert (
        coordinator_client.get(reverse("coordinator:network_detail", args=[999999])).status_code
        == 404
    )
    assert (
        coordinator_client.get(reverse("coordinator:placement_edit", args=[999999])).status_code
        == 404
    )


# --- Pages: create with preview ---------------------------------------------------------------


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def test_create_page_from_the_experts_side_fixes_the_expert(coordinator_client, network):
    expert = ExpertFactory(first_name="Petra", last_name="Ouder", kind=ExpertKind.PARENT)
    url = reverse("coordinator:placement_create")
    response = coordinator_client.get(f"{url}?expert={expert.pk}&network={network.pk}")
    content = response.content.decode()
    assert response.context["fixed_expert"] == expert
    initial = response.context["form"].initial
    assert (initial["expert"], initial["network"]) == (expert.pk, network.pk)
    assert "Petra Ouder" in content and _dutch("Parent") in content
    assert f'<input type="hidden" name="expert" value="{expert.pk}">' in content
    assert 'type="radio" name="expert"' not in content and 'name="q"' not in content
    assert f'action="{url}?expert={expert.pk}"' in content  # a preview keeps it fixed
    # "Choose another expert" drops the expert and keeps the network.
    assert response.context["choose_another_url"] == f"{url}?network={network.pk}"
    assert _dutch("Choose another expert") in content


def test_a_new_link_starts_from_the_experts_preferred_roles_and_hours_left(
    coordinator_client, network
):
    expert = ExpertFactory(availability_hours_per_month=Decimal("10"))
    ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.EDUCATION)
    ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.ADVOCACY)
    PlacementFactory(expert=expert, hours_per_month=Decimal("4"), status="active")
    PlacementFactory(expert=expert, hours_per_month=Decimal("9"), status="ended", ends_on=_today())

    response = coordinator_client.get(
        reverse("coordinator:placement_create"), {"expert": expert.pk}
    )

    form = response.context["form"]
    assert sorted(form["roles"].value()) == [ExpertRole.ADVOCACY, ExpertRole.EDUCATION]
    assert form["hours_per_month"].value() == Decimal("6")
    content = response.content.decode()
    for role in ("education", "advocacy"):
        assert re.search(rf'<input[^>]*value="{role}"[^>]*checked', content), role
    assert not re.search(r'<input[^>]*value="research_policy"[^>]*checked', content)


def test_a_new_link_never_starts_from_negative_hours(coordinator_client):
    expert = ExpertFactory(availability_hours_per_month=Decimal("2"))
    PlacementFactory(expert=expert, hours_per_month=Decimal("4"), status="active")
    response = coordinator_client.get(
        reverse("coordinator:placement_create"), {"expert": expert.pk}
    )
    assert response.context["form"]["hours_per_month"].value() == Decimal("0")


def test_create_page_from_the_networks_side_searches_for_the_expert(coordinator_client, network):
    url = reverse("coordinator:placement_create")
    response = coordinator_client.get(f"{url}?network={network.pk}")
    content = response.content.decode()
    assert response.context["fixed_expert"] is None
    assert response.context["form"].initial["network"] == network.pk
    assert 'id="expert-search" name="q"' in content
    assert '<label for="expert-search"' in content
    assert 'aria-live="polite"' in content
    assert 'hx-trigger="input changed delay:300ms, search' in content
    # Without words nobody is listed yet.
    assert response.context["expert_search"].experts == []
    garbage = coordinator_client.get(f"{url}?expert=abc")
    assert garbage.context["fixed_expert"] is None
    assert "expert" not in garbage.context["form"].initial


def test_create_page_for_a_stopped_expert_says_so_and_offers_the_search(coordinator_client):
    stopped = ExpertFactory(status=ExpertStatus.STOPPED)
    url = reverse("coordinator:placement_create")
    response = coordinator_client.get(f"{url}?expert={stopped.pk}")
    assert response.context["fixed_expert"] is None
    assert response.context["unplaceable_expert"]
    assert 'name="q"' in response.content.decode()


def test_expert_search_finds_by_name_email_or_place_and_only_who_may_be_placed(
    coordinator_client, network
):
    petra = ExpertFactory(first_name="Petra", last_name="Ouder", city="Leiden")
    by_mail = ExpertFactory(first_name="Ali", last_name="Yilmaz", email="petra.fan@voorbeeld.nl")
    by_place = ExpertFactory(first_name="Joris", last_name="Bakker", city="Petrakerk")
    ExpertFactory(first_name="Petra", last_name="Gestopt", status=ExpertStatus.STOPPED)
    ExpertFactory(first_name="Petra", last_name="Gewist", status=ExpertStatus.ERASED)
    ExpertFactory(first_name="Sanne", last_name="Visser")
    linked = ExpertFactory(first_name="Petra-Lynn", last_name="Al")
    PlacementFactory(expert=linked, network=network)
    url = reverse("coordinator:placement_create")

    response = coordinator_client.get(url, {"network": network.pk, "q": " petra "})

    found = response.context["expert_search"].experts
    assert {expert.pk for expert in found} == {petra.pk, by_mail.pk, by_place.pk, linked.pk}
    assert [expert.pk for expert in found if expert.in_network] == [linked.pk]
    content = response.content.decode()
    assert 'fieldset class="mt-2">' in content and _dutch("Choose the expert") in content
    assert f'id="expert-{linked.pk}" value="{linked.pk}" disabled>' in content
    assert f'id="expert-{petra.pk}" value="{petra.pk}">' in content
    assert _dutch("already in this network") in content
    # Every word must match: first and last name together find one expert.
    both = coordinator_client.get(url, {"q": "petra ouder"}).context["expert_search"]
    assert [expert.pk for expert in both.experts] == [petra.pk]


def test_expert_search_shows_at_most_twenty_and_says_there_are_more(coordinator_client):
    ExpertFactory.create_batch(21, first_name="Sam")
    response = coordinator_client.get(reverse("coordinator:placement_create"), {"q": "sam"})
    search = response.context["expert_search"]
    assert len(search.experts) == 20 and search.more
    assert response.content.decode().count('type="radio" name="expert"') == 20


def test_expert_search_with_htmx_returns_only_the_results_and_the_status(coordinator_client):
    chosen = ExpertFactory(first_name="Mila", last_name="de Vries")
    ExpertFactory(first_name="Milan", last_name="Jansen")
    response = coordinator_client.get(
        reverse("coordinator:placement_create"),
        {"q": "jansen", "expert": chosen.pk},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert "<html" not in content and "<form" not in content
    assert 'id="expert-search-status" hx-swap-oob="innerHTML"' in content
    # The expert already checked stays in the list, first and checked.
    names = [expert.full_name for expert in response.context["expert_search"].experts]
    assert names == ["Mila de Vries", "Milan Jansen"]
    assert f'value="{chosen.pk}" checked>' in content
    assert "HX-Request" in response["Vary"]


def test_search_without_javascript_keeps_every_entered_value(coordinator_client, network):
    ExpertFactory(first_name="Noor", last_name="Jansen")
    data = {
        **_form_data(ExpertFactory(), network, hours_per_month="6"),
        "expert": None,
        "travel_costs_reimbursed": None,
        "roles": [ExpertRole.EDUCATION],
        "q": "noor",
        "find": "1",
    }
    data = {key: value for key, value in data.items() if value is not None}
    response = coordinator_client.post(reverse("coordinator:placement_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and not form.errors
    assert form.initial["network"] == str(network.pk)
    assert form.initial["hours_per_month"] == "6"
    assert form.initial["roles"] == [ExpertRole.EDUCATION]
    assert form.initial["travel_costs_reimbursed"] is False
    assert [e.full_name for e in response.context["expert_search"].experts] == ["Noor Jansen"]
    assert response.context["effect"] is None
    content = response.content.decode()
    assert 'value="noor"' in content and 'name="hours_per_month" value="6"' in content
    assert not Placement.objects.exists()


@pytest.mark.parametrize("status", [ExpertStatus.STOPPED, ExpertStatus.ERASED, None])
def test_posted_expert_is_still_checked_on_the_server(coordinator_client, network, status):
    expert = ExpertFactory(status=status or ExpertStatus.ACTIVE)
    pk = expert.pk if status else expert.pk + 1000
    response = coordinator_client.post(
        reverse("coordinator:placement_create"),
        {**_form_data(expert, network), "expert": pk, "preview": "1"},
    )
    errors = response.context["form"].errors["expert"]
    assert errors == [
        _dutch("Select a valid choice. That choice is not one of the available choices.")
    ]
    assert "geldige keuze" in errors[0]
    assert response.context["effect"] is None
    without_expert = _form_data(expert, network)
    del without_expert["expert"]
    missing = coordinator_client.post(
        reverse("coordinator:placement_create"), {**without_expert, "preview": "1"}
    )
    assert missing.context["form"].errors["expert"] == ["Kies een ExpEx of ouder."]
    assert "Kies een ExpEx of ouder." in missing.content.decode()


def test_preview_after_a_search_keeps_the_chosen_expert_checked(coordinator_client, network):
    chosen = ExpertFactory(consent_to_take_part=True, first_name="Noor", last_name="Jansen")
    data = {**_form_data(chosen, network), "q": "iemand anders"}
    url = reverse("coordinator:placement_create")
    preview = coordinator_client.post(url, {**data, "preview": "1"})
    assert preview.context["effect"] is not None
    assert f'value="{chosen.pk}" checked>' in preview.content.decode()
    # Searching again does not change what was previewed.
    saved = coordinator_client.post(
        url,
        {**data, "q": "nog iemand", "save": "1", "previewed": preview.context["fingerprint"]},
    )
    assert saved.status_code == 302
    assert Placement.objects.get().expert == chosen


def test_preview_shows_the_effect_and_writes_nothing(coordinator_client):
    network = LearningNetworkFactory(target_youth=3, target_parents=2)
    PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.YOUTH))
    MeetingFactory(network=network, expected_participants=10)
    parent = ExpertFactory(
        consent_to_take_part=True,
        kind=ExpertKind.PARENT,
        availability_hours_per_month=Decimal("5"),
    )
    PlacementFactory(expert=parent, hours_per_month=Decimal("3"))  # in another network
    before = {model: model.objects.count() for model in (Placement, Placement.history.model)}

    response = coordinator_client.post(
        reverse("coordinator:placement_create"),
        {**_form_data(parent, network, hours_per_month="4"), "preview": "1"},
    )

    assert response.status_code == 200
    assert {model: model.objects.count() for model in before} == before
    effect = response.context["effect"]
    assert (effect.before.youth, effect.before.parents) == (1, 0)
    assert (effect.after.youth, effect.after.parents) == (1, 1)
    assert (effect.before.shortfall, effect.after.shortfall) == (4, 3)
    assert effect.before.without_parents and not effect.after.without_parents
    assert (effect.agreed_hours_after, effect.availability) == (Decimal("7"), Decimal("5"))
    assert effect.over_availability
    assert (effect.next_meeting_size_after, effect.group_limit) == (11, 10)
    assert effect.next_meeting_too_large
    content = response.content.decode()
    assert 'name="save"' in content
    assert response.context["fingerprint"] in content


def test_save_after_preview_creates_the_placement_with_roles_and_who(
    coordinator_client, coordinator
):
    network, expert = LearningNetworkFactory(), ExpertFactory(consent_to_take_part=True)
    data = {
        **_form_data(expert, network, ladder_level="2"),
        "roles": [ExpertRole.CONNECTING, ExpertRole.EDUCATION],
    }
    url = reverse("coordinator:placement_create")
    preview = coordinator_client.post(url, {**data, "preview": "1"})
    response = coordinator_client.post(
        url, {**data, "save": "1", "previewed": preview.context["fingerprint"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coordinator:network_detail", args=[network.pk])
    placement = Placement.objects.get(expert=expert, network=network)
    assert (placement.ladder_level, placement.circle, placement.created_by) == (
        2,
        Circle.CORE,
        coordinator,
    )
    assert placement.history.get().history_user == coordinator
    assert sorted(placement.roles.values_list("role", flat=True)) == ["connecting", "education"]


def test_save_without_preview_or_after_a_change_shows_the_effect_first(coordinator_client):
    network, expert = LearningNetworkFactory(), ExpertFactory(consent_to_take_part=True)
    url = reverse("coordinator:placement_create")
    data = _form_data(expert, network)
    unseen = coordinator_client.post(url, {**data, "save": "1"})
    preview = coordinator_client.post(url, {**data, "preview": "1"})
    changed = coordinator_client.post(
        url,
        {**data, "hours_per_month": "40", "save": "1", "previewed": preview.context["fingerprint"]},
    )
    assert unseen.status_code == changed.status_code == 200
    assert changed.context["changed_since_preview"]
    assert changed.context["effect"].agreed_hours_after == Decimal("40")
    assert not Placement.objects.exists()


def test_duplicate_is_shown_on_the_form_already_at_preview(coordinator_client):
    existing = PlacementFactory()
    response = coordinator_client.post(
        reverse("coordinator:placement_create"),
        {**_form_data(existing.expert, existing.network), "preview": "1"},
    )
    message = placement_services.duplicate_message(expert=existing.expert, network=existing.network)
    assert response.context["form"].non_field_errors() == [message]
    assert "is al gekoppeld aan" in message  # the coordinator reads it in Dutch
    assert response.context["effect"] is None
    assert Placement.objects.count() == 1


def test_circle_by_hand_needs_a_circle(coordinator_client):
    response = coordinator_client.post(
        reverse("coordinator:placement_create"),
        {
            **_form_data(ExpertFactory(), LearningNetworkFactory()),
            "choose_circle": "on",
            "preview": "1",
        },
    )
    assert "circle" in response.context["form"].errors


# --- Pages: edit and end ----------------------------------------------------------------------


def test_a_rate_that_expired_since_may_stay_but_not_be_chosen_anew(coordinator_client):
    expired = FeeRateFactory(name="Oud tarief", valid_until=datetime.date(2024, 12, 31))
    placement = PlacementFactory(fee_rate=expired)
    other = PlacementFactory()
    url = reverse("coordinator:placement_edit", args=[placement.pk])
    assert expired in coordinator_client.get(url).context["form"].fields["fee_rate"].queryset
    data = _form_data(placement.expert, placement.network, fee_rate=str(expired.pk))
    assert coordinator_client.post(url, {**data, "hours_per_month": "6"}).status_code == 302
    placement.refresh_from_db()
    assert (placement.fee_rate, placement.hours_per_month) == (expired, Decimal("6"))
    with pytest.raises(ValidationError) as refused:
        placement_services.placement_update(
            placement=other,
            ladder_level=3,
            roles=[],
            agreements=Agreements(fee_rate=expired),
            changed_by=None,
        )
    assert "fee_rate" in refused.value.message_dict


def test_edit_page_changes_the_level_and_shows_the_history(coordinator_client, coordinator):
    placement = PlacementFactory(ladder_level=4, circle=Circle.SECOND)
    url = reverse("coordinator:placement_edit", args=[placement.pk])
    data = _form_data(placement.expert, placement.network, ladder_level="1", circle="second")
    data.update(choose_circle="on", roles=[ExpertRole.RESEARCH_POLICY])
    assert coordinator_client.post(url, data).status_code == 302
    placement.refresh_from_db()
    assert (placement.ladder_level, placement.circle, placement.circle_overridden) == (
        1,
        Circle.SECOND,
        True,
    )
    page = coordinator_client.get(url)
    history = page.context["history"]
    assert [(h["old_level"], h["new_level"], h["by"]) for h in history][-1] == (4, 1, coordinator)
    assert coordinator.name in page.content.decode()


def test_edit_warns_when_agreed_hours_go_over_the_availability(coordinator_client):
    placement = PlacementFactory(expert=ExpertFactory(availability_hours_per_month=Decimal("4")))
    response = coordinator_client.post(
        reverse("coordinator:placement_edit", args=[placement.pk]),
        _form_data(placement.expert, placement.network, hours_per_month="9"),
        follow=True,
    )
    levels = [m.level_tag for m in response.context["messages"]]
    assert "warning" in levels


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_coordinators_and_admins_reopen_a_placement_and_only_by_posting(visitor):
    name, client = visitor
    placement = PlacementFactory(
        status=PlacementStatus.ENDED,
        ends_on=_today(),
        end_reason="x",
        expert=ExpertFactory(consent_to_take_part=True),
    )
    url = reverse("coordinator:placement_reopen", args=[placement.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    placement.refresh_from_db()
    if name in {"coordinator", "admin"}:
        assert response["Location"] == reverse("coordinator:placement_edit", args=[placement.pk])
        assert placement.status == PlacementStatus.ACTIVE
    else:
        assert response.status_code == ALLOWED[name]
        assert placement.status == PlacementStatus.ENDED


def test_an_ended_placement_offers_to_reopen_it_and_says_why_when_refused(coordinator_client):
    placement = PlacementFactory(
        status=PlacementStatus.ENDED, ends_on=_today(), end_reason="Per ongeluk"
    )
    edit = reverse("coordinator:placement_edit", args=[placement.pk])
    reopen = reverse("coordinator:placement_reopen", args=[placement.pk])
    assert f'action="{reopen}"' in coordinator_client.get(edit).content.decode()

    # Linked again since: reopening would make two open links; the page says so.
    PlacementFactory(expert=placement.expert, network=placement.network, status="active")
    with translation.override("nl"):
        response = coordinator_client.post(reopen, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED
    message = _dutch(
        "%(expert)s is already linked to %(network)s. Change that placement, or end it first."
    ) % {"expert": placement.expert.full_name, "network": placement.network.name}
    assert message in [str(m) for m in response.context["messages"]]


def test_an_unknown_placement_cannot_be_reopened(coordinator_client):
    url = reverse("coordinator:placement_reopen", args=[999999])
    assert coordinator_client.post(url).status_code == 404


def test_end_page_needs_a_reason_then_ends(coordinator_client):
    placement = PlacementFactory(starts_on=datetime.date(2025, 1, 1))
    url = reverse("coordinator:placement_end", args=[placement.pk])
    empty = coordinator_client.post(url, {"ends_on": str(_today()), "reason": ""})
    assert "reason" in empty.context["form"].errors
    early = coordinator_client.post(url, {"ends_on": "2024-12-01", "reason": "Gestopt"})
    assert "ends_on" in early.context["form"].errors
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ACTIVE

    done = coordinator_client.post(url, {"ends_on": str(_today()), "reason": "Gestopt"})
    assert done.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.end_reason) == (PlacementStatus.ENDED, "Gestopt")


# --- Pages: networks --------------------------------------------------------------------------


def test_network_detail_groups_open_placements_by_circle_and_level(coordinator_client):
    network = LearningNetworkFactory(target_youth=2, target_parents=1)
    core = PlacementFactory(network=network, ladder_level=2, circle=Circle.CORE)
    by_hand = PlacementFactory(
        network=network, ladder_level=1, circle=Circle.SECOND, circle_overridden=True
    )
    PlacementFactory(
        network=network, status=PlacementStatus.ENDED, ends_on=datetime.date(2025, 2, 1)
    )
    MeetingFactory(network=network, expected_participants=12)
    response = coordinator_client.get(reverse("coordinator:network_detail", args=[network.pk]))
    circles = {c["circle"]: c for c in response.context["circles"]}
    assert [p for level in circles["core"]["levels"] for p in level["placements"]] == [core]
    second = {level["level"]: level["placements"] for level in circles["second"]["levels"]}
    assert second[1] == [by_hand]
    assert response.context["composition"].youth == 2
    assert response.context["meetings"][0].too_large
    assert f"?network={network.pk}" in response.content.decode()


def test_network_list_shows_composition_and_flags_networks_without_parents(coordinator_client):
    network = LearningNetworkFactory(name="Integraal Werken", target_youth=3, target_parents=2)
    for _ in range(3):
        PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.YOUTH))
    PlacementFactory(network=network, status=PlacementStatus.PROPOSED)
    response = coordinator_client.get(reverse("coordinator:network_list"))
    row = next(n for n in response.context["networks"] if n.pk == network.pk)
    assert (row.composition.youth, row.composition.parents, row.composition.shortfall) == (3, 0, 2)
    assert row.composition.without_parents
    assert row.not_yet_active == 1


def test_network_list_filters_active_networks_without_parents(coordinator_client):
    lonely = LearningNetworkFactory(name="Normaliseren")
    PlacementFactory(network=lonely, expert=ExpertFactory(kind=ExpertKind.YOUTH))
    PlacementFactory(
        network=lonely,
        expert=ExpertFactory(kind=ExpertKind.PARENT),
        status=PlacementStatus.PROPOSED,  # proposed: not yet a parent in the network
    )
    with_parent = LearningNetworkFactory(name="Kwetsbare Gezinnen")
    PlacementFactory(network=with_parent, expert=ExpertFactory(kind=ExpertKind.PARENT))
    stopped = LearningNetworkFactory(name="Gestopt", is_active=False)
    url = reverse("coordinator:network_list")

    filtered = coordinator_client.get(url, {"parents": "none"})
    unknown = coordinator_client.get(url, {"parents": "misschien"})

    assert [n.pk for n in filtered.context["networks"]] == [lonely.pk]
    assert "1 actief leernetwerk zonder ouders" in filtered.content.decode()
    assert unknown.status_code == 200
    assert {n.pk for n in unknown.context["networks"]} == {lonely.pk, with_parent.pk, stopped.pk}
    assert not unknown.context["without_parents"]


# --- Query counts -----------------------------------------------------------------------------


def _populate(*, networks: int, experts_each: int) -> list:
    made = []
    for _ in range(networks):
        network = LearningNetworkFactory()
        for index in range(experts_each):
            kind = ExpertKind.PARENT if index % 3 == 0 else ExpertKind.YOUTH
            placement = PlacementFactory(
                network=network, expert=ExpertFactory(kind=kind), ladder_level=1 + index % 5
            )
            PlacementRole.objects.create(placement=placement, role=ExpertRole.CONNECTING)
        MeetingFactory(network=network)
        made.append(network)
    return made


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_network_list_queries_do_not_grow_with_the_data(
    coordinator_client, django_assert_max_num_queries
):
    url = reverse("coordinator:network_list")
    _populate(networks=2, experts_each=2)
    small = _count(coordinator_client, url)
    _populate(networks=10, experts_each=6)
    assert len(coordinator_client.get(url).context["networks"]) == 12
    assert _count(coordinator_client, url) == small
    # Framework (2): session, user.
    # Ours (2): the networks with their kept counts, placements not yet active and next
    # meeting; their leads.
    with django_assert_max_num_queries(4):
        coordinator_client.get(url)


def test_network_detail_queries_do_not_grow_with_the_placements(
    coordinator_client, django_assert_max_num_queries
):
    (small_network,) = _populate(networks=1, experts_each=2)
    (large_network,) = _populate(networks=1, experts_each=25)
    small_url = reverse("coordinator:network_detail", args=[small_network.pk])
    large_url = reverse("coordinator:network_detail", args=[large_network.pk])
    assert _count(coordinator_client, small_url) == _count(coordinator_client, large_url)
    # Framework (2): session, user. Ours (5): the network, its open placements with expert and
    # rate, their roles, its composition, the recent meetings.
    with django_assert_max_num_queries(7):
        coordinator_client.get(large_url)


def test_placement_edit_queries_do_not_grow_with_the_history(
    coordinator_client, django_assert_max_num_queries
):
    placement = PlacementFactory(ladder_level=5, circle=Circle.THIRD)
    url = reverse("coordinator:placement_edit", args=[placement.pk])
    small = _count(coordinator_client, url)
    for level in (4, 3, 2, 1, 2, 3, 4, 5, 4):
        placement_services.placement_update(
            placement=placement,
            ladder_level=level,
            roles=[ExpertRole.EDUCATION],
            agreements=Agreements(),
            changed_by=None,
        )
    assert len(coordinator_client.get(url).context["history"]) == 10
    assert _count(coordinator_client, url) == small
    # Framework (2): session, user. Ours (4): the placement with expert, network and rate; its
    # roles; the history with who changed it; the rates valid today for the form.
    with django_assert_max_num_queries(6):
        coordinator_client.get(url)


def _create_page(client, query: str) -> tuple[int, int]:
    url = reverse("coordinator:placement_create") + query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content)


@pytest.mark.parametrize("experts", [10, 200])
def test_create_page_queries_do_not_depend_on_the_number_of_experts(
    coordinator_client, network, experts, django_assert_max_num_queries
):
    made = ExpertFactory.create_batch(experts, first_name="Sam")
    PlacementFactory(expert=made[0], network=network)
    url = reverse("coordinator:placement_create")
    # Framework (2): session, user. Ours (3): either the search (matches with "already in this
    # network") or the fixed expert, then the networks and the rates valid today.
    with django_assert_max_num_queries(5):
        coordinator_client.get(f"{url}?network={network.pk}&q=sam")
    # The fixed expert's form also starts from their preferred roles and agreed hours (2).
    with django_assert_max_num_queries(7):
        coordinator_client.get(f"{url}?expert={made[1].pk}")
    # The search's results alone (htmx): session, user, the search.
    with django_assert_max_num_queries(3):
        coordinator_client.get(f"{url}?q=sam&network={network.pk}", headers={"HX-Request": "true"})


def test_create_page_does_not_grow_with_the_number_of_experts(coordinator_client, network):
    def add(count: int) -> None:
        ExpertFactory.create_batch(count, first_name="Sam", last_name="Jansen", city="Leiden")

    add(25)
    small = {query: _create_page(coordinator_client, query) for query in ("", "?q=sam")}
    add(400)
    large = {query: _create_page(coordinator_client, query) for query in ("", "?q=sam")}
    for query in small:
        (small_queries, small_size), (large_queries, large_size) = small[query], large[query]
        assert small_queries == large_queries, query
        # A few more digits in the e-mail addresses, nothing more.
        assert large_size - small_size < 200, query
