"""The coordinator's requests and matches pages: who may open them, what they show, the form
with its Dutch messages, proposing and answering through the pages, and query counts that do
not grow with the data."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from participation.models import Match, MatchSide, MatchStatus, Request, RequestStatus
from participation.requests.services import match_confirm
from samen.celery import app as celery_app
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    LearningNetworkFactory,
    MatchFactory,
    OrganisationFactory,
    RequestFactory,
    ThemeFactory,
)

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
ALLOWED = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 200, "admin": 200}
GET_URLS = [
    ("coordinator:request_list", None),
    ("coordinator:request_create", None),
    ("coordinator:request_detail", "request"),
    ("coordinator:request_edit", "request"),
    ("coordinator:match_list", None),
]
POST_URLS = [
    ("coordinator:match_propose", "request"),
    ("coordinator:match_answer", "match"),
]


@pytest.fixture(autouse=True)
def _eager():
    """Run queued mails in this process even when REDIS_URL happens to be set."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


@pytest.fixture
def request_(db):
    return RequestFactory(title="Gastles hogeschool", role="education")


@pytest.fixture
def match(request_):
    return MatchFactory(request=request_)


def make_expert(**kwargs):
    kwargs.setdefault("availability_hours_per_month", Decimal("10"))
    expert = ExpertFactory(**kwargs)
    ConsentFactory(expert=expert, purpose="participation")
    return expert


def _form_data(**overrides) -> dict:
    data = {
        "title": "Meelezen met de folder",
        "question": "Wil je meelezen met onze nieuwe folder voor jongeren?",
        "network": "",
        "organisation": "",
        "contact_name": "Marieke",
        "contact_email": "marieke@hogeschool.test",
        "perspective": "youth",
        "expertise_wanted": "either",
        "role": "education",
        "ladder_level": "3",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-31",
        "respond_by": "",
        "expected_hours": "2",
        "experts_wanted": "1",
        "payment_scheme": "allowance",
        "competencies": "Graag lezen",
        "mode": "online",
        "location": "",
    }
    data.update(overrides)
    return data


def dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


# Access ------------------------------------------------------------------------------------


def _url(name, arg, request_, match):
    objects = {"request": request_, "match": match}
    return reverse(name, args=[objects[arg].pk] if arg else [])


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(("url_name", "arg"), GET_URLS)
def test_request_pages_are_for_coordinators_and_admins_only(
    visitor, url_name, arg, request_, match
):
    name, client = visitor
    response = client.get(_url(url_name, arg, request_, match))
    assert response.status_code == ALLOWED[name], (name, url_name, response.status_code)
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(("url_name", "arg"), POST_URLS)
def test_post_only_views_answer_get_with_405(visitor, url_name, arg, request_, match):
    _, client = visitor
    response = client.get(_url(url_name, arg, request_, match))
    assert response.status_code == 405


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_coordinators_and_admins_can_propose(visitor, request_):
    name, client = visitor
    expert = make_expert()
    response = client.post(
        reverse("coordinator:match_propose", args=[request_.pk]),
        {"experts": [expert.pk], "expectations": "Eén gastles.", "hours": "2"},
    )
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]
    elif name in {"expert", "lead"}:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
    assert Match.objects.filter(expert=expert).exists() == (name in {"coordinator", "admin"})


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_coordinators_and_admins_can_record_an_answer(visitor, match):
    name, client = visitor
    response = client.post(
        reverse("coordinator:match_answer", args=[match.pk]),
        {"side": "expert", "answer": "confirm"},
    )
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]
    elif name in {"expert", "lead"}:
        assert response.status_code == 403
    match.refresh_from_db()
    assert (match.expert_confirmed_at is not None) == (name in {"coordinator", "admin"})


def test_unknown_request_is_404(coordinator_client):
    response = coordinator_client.get(reverse("coordinator:request_detail", args=[999999]))
    assert response.status_code == 404


