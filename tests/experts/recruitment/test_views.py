"""Organisations and recruitment in the coordinator's door: who may open the pages, lists with
filters and overdue follow-ups, marking a follow-up done, the services, the table of what each
channel and organisation brought (active experts only), and query counts that do not grow with
the data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experts.models import (
    ExpertKind,
    ExpertStatus,
    Organisation,
    OrganisationKind,
    RecruitmentChannel,
    RecruitmentContact,
)
from experts.recruitment import services as recruitment
from samen.accounts.models import Role
from tests.factories import (
    ExpertFactory,
    OrganisationFactory,
    RecruitmentContactFactory,
    UserFactory,
)

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
ALLOWED = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 200, "admin": 200}


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def contact(db):
    return RecruitmentContactFactory(organisation=OrganisationFactory(name="Jeugdformaat"))


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(
    "url_name, needs",
    [
        ("coordinator:organisation_list", None),
        ("coordinator:organisation_create", None),
        ("coordinator:organisation_edit", "organisation"),
        ("coordinator:recruitment_list", None),
        ("coordinator:recruitment_create", None),
        ("coordinator:recruitment_edit", "contact"),
        ("coordinator:recruitment_channels", None),
    ],
)
def test_only_coordinators_and_admins_reach_the_recruitment_pages(
    visitor, url_name, needs, contact
):
    name, client = visitor
    args = {None: [], "organisation": [contact.organisation.pk], "contact": [contact.pk]}[needs]
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == ALLOWED[name], (name, url_name)
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("visitor", ["anonymous", "expert", "lead"], indirect=True)
def test_outsiders_cannot_add_or_change_by_posting(visitor, contact):
    name, client = visitor
    responses = [
        client.post(
            reverse("coordinator:organisation_create"),
            {"name": "Cardea", "kind": OrganisationKind.CLIENT_COUNCIL},
        ),
        client.post(
            reverse("coordinator:organisation_edit", args=[contact.organisation.pk]),
            {"name": "Gehackt", "kind": OrganisationKind.OTHER},
        ),
        client.post(
            reverse("coordinator:recruitment_create"),
            {
                "organisation": contact.organisation.pk,
                "date": "2025-03-01",
                "channel": RecruitmentChannel.EMAIL,
                "youth_reached": "0",
                "parents_reached": "0",
            },
        ),
    ]
    assert [r.status_code for r in responses] == [ALLOWED[name]] * 3
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Jeugdformaat"]
    assert RecruitmentContact.objects.count() == 1


@pytest.mark.parametrize(
    "url_name",
    [
        "coordinator:organisation_list",
        "coordinator:recruitment_list",
        "coordinator:recruitment_channels",
    ],
)
def test_read_only_pages_refuse_post_with_405(coordinator_client, url_name):
    assert coordinator_client.post(reverse(url_name)).status_code == 405


@pytest.mark.parametrize(
    "url_name, needs",
    [
        ("coordinator:organisation_create", None),
        ("coordinator:organisation_edit", "organisation"),
        ("coordinator:recruitment_create", None),
        ("coordinator:recruitment_edit", "contact"),
    ],
)
def test_form_pages_refuse_other_methods_with_405(coordinator_client, contact, url_name, needs):
    args = {None: [], "organisation": [contact.organisation.pk], "contact": [contact.pk]}[needs]
    assert coordinator_client.delete(reverse(url_name, args=args)).status_code == 405


# --- Organisations -----------------------------------------------------------------------------


def test_organisation_list_filters_by_type_and_searches(coordinator_client):
    OrganisationFactory(name="Cardea", kind=OrganisationKind.CLIENT_COUNCIL, city="Leiden")
    OrganisationFactory(name="Curium", kind=OrganisationKind.CLIENT_COUNCIL, city="Oegstgeest")
    OrganisationFactory(name="Enver", kind=OrganisationKind.CARE_PROVIDER, city="Leiden")
    url = reverse("coordinator:organisation_list")

    def names(query: str) -> list[str]:
        response = coordinator_client.get(f"{url}?{query}")
        return [o.name for o in response.context["page"].object_list]

    assert names(f"kind={OrganisationKind.CLIENT_COUNCIL}") == ["Cardea", "Curium"]
    assert names("q=leiden") == ["Enver", "Cardea"]  # by type, then name
    assert names(f"q=leiden&kind={OrganisationKind.CLIENT_COUNCIL}") == ["Cardea"]
    kinds = coordinator_client.get(url).context["kinds"]
    assert [(k["kind"], k["count"]) for k in kinds] == [
        (OrganisationKind.CARE_PROVIDER, 1),
        (OrganisationKind.CLIENT_COUNCIL, 2),
    ]


def test_organisation_list_is_paginated(coordinator_client):
    for index in range(30):
        OrganisationFactory(name=f"Raad {index:02d}")
    response = coordinator_client.get(reverse("coordinator:organisation_list") + "?page=2")
    assert len(response.context["page"].object_list) == 5


def test_coordinator_adds_and_changes_an_organisation(coordinator_client):
    response = coordinator_client.post(
        reverse("coordinator:organisation_create"),
        {"name": " Horizon ", "kind": OrganisationKind.YOUTH_COUNCIL, "city": "Rotterdam"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Horizon")
    response = coordinator_client.post(
        reverse("coordinator:organisation_edit", args=[organisation.pk]),
        {"name": "Horizon", "kind": OrganisationKind.CLIENT_COUNCIL, "contact_name": "Ans"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.kind, organisation.contact_name) == (
        OrganisationKind.CLIENT_COUNCIL,
        "Ans",
    )


def test_an_organisation_leads_to_its_requests_and_its_contacts(coordinator_client):
    organisation = OrganisationFactory(name="Hogeschool Leiden")
    requests = reverse("coordinator:request_list") + f"?organisation={organisation.pk}"
    contacts = reverse("coordinator:recruitment_list") + f"?organisation={organisation.pk}"

    for page in ("coordinator:organisation_list", "coordinator:organisation_edit"):
        args = [organisation.pk] if page.endswith("edit") else []
        body = coordinator_client.get(reverse(page, args=args)).content.decode()
        assert f'href="{requests}"' in body, page
        assert f'href="{contacts}"' in body, page


def test_organisation_name_must_be_unique(coordinator_client):
    OrganisationFactory(name="Youz")
    response = coordinator_client.post(
        reverse("coordinator:organisation_create"),
        {"name": "Youz", "kind": OrganisationKind.CARE_PROVIDER},
    )
    assert "name" in response.context["form"].errors
    assert Organisation.objects.filter(name="Youz").count() == 1


# --- Recruitment contacts ----------------------------------------------------------------------


def test_recruitment_list_highlights_overdue_follow_ups(coordinator_client):
    today = _today()
    overdue = RecruitmentContactFactory(follow_up_on=today - datetime.timedelta(days=1))
    planned = RecruitmentContactFactory(follow_up_on=today)
    done = RecruitmentContactFactory(follow_up_on=None)
    url = reverse("coordinator:recruitment_list")
    response = coordinator_client.get(url)
    marks = {c.pk: c.overdue for c in response.context["page"].object_list}
    assert marks == {overdue.pk: True, planned.pk: False, done.pk: False}
    assert response.content.decode().count('class="table-warning"') == 1
    only_overdue = coordinator_client.get(f"{url}?follow_up=overdue").context["page"]
    assert [c.pk for c in only_overdue.object_list] == [overdue.pk]


def test_recruitment_list_filters_by_channel_and_organisation(coordinator_client):
    cardea = OrganisationFactory(name="Cardea")
    evening = RecruitmentContactFactory(
        organisation=cardea, channel=RecruitmentChannel.INFORMATION_EVENING
    )
    RecruitmentContactFactory(organisation=cardea, channel=RecruitmentChannel.EMAIL)
    RecruitmentContactFactory(channel=RecruitmentChannel.INFORMATION_EVENING)
    url = reverse("coordinator:recruitment_list")
    query = f"organisation={cardea.pk}&channel={RecruitmentChannel.INFORMATION_EVENING}"
    page = coordinator_client.get(f"{url}?{query}").context["page"]
    assert [c.pk for c in page.object_list] == [evening.pk]


def test_coordinator_records_a_contact_with_who_recorded_it(coordinator_client, coordinator):
    organisation = OrganisationFactory(name="ASVZ")
    url = reverse("coordinator:recruitment_create")
    page = coordinator_client.get(f"{url}?organisation={organisation.pk}")
    assert page.context["form"].initial["organisation"] == organisation.pk
    response = coordinator_client.post(
        url,
        {
            "organisation": organisation.pk,
            "date": "2025-03-12",
            "channel": RecruitmentChannel.INFORMATION_EVENING,
            "description": "Wervingsavond",
            "youth_reached": "0",
            "parents_reached": "3",
            "follow_up_on": "2025-04-01",
        },
    )
    assert response.status_code == 302
    contact = RecruitmentContact.objects.get()
    assert (contact.parents_reached, contact.created_by) == (3, coordinator)


def test_follow_up_cannot_be_before_the_contact(coordinator_client, contact):
    response = coordinator_client.post(
        reverse("coordinator:recruitment_edit", args=[contact.pk]),
        {
            "organisation": contact.organisation.pk,
            "date": "2025-03-12",
            "channel": RecruitmentChannel.EMAIL,
            "youth_reached": "1",
            "parents_reached": "0",
            "follow_up_on": "2025-03-01",
        },
    )
    assert "follow_up_on" in response.context["form"].errors
    contact.refresh_from_db()
    assert contact.channel == RecruitmentChannel.COUNCIL_MEETING


def test_services_refuse_a_follow_up_before_the_contact(db):
    with pytest.raises(ValidationError) as refused:
        recruitment.recruitment_contact_create(
            organisation=OrganisationFactory(),
            date=datetime.date(2025, 3, 12),
            channel=RecruitmentChannel.PHONE,
            follow_up_on=datetime.date(2025, 3, 11),
        )
    assert "follow_up_on" in refused.value.message_dict
    assert not RecruitmentContact.objects.exists()


def test_editing_a_contact_can_clear_the_follow_up(coordinator_client, contact):
    contact.follow_up_on = _today() - datetime.timedelta(days=3)
    contact.save()
    response = coordinator_client.post(
        reverse("coordinator:recruitment_edit", args=[contact.pk]),
        {
            "organisation": contact.organisation.pk,
            "date": str(contact.date),
            "channel": contact.channel,
            "youth_reached": "2",
            "parents_reached": "1",
            "follow_up_on": "",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.follow_up_on, contact.youth_reached) == (None, 2)


# --- Follow-ups ---------------------------------------------------------------------------------


def _done_url(contact) -> str:
    return reverse("coordinator:recruitment_follow_up_done", args=[contact.pk])


@pytest.fixture
def due(db):
    return RecruitmentContactFactory(
        organisation=OrganisationFactory(name="Cardea"),
        follow_up_on=_today() - datetime.timedelta(days=2),
    )


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_coordinators_and_admins_mark_a_follow_up_done(visitor, due):
    name, client = visitor
    response = client.post(_done_url(due))
    due.refresh_from_db()
    if name in ("coordinator", "admin"):
        assert response.status_code == 302
        assert response["Location"] == reverse("coordinator:recruitment_list")
        assert due.follow_up_done_at is not None
        return
    assert response.status_code == ALLOWED[name]
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]
    assert due.follow_up_done_at is None


def test_marking_done_takes_only_post(coordinator_client, due):
    assert coordinator_client.get(_done_url(due)).status_code == 405
    due.refresh_from_db()
    assert due.follow_up_done_at is None


def test_marking_an_unknown_contact_done_is_404(coordinator_client, db):
    response = coordinator_client.post(
        reverse("coordinator:recruitment_follow_up_done", args=[999999])
    )
    assert response.status_code == 404


def test_marking_done_records_when_and_who_and_keeps_the_date(coordinator_client, coordinator, due):
    before = timezone.now()
    response = coordinator_client.post(_done_url(due), follow=True)

    due.refresh_from_db()
    assert before <= due.follow_up_done_at <= timezone.now()
    assert due.follow_up_done_by == coordinator
    assert due.follow_up_on == _today() - datetime.timedelta(days=2)
    assert [str(m) for m in response.context["messages"]] == ["De opvolging bij Cardea is klaar."]
    [row] = response.context["page"].object_list
    assert (row.due, row.overdue) == (False, False)
    assert _done_url(due) not in response.content.decode()


def test_marking_done_goes_back_to_the_page_it_came_from_on_this_site_only(coordinator_client, due):
    back = reverse("coordinator:recruitment_list") + "?follow_up=due"
    response = coordinator_client.post(_done_url(due), {"next": back})
    other = RecruitmentContactFactory(follow_up_on=_today())
    elsewhere = coordinator_client.post(_done_url(other), {"next": "https://example.com/"})

    assert response["Location"] == back
    assert elsewhere["Location"] == reverse("coordinator:recruitment_list")


@pytest.mark.parametrize(
    ("follow_up_on", "done", "message"),
    [
        pytest.param(None, False, "Dit contact heeft geen datum om op te volgen.", id="no-date"),
        pytest.param(
            datetime.date(2025, 3, 1),
            True,
            "Deze opvolging was al klaar.",
            id="twice",
        ),
    ],
)
def test_marking_done_without_a_follow_up_or_twice_says_so_in_dutch(
    coordinator_client, follow_up_on, done, message
):
    contact = RecruitmentContactFactory(date=datetime.date(2025, 2, 1), follow_up_on=follow_up_on)
    if done:
        recruitment.recruitment_follow_up_done(contact=contact, by=None)
    contact.refresh_from_db()
    was = contact.follow_up_done_at

    response = coordinator_client.post(_done_url(contact), follow=True)

    assert [str(m) for m in response.context["messages"]] == [message]
    contact.refresh_from_db()
    assert contact.follow_up_done_at == was


def test_list_offers_done_for_due_follow_ups_and_filters_them(coordinator_client):
    today = _today()
    yesterday = RecruitmentContactFactory(follow_up_on=today - datetime.timedelta(days=1))
    on_the_day = RecruitmentContactFactory(follow_up_on=today)
    later = RecruitmentContactFactory(follow_up_on=today + datetime.timedelta(days=1))
    finished = RecruitmentContactFactory(follow_up_on=today - datetime.timedelta(days=5))
    recruitment.recruitment_follow_up_done(contact=finished, by=None)
    RecruitmentContactFactory(follow_up_on=None)
    url = reverse("coordinator:recruitment_list")

    def listed(value: str) -> set[int]:
        page = coordinator_client.get(url, {"follow_up": value}).context["page"]
        return {c.pk for c in page.object_list}

    body = coordinator_client.get(url).content.decode()
    assert {pk for pk in (yesterday, on_the_day, later, finished) if _done_url(pk) in body} == {
        yesterday,
        on_the_day,
    }
    assert listed("due") == {yesterday.pk, on_the_day.pk}
    assert listed("overdue") == {yesterday.pk}
    assert listed("planned") == {later.pk}
    assert listed("done") == {finished.pk}


def test_a_new_follow_up_date_is_a_new_follow_up_to_do(coordinator_client, due):
    recruitment.recruitment_follow_up_done(contact=due, by=None)
    data = {
        "organisation": due.organisation.pk,
        "date": str(due.date),
        "channel": due.channel,
        "youth_reached": "0",
        "parents_reached": "0",
    }
    same_date = coordinator_client.post(
        reverse("coordinator:recruitment_edit", args=[due.pk]),
        {**data, "follow_up_on": str(due.follow_up_on), "notes": "Gebeld"},
    )
    due.refresh_from_db()
    assert same_date.status_code == 302
    assert due.follow_up_done_at is not None

    coordinator_client.post(
        reverse("coordinator:recruitment_edit", args=[due.pk]),
        {**data, "follow_up_on": str(_today())},
    )
    due.refresh_from_db()
    assert due.follow_up_done_at is None
    assert due.follow_up_is_due(_today())


def test_the_edit_page_of_a_due_contact_offers_done(coordinator_client, due, contact):
    due_page = coordinator_client.get(reverse("coordinator:recruitment_edit", args=[due.pk]))
    other_page = coordinator_client.get(reverse("coordinator:recruitment_edit", args=[contact.pk]))
    assert _done_url(due) in due_page.content.decode()
    assert _done_url(contact) not in other_page.content.decode()


# --- What recruitment brought ------------------------------------------------------------------


def test_channels_table_counts_only_experts_active_today(coordinator_client):
    cardea = OrganisationFactory(name="Cardea")
    enver = OrganisationFactory(name="Enver")
    evening = RecruitmentContactFactory(
        organisation=enver,
        channel=RecruitmentChannel.INFORMATION_EVENING,
        youth_reached=1,
        parents_reached=3,
    )
    council = RecruitmentContactFactory(
        organisation=cardea,
        channel=RecruitmentChannel.COUNCIL_MEETING,
        youth_reached=4,
        parents_reached=0,
    )
    RecruitmentContactFactory(
        organisation=cardea, channel=RecruitmentChannel.COUNCIL_MEETING, youth_reached=2
    )
    for _ in range(2):
        ExpertFactory(kind=ExpertKind.PARENT, recruitment_source=evening)
    ExpertFactory(kind=ExpertKind.PARENT, recruitment_source=evening, status=ExpertStatus.PAUSED)
    ExpertFactory(kind=ExpertKind.YOUTH, recruitment_source=council)
    ExpertFactory(kind=ExpertKind.YOUTH, recruitment_source=council, status=ExpertStatus.STOPPED)
    ExpertFactory(kind=ExpertKind.YOUTH, recruitment_source=council, status=ExpertStatus.CANDIDATE)
    ExpertFactory(kind=ExpertKind.YOUTH, recruitment_source=None)

    response = coordinator_client.get(reverse("coordinator:recruitment_channels"))

    channels = {row.key: row for row in response.context["channels"].rows}
    evening_row = channels[RecruitmentChannel.INFORMATION_EVENING]
    council_row = channels[RecruitmentChannel.COUNCIL_MEETING]
    assert (evening_row.active_youth, evening_row.active_parents) == (0, 2)
    assert (evening_row.youth_reached, evening_row.parents_reached) == (1, 3)
    assert (council_row.contacts, council_row.youth_reached, council_row.active_experts) == (
        2,
        6,
        1,
    )
    assert response.context["channels"].unknown.active_experts == 1
    assert response.context["channels"].total.active_experts == 4
    assert [row.key for row in response.context["channels"].rows][0] == (
        RecruitmentChannel.INFORMATION_EVENING
    )  # most active experts first
    organisations = {row.label: row for row in response.context["organisations"]}
    assert organisations["Enver"].active_parents == 2
    assert (organisations["Cardea"].contacts, organisations["Cardea"].active_youth) == (2, 1)


# --- Query counts -----------------------------------------------------------------------------


def _populate(count: int) -> None:
    for index in range(count):
        organisation = OrganisationFactory(kind=list(OrganisationKind)[index % 8])
        channel = list(RecruitmentChannel)[index % 8]
        contact = RecruitmentContactFactory(
            organisation=organisation,
            channel=channel,
            youth_reached=index % 3,
            parents_reached=index % 2,
            follow_up_on=_today() - datetime.timedelta(days=index - 5),
        )
        ExpertFactory(recruitment_source=contact, kind=ExpertKind.PARENT)
        ExpertFactory(recruitment_source=contact, status=ExpertStatus.STOPPED)
        if index % 3 == 0:  # done, and by whom: the list names them
            recruitment.recruitment_follow_up_done(
                contact=contact, by=UserFactory(role=Role.COORDINATOR)
            )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Framework (2): session, user.
# organisation_list (5): the paginator's count, the count per type, the page of organisations
# with their contact count and last date.
# recruitment_list (5): the paginator's count, the page of contacts with their organisation
# and who marked the follow-up done, the organisations for the filter.
# recruitment_channels (6): reach per channel, active experts per channel, reach per
# organisation, active experts per organisation.
QUERY_LIMITS = {
    "coordinator:organisation_list": 5,
    "coordinator:recruitment_list": 5,
    "coordinator:recruitment_channels": 6,
}


@pytest.mark.parametrize("url_name", sorted(QUERY_LIMITS))
def test_recruitment_pages_queries_do_not_grow_with_the_data(
    coordinator_client, django_assert_max_num_queries, url_name
):
    url = reverse(url_name)
    _populate(3)
    small = _count(coordinator_client, url)
    _populate(40)
    assert _count(coordinator_client, url) == small
    with django_assert_max_num_queries(QUERY_LIMITS[url_name]):
        coordinator_client.get(url)
