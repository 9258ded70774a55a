"""A parent's consent through a link: asking (and asking again), the e-mail with a link whose
token only the e-mail holds, the answer recorded once (who, when, for what, from which link),
withdrawing through the link, a new link from an expired one, and the outbox sweep."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from experts.models import (
    Consent,
    ConsentGiver,
    ConsentMethod,
    ParentalConsentRequest,
    ParentalLinkState,
)
from experts.parental import services, tasks
from experts.parental.models import TOKEN_PATTERN, token_hash
from experts.parental.selectors import link_for_token
from samen.celery import app as celery_app
from tests.factories import ConsentFactory, ExpertFactory, ParentalConsentRequestFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/toestemming-ouder/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _eager():
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.fixture
def child(db):
    return ExpertFactory(
        first_name="Sem", email="sem@samen.test", date_of_birth=_years_ago(14), welcomed_at=None
    )


def _ask(child, django_capture_on_commit_callbacks, **changes) -> ParentalConsentRequest:
    data = {
        "expert": child,
        "parent_name": "Anja de Vries",
        "parent_email": "Anja@Samen.test",
        "relation": "parent",
        "requested_by": child.user,
    } | changes
    with django_capture_on_commit_callbacks(execute=True):
        return services.parental_consent_ask(**data)


def _token(message) -> str:
    return LINK.search(message.body).group(1)


# Asking -------------------------------------------------------------------------------------


def test_asking_sends_the_parent_a_link_whose_token_only_the_email_holds(
    child, django_capture_on_commit_callbacks
):
    asked = _ask(child, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == ["anja@samen.test"]
    assert "Sem" in message.subject
    token = _token(message)
    assert TOKEN_PATTERN.match(token)
    asked.refresh_from_db()
    assert asked.emailed_at is not None
    assert asked.token_hash == token_hash(token) != token
    assert token not in str(ParentalConsentRequest.objects.values().get())
    assert link_for_token(token) == asked
    assert asked.state() == ParentalLinkState.OPEN
    expected_expiry = asked.created_at + datetime.timedelta(days=14)
    assert asked.expires_at == expected_expiry


def test_the_links_lifetime_is_a_setting(child, settings, django_capture_on_commit_callbacks):
    settings.SAMEN_PARENTAL_CONSENT_DAYS = 3
    asked = _ask(child, django_capture_on_commit_callbacks)
    assert asked.expires_at - asked.created_at == datetime.timedelta(days=3)


def test_asking_again_replaces_the_link_before(child, django_capture_on_commit_callbacks):
    first = _ask(child, django_capture_on_commit_callbacks)
    old_token = _token(mail.outbox[0])

    second = _ask(
        child,
        django_capture_on_commit_callbacks,
        parent_email="papa@samen.test",
        latest_seen=first.pk,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state() == ParentalLinkState.REPLACED
    assert second.state() == ParentalLinkState.OPEN
    assert [m.to for m in mail.outbox] == [["anja@samen.test"], ["papa@samen.test"]]
    assert link_for_token(old_token) == first  # found, and replaced: the page says so
    assert ParentalConsentRequest.objects.filter(expert=child).current().get() == second


def test_the_same_form_sent_twice_asks_once(child, django_capture_on_commit_callbacks):
    first = _ask(child, django_capture_on_commit_callbacks, latest_seen=0)
    again = _ask(child, django_capture_on_commit_callbacks, latest_seen=0)

    assert again == first
    assert ParentalConsentRequest.objects.count() == 1
    assert len(mail.outbox) == 1


def test_only_an_expert_under_16_asks_a_parent(django_capture_on_commit_callbacks):
    for born in [_years_ago(16), None]:
        with pytest.raises(ValidationError):
            _ask(ExpertFactory(date_of_birth=born), django_capture_on_commit_callbacks)
    assert not ParentalConsentRequest.objects.exists()


def test_the_expert_cannot_give_their_own_address(child, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        _ask(child, django_capture_on_commit_callbacks, parent_email=" SEM@samen.test ")
    assert list(refused.value.message_dict) == ["parent_email"]
    assert not ParentalConsentRequest.objects.exists()


def test_the_coordinator_sends_the_same_link_again(
    child, coordinator, django_capture_on_commit_callbacks
):
    first = _ask(child, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.parental_consent_ask_again(
            expert=child, requested_by=coordinator, latest_seen=first.pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        twice = services.parental_consent_ask_again(
            expert=child, requested_by=coordinator, latest_seen=first.pk
        )

    assert twice == again != first
    assert (again.parent_name, again.parent_email, again.requested_by) == (
        "Anja de Vries",
        "anja@samen.test",
        coordinator,
    )
    assert len(mail.outbox) == 2
    assert _token(mail.outbox[0]) != _token(mail.outbox[1])


def test_sending_again_needs_someone_asked_first(child, coordinator):
    with pytest.raises(ValidationError):
        services.parental_consent_ask_again(expert=child, requested_by=coordinator)


# The e-mail ---------------------------------------------------------------------------------


def test_the_email_goes_out_once(child, django_capture_on_commit_callbacks):
    asked = _ask(child, django_capture_on_commit_callbacks)
    assert not services.parental_consent_email_send(request_id=asked.pk)
    assert not services.parental_consent_email_send(request_id=999999)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"replaced_at": timezone.now()},
        {"expires_at": timezone.now() - datetime.timedelta(minutes=1)},
    ],
    ids=["replaced", "expired"],
)
def test_no_email_for_a_link_that_no_longer_works(changes):
    asked = ParentalConsentRequestFactory(
        emailed_at=None,
        token_hash=None,
        created_at=timezone.now() - datetime.timedelta(days=1),
        **changes,
    )
    assert not services.parental_consent_email_send(request_id=asked.pk)
    asked.refresh_from_db()
    assert (asked.emailed_at, asked.token_hash) == (None, None)
    assert mail.outbox == []


def test_no_email_once_the_expert_is_16():
    asked = ParentalConsentRequestFactory(
        emailed_at=None, token_hash=None, expert=ExpertFactory(date_of_birth=_years_ago(16))
    )
    assert not services.parental_consent_email_send(request_id=asked.pk)
    assert mail.outbox == []


def test_a_failed_send_makes_no_link(child, monkeypatch):
    asked = ParentalConsentRequestFactory(expert=child, emailed_at=None, token_hash=None)

    def fail(self, *args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    with pytest.raises(ConnectionError):
        services.parental_consent_email_send(request_id=asked.pk)
    asked.refresh_from_db()
    assert (asked.emailed_at, asked.token_hash) == (None, None)


def test_the_sweep_sends_what_the_broker_missed_once():
    now = timezone.now()
    missed = ParentalConsentRequestFactory(
        emailed_at=None, token_hash=None, created_at=now - datetime.timedelta(minutes=10)
    )
    ParentalConsentRequestFactory(emailed_at=None, token_hash=None)  # its own task still comes
    ParentalConsentRequestFactory(  # too old: someone asks again
        emailed_at=None, token_hash=None, created_at=now - datetime.timedelta(days=4)
    )
    ParentalConsentRequestFactory(  # replaced
        emailed_at=None,
        token_hash=None,
        created_at=now - datetime.timedelta(minutes=10),
        replaced_at=now,
    )

    assert tasks.parental_consents_send_unsent() == 1
    assert tasks.parental_consents_send_unsent() == 0
    assert [m.to for m in mail.outbox] == [[missed.parent_email]]


# The answer ---------------------------------------------------------------------------------


def test_the_answer_records_who_when_what_and_from_which_link(child):
    link = ParentalConsentRequestFactory(expert=child, relation="guardian")
    answers = {
        "participation": True,
        "special_data": False,
        "sharing": True,
        "contact": True,
        "photos": False,
    }

    consents = services.parental_consent_answer(
        request=link, name="  Anja de Vries ", answers=answers
    )

    assert {consent.purpose for consent in consents} == {"participation", "sharing", "contact"}
    for consent in Consent.objects.filter(expert=child):
        assert consent.given_by == ConsentGiver.GUARDIAN
        assert consent.given_by_name == "Anja de Vries"
        assert consent.method == ConsentMethod.ONLINE
        assert consent.parental_request == link  # which link, and so which address
        assert consent.recorded_by is None
        assert timezone.localdate(consent.given_at) == timezone.localdate()
    link.refresh_from_db()
    assert link.answered_by_name == "Anja de Vries"
    assert link.answered_at is not None
    assert sorted(link.declined_purposes) == ["photos", "special_data"]
    assert link.state() == ParentalLinkState.ANSWERED
    assert child.may_take_part(on=timezone.localdate())
    assert not child.is_missing_parental_consent(on=timezone.localdate())


def test_a_link_answers_once(child):
    link = ParentalConsentRequestFactory(expert=child)
    services.parental_consent_answer(
        request=link, name="Anja", answers={"participation": False, "photos": False}
    )

    again = services.parental_consent_answer(
        request=link, name="Iemand anders", answers={"participation": True, "photos": True}
    )

    assert again == []
    assert not Consent.objects.exists()
    link.refresh_from_db()
    assert link.answered_by_name == "Anja"


def test_the_answer_skips_what_is_in_force_already(child):
    paper = ConsentFactory(
        expert=child, purpose="participation", given_by="parent", given_by_name="Papa"
    )
    link = ParentalConsentRequestFactory(expert=child)

    consents = services.parental_consent_answer(
        request=link, name="Anja", answers={"participation": True, "photos": True}
    )

    assert [consent.purpose for consent in consents] == ["photos"]
    assert child.consents.get(purpose="participation") == paper


@pytest.mark.parametrize(
    "changes",
    [
        {"replaced_at": timezone.now()},
        {
            "created_at": timezone.now() - datetime.timedelta(days=20),
            "expires_at": timezone.now() - datetime.timedelta(days=6),
        },
    ],
    ids=["replaced", "expired"],
)
def test_a_link_that_no_longer_works_records_nothing(child, changes):
    link = ParentalConsentRequestFactory(expert=child, **changes)
    with pytest.raises(ValidationError):
        services.parental_consent_answer(request=link, name="Anja", answers={"participation": True})
    with pytest.raises(ValidationError):
        services.parental_consent_withdraw(request=link, purpose="participation")
    assert not Consent.objects.exists()


# Withdrawing through the link ---------------------------------------------------------------


def test_the_parent_withdraws_through_the_link(child):
    link = ParentalConsentRequestFactory(expert=child)
    services.parental_consent_answer(request=link, name="Anja", answers={"participation": True})

    withdrawn = services.parental_consent_withdraw(request=link, purpose="participation")

    assert withdrawn is not None and not withdrawn.in_force
    latest = withdrawn.history.first()
    assert latest.history_user is None
    assert latest.history_change_reason == f"Withdrawn through the parent's link {link.pk}"
    assert child.is_missing_parental_consent(on=timezone.localdate())
    # Twice: nothing more to withdraw.
    assert services.parental_consent_withdraw(request=link, purpose="participation") is None


def test_the_link_never_withdraws_the_experts_own_consent():
    link = ParentalConsentRequestFactory()
    own = ConsentFactory(expert=link.expert, purpose="photos", given_by="self")
    assert services.parental_consent_withdraw(request=link, purpose="photos") is None
    own.refresh_from_db()
    assert own.withdrawn_at is None


# A new link from the link -------------------------------------------------------------------


def test_an_expired_link_asks_for_a_new_one_to_the_same_address(
    child, django_capture_on_commit_callbacks
):
    expired = ParentalConsentRequestFactory(
        expert=child,
        parent_email="anja@samen.test",
        created_at=timezone.now() - datetime.timedelta(days=20),
        expires_at=timezone.now() - datetime.timedelta(days=6),
    )

    with django_capture_on_commit_callbacks(execute=True):
        renewed = services.parental_consent_renew(request=expired)

    assert renewed is not None
    assert (renewed.parent_email, renewed.parent_name, renewed.requested_by) == (
        "anja@samen.test",
        expired.parent_name,
        None,
    )
    assert [m.to for m in mail.outbox] == [["anja@samen.test"]]
    assert services.parental_consent_renew(request=expired) is None  # replaced now
    assert len(mail.outbox) == 1


def test_an_open_link_does_not_ask_for_another(child):
    link = ParentalConsentRequestFactory(expert=child)
    assert services.parental_consent_renew(request=link) is None
    assert ParentalConsentRequest.objects.count() == 1


def test_the_sweep_is_on_the_beat_schedule_and_the_task_is_found():
    tasks_on_schedule = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "experts.parental.tasks.parental_consents_send_unsent" in tasks_on_schedule
    celery_app.loader.import_default_modules()
    assert "experts.parental.tasks.parental_consents_send_unsent" in celery_app.tasks
    assert "experts.parental.tasks.parental_consent_send" in celery_app.tasks