# List ----------------------------------------------------------------------------------------


def test_list_shows_requester_and_matches_counted_by_state(coordinator_client):
    network = LearningNetworkFactory(name="Kwetsbare Gezinnen")
    from_network = RequestFactory(
        title="Interviewvragen", network=network, organisation=None, experts_wanted=2
    )
    MatchFactory(request=from_network, status=MatchStatus.PROPOSED)
    MatchFactory(request=from_network, status=MatchStatus.DECLINED)
    MatchFactory(
        request=from_network,
        status=MatchStatus.CONFIRMED,
        expert_confirmed_at=timezone.now(),
        requester_confirmed_at=timezone.now(),
    )
    RequestFactory(title="Beleidsnota", organisation=OrganisationFactory(name="Gemeente Leiden"))

    response = coordinator_client.get(reverse("coordinator:request_list"))

    body = response.content.decode()
    assert "Kwetsbare Gezinnen" in body and "Gemeente Leiden" in body
    row = next(r for r in response.context["page"].object_list if r.pk == from_network.pk)
    assert (row.proposed_count, row.confirmed_count, row.closed_count) == (1, 1, 1)
    assert dutch("%(confirmed)s of %(wanted)s confirmed") % {"confirmed": 1, "wanted": 2} in body


def test_list_filters_by_status(coordinator_client):
    RequestFactory(title="Open vraag", status=RequestStatus.OPEN)
    RequestFactory(title="Klaar", status=RequestStatus.DONE)

    response = coordinator_client.get(reverse("coordinator:request_list"), {"status": "open"})

    assert [r.title for r in response.context["page"].object_list] == ["Open vraag"]


def test_list_shows_the_requests_of_one_organisation(coordinator_client):
    school = OrganisationFactory(name="Hogeschool Leiden")
    RequestFactory(title="Gastles", organisation=school)
    RequestFactory(title="Gastles, klaar", organisation=school, status=RequestStatus.DONE)
    RequestFactory(title="Beleidsnota", organisation=OrganisationFactory(name="Gemeente"))
    url = reverse("coordinator:request_list")

    response = coordinator_client.get(url, {"organisation": school.pk})
    assert {r.title for r in response.context["page"].object_list} == {"Gastles", "Gastles, klaar"}
    assert response.context["organisation"] == school
    # Choosing a status keeps the organisation.
    assert f'name="organisation" value="{school.pk}"' in response.content.decode()
    response = coordinator_client.get(url, {"organisation": school.pk, "status": "open"})
    assert [r.title for r in response.context["page"].object_list] == ["Gastles"]


@pytest.mark.parametrize("value", ["999999", "x"])
def test_list_ignores_an_unknown_organisation(coordinator_client, value):
    RequestFactory(title="Open vraag")
    response = coordinator_client.get(reverse("coordinator:request_list"), {"organisation": value})
    assert response.status_code == 200
    assert [r.title for r in response.context["page"].object_list] == ["Open vraag"]


def test_list_ignores_an_unknown_status(coordinator_client):
    RequestFactory(title="Open vraag")
    response = coordinator_client.get(reverse("coordinator:request_list"), {"status": "x"})
    assert response.status_code == 200
    assert [r.title for r in response.context["page"].object_list] == ["Open vraag"]


def test_list_shows_the_requests_still_waiting_for_a_match(coordinator_client):
    RequestFactory(title="Open vraag", status=RequestStatus.OPEN)
    RequestFactory(title="Half", status=RequestStatus.MATCHING)
    RequestFactory(title="Gekoppeld", status=RequestStatus.MATCHED)
    RequestFactory(title="Klaar", status=RequestStatus.DONE)

    response = coordinator_client.get(reverse("coordinator:request_list"), {"waiting": "yes"})
    odd = coordinator_client.get(reverse("coordinator:request_list"), {"waiting": "misschien"})

    assert {r.title for r in response.context["page"].object_list} == {"Open vraag", "Half"}
    assert odd.status_code == 200
    assert odd.context["page"].paginator.count == 4


