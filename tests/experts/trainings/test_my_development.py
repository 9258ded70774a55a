"""The expert's development (``/mijn/ontwikkeling/``): where they stand as three steps (not by
colour alone), their trainings and peer supervision, asking for a training (stored once when
sent twice, script tags stored as written and shown escaped, bad input refused with nothing
stored), and the coordinator's list to mark a request handled. Access for every visitor, and
query counts that do not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from experts.models import (
    Expertise,
    TrainingKind,
    TrainingRequest,
    TrainingRequestStatus,
)
from experts.trainings import services
from experts.trainings.selectors import development_steps
from tests.factories import ExpertFactory, TrainingFactory, TrainingRecordFactory

Date = datetime.date
SCRIPT = "<script>alert('x')</script> Omgaan met stress"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Omgaan met stress"


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


# --- where the expert stands ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("expertise", "states"),
    [
        (Expertise.KNOWLEDGE, ["done", "current", "ahead"]),
        (Expertise.EXPERTISE, ["done", "done", "current"]),
    ],
)
def test_the_three_steps_follow_the_experts_expertise(db, expertise, states):
    steps = development_steps(ExpertFactory(expertise=expertise))
    assert [step.state for step in steps] == states
    assert [step.number for step in steps] == [1, 2, 3]
    assert steps[1].label == str(Expertise.KNOWLEDGE.label)
    assert steps[2].label == str(Expertise.EXPERTISE.label)


@pytest.mark.parametrize("expertise", [Expertise.KNOWLEDGE, Expertise.EXPERTISE])
def test_the_page_says_in_words_where_the_expert_stands(expert_client, expert, expertise):
    expert.expertise = expertise
    expert.save()
    page = expert_client.get(reverse("expert:my_development")).content.decode()

    # Marked in words and for screen readers, not by colour alone.
    assert page.count('aria-current="step"') == 1
    assert page.count(_dutch("You are here")) == 1
    assert page.count(_dutch("Done")) == (1 if expertise == Expertise.KNOWLEDGE else 2)
    current = page.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert str(Expertise(expertise).label) in current
    next_step = _dutch(
        "Would you like to take the next step? Ask for a training. The coordinator looks at it "
        "with you."
    )
    assert (next_step in page) is (expertise == Expertise.KNOWLEDGE)


def test_trainings_and_peer_supervision_are_shown_apart(expert_client, expert, other_expert):
    expex = TrainingFactory(name="ExpEx-training", kind=TrainingKind.EXPEX)
    expex.qualifies_as_expertise = True
    expex.save()
    intervision = TrainingFactory(name="Intervisie Leiden", kind=TrainingKind.INTERVISION)
    TrainingRecordFactory(
        expert=expert, training=expex, started_on=Date(2025, 1, 6), completed_on=Date(2025, 3, 3)
    )
    TrainingRecordFactory(expert=expert, training=TrainingFactory(name="Workshop spreken"))
    for month in (2, 4, 6):
        TrainingRecordFactory(
            expert=expert,
            training=intervision,
            started_on=Date(2025, month, 10),
            hours=Decimal("2"),
        )
    TrainingRecordFactory(expert=other_expert, training=TrainingFactory(name="Niet van mij"))

    response = expert_client.get(reverse("expert:my_development"))

    # Newest first: the workshop started on 10 January, the training on 6 January.
    assert [r.training.name for r in response.context["trainings"]] == [
        "Workshop spreken",
        "ExpEx-training",
    ]
    assert len(response.context["intervision"]) == 3
    page = response.content.decode()
    assert "Niet van mij" not in page
    assert "3 maart 2025" in page
    with translation.override("nl"):
        times = translation.ngettext(
            "You attended peer supervision %(times)s time.",
            "You attended peer supervision %(times)s times.",
            3,
        ) % {"times": 3}
    assert times in page


# --- asking for a training -----------------------------------------------------------------


def _ask(client, **data):
    return client.post(reverse("expert:training_request_create"), data)


def test_an_expert_asks_for_a_training_from_the_list(expert_client, expert):
    training = TrainingFactory(name="Presenteren")
    response = _ask(expert_client, training=training.pk, note="Liefst in het voorjaar")

    assert response.status_code == 302
    assert response["Location"] == reverse("expert:my_development")
    request_ = TrainingRequest.objects.get(expert=expert)
    assert (request_.training, request_.wish, request_.note) == (
        training,
        "",
        "Liefst in het voorjaar",
    )
    assert request_.status == TrainingRequestStatus.OPEN
    page = expert_client.get(reverse("expert:my_development")).content.decode()
    assert "Presenteren" in page
    assert _dutch("The coordinator will get back to you.") in page


def test_an_expert_asks_for_a_training_in_their_own_words(expert_client, expert):
    response = _ask(expert_client, training="", wish="  Omgaan   met stress ")

    assert response.status_code == 302
    assert TrainingRequest.objects.get(expert=expert).wish == "Omgaan met stress"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"training": "", "wish": "   "},
            "wish",
            "Choose a training from the list, or write which training you would like.",
        ),
        ({"training": "999999", "wish": ""}, "training", "Choose a training from the list."),
        ({"training": "abc", "wish": ""}, "training", "Choose a training from the list."),
        ({"training": "", "wish": "x" * 201}, "wish", None),
        ({"training": "", "wish": "Stress", "note": "x" * 1001}, "note", None),
    ],
)
def test_bad_input_gets_a_message_and_stores_nothing(expert_client, expert, data, field, message):
    response = _ask(expert_client, **data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert _dutch(message) in errors[field]
    assert not TrainingRequest.objects.exists()


def test_script_tags_are_stored_as_written_and_shown_escaped(
    expert_client, expert, coordinator_client
):
    _ask(expert_client, training="", wish=SCRIPT, note=SCRIPT)

    stored = TrainingRequest.objects.get(expert=expert)
    assert (stored.wish, stored.note) == (SCRIPT, SCRIPT)
    for page in [
        expert_client.get(reverse("expert:my_development")).content.decode(),
        coordinator_client.get(reverse("coordinator:training_request_list")).content.decode(),
    ]:
        assert "<script>alert(" not in page
        assert ESCAPED in page


def test_sending_the_form_twice_stores_one_request(expert_client, expert):
    training = TrainingFactory()
    first = _ask(expert_client, training=training.pk)
    second = _ask(expert_client, training=training.pk)
    _ask(expert_client, training="", wish="Omgaan met stress")
    _ask(expert_client, training="", wish="omgaan met  STRESS")

    assert first.status_code == second.status_code == 302
    assert TrainingRequest.objects.filter(expert=expert).count() == 2


def test_after_the_request_is_handled_the_expert_may_ask_again(expert, coordinator):
    training = TrainingFactory()
    first, new = services.training_request_submit(expert=expert, training=training, wish="")
    assert new
    services.training_request_handle(training_request=first, by=coordinator)
    again, new = services.training_request_submit(expert=expert, training=training, wish="")

    assert new
    assert again.pk != first.pk


def test_the_database_holds_one_open_request_per_training(expert):
    training = TrainingFactory()
    TrainingRequest.objects.create(expert=expert, training=training)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingRequest.objects.create(expert=expert, training=training)


def test_another_expert_asking_for_the_same_training_is_their_own(expert, other_expert):
    training = TrainingFactory()
    mine, _ = services.training_request_submit(expert=expert, training=training, wish="")
    theirs, new = services.training_request_submit(expert=other_expert, training=training, wish="")

    assert new
    assert (mine.expert, theirs.expert) == (expert, other_expert)


def test_the_request_form_has_a_way_back(expert_client):
    page = expert_client.get(reverse("expert:training_request_create")).content.decode()
    assert f'href="{reverse("expert:my_development")}"' in page
    assert _dutch("Cancel") in page


# --- the coordinator's list ----------------------------------------------------------------


def test_the_coordinator_marks_a_request_handled(coordinator_client, coordinator, expert):
    request_, _ = services.training_request_submit(expert=expert, training=None, wish="Stress")
    url = reverse("coordinator:training_request_handled", args=[request_.pk])

    response = coordinator_client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("coordinator:training_request_list")
    request_.refresh_from_db()
    assert (request_.status, request_.handled_by) == (TrainingRequestStatus.HANDLED, coordinator)
    handled_at = request_.handled_at
    assert handled_at is not None
    # Twice keeps the first.
    coordinator_client.post(url)
    request_.refresh_from_db()
    assert request_.handled_at == handled_at
    page = coordinator_client.get(reverse("coordinator:training_request_list"))
    assert list(page.context["page"].object_list) == []
    assert page.context["handled_requests"] == [request_]


def test_a_request_that_does_not_exist_is_404(coordinator_client, db):
    url = reverse("coordinator:training_request_handled", args=[999999])
    assert coordinator_client.post(url).status_code == 404


def test_handling_takes_only_post(coordinator_client, expert):
    request_, _ = services.training_request_submit(expert=expert, training=None, wish="Stress")
    url = reverse("coordinator:training_request_handled", args=[request_.pk])
    assert coordinator_client.get(url).status_code == 405
    request_.refresh_from_db()
    assert request_.status == TrainingRequestStatus.OPEN


# --- access ---------------------------------------------------------------------------------

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("name", ["expert:my_development", "expert:training_request_create"])
def test_the_expert_pages_are_for_experts(visitor, name):
    who, client = visitor
    response = client.get(reverse(name))
    if who == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == (200 if who == "expert" else 403)


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_experts_can_ask_for_a_training(visitor):
    who, client = visitor
    response = client.post(reverse("expert:training_request_create"), {"wish": "Stress"})
    expected = {"anonymous": 302, "expert": 302, "lead": 403, "coordinator": 403, "admin": 403}
    assert response.status_code == expected[who]
    assert TrainingRequest.objects.count() == (1 if who == "expert" else 0)


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_the_list_of_requests_is_for_coordinators(visitor):
    who, client = visitor
    response = client.get(reverse("coordinator:training_request_list"))
    if who == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == (200 if who in {"coordinator", "admin"} else 403)


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_coordinators_mark_a_request_handled(visitor, other_expert):
    who, client = visitor
    request_, _ = services.training_request_submit(
        expert=other_expert, training=None, wish="Stress"
    )
    response = client.post(reverse("coordinator:training_request_handled", args=[request_.pk]))
    request_.refresh_from_db()
    if who in {"coordinator", "admin"}:
        assert response.status_code == 302
        assert request_.status == TrainingRequestStatus.HANDLED
    else:
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert request_.status == TrainingRequestStatus.OPEN


def test_an_expert_sees_only_their_own_requests(expert_client, other_expert):
    services.training_request_submit(expert=other_expert, training=None, wish="Geheime wens")
    page = expert_client.get(reverse("expert:my_development")).content.decode()
    assert "Geheime wens" not in page


def test_an_expert_account_without_a_profile_gets_404(client, db):
    from samen.accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.EXPERT))
    assert client.get(reverse("expert:my_development")).status_code == 404
    assert client.post(reverse("expert:training_request_create"), {"wish": "x"}).status_code == 404
    assert not TrainingRequest.objects.exists()


# --- queries --------------------------------------------------------------------------------


def _fill(expert, *, rows: int) -> None:
    for index in range(rows):
        TrainingRecordFactory(
            expert=expert,
            training=TrainingFactory(
                kind=TrainingKind.INTERVISION if index % 2 else TrainingKind.WORKSHOP
            ),
            started_on=Date(2024, 1, 1) + datetime.timedelta(days=index),
        )
        services.training_request_submit(expert=expert, training=TrainingFactory(), wish="")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_development_page_does_not_grow_in_queries(
    expert_client, expert, django_assert_max_num_queries
):
    url = reverse("expert:my_development")
    _fill(expert, rows=3)
    small = _count(expert_client, url)
    _fill(expert, rows=30)
    assert _count(expert_client, url) == small
    # Framework (2): 1 session, 2 user. Ours (3): 3 the expert, 4 the trainings and peer
    # supervision with their training, 5 the latest requests with their training.
    with django_assert_max_num_queries(5):
        response = expert_client.get(url)
    assert len(response.context["trainings"]) + len(response.context["intervision"]) == 33


def test_the_coordinators_list_does_not_grow_in_queries(
    coordinator_client, coordinator, django_assert_max_num_queries
):
    url = reverse("coordinator:training_request_list")
    experts = ExpertFactory.create_batch(3)
    for expert in experts:
        _fill(expert, rows=2)
    small = _count(coordinator_client, url)
    for expert in ExpertFactory.create_batch(10):
        _fill(expert, rows=3)
    for training_request in TrainingRequest.objects.all()[:25]:
        services.training_request_handle(training_request=training_request, by=coordinator)
    assert _count(coordinator_client, url) == small
    # Framework (2): 1 session, 2 user. Ours (3): 3 how many are open, 4 the page of open
    # requests with expert and training, 5 the latest handled with who handled them.
    with django_assert_max_num_queries(5):
        response = coordinator_client.get(url)
    assert len(response.context["page"].object_list) == 6 + 30 - 25
    assert len(response.context["handled_requests"]) == 20


def test_the_home_page_and_the_menu_link_to_my_development(expert_client):
    page = expert_client.get(reverse("expert:home")).content.decode()
    assert page.count(f'href="{reverse("expert:my_development")}"') == 2


def test_the_coordinators_menu_links_to_the_requests(coordinator_client):
    page = coordinator_client.get(reverse("coordinator:expert_list")).content.decode()
    assert f'href="{reverse("coordinator:training_request_list")}"' in page
