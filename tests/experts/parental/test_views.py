"""A parent's consent through a link, as pages: the expert under 16 asks their parent (and
waits), the parent's page (no account) answers once and then only withdraws, a link that does
not work says why, the coordinator sends the link again. Every visitor, every URL."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from experts.consents.explanations import FOR_PARENT, WITHDRAWING_FOR_PARENT
from experts.models import Consent, ConsentPurpose, Expert, Invitation, ParentalConsentRequest
from participation.commitments.models import CalendarFeed
from samen.celery import app as celery_app
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    ParentalConsentRequestFactory,
    PlacementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
TOKEN = "A" * 43
OTHER_TOKEN = "B" * 43
LINK = re.compile(r"/toestemming-ouder/([A-Za-z0-9_-]+)/")
ALL_NO = dict.fromkeys(ConsentPurpose.values, "no")


@pytest.fixture(autouse=True)
def _eager():
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


def dutch(message: str) -> str:
    with translation.override("nl"):
        return escape(gettext(message))


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.fixture
def child_user(db):
    user = UserFactory(email="sem@samen.test")
    ExpertFactory(user=user, email=user.email, first_name="Sem", date_of_birth=_years_ago(14))
    return user


@pytest.fixture
def child(child_user):
    return child_user.expert


@pytest.fixture
def child_client(client, child_user):
    client.force_login(child_user)
    return client


@pytest.fixture
def link(child):
    return ParentalConsentRequestFactory(expert=child, link_token=TOKEN, parent_name="Anja")


def _url(name: str = "parental_consent", token: str = TOKEN) -> str:
    return reverse(name, args=[token])


def _answer(client, token: str = TOKEN, **answers):
    return client.post(_url(token=token), {"name": "Anja de Vries", **ALL_NO, **answers})


# The expert asks ----------------------------------------------------------------------------


def test_the_expert_asks_their_parent_and_the_parent_gets_the_link(
    child_client, child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = child_client.post(
            reverse("expert:parent_ask"),
            {
                "parent_name": "Anja de Vries",
                "parent_email": "anja@samen.test",
                "relation": "parent",
                "latest": "0",
            },
        )

    assert response["Location"] == reverse("expert:home")
    [message] = mail.outbox
    assert message.to == ["anja@samen.test"]
    asked = ParentalConsentRequest.objects.get()
    assert (asked.expert, asked.requested_by) == (child, child.user)
    home = child_client.get(reverse("expert:home")).content.decode()
    assert "anja@samen.test" in home  # the waiting page says whom they asked


def test_the_ask_form_says_what_is_wrong_and_sends_nothing(child_client):
    response = child_client.post(
        reverse("expert:parent_ask"),
        {"parent_name": "", "parent_email": "geen-adres", "relation": "oma", "latest": "x"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"parent_name", "parent_email", "relation", "latest"}
    assert not ParentalConsentRequest.objects.exists()
    assert mail.outbox == []


def test_the_ask_form_starts_from_whom_they_asked_last(child_client, link):
    form = child_client.get(reverse("expert:parent_ask")).context["form"]
    assert form.initial == {
        "latest": link.pk,
        "parent_name": "Anja",
        "parent_email": link.parent_email,
        "relation": "parent",
    }


# The parent's page --------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_the_link_opens_for_anyone_who_has_it_without_an_account(visitor, link):
    _name, client = visitor
    response = client.get(_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sem" in page
    for purpose in ConsentPurpose.values:
        assert dutch(FOR_PARENT[purpose] % {"name": "Sem"}) in page
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(
    "token",
    [OTHER_TOKEN, "A" * 42, "A" * 44, "A" * 42 + "%", "'; drop table", "<script>"],
    ids=["another", "short", "long", "odd-character", "sql", "script"],
)
def test_a_token_samen_did_not_make_is_404_with_a_page_that_says_so(visitor, link, token):
    _name, client = visitor
    for response in [
        client.get(_url(token=token)),
        _answer(client, token=token, participation="yes"),
        client.post(_url("parental_consent_withdraw", token), {"purpose": "participation"}),
        client.post(_url("parental_consent_renew", token)),
    ]:
        assert response.status_code == 404
        assert dutch("This link does not work") in response.content.decode()
    assert not Consent.objects.exists()
    assert ParentalConsentRequest.objects.count() == 1


def test_the_parent_answers_and_samen_records_who_when_and_from_which_link(client, link):
    response = _answer(client, participation="yes", sharing="yes")

    assert response["Location"] == _url()
    consents = Consent.objects.filter(expert=link.expert)
    assert {consent.purpose for consent in consents} == {"participation", "sharing"}
    for consent in consents:
        assert (consent.given_by, consent.given_by_name, consent.parental_request) == (
            "parent",
            "Anja de Vries",
            link,
        )
    link.refresh_from_db()
    assert link.answered_by_name == "Anja de Vries"
    assert set(link.declined_purposes) == {"special_data", "contact", "photos"}
    page = client.get(_url()).content.decode()
    assert dutch("You said no.") in page
    assert "<form" in page and 'name="participation"' not in page  # no second answer


def test_after_a_no_the_page_offers_a_new_link_to_say_yes_after_all(client, link):
    renew = _url("parental_consent_renew")
    _answer(client, participation="yes")
    assert renew in client.get(_url()).content.decode()

    Consent.objects.all().delete()
    other = ParentalConsentRequestFactory(link_token=OTHER_TOKEN)
    _answer(client, token=OTHER_TOKEN, **dict.fromkeys(ConsentPurpose.values, "yes"))
    page = client.get(_url(token=OTHER_TOKEN)).content.decode()
    assert other.expert.consents.count() == len(ConsentPurpose.values)
    assert _url("parental_consent_renew", OTHER_TOKEN) not in page  # nothing left to say yes to


def test_the_answer_needs_a_name_and_every_question(client, link):
    response = client.post(_url(), {"participation": "yes"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", *ConsentPurpose.values} - {
        "participation"
    }
    assert not Consent.objects.exists()


def test_someone_else_with_the_link_cannot_answer_again(client, link):
    _answer(client, participation="no")

    response = _answer(client, name="Iemand anders", participation="yes", photos="yes")

    assert response.status_code == 302
    assert not Consent.objects.exists()
    link.refresh_from_db()
    assert link.answered_by_name == "Anja de Vries"


def test_the_parent_withdraws_through_the_same_link_after_reading_what_it_does(client, link):
    _answer(client, participation="yes")
    page = client.get(_url("parental_consent_withdraw") + "?purpose=participation")
    for effect in WITHDRAWING_FOR_PARENT["participation"]:
        assert dutch(effect % {"name": "Sem"}) in page.content.decode()
    assert link.expert.may_take_part(on=timezone.localdate())

    response = client.post(_url("parental_consent_withdraw"), {"purpose": "participation"})

    assert response["Location"] == _url()
    consent = Consent.objects.get()
    assert not consent.in_force
    assert consent.history.first().history_change_reason.endswith(str(link.pk))
    assert not link.expert.may_take_part(on=timezone.localdate())


def test_a_bad_purpose_on_the_withdraw_page_is_a_bad_request(client, link):
    assert client.get(_url("parental_consent_withdraw") + "?purpose=alles").status_code == 400
    assert client.post(_url("parental_consent_withdraw"), {"purpose": ""}).status_code == 400


def test_a_replaced_link_is_gone_and_says_to_use_the_newest(client, link):
    link.replaced_at = timezone.now()
    link.save()
    ParentalConsentRequestFactory(expert=link.expert, link_token=OTHER_TOKEN)

    response = client.get(_url())
    assert response.status_code == 410
    assert dutch("There is a newer link") in response.content.decode()
    assert _answer(client, participation="yes").status_code == 410
    assert client.post(_url("parental_consent_renew")).status_code == 410
    assert not Consent.objects.exists()


def test_an_expired_link_is_gone_and_asks_for_a_new_one_to_the_same_address(
    client, link, django_capture_on_commit_callbacks
):
    ParentalConsentRequest.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20),
        expires_at=timezone.now() - datetime.timedelta(days=6),
    )

    response = client.get(_url())
    assert response.status_code == 410
    assert dutch("This link has expired") in response.content.decode()
    assert _answer(client, participation="yes").status_code == 410
    assert not Consent.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        renewed = client.post(_url("parental_consent_renew"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("parental_consent_renew"))  # a second click

    assert renewed.status_code == 200
    assert dutch("A new link is on its way") in renewed.content.decode()
    assert [m.to for m in mail.outbox] == [[link.parent_email]]
    new_token = LINK.search(mail.outbox[0].body).group(1)
    assert client.get(_url(token=new_token)).status_code == 200


def test_an_open_link_does_not_ask_for_a_new_one(client, link):
    response = client.post(_url("parental_consent_renew"))
    assert response["Location"] == _url()
    assert ParentalConsentRequest.objects.count() == 1


def test_the_link_is_no_longer_needed_once_the_expert_is_16(client, link):
    Expert.objects.filter(pk=link.expert_id).update(date_of_birth=_years_ago(16))
    response = client.get(_url())
    assert response.status_code == 410
    assert dutch("This link is no longer needed") in response.content.decode()


def test_the_page_names_the_coordinator_who_invited_the_expert(client, link, coordinator):
    Invitation.objects.create(
        expert=link.expert,
        email=link.expert.email,
        sent_by=coordinator,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    page = client.get(_url()).content.decode()
    assert coordinator.email in page


def test_the_parents_page_reads_a_fixed_number_of_queries(
    client, link, django_assert_max_num_queries
):
    now = timezone.now()
    for days in range(15):
        ConsentFactory(
            expert=link.expert,
            purpose=ConsentPurpose.values[days % 5],
            given_by="parent",
            given_by_name="Anja",
            given_at=now - datetime.timedelta(days=40 - days),
            withdrawn_at=now - datetime.timedelta(days=39 - days),
        )
    # The link with its expert, the consents, the expert's latest invitation.
    with django_assert_max_num_queries(3):
        response = client.get(_url())
    assert response.status_code == 200


# The coordinator sends it again -------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_a_coordinator_sends_the_link_again(visitor, link, django_capture_on_commit_callbacks):
    name, client = visitor
    url = reverse("coordinator:expert_parent_link_resend", args=[link.expert_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"latest": link.pk})
    expected = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 302, "admin": 302}
    assert response.status_code == expected[name]
    sent = name in {"coordinator", "admin"}
    assert ParentalConsentRequest.objects.count() == (2 if sent else 1)
    assert len(mail.outbox) == (1 if sent else 0)
    if sent:
        assert response["Location"] == reverse("coordinator:expert_detail", args=[link.expert_id])
    assert client.get(url).status_code == 405  # only a button posts here


def test_sending_again_needs_the_request_the_page_showed(coordinator_client, link):
    url = reverse("coordinator:expert_parent_link_resend", args=[link.expert_id])
    assert coordinator_client.post(url, {"latest": "een"}).status_code == 400
    assert coordinator_client.post(url).status_code == 400
    missing = reverse("coordinator:expert_parent_link_resend", args=[999999])
    assert coordinator_client.post(missing, {"latest": 1}).status_code == 404
    assert ParentalConsentRequest.objects.count() == 1


def test_the_coordinators_page_of_a_child_shows_the_link(coordinator_client, link):
    page = coordinator_client.get(
        reverse("coordinator:expert_detail", args=[link.expert_id])
    ).content.decode()
    assert link.parent_email in page
    assert reverse("coordinator:expert_parent_link_resend", args=[link.expert_id]) in page


# Waiting ------------------------------------------------------------------------------------


def test_an_expert_under_16_waits_until_the_parent_consents(
    child_client, child, link, network, client
):
    PlacementFactory(expert=child, network=network)
    for name in ["expert:commitments", "expert:my_hours", "expert:my_hours_create"]:
        response = child_client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("expert:home")
    home = child_client.get(reverse("expert:home"))
    assert home.context["waiting"]
    assert dutch("Your parent or guardian decides") in home.content.decode()
    for name in ["expert:my_consents", "expert:parent_ask", "expert:welcome"]:
        assert child_client.get(reverse(name)).status_code == 200, name

    _answer(client, participation="yes")

    assert child_client.get(reverse("expert:commitments")).status_code == 200
    assert not child_client.get(reverse("expert:home")).context["waiting"]


def test_a_parents_no_to_taking_part_keeps_the_expert_waiting(child_client, link, client):
    _answer(client, photos="yes")
    assert child_client.get(reverse("expert:my_hours"))["Location"] == reverse("expert:home")
    assert child_client.get(reverse("expert:home")).context["waiting"]


def test_a_post_while_waiting_changes_nothing(child_client, child, link):
    response = child_client.post(reverse("expert:calendar_feed_renew"))
    assert response["Location"] == reverse("expert:home")
    assert not CalendarFeed.objects.filter(expert=child).exists()


def test_an_adult_never_waits(expert_client):
    assert expert_client.get(reverse("expert:commitments")).status_code == 200
    assert not expert_client.get(reverse("expert:home")).context["waiting"]


@pytest.mark.parametrize("consents", [1, 12])
def test_the_waiting_home_page_reads_a_fixed_number_of_queries(
    child_client, child, link, django_assert_max_num_queries, consents
):
    now = timezone.now()
    for days in range(consents):
        ConsentFactory(
            expert=child,
            purpose="photos",
            given_by="parent",
            given_by_name="Anja",
            given_at=now - datetime.timedelta(days=40 - days),
            withdrawn_at=now - datetime.timedelta(days=39 - days),
        )
    # Framework (2): session, user. Ours (8 at most): the expert, their themes, roles,
    # consents in force, training records (and their trainings, when there are any), the
    # expert again with whether they wait, whom they asked.
    with django_assert_max_num_queries(10):
        response = child_client.get(reverse("expert:home"))
    assert response.context["waiting"]