def _requests_with_matches(n: int) -> None:
    organisation = OrganisationFactory()
    network = LearningNetworkFactory()
    for i in range(n):
        request = RequestFactory(
            organisation=None if i % 2 else organisation, network=network if i % 2 else None
        )
        MatchFactory(request=request)
        MatchFactory(request=request, status=MatchStatus.DECLINED)


def _queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


# Session, user.
FRAMEWORK_QUERIES = 2
# The paginator's count, one page of requests with their requester and match counts.
LIST_QUERIES = FRAMEWORK_QUERIES + 2


def test_list_query_count_does_not_grow(coordinator_client, django_assert_max_num_queries):
    url = reverse("coordinator:request_list")
    _requests_with_matches(2)
    small = _queries(coordinator_client, url)
    _requests_with_matches(30)
    assert _queries(coordinator_client, url) == small
    with django_assert_max_num_queries(LIST_QUERIES):
        response = coordinator_client.get(url, {"status": "open"})
    assert len(response.context["page"].object_list) == 25
    # One organisation's requests: the organisation itself, once.
    organisation = Request.objects.filter(organisation__isnull=False).latest("pk").organisation
    with django_assert_max_num_queries(LIST_QUERIES + 1):
        response = coordinator_client.get(url, {"organisation": organisation.pk})
    assert len(response.context["page"].object_list) == 15  # the second batch's, i even


# Detail --------------------------------------------------------------------------------------


def test_detail_shows_the_question_needs_matches_and_suggestions_with_reasons(
    coordinator_client,
):
    theme = ThemeFactory(name="Pleegzorg")
    request = RequestFactory(
        title="Gastles",
        question="Wil je vertellen hoe pleegzorg voor jou was?",
        competencies="Voor een groep durven praten",
        organisation=OrganisationFactory(name="Hogeschool Leiden"),
    )
    request.themes.set([theme])
    fit = make_expert(first_name="Passend", last_name="Goed")
    fit.themes.set([theme])
    proposed = make_expert(first_name="Al", last_name="Gevraagd")
    MatchFactory(request=request, expert=proposed)
    without = make_expert(first_name="Geen", last_name="Toestemming")
    without.consents.all().delete()

    response = coordinator_client.get(reverse("coordinator:request_detail", args=[request.pk]))

    body = response.content.decode()
    for text in (
        "Wil je vertellen hoe pleegzorg voor jou was?",
        "Hogeschool Leiden",
        "Pleegzorg",
        "Voor een groep durven praten",
        "Al Gevraagd",
        "Passend Goed",
        escape(dutch("%(shared)s of the %(wanted)s themes match.") % {"shared": 1, "wanted": 1}),
        'name="experts"',
    ):
        assert text in body, text
    # The expected hours are offered as the time, in a form a number input accepts.
    assert 'value="3.0"' in body  # the factory's 3 hours, not "3,0"
    suggested = [s.expert.full_name for s in response.context["suggestions"]]
    assert suggested == ["Passend Goed"]  # already proposed and without consent: not suggested
    # Without consent she is not a suggestion, but named as left out, to record her consent.
    assert f'id="propose-{without.pk}"' not in body
    assert [e.full_name for e in response.context["left_out"].without_consent] == [
        "Geen Toestemming"
    ]


def _candidates(n: int, themes) -> None:
    for i in range(n):
        expert = make_expert()
        expert.themes.set(themes[: i % 3])
        MatchFactory(request=RequestFactory(), expert=expert)  # counts for fairness


# The request with its requester, its themes, its matches with their experts, the theme ids
# for the ranking, the candidates with every factor annotated, who is left out counted by
# reason, and the names of those without consent.
DETAIL_QUERIES = FRAMEWORK_QUERIES + 7


