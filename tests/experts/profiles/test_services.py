"""The experts services: creating and changing an expert, and the invitation workflow with its
e-mail task (run twice, sends once)."""

import datetime
from decimal import Decimal

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from experts.invitations import tasks
from experts.invitations.selectors import invitation_for_link
from experts.invitations.services import expert_invite, invitation_lifetime
from experts.models import Expert, ExpertKind, ExpertRole, Invitation, InvitationState
from experts.profiles.services import expert_create, expert_update
from samen.accounts.models import Role
from tests.factories import ExpertFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _roles(expert: Expert) -> set[str]:
    return set(expert.preferred_roles.values_list("role", flat=True))


def test_expert_create_saves_themes_roles_and_a_lowercase_email():
    theme = ThemeFactory()
    expert = expert_create(
        first_name="Noor",
        kind=ExpertKind.PARENT,
        email=" Noor@Samen.TEST ",
        themes=[theme],
        roles=[ExpertRole.EDUCATION, ExpertRole.ADVOCACY],
    )
    expert.refresh_from_db()
    assert expert.email == "noor@samen.test"
    assert list(expert.themes.all()) == [theme]
    assert _roles(expert) == {"education", "advocacy"}


def test_expert_create_validates_and_saves_nothing_when_wrong():
    with pytest.raises(ValidationError) as error:
        expert_create(
            first_name="Noor", kind=ExpertKind.YOUTH, availability_hours_per_month=Decimal("-1")
        )
    assert "availability_hours_per_month" in error.value.message_dict
    assert not Expert.objects.exists()


def test_expert_create_refuses_a_second_expert_with_the_same_address():
    ExpertFactory(email="dubbel@samen.test")
    with pytest.raises(ValidationError):
        expert_create(first_name="Twee", kind=ExpertKind.YOUTH, email="Dubbel@samen.test")
    assert Expert.objects.count() == 1


def test_expert_create_refuses_fields_that_have_their_own_workflow():
    with pytest.raises(TypeError):
        expert_create(first_name="Noor", kind=ExpertKind.YOUTH, user=UserFactory())
    assert not Expert.objects.exists()


def test_expert_create_refuses_unknown_roles():
    with pytest.raises(ValidationError):
        expert_create(first_name="Noor", kind=ExpertKind.YOUTH, roles=["juggling"])
    assert not Expert.objects.exists()


def test_expert_update_replaces_roles_and_themes_only_when_given():
    first, second = ThemeFactory(), ThemeFactory()
    expert = expert_create(
        first_name="Noor", kind=ExpertKind.YOUTH, themes=[first], roles=[ExpertRole.EDUCATION]
    )
    expert_update(expert=expert, city="Leiden")
    assert _roles(expert) == {"education"}
    assert list(expert.themes.all()) == [first]
    expert_update(expert=expert, themes=[second], roles=[ExpertRole.CONNECTING])
    expert.refresh_from_db()
    assert expert.city == "Leiden"
    assert _roles(expert) == {"connecting"}
    assert list(expert.themes.all()) == [second]


def test_invite_creates_an_expert_account_without_password(coordinator):
    expert = ExpertFactory(email="Nieuw@Samen.test")
    invitation = expert_invite(expert=expert, sent_by=coordinator)
    expert.refresh_from_db()
    user = expert.user
    assert user.email == "nieuw@samen.test"
    assert user.role == Role.EXPERT
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert invitation.email == "nieuw@samen.test"
    assert invitation.sent_by == coordinator
    assert invitation.expires_at - invitation.sent_at == invitation_lifetime()
    assert invitation.state() == InvitationState.SENT


def test_invite_links_an_existing_expert_account_with_the_address(coordinator):
    user = UserFactory(email="bestaand@samen.test", role=Role.EXPERT)
    expert = ExpertFactory(email="bestaand@samen.test")
    expert_invite(expert=expert, sent_by=coordinator)
    expert.refresh_from_db()
    assert expert.user == user


@pytest.mark.parametrize("role", [Role.LEAD, Role.COORDINATOR])
def test_invite_refuses_an_address_of_a_lead_or_coordinator(coordinator, role):
    UserFactory(email="staf@samen.test", role=role)
    expert = ExpertFactory(email="staf@samen.test")
    with pytest.raises(ValidationError) as error:
        expert_invite(expert=expert, sent_by=coordinator)
    assert error.value.code == "staff_address"
    expert.refresh_from_db()
    assert expert.user is None
    assert not Invitation.objects.exists()


def test_invite_refuses_an_address_of_another_experts_account(coordinator, expert_user):
    # The fixture expert's address, but typed on a second expert without the unique check.
    second = ExpertFactory(email="tweede@samen.test")
    Expert.objects.filter(pk=second.pk).update(email=expert_user.email.upper())
    second.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        expert_invite(expert=second, sent_by=coordinator)
    assert error.value.code == "address_taken"
    assert not Invitation.objects.exists()


def test_invite_without_email_is_refused(coordinator):
    expert = ExpertFactory(email="")
    with pytest.raises(ValidationError) as error:
        expert_invite(expert=expert, sent_by=coordinator)
    assert error.value.code == "no_email"
    assert not Invitation.objects.exists()


def test_inviting_again_makes_the_old_link_stop_working(coordinator):
    expert = ExpertFactory(email="opnieuw@samen.test")
    first = expert_invite(expert=expert, sent_by=coordinator)
    old_link = first.link_token()
    expert.refresh_from_db()
    old_key = default_token_generator.make_token(expert.user)
    expert_invite(expert=expert, sent_by=coordinator)
    expert.user.refresh_from_db()
    assert not default_token_generator.check_token(expert.user, old_key)
    # The open invitation is sent again with a new link: one invitation, one working link.
    invitation = Invitation.objects.get(expert=expert)
    assert invitation.send_count == 2
    assert invitation.link_token() != old_link
    assert invitation_for_link(old_link) == (invitation, False)


def test_invitation_task_sends_once_when_run_twice(coordinator):
    expert = ExpertFactory(first_name="Yara", email="yara@samen.test")
    invitation = expert_invite(expert=expert, sent_by=coordinator)
    assert tasks.invitation_send(invitation.pk) is True
    assert tasks.invitation_send(invitation.pk) is False
    assert len(mail.outbox) == 1
    assert f"/uitnodiging/{invitation.link_token()}/" in mail.outbox[0].body
    assert "Yara" in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None


def test_invitation_task_for_a_removed_invitation_does_nothing():
    assert tasks.invitation_send(987654) is False
    assert mail.outbox == []


def test_invitation_state_follows_the_account_and_the_date(coordinator):
    expert = ExpertFactory(email="staat@samen.test")
    invitation = expert_invite(expert=expert, sent_by=coordinator)
    later = invitation.expires_at + datetime.timedelta(seconds=1)
    assert invitation.state() == InvitationState.SENT
    assert invitation.state(now=later) == InvitationState.EXPIRED
    user = invitation.expert.user
    user.last_login = timezone.now()
    assert invitation.state(now=later) == InvitationState.ACCEPTED
    user.last_login = None
    user.set_password("Zomer-fiets-2026!")
    assert invitation.state(now=later) == InvitationState.ACCEPTED
