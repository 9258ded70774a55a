"""The rules of an invitation, where they are defined: how long its link works (the setting),
its state in SQL and for one row, sending it again (a new link, the old one stops working, a
second click sends nothing), withdrawing it, and the e-mail task."""

import datetime

import pytest
from allauth.account.forms import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from experts.invitations import tasks
from experts.invitations.selectors import invitation_for_link
from experts.invitations.services import (
    expert_invite,
    invitation_resend,
    invitation_withdraw,
    invitations_accept,
)
from experts.models import Invitation, InvitationState
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _invite(coordinator, **kwargs) -> Invitation:
    return expert_invite(expert=ExpertFactory(**kwargs), sent_by=coordinator)


def _expire(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - 30 * DAY, expires_at=timezone.now() - DAY
    )
    invitation.refresh_from_db()


def _accept(invitation: Invitation) -> None:
    user = invitation.expert.user
    user.set_password("Zomer-fiets-2026!")
    user.save()
    invitations_accept(user=user)
    invitation.refresh_from_db()


# How long the link works ----------------------------------------------------------------------


def test_the_link_works_for_fourteen_days_by_default(settings):
    assert settings.SAMEN_INVITATION_DAYS == 14


@override_settings(SAMEN_INVITATION_DAYS=30)
def test_the_link_works_for_the_days_of_the_setting(coordinator):
    invitation = _invite(coordinator)
    assert invitation.expires_at - invitation.sent_at == 30 * DAY
    assert invitation.state(now=invitation.sent_at + 30 * DAY - DAY) == InvitationState.SENT
    assert invitation.state(now=invitation.sent_at + 30 * DAY) == InvitationState.EXPIRED


@override_settings(SAMEN_INVITATION_DAYS=3)
def test_sending_again_gives_the_link_the_days_of_the_setting_from_now(coordinator):
    invitation = _invite(coordinator)
    _expire(invitation)
    with override_settings(SAMEN_INVITATION_DAYS=21):
        invitation_resend(invitation=invitation, sent_by=coordinator, times_sent=1)
    invitation.refresh_from_db()
    assert invitation.expires_at - invitation.sent_at == 21 * DAY
    assert timezone.now() - invitation.sent_at < datetime.timedelta(minutes=1)


# The state: one rule in SQL and for one row ------------------------------------------------


def _one_in_each_state(coordinator) -> dict[str, Invitation]:
    sent = _invite(coordinator)
    expired = _invite(coordinator)
    _expire(expired)
    withdrawn = _invite(coordinator)
    invitation_withdraw(invitation=withdrawn, withdrawn_by=coordinator)
    accepted = _invite(coordinator)
    _accept(accepted)
    # Taken up without the signal: the account logged in (e.g. a password set by an admin).
    logged_in = _invite(coordinator)
    logged_in.expert.user.last_login = timezone.now()
    logged_in.expert.user.save(update_fields=["last_login"])
    return {
        InvitationState.SENT: sent,
        InvitationState.EXPIRED: expired,
        InvitationState.WITHDRAWN: withdrawn,
        InvitationState.ACCEPTED: accepted,
        "logged in": logged_in,
    }


def test_the_state_in_sql_is_the_state_of_each_row(coordinator):
    invitations = _one_in_each_state(coordinator)
    in_sql = dict(Invitation.objects.with_state().values_list("pk", "current_state"))
    for name, invitation in invitations.items():
        fresh = Invitation.objects.select_related("expert__user").get(pk=invitation.pk)
        expected = InvitationState.ACCEPTED if name == "logged in" else name
        assert fresh.state() == expected, name
        assert in_sql[invitation.pk] == expected, name


def test_open_and_resendable_invitations(coordinator):
    invitations = _one_in_each_state(coordinator)
    assert list(Invitation.objects.open()) == [invitations[InvitationState.SENT]]
    assert set(Invitation.objects.resendable()) == {
        invitations[InvitationState.SENT],
        invitations[InvitationState.EXPIRED],
    }
    later = timezone.now() + 15 * DAY
    assert not Invitation.objects.open(now=later).exists()


def test_an_accepted_invitation_stays_accepted_when_it_would_have_expired(coordinator):
    invitation = _invite(coordinator)
    _accept(invitation)
    assert invitation.state(now=invitation.expires_at + DAY) == InvitationState.ACCEPTED
    assert Invitation.objects.in_state(
        InvitationState.ACCEPTED, now=invitation.expires_at + DAY
    ).exists()


# Sending again ------------------------------------------------------------------------------