def test_detail_query_count_does_not_grow_with_candidates(
    coordinator_client, django_assert_max_num_queries
):
    themes = [ThemeFactory(name="Pleegzorg"), ThemeFactory(name="Armoede")]
    request = RequestFactory()
    request.themes.set(themes)
    for _ in range(3):
        MatchFactory(request=request, expert=make_expert())
    url = reverse("coordinator:request_detail", args=[request.pk])
    _candidates(3, themes)
    small = _queries(coordinator_client, url)
    _candidates(27, themes)  # 30 candidates
    assert _queries(coordinator_client, url) == small
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = coordinator_client.get(url)
    assert len(response.context["suggestions"]) == 20


def test_the_page_says_who_is_left_out_and_why_and_links_to_record_the_consent(
    coordinator_client, coordinator
):
    request = RequestFactory(perspective="parent", expected_hours=Decimal("2"))
    petra = ExpertFactory(
        first_name="Petra", last_name="Ouder", kind="parent", availability_hours_per_month=8
    )
    full = make_expert(kind="parent", availability_hours_per_month=Decimal("0"))
    url = reverse("coordinator:request_detail", args=[request.pk])

    with translation.override("nl"):
        response = coordinator_client.get(url, HTTP_ACCEPT_LANGUAGE="nl")

    body = response.content.decode()
    assert response.context["suggestions"] == []
    left_out = response.context["left_out"]
    assert (left_out.no_consent, left_out.no_room) == (1, 1)
    assert "2 mensen worden niet getoond:" in body
    assert "geen toestemming (1), geen ruimte deze maand (1)." in body
    record = reverse("coordinator:consent_create", args=[petra.pk])
    assert f'href="{record}"' in body
    assert full.full_name not in body

    # She gave her consent on paper; the coordinator records it through that link.
    response = coordinator_client.post(
        record,
        {
            "purpose": "participation",
            "given_by": "self",
            "method": "paper",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302

    response = coordinator_client.get(url)
    assert [s.expert for s in response.context["suggestions"]] == [petra]
    assert response.context["left_out"].no_consent == 0
    assert 'id="left-out"' in response.content.decode()  # the one without room still counts


def test_the_link_to_everyone_without_consent_keeps_the_perspective_and_training_asked(
    coordinator_client,
):
    request = RequestFactory(perspective="youth", expertise_wanted="expertise")
    for _ in range(11):
        ExpertFactory(kind="youth", expertise="expertise")
    response = coordinator_client.get(reverse("coordinator:request_detail", args=[request.pk]))
    link = (
        reverse("coordinator:expert_list")
        + "?consent=missing&amp;kind=youth&amp;expertise=expertise"
    )
    assert link in response.content.decode()
    listed = coordinator_client.get(link.replace("&amp;", "&"))
    assert listed.context["page"].paginator.count == 11


def test_closed_request_shows_no_suggestions(coordinator_client):
    request = RequestFactory(status=RequestStatus.DONE)
    make_expert()
    response = coordinator_client.get(reverse("coordinator:request_detail", args=[request.pk]))
    assert response.context["suggestions"] == []
    assert 'name="experts"' not in response.content.decode()


# Create and edit -----------------------------------------------------------------------------


def test_create_saves_a_request_and_goes_to_it(coordinator_client, coordinator):
    organisation = OrganisationFactory()
    theme = ThemeFactory()
    response = coordinator_client.post(
        reverse("coordinator:request_create"),
        _form_data(organisation=organisation.pk, themes=[theme.pk]),
    )
    request = Request.objects.get()
    assert response["Location"] == reverse("coordinator:request_detail", args=[request.pk])
    assert request.organisation == organisation
    assert request.created_by == coordinator
    assert request.status == RequestStatus.OPEN
    assert list(request.themes.all()) == [theme]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({}, "network", "Choose the network or the organisation that asks."),
        (
            {"network": "both", "organisation": "both"},
            "organisation",
            "Choose the network or the organisation that asks, not both.",
        ),
        (
            {"starts_on": "2026-03-10", "ends_on": "2026-03-01"},
            "ends_on",
            "The end date cannot be before the start date.",
        ),
        ({"expected_hours": "-1"}, "expected_hours", "The hours cannot be negative."),
        ({"experts_wanted": "0"}, "experts_wanted", "Ask for at least one expert."),
    ],
)
def test_invalid_form_shows_the_dutch_message_and_saves_nothing(
    coordinator_client, overrides, field, message
):
    network, organisation = LearningNetworkFactory(), OrganisationFactory()
    if overrides.get("network") == "both":
        overrides = {**overrides, "network": network.pk, "organisation": organisation.pk}
    elif "network" not in overrides:
        # every case but the first has exactly one requester
        overrides = {**overrides, "organisation": organisation.pk} if overrides else overrides

    with translation.override("nl"):
        response = coordinator_client.post(
            reverse("coordinator:request_create"),
            _form_data(**overrides),
            HTTP_ACCEPT_LANGUAGE="nl",
        )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [dutch(message)]
    assert escape(dutch(message)) in response.content.decode()
    assert not Request.objects.exists()


