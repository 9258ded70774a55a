"""The match e-mails, run eagerly and each twice: a task that runs again sends no second mail."""

import datetime
import logging
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from experts.models import Consent
from participation.models import Match, MatchStatus, Request, RequestStatus
from participation.requests.services import request_update
from participation.requests.tasks import (
    match_notify_confirmed,
    match_notify_expert,
    match_remind_expert,
    matches_notify_unsent,
    matches_remind_unanswered,
)
from samen.celery import app as celery_app
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    MatchFactory,
    RequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager():
    """Run tasks in this process even when REDIS_URL happens to be set."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


def _run(task, *args):
    return task.apply(args=args).get()


def _proposed(days_ago: float, **kwargs) -> Match:
    """A proposed match; ``proposed_at`` is auto_now_add, so it is moved back afterwards."""
    match = MatchFactory(**kwargs)
    proposed_at = timezone.now() - datetime.timedelta(days=days_ago)
    Match.objects.filter(pk=match.pk).update(proposed_at=proposed_at)
    match.refresh_from_db()
    return match


def test_notify_expert_sends_one_mail_when_run_twice():
    request = RequestFactory(
        title="Folder voor jongeren",
        question="Wat mist er in onze folder?",
        respond_by=datetime.date(2026, 3, 2),
    )
    match = MatchFactory(
        request=request,
        expert=ExpertFactory(consent_to_take_part=True, first_name="Esra", email="esra@samen.test"),
        expectations="Twee keer meelezen.",
        hours="2.5",
    )

    assert _run(match_notify_expert, match.pk) is True
    assert _run(match_notify_expert, match.pk) is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["esra@samen.test"]
    assert "Folder voor jongeren" in message.subject
    assert "Herinnering" not in message.subject  # Dutch: the expert's language
    for text in ("Esra", "Wat mist er in onze folder?", "Twee keer meelezen.", "/mijn/afspraken/"):
        assert text in message.body
    # Dutch by default: decimal comma and a Dutch month name.
    assert "2,5" in message.body
    assert "maart 2026" in message.body
    match.refresh_from_db()
    assert match.expert_notified_at is not None


def test_notify_expert_mail_is_plain_text_not_html_escaped():
    match = MatchFactory(request=RequestFactory(question="Wat is 'normaal' & wat niet?"))

    _run(match_notify_expert, match.pk)

    assert "Wat is 'normaal' & wat niet?" in mail.outbox[0].body
    assert "&amp;" not in mail.outbox[0].body


def test_notify_expert_uses_account_address_when_expert_has_none():
    user = UserFactory(email="account@samen.test")
    match = MatchFactory(expert=ExpertFactory(consent_to_take_part=True, email="", user=user))

    _run(match_notify_expert, match.pk)

    assert mail.outbox[0].to == ["account@samen.test"]


def test_notify_expert_without_email_is_skipped_and_logged(caplog):
    match = MatchFactory(expert=ExpertFactory(consent_to_take_part=True, email="", user=None))

    with caplog.at_level(logging.WARNING, logger="participation.requests.tasks"):
        assert _run(match_notify_expert, match.pk) is False
        assert _run(match_notify_expert, match.pk) is False

    assert mail.outbox == []
    assert "has no e-mail address" in caplog.text
    match.refresh_from_db()
    assert match.expert_notified_at is None


def test_notify_expert_for_a_missing_match_logs_and_returns(caplog):
    match = MatchFactory()
    match_id = match.pk
    match.delete()

    with caplog.at_level(logging.WARNING, logger="participation.requests.tasks"):
        assert _run(match_notify_expert, match_id) is False

    assert mail.outbox == []
    assert f"Match {match_id} no longer exists" in caplog.text


def test_notify_expert_skips_a_withdrawn_match():
    match = MatchFactory(status=MatchStatus.WITHDRAWN)

    assert _run(match_notify_expert, match.pk) is False

    assert mail.outbox == []


def test_unanswered_match_after_a_week_gets_one_reminder_when_beat_runs_twice():
    match = _proposed(8, request=RequestFactory(title="Gastles hogeschool"))
    Match.objects.filter(pk=match.pk).update(expert_notified_at=match.proposed_at)

    assert _run(matches_remind_unanswered) == 1
    assert _run(matches_remind_unanswered) == 0
    assert _run(match_remind_expert, match.pk) is False

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Herinnering")
    assert "Gastles hogeschool" in mail.outbox[0].subject
    assert "Een week geleden" in mail.outbox[0].body
    match.refresh_from_db()
    assert match.expert_notified_at > match.proposed_at + datetime.timedelta(days=7)


def test_match_younger_than_a_week_gets_no_reminder():
    match = _proposed(6)
    Match.objects.filter(pk=match.pk).update(expert_notified_at=match.proposed_at)

    assert _run(matches_remind_unanswered) == 0
    assert _run(match_remind_expert, match.pk) is False

    assert mail.outbox == []


def test_match_the_expert_confirmed_gets_no_reminder():
    match = _proposed(8, expert_confirmed_at=timezone.now())

    assert _run(matches_remind_unanswered) == 0
    assert _run(match_remind_expert, match.pk) is False

    assert mail.outbox == []


def test_reminded_match_is_not_reminded_again_a_week_later():
    match = _proposed(20)
    reminded_at = match.proposed_at + datetime.timedelta(days=8)
    Match.objects.filter(pk=match.pk).update(expert_notified_at=reminded_at)

    assert _run(matches_remind_unanswered) == 0
    assert _run(match_remind_expert, match.pk) is False

    assert mail.outbox == []


def test_expert_never_informed_gets_the_first_mail_instead_of_a_reminder():
    _proposed(8)

    assert _run(matches_remind_unanswered) == 1
    assert _run(matches_remind_unanswered) == 0

    assert len(mail.outbox) == 1
    assert not mail.outbox[0].subject.startswith("Herinnering")


def test_remind_expert_for_a_missing_match_logs_and_returns(caplog):
    with caplog.at_level(logging.WARNING, logger="participation.requests.tasks"):
        assert _run(match_remind_expert, 987654321) is False

    assert mail.outbox == []
    assert "Match 987654321 no longer exists" in caplog.text


def test_every_beat_entry_names_a_registered_task():
    # What a worker does at start: import every app's tasks module.
    celery_app.loader.import_default_modules()
    schedule = celery_app.conf.beat_schedule

    assert any(e["task"] == matches_remind_unanswered.name for e in schedule.values())
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks


class WorkerKilled(Exception):
    """Stands in for a worker that dies while the mail is being sent."""


def test_notify_expert_cut_off_while_sending_leaves_the_match_to_the_next_run():
    """A worker killed mid-task: the claim was not committed, so the redelivered task sends,
    and a third run (a sweep, a second redelivery) sends nothing more."""
    match = MatchFactory(expert=ExpertFactory(consent_to_take_part=True, email="esra@samen.test"))
    with (
        mock.patch.object(EmailMessage, "send", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        _run(match_notify_expert, match.pk)
    match.refresh_from_db()
    assert match.expert_notified_at is None

    assert _run(match_notify_expert, match.pk) is True
    assert _run(match_notify_expert, match.pk) is False
    assert [message.to for message in mail.outbox] == [["esra@samen.test"]]


def _unsent_since(match: Match, minutes: float) -> Match:
    moment = timezone.now() - datetime.timedelta(minutes=minutes)
    Match.objects.filter(pk=match.pk).update(
        proposed_at=moment, expert_confirmed_at=moment, requester_confirmed_at=moment
    )
    match.refresh_from_db()
    return match


def test_sweep_mails_a_confirmed_match_whose_mail_did_not_go_out_once():
    match = MatchFactory(
        status=MatchStatus.CONFIRMED,
        expert=ExpertFactory(consent_to_take_part=True, email="esra@samen.test"),
        request=RequestFactory(contact_email=""),
        expert_notified_at=timezone.now(),
        expert_confirmed_at=timezone.now(),
        requester_confirmed_at=timezone.now(),
    )
    _unsent_since(match, minutes=10)

    assert _run(matches_notify_unsent) == 1
    assert _run(matches_notify_unsent) == 0
    assert [message.to for message in mail.outbox] == [["esra@samen.test"]]
    match.refresh_from_db()
    assert match.confirmation_sent_at is not None


def test_sweep_leaves_fresh_old_closed_and_addressless_matches_alone():
    fresh = _unsent_since(
        MatchFactory(expert=ExpertFactory(consent_to_take_part=True, email="a@samen.test")),
        minutes=1,
    )
    old = _unsent_since(
        MatchFactory(expert=ExpertFactory(consent_to_take_part=True, email="b@samen.test")),
        minutes=5000,
    )
    declined = _unsent_since(
        MatchFactory(
            status=MatchStatus.DECLINED,
            expert=ExpertFactory(consent_to_take_part=True, email="c@samen.test"),
        ),
        minutes=10,
    )
    nobody = _unsent_since(
        MatchFactory(expert=ExpertFactory(consent_to_take_part=True, email="", user=None)),
        minutes=10,
    )

    assert _run(matches_notify_unsent) == 0
    assert mail.outbox == []
    for match in (fresh, old, declined, nobody):
        match.refresh_from_db()
        assert match.expert_notified_at is None


def test_confirmation_task_run_twice_sends_once():
    match = MatchFactory(
        status=MatchStatus.CONFIRMED,
        expert=ExpertFactory(consent_to_take_part=True, email="esra@samen.test"),
        request=RequestFactory(contact_email="marieke@hogeschool.test"),
        expert_confirmed_at=timezone.now(),
        requester_confirmed_at=timezone.now(),
    )
    assert _run(match_notify_confirmed, match.pk) == 2
    assert _run(match_notify_confirmed, match.pk) == 0
    assert len(mail.outbox) == 2


def test_the_outbox_sweeps_are_on_the_beat_schedule():
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert matches_notify_unsent.name in tasks
    assert "experts.invitations.tasks.invitations_send_unsent" in tasks


# --- A closed request: nothing goes out about its matches -------------------------------------


@pytest.fixture
def cancelled_request(coordinator):
    """A request with two proposed matches (one a week old, never answered) and one confirmed,
    none of their e-mails sent, cancelled by the coordinator."""
    request = RequestFactory(contact_email="marieke@hogeschool.test", experts_wanted=3)
    fresh = _proposed(
        0.01, request=request, expert=ExpertFactory(consent_to_take_part=True, email="a@samen.test")
    )
    old = _proposed(
        8, request=request, expert=ExpertFactory(consent_to_take_part=True, email="b@samen.test")
    )
    confirmed = _unsent_since(
        MatchFactory(
            request=request,
            status=MatchStatus.CONFIRMED,
            expert=ExpertFactory(consent_to_take_part=True, email="c@samen.test"),
            expert_notified_at=timezone.now(),
            expert_confirmed_at=timezone.now(),
            requester_confirmed_at=timezone.now(),
        ),
        minutes=10,
    )
    update = request_update(request=request, status=RequestStatus.CANCELLED, by=coordinator)
    assert (update.proposals_withdrawn, update.confirmed_kept) == (2, 1)
    return {"proposed": [fresh, old], "confirmed": confirmed}


def test_after_a_request_is_cancelled_no_task_sends_anything(cancelled_request):
    fresh, old = cancelled_request["proposed"]
    confirmed = cancelled_request["confirmed"]

    # The tasks sent when the matches were proposed and confirmed run late.
    assert _run(match_notify_expert, fresh.pk) is False
    assert _run(match_notify_expert, old.pk) is False
    assert _run(match_notify_confirmed, confirmed.pk) == 0
    # The beat's reminders and the outbox sweep find nothing to send.
    assert _run(matches_remind_unanswered) == 0
    assert _run(match_remind_expert, old.pk) is False
    assert _run(matches_notify_unsent) == 0

    assert mail.outbox == []
    confirmed.refresh_from_db()
    assert confirmed.status == MatchStatus.CONFIRMED
    assert confirmed.confirmation_sent_at is None


@pytest.mark.parametrize("status", [RequestStatus.DONE, RequestStatus.CANCELLED])
def test_a_proposed_match_of_a_closed_request_gets_no_mail_nor_reminder(status):
    """Proposals of a request closed before closing withdrew them are left alone too."""
    request = RequestFactory(status=status)
    fresh = _unsent_since(MatchFactory(request=request), minutes=10)
    Match.objects.filter(pk=fresh.pk).update(expert_confirmed_at=None, requester_confirmed_at=None)
    old = _proposed(8, request=request)

    assert _run(matches_notify_unsent) == 0
    assert _run(matches_remind_unanswered) == 0
    assert _run(match_notify_expert, fresh.pk) is False
    assert _run(match_remind_expert, old.pk) is False

    assert mail.outbox == []


@pytest.mark.parametrize(
    "task",
    [match_notify_expert, match_remind_expert, match_notify_confirmed],
    ids=lambda task: task.name.rsplit(".", 1)[-1],
)
def test_a_request_closed_while_the_task_runs_gets_no_mail(task):
    """The task read the request as open; it was cancelled before the claim. The claim reads the
    request again, under a lock, and sends nothing."""
    request = RequestFactory(status=RequestStatus.CANCELLED, contact_email="m@hogeschool.test")
    if task is match_notify_confirmed:
        match = MatchFactory(
            request=request,
            status=MatchStatus.CONFIRMED,
            expert_confirmed_at=timezone.now(),
            requester_confirmed_at=timezone.now(),
        )
    else:
        match = _proposed(8, request=request)

    with mock.patch.object(
        Request, "is_closed", new_callable=mock.PropertyMock, return_value=False
    ):
        assert not _run(task, match.pk)

    assert mail.outbox == []
    match.refresh_from_db()
    assert match.expert_notified_at is None
    assert match.confirmation_sent_at is None


# --- An expert who withdrew the consent to take part is not asked again -----------------------


def test_an_expert_who_withdrew_consent_to_take_part_gets_no_proposal_mail_nor_reminder():
    fresh = _unsent_since(MatchFactory(), minutes=10)
    Match.objects.filter(pk=fresh.pk).update(expert_confirmed_at=None, requester_confirmed_at=None)
    old = _proposed(8)
    for match in (fresh, old):
        Consent.objects.filter(expert=match.expert).update(withdrawn_at=timezone.now())

    assert _run(matches_notify_unsent) == 0
    assert _run(matches_remind_unanswered) == 0
    assert _run(match_notify_expert, fresh.pk) is False
    assert _run(match_remind_expert, old.pk) is False

    assert mail.outbox == []
    # A new consent: they are asked again.
    ConsentFactory(expert=old.expert)
    assert _run(matches_remind_unanswered) == 1
    assert len(mail.outbox) == 1
