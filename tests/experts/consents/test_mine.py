"""The expert's own door: the welcome after the first login, and "My consents" (each purpose
with its state; give or withdraw one with what that does said first; yes or no for all at
once after the welcome). Recorded online, by the expert, with their account as who recorded
it; the same form twice records once. Under 16 the parent decides."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from experts.consents.explanations import FOR_EXPERT, WITHDRAWING_FOR_EXPERT
from experts.models import Consent, ConsentGiver, ConsentMethod, ConsentPurpose
from tests.factories import ConsentFactory, ExpertFactory, UserFactory

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
# Every page of the expert's door answers 403 to another door (tests/accounts/test_doors.py
# walks them all); these are the new ones, with what an expert gets on a GET.
PAGES = {
    "expert:welcome": "",
    "expert:my_consents": "",
    "expert:my_consents_choose": "",
    "expert:my_consent_give": "?purpose=photos",
    "expert:my_consent_withdraw": "?purpose=photos",
    "expert:parent_ask": "",
}
ALLOWED = {"anonymous": 302, "expert": 200, "lead": 403, "coordinator": 403, "admin": 403}
ALL_YES = dict.fromkeys(ConsentPurpose.values, "yes")


def dutch(message: str) -> str:
    """A text as the page writes it: in Dutch, escaped."""
    with translation.override("nl"):
        return escape(gettext(message))


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.fixture
def young_client(client, db):
    """A 14-year-old ExpEx with an account."""
    user = UserFactory(email="jong@samen.test")
    ExpertFactory(user=user, email=user.email, first_name="Sem", date_of_birth=_years_ago(14))
    client.force_login(user)
    return client


# Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(("url_name", "query"), PAGES.items())
def test_the_new_pages_are_the_experts_own(visitor, url_name, query):
    name, client = visitor
    response = client.get(reverse(url_name) + query)
    expected = ALLOWED[name]
    if url_name == "expert:parent_ask" and name == "expert":
        expected = 302  # an adult decides themselves: to their consents
    assert response.status_code == expected, (name, url_name)
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("url_name", list(PAGES))
def test_an_expert_account_without_a_profile_gets_404(client, db, url_name):
    client.force_login(UserFactory(role="expert"))
    assert client.get(reverse(url_name) + PAGES[url_name]).status_code == 404


@pytest.mark.parametrize("url_name", ["expert:my_consent_give", "expert:my_consent_withdraw"])
@pytest.mark.parametrize("query", ["", "?purpose=", "?purpose=everything", "?purpose=<b>"])
def test_a_purpose_samen_does_not_know_is_a_bad_request(expert_client, expert, url_name, query):
    assert expert_client.get(reverse(url_name) + query).status_code == 400
    assert expert_client.post(reverse(url_name), {"purpose": query[9:]}).status_code == 400
    assert not expert.consents.exists()


def test_the_expert_never_reaches_another_experts_consents(
    expert_client, expert, other_expert, coordinator
):
    """No page takes an expert's id: every write is about the logged-in expert's own record."""
    theirs = ConsentFactory(expert=other_expert, purpose="photos")
    expert_client.post(reverse("expert:my_consent_withdraw"), {"purpose": "photos"})
    expert_client.post(reverse("expert:my_consent_give"), {"purpose": "sharing"})
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None
    assert not other_expert.consents.filter(purpose="sharing").exists()
    assert expert.consents.filter(purpose="sharing").exists()


# The welcome --------------------------------------------------------------------------------


def test_the_first_visit_goes_to_the_welcome_then_the_consents(expert_client, expert):
    expert.welcomed_at = None
    expert.save()

    response = expert_client.get(reverse("expert:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("expert:welcome")

    page = expert_client.get(reverse("expert:welcome")).content.decode()
    assert dutch("What is Samen?") in page
    assert dutch("Who sees it, and why?") in page

    response = expert_client.post(reverse("expert:welcome"), {"then": "consents"})
    assert response["Location"] == reverse("expert:my_consents_choose")
    expert.refresh_from_db()
    assert expert.welcomed_at is not None
    assert expert_client.get(reverse("expert:home")).status_code == 200


def test_an_expert_who_skips_the_welcome_reads_it_again_later(expert_client, expert):
    expert.welcomed_at = None
    expert.save()

    response = expert_client.post(reverse("expert:welcome"), {"then": "later"})

    assert response["Location"] == reverse("expert:home")
    expert.refresh_from_db()
    first_seen = expert.welcomed_at
    assert first_seen is not None
    assert expert_client.get(reverse("expert:home")).status_code == 200
    assert expert_client.get(reverse("expert:welcome")).status_code == 200
    expert_client.post(reverse("expert:welcome"), {"then": "later"})
    expert.refresh_from_db()
    assert expert.welcomed_at == first_seen  # the first time stays


def test_the_welcome_refuses_a_step_it_does_not_know(expert_client, expert):
    expert.welcomed_at = None
    expert.save()
    assert expert_client.post(reverse("expert:welcome"), {"then": "elsewhere"}).status_code == 400
    expert.refresh_from_db()
    assert expert.welcomed_at is None


def test_home_and_nav_link_to_my_consents(expert_client):
    page = expert_client.get(reverse("expert:home")).content.decode()
    assert page.count(f'href="{reverse("expert:my_consents")}"') >= 2  # the menu and the card


# Choosing after the welcome -----------------------------------------------------------------


def test_choosing_records_a_consent_for_each_yes_online_by_the_expert(
    expert_client, expert, expert_user
):
    answers = {**ALL_YES, "photos": "no", "sharing": "no"}

    response = expert_client.post(reverse("expert:my_consents_choose"), answers)

    assert response["Location"] == reverse("expert:home")
    consents = {consent.purpose: consent for consent in expert.consents.all()}
    assert set(consents) == {"participation", "special_data", "contact"}
    for consent in consents.values():
        assert consent.method == ConsentMethod.ONLINE
        assert consent.given_by == ConsentGiver.SELF
        assert consent.recorded_by == expert_user
        assert consent.in_force
        assert consent.history.get().history_user == expert_user


def test_the_same_choices_sent_twice_are_recorded_once(expert_client, expert):
    for _ in range(2):
        expert_client.post(reverse("expert:my_consents_choose"), ALL_YES)
    assert expert.consents.count() == len(ConsentPurpose.values)


def test_every_purpose_needs_an_answer_and_nothing_is_recorded_without(expert_client, expert):
    response = expert_client.post(reverse("expert:my_consents_choose"), {"participation": "yes"})
    assert response.status_code == 400
    assert dutch("Choose yes or no.") in response.content.decode()
    assert not expert.consents.exists()


def test_choosing_asks_only_what_is_not_given_yet(expert_client, expert):
    ConsentFactory(expert=expert, purpose="participation")
    form = expert_client.get(reverse("expert:my_consents_choose")).context["form"]
    assert "participation" not in form.fields
    assert set(form.fields) == set(ConsentPurpose.values) - {"participation"}


def test_each_choice_says_what_it_means(expert_client):
    page = expert_client.get(reverse("expert:my_consents_choose")).content.decode()
    for purpose in ConsentPurpose.values:
        assert dutch(FOR_EXPERT[purpose]) in page


# Giving and withdrawing one -----------------------------------------------------------------


def test_the_overview_shows_each_purpose_with_its_state(expert_client, expert):
    ConsentFactory(expert=expert, purpose="participation")
    now = timezone.now()
    ConsentFactory(
        expert=expert,
        purpose="photos",
        given_at=now - datetime.timedelta(days=9),
        withdrawn_at=now - datetime.timedelta(days=2),
    )

    response = expert_client.get(reverse("expert:my_consents"))

    states = {state.purpose: state for state in response.context["states"]}
    assert list(states) == ConsentPurpose.values
    assert states["participation"].given
    assert not states["photos"].given and states["photos"].withdrawn is not None
    assert not states["sharing"].given and states["sharing"].withdrawn is None
    page = response.content.decode()
    assert f"{reverse('expert:my_consent_withdraw')}?purpose=participation" in page
    assert f"{reverse('expert:my_consent_give')}?purpose=photos" in page


def test_giving_says_what_it_means_first_then_records_it(expert_client, expert, expert_user):
    url = reverse("expert:my_consent_give")
    page = expert_client.get(url + "?purpose=sharing").content.decode()
    assert dutch(FOR_EXPERT["sharing"]) in page
    assert not expert.consents.exists()

    response = expert_client.post(url, {"purpose": "sharing"})

    assert response["Location"] == reverse("expert:my_consents")
    consent = expert.consents.get()
    assert (consent.purpose, consent.method, consent.recorded_by) == (
        "sharing",
        ConsentMethod.ONLINE,
        expert_user,
    )
    expert_client.post(url, {"purpose": "sharing"})  # a second click
    assert expert.consents.count() == 1


@pytest.mark.parametrize("purpose", ConsentPurpose.values)
def test_withdrawing_says_what_it_does_first(expert_client, expert, purpose):
    ConsentFactory(expert=expert, purpose=purpose)
    response = expert_client.get(reverse("expert:my_consent_withdraw") + f"?purpose={purpose}")
    page = response.content.decode()
    for effect in WITHDRAWING_FOR_EXPERT[purpose]:
        assert dutch(effect) in page
    assert expert.consents.get().in_force


def test_withdrawing_records_it_from_today_by_the_expert(expert_client, expert, expert_user):
    consent = ConsentFactory(
        expert=expert, purpose="participation", given_at=timezone.now() - datetime.timedelta(9)
    )

    response = expert_client.post(
        reverse("expert:my_consent_withdraw"), {"purpose": "participation"}
    )
    expert_client.post(reverse("expert:my_consent_withdraw"), {"purpose": "participation"})

    assert response["Location"] == reverse("expert:my_consents")
    consent.refresh_from_db()
    assert timezone.localdate(consent.withdrawn_at) == timezone.localdate()
    assert not consent.in_force
    assert consent.history.first().history_user == expert_user
    assert expert.withdrew_consent_to_take_part(on=timezone.localdate())
    assert Consent.objects.filter(expert=expert).count() == 1


def test_withdrawing_what_was_never_given_changes_nothing(expert_client, expert):
    response = expert_client.post(reverse("expert:my_consent_withdraw"), {"purpose": "photos"})
    assert response.status_code == 302
    assert not expert.consents.exists()


# Under 16 -----------------------------------------------------------------------------------


def test_under_16_the_expert_cannot_consent_themselves(young_client):
    expert = ExpertFactory._meta.model.objects.get(email="jong@samen.test")
    for url, data in [
        (reverse("expert:my_consents_choose"), ALL_YES),
        (reverse("expert:my_consent_give"), {"purpose": "participation"}),
    ]:
        response = young_client.post(url, data)
        assert response["Location"] == reverse("expert:parent_ask")
    assert not expert.consents.exists()


def test_under_16_a_parents_consent_is_not_withdrawn_by_the_expert(young_client):
    expert = ExpertFactory._meta.model.objects.get(email="jong@samen.test")
    consent = ConsentFactory(
        expert=expert, purpose="photos", given_by="parent", given_by_name="Anja"
    )
    response = young_client.post(reverse("expert:my_consent_withdraw"), {"purpose": "photos"})
    assert response["Location"] == reverse("expert:parent_ask")
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_under_16_the_overview_shows_who_decides_and_no_buttons(young_client):
    expert = ExpertFactory._meta.model.objects.get(email="jong@samen.test")
    ConsentFactory(expert=expert, given_by="parent", given_by_name="Anja de Vries")

    page = young_client.get(reverse("expert:my_consents")).content.decode()

    assert dutch("Your parent or guardian decides") in page
    assert "Anja de Vries" in page  # who gave it for them
    assert reverse("expert:my_consent_withdraw") not in page
    assert reverse("expert:my_consent_give") not in page
    assert reverse("expert:parent_ask") in page


# Queries ------------------------------------------------------------------------------------


def test_the_overview_reads_a_fixed_number_of_queries(
    expert_client, expert, django_assert_max_num_queries
):
    now = timezone.now()
    for days in range(20):
        ConsentFactory(
            expert=expert,
            purpose=ConsentPurpose.values[days % 5],
            given_at=now - datetime.timedelta(days=40 - days),
            withdrawn_at=now - datetime.timedelta(days=39 - days),
        )
    # Framework (2): session, user. Ours (2): the expert (with whether they wait for a
    # parent), their consents.
    with django_assert_max_num_queries(4):
        response = expert_client.get(reverse("expert:my_consents"))
    assert len(response.context["states"]) == len(ConsentPurpose.values)