def test_edit_changes_the_request_and_can_close_it(coordinator_client):
    request = RequestFactory(title="Oud")
    response = coordinator_client.post(
        reverse("coordinator:request_edit", args=[request.pk]),
        _form_data(title="Nieuw", organisation=request.organisation_id, status="cancelled"),
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.title, request.status) == ("Nieuw", RequestStatus.CANCELLED)


def test_cancelling_says_how_many_proposals_were_withdrawn_and_which_matches_stay(
    coordinator, coordinator_client
):
    request = RequestFactory(title="Gastles", experts_wanted=3)
    proposed = [MatchFactory(request=request) for _ in range(2)]
    confirmed = MatchFactory(
        request=request,
        status=MatchStatus.CONFIRMED,
        expert_confirmed_at=timezone.now(),
        requester_confirmed_at=timezone.now(),
    )

    with translation.override("nl"):
        response = coordinator_client.post(
            reverse("coordinator:request_edit", args=[request.pk]),
            _form_data(title="Gastles", organisation=request.organisation_id, status="cancelled"),
            HTTP_ACCEPT_LANGUAGE="nl",
            follow=True,
        )

    body = response.content.decode()
    assert "2 voorstellen zijn ingetrokken." in body
    assert "1 bevestigde match blijft staan." in body
    assert {m.status for m in Match.objects.filter(pk__in=[m.pk for m in proposed])} == {
        MatchStatus.WITHDRAWN
    }
    assert Match.history.filter(status=MatchStatus.WITHDRAWN, history_user=coordinator).count() == 2
    confirmed.refresh_from_db()
    assert confirmed.status == MatchStatus.CONFIRMED


def test_saving_an_open_request_withdraws_nothing_and_says_nothing_about_it(coordinator_client):
    request = RequestFactory(title="Gastles")
    match = MatchFactory(request=request)

    with translation.override("nl"):
        response = coordinator_client.post(
            reverse("coordinator:request_edit", args=[request.pk]),
            _form_data(title="Gastles 2", organisation=request.organisation_id, status="open"),
            HTTP_ACCEPT_LANGUAGE="nl",
            follow=True,
        )

    assert "ingetrokken" not in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_edit_cannot_force_a_status_that_follows_from_matches(coordinator_client):
    request = RequestFactory(title="Oud")
    response = coordinator_client.post(
        reverse("coordinator:request_edit", args=[request.pk]),
        _form_data(title="Nieuw", organisation=request.organisation_id, status="matched"),
    )
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    request.refresh_from_db()
    assert (request.title, request.status) == ("Oud", RequestStatus.OPEN)


# Propose -------------------------------------------------------------------------------------