def test_sending_again_mails_a_new_link_and_the_old_one_stops_working(
    coordinator, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(coordinator, first_name="Yara")
    old_link = invitation.link_token()
    _expire(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        sent = invitation_resend(invitation=invitation, sent_by=admin, times_sent=1)

    assert sent is True
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert invitation.sent_by == admin
    assert invitation.state() == InvitationState.SENT
    assert len(mail.outbox) == 2
    new_link = invitation.link_token()
    assert new_link != old_link
    assert f"/uitnodiging/{old_link}/" in mail.outbox[0].body
    assert f"/uitnodiging/{new_link}/" in mail.outbox[1].body
    assert invitation_for_link(new_link) == (invitation, True)
    assert invitation_for_link(old_link) == (invitation, False)


def test_sending_again_makes_an_open_set_password_page_stop_working(coordinator):
    invitation = _invite(coordinator)
    user = invitation.expert.user
    key = default_token_generator.make_token(user)
    invitation_resend(invitation=invitation, sent_by=coordinator, times_sent=1)
    user.refresh_from_db()
    assert not default_token_generator.check_token(user, key)


def test_a_second_click_on_send_again_sends_nothing(
    coordinator, django_capture_on_commit_callbacks
):
    invitation = _invite(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        first = invitation_resend(invitation=invitation, sent_by=coordinator, times_sent=1)
        second = invitation_resend(invitation=invitation, sent_by=coordinator, times_sent=1)
    assert (first, second) == (True, False)
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert len(mail.outbox) == 1


def test_a_second_click_on_invite_sends_nothing(coordinator, django_capture_on_commit_callbacks):
    expert = ExpertFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = expert_invite(expert=expert, sent_by=coordinator, times_sent=0)
        second = expert_invite(expert=expert, sent_by=coordinator, times_sent=0)
    assert first.pk == second.pk
    assert Invitation.objects.get().send_count == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("state", [InvitationState.ACCEPTED, InvitationState.WITHDRAWN])
def test_an_accepted_or_withdrawn_invitation_is_not_sent_again(coordinator, state):
    invitation = _invite(coordinator)
    if state == InvitationState.ACCEPTED:
        _accept(invitation)
    else:
        invitation_withdraw(invitation=invitation, withdrawn_by=coordinator)
    with pytest.raises(ValidationError) as error:
        invitation_resend(invitation=invitation, sent_by=coordinator, times_sent=1)
    assert error.value.code == state
    invitation.refresh_from_db()
    assert invitation.send_count == 1


# Withdrawing --------------------------------------------------------------------------------


def test_withdrawing_stops_the_link_and_switches_the_unused_account_off(coordinator):
    invitation = _invite(coordinator)
    user = invitation.expert.user
    key = default_token_generator.make_token(user)

    invitation_withdraw(invitation=invitation, withdrawn_by=coordinator)

    invitation.refresh_from_db()
    assert invitation.state() == InvitationState.WITHDRAWN
    assert invitation.withdrawn_by == coordinator
    user.refresh_from_db()
    # Neither an open set-password page nor "forgot password" opens the account now.
    assert not default_token_generator.check_token(user, key)
    assert not user.is_active


def test_withdrawing_twice_changes_nothing(coordinator, admin):
    invitation = _invite(coordinator)
    invitation_withdraw(invitation=invitation, withdrawn_by=coordinator)
    invitation.refresh_from_db()
    withdrawn_at = invitation.withdrawn_at
    invitation_withdraw(invitation=invitation, withdrawn_by=admin)
    invitation.refresh_from_db()
    assert (invitation.withdrawn_at, invitation.withdrawn_by) == (withdrawn_at, coordinator)


def test_an_accepted_invitation_cannot_be_withdrawn(coordinator):
    invitation = _invite(coordinator)
    _accept(invitation)
    with pytest.raises(ValidationError) as error:
        invitation_withdraw(invitation=invitation, withdrawn_by=coordinator)
    assert error.value.code == "accepted"
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None
    assert invitation.expert.user.is_active


def test_inviting_after_a_withdrawal_is_a_new_invitation_and_switches_the_account_on(
    coordinator,
):
    withdrawn = _invite(coordinator)
    invitation_withdraw(invitation=withdrawn, withdrawn_by=coordinator)
    again = expert_invite(expert=withdrawn.expert, sent_by=coordinator)
    assert again.pk != withdrawn.pk
    assert again.state() == InvitationState.SENT
    withdrawn.refresh_from_db()
    assert withdrawn.state() == InvitationState.WITHDRAWN
    again.expert.user.refresh_from_db()
    assert again.expert.user.is_active


def test_setting_a_password_does_not_accept_a_withdrawn_invitation(coordinator):
    withdrawn = _invite(coordinator)
    invitation_withdraw(invitation=withdrawn, withdrawn_by=coordinator)
    again = expert_invite(expert=withdrawn.expert, sent_by=coordinator)
    assert invitations_accept(user=again.expert.user) == 1
    withdrawn.refresh_from_db()
    assert withdrawn.accepted_at is None


# The e-mail task ----------------------------------------------------------------------------


def test_no_mail_for_an_invitation_withdrawn_before_it_went_out(coordinator):
    invitation = _invite(coordinator)
    invitation_withdraw(invitation=invitation, withdrawn_by=coordinator)
    assert tasks.invitation_send(invitation.pk) is False
    assert tasks.invitation_send(invitation.pk) is False
    assert mail.outbox == []


def test_the_mail_has_the_link_as_it_is_when_it_goes_out(coordinator):
    """A resend before the first task ran: one mail, with the newest link."""
    invitation = _invite(coordinator)
    invitation_resend(invitation=invitation, sent_by=coordinator, times_sent=1)
    invitation.refresh_from_db()
    assert tasks.invitation_send(invitation.pk) is True
    assert tasks.invitation_send(invitation.pk) is False
    assert len(mail.outbox) == 1
    assert f"/uitnodiging/{invitation.link_token()}/" in mail.outbox[0].body
