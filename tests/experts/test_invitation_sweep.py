"""The invitations' outbox sweep: an invitation whose e-mail did not reach the broker is sent
later, once, and only the expert's newest one that can still be used."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from experts.invitations import tasks
from experts.invitations.services import expert_invite, invitation_withdraw
from experts.models import Invitation
from samen.celery import app as celery_app
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager():
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


def _made_ago(invitation: Invitation, minutes: float) -> Invitation:
    sent_at = timezone.now() - datetime.timedelta(minutes=minutes)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=sent_at)
    invitation.refresh_from_db()
    return invitation


def _invite(email: str, coordinator) -> Invitation:
    return expert_invite(expert=ExpertFactory(email=email), sent_by=coordinator)


def test_sweep_sends_an_unsent_invitation_once_when_run_twice(coordinator):
    invitation = _made_ago(_invite("yara@samen.test", coordinator), minutes=10)

    assert tasks.invitations_send_unsent() == 1
    assert tasks.invitations_send_unsent() == 0
    assert [message.to for message in mail.outbox] == [["yara@samen.test"]]
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None


def test_sweep_leaves_fresh_sent_expired_and_withdrawn_invitations_alone(coordinator):
    _invite("fresh@samen.test", coordinator)
    sent = _made_ago(_invite("sent@samen.test", coordinator), minutes=10)
    Invitation.objects.filter(pk=sent.pk).update(emailed_at=timezone.now())
    expired = _made_ago(_invite("expired@samen.test", coordinator), minutes=10)
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    withdrawn = _made_ago(_invite("withdrawn@samen.test", coordinator), minutes=10)
    invitation_withdraw(invitation=withdrawn, withdrawn_by=coordinator)
    sent_again = _made_ago(_invite("again@samen.test", coordinator), minutes=20)
    # Sent again: the same invitation, a new link, its e-mail not out yet.
    sent_again = _made_ago(expert_invite(expert=sent_again.expert, sent_by=coordinator), 10)

    assert tasks.invitations_send_unsent() == 1
    assert [message.to for message in mail.outbox] == [["again@samen.test"]]
    sent_again.refresh_from_db()
    assert sent_again.emailed_at is not None and sent_again.send_count == 2