def test_propose_creates_matches_and_emails_after_commit(
    coordinator_client, request_, django_capture_on_commit_callbacks
):
    first = make_expert(email="eerste@samen.test")
    second = make_expert(email="tweede@samen.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("coordinator:match_propose", args=[request_.pk]),
            {"experts": [first.pk, second.pk], "expectations": "Eén gastles.", "hours": "2"},
        )
    assert response["Location"] == reverse("coordinator:request_detail", args=[request_.pk])
    matches = Match.objects.filter(request=request_)
    assert {m.expert for m in matches} == {first, second}
    assert all(m.score_reasons for m in matches)
    assert sorted(m.to[0] for m in mail.outbox) == ["eerste@samen.test", "tweede@samen.test"]
    request_.refresh_from_db()
    assert request_.status == RequestStatus.MATCHING


def test_propose_refusal_is_shown_on_the_request_page_and_saves_nothing(
    coordinator_client, request_
):
    fine = make_expert()
    without = ExpertFactory(first_name="Zonder", last_name="Toestemming")
    response = coordinator_client.post(
        reverse("coordinator:match_propose", args=[request_.pk]),
        {"experts": [fine.pk, without.pk], "expectations": "Eén gastles.", "hours": "2"},
    )
    assert response.status_code == 200
    refusal = dutch("%(name)s has not given consent to take part.") % {"name": "Zonder Toestemming"}
    assert escape(refusal) in response.content.decode()
    assert not Match.objects.exists()
    # What was typed and checked is kept.
    assert "Eén gastles." in response.content.decode()
    assert str(fine.pk) in response.context["checked"]


def test_propose_without_expectations_or_experts_shows_the_messages(coordinator_client, request_):
    with translation.override("nl"):
        response = coordinator_client.post(
            reverse("coordinator:match_propose", args=[request_.pk]),
            {"experts": [], "expectations": "", "hours": "0"},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    errors = response.context["propose_form"].errors
    assert errors["experts"] == [dutch("Choose at least one expert.")]
    assert errors["expectations"] == [dutch("Say what is expected of the expert.")]
    assert errors["hours"] == [dutch("The time must be at least half an hour.")]
    assert not Match.objects.exists()


# Answer --------------------------------------------------------------------------------------


def test_answer_by_both_sides_confirms_the_match(coordinator_client, match):
    url = reverse("coordinator:match_answer", args=[match.pk])
    next_url = reverse("coordinator:match_list") + "?status=proposed"

    response = coordinator_client.post(
        url, {"side": "expert", "answer": "confirm", "next": next_url}
    )
    assert response["Location"] == next_url
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    assert match.missing_sides == [MatchSide.REQUESTER]

    coordinator_client.post(url, {"side": "requester", "answer": "confirm"})
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED


def test_answer_ignores_a_next_url_on_another_site(coordinator_client, match):
    response = coordinator_client.post(
        reverse("coordinator:match_answer", args=[match.pk]),
        {"side": "expert", "answer": "confirm", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("coordinator:request_detail", args=[match.request_id])


def test_answer_no_needs_a_reason(coordinator_client, match):
    url = reverse("coordinator:match_answer", args=[match.pk])
    response = coordinator_client.post(url, {"side": "expert", "answer": "decline"}, follow=True)
    assert escape(dutch("Say why the answer is no.")) in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED

    coordinator_client.post(url, {"side": "expert", "answer": "decline", "reason": "Geen tijd"})
    match.refresh_from_db()
    assert (match.status, match.declined_reason) == (MatchStatus.DECLINED, "Geen tijd")


def test_a_refused_answer_keeps_what_was_chosen_and_says_what_is_missing_at_the_field(
    coordinator_client, match
):
    next_url = reverse("coordinator:match_list") + "?status=proposed"
    with translation.override("nl"):
        response = coordinator_client.post(
            reverse("coordinator:match_answer", args=[match.pk]),
            {"side": "requester", "answer": "decline", "reason": "  ", "next": next_url},
            HTTP_ACCEPT_LANGUAGE="nl",
        )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"reason": [dutch("Say why the answer is no.")]}
    body = response.content.decode()
    # The error sits under the field it is about, tied to it for screen readers.
    assert re.search(
        rf'id="answer-{match.pk}-reason"[^>]*aria-invalid="true"'
        rf'[^>]*aria-describedby="answer-{match.pk}-reason-error"',
        body,
    )
    assert (
        f'id="answer-{match.pk}-reason-error">{escape(dutch("Say why the answer is no."))}' in body
    )
    # What was chosen is still chosen: the requester said no.
    assert re.search(r'value="requester"[^>]*checked', body)
    assert not re.search(r'value="expert"[^>]*checked', body)
    assert re.search(r'value="decline"[^>]*checked', body)
    # Back without saving, to where the coordinator came from.
    assert f'href="{escape(next_url)}">{dutch("Cancel")}</a>' in body
    assert "<details open>" in body
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_an_answer_without_a_choice_says_so_next_to_each_choice(coordinator_client, match):
    with translation.override("nl"):
        response = coordinator_client.post(
            reverse("coordinator:match_answer", args=[match.pk]), {}, HTTP_ACCEPT_LANGUAGE="nl"
        )
    assert response.context["form"].errors == {
        "side": [dutch("Choose who answered.")],
        "answer": [dutch("Choose yes or no.")],
    }
    body = response.content.decode()
    assert f'id="answer-{match.pk}-side-error">{escape(dutch("Choose who answered."))}' in body
    assert f'id="answer-{match.pk}-answer-error">{escape(dutch("Choose yes or no."))}' in body


def test_answer_without_agreements_shows_the_dutch_refusal(coordinator_client, coordinator):
    match = MatchFactory(expectations="", hours=Decimal("0"))
    match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
    with translation.override("nl"):
        response = coordinator_client.post(
            reverse("coordinator:match_answer", args=[match.pk]),
            {"side": "requester", "answer": "confirm"},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="nl",
        )
        message = dutch(
            "A match only counts when what is expected and the time are clear. "
            "Fill in the expectations and the hours (more than 0) first."
        )
    assert escape(message) in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


# Match list ----------------------------------------------------------------------------------


def test_match_list_shows_waiting_matches_with_the_missing_side(coordinator_client, coordinator):
    waiting = MatchFactory(expert=ExpertFactory(first_name="Wacht", last_name="Nog"))
    match_confirm(match=waiting, side=MatchSide.EXPERT, by=coordinator)
    MatchFactory(
        expert=ExpertFactory(first_name="Klaar", last_name="Al"),
        status=MatchStatus.CONFIRMED,
        expert_confirmed_at=timezone.now(),
        requester_confirmed_at=timezone.now(),
    )

    response = coordinator_client.get(reverse("coordinator:match_list"), {"status": "proposed"})

    assert [m.pk for m in response.context["page"].object_list] == [waiting.pk]
    row = response.context["page"].object_list[0]
    assert row.missing_sides == [MatchSide.REQUESTER]
    body = response.content.decode()
    assert "Wacht Nog" in body and "Klaar Al" not in body
    assert str(MatchSide.REQUESTER.label) in body


# The paginator's count, one page of matches with their expert, request and requester.
MATCH_LIST_QUERIES = FRAMEWORK_QUERIES + 2


def test_match_list_query_count_does_not_grow(coordinator_client, django_assert_max_num_queries):
    url = reverse("coordinator:match_list")
    _requests_with_matches(2)
    small = _queries(coordinator_client, url, {"status": "proposed"})
    _requests_with_matches(30)
    assert _queries(coordinator_client, url, {"status": "proposed"}) == small
    with django_assert_max_num_queries(MATCH_LIST_QUERIES):
        response = coordinator_client.get(url, {"status": "proposed"})
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(MATCH_LIST_QUERIES):
        coordinator_client.get(url)
