"""Invite an expert to their own account: the account, the e-mail with its set-password link,
and recording that the invitation was taken up."""

import datetime
import logging

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from experts.profiles.models import Expert
from samen.accounts.models import Role
from samen.jobs import enqueue_on_commit
from samen.mail import email_for

from .models import Invitation, InvitationState

logger = logging.getLogger(__name__)


def invitation_lifetime() -> datetime.timedelta:
    """How long an invitation's link works: ``SAMEN_INVITATION_DAYS`` from the sending on."""
    return datetime.timedelta(days=settings.SAMEN_INVITATION_DAYS)


def _account_for(expert: Expert, email: str):
    """The expert's account: their linked one, an expert account with the address, or a new one
    without a usable password."""
    User = get_user_model()
    user = expert.user
    if user is not None:
        if user.email.lower() != email:
            raise ValidationError(
                _(
                    "The account of this expert uses another e-mail address. "
                    "Ask an administrator to change it first."
                ),
                code="other_address",
            )
        return user
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return User.objects.create_user(
            email=email, password=None, name=expert.full_name, role=Role.EXPERT
        )
    if user.role != Role.EXPERT:
        raise ValidationError(
            _("This e-mail address belongs to a coordinator or lead. Use another address."),
            code="staff_address",
        )
    if Expert.objects.filter(user=user).exclude(pk=expert.pk).exists():
        raise ValidationError(
            _("This e-mail address belongs to the account of another expert."),
            code="address_taken",
        )
    return user


def _never_used(user) -> bool:
    return user.last_login is None and not user.has_usable_password()


def _lock_expert(pk: int) -> Expert:
    # Every invitation workflow locks the expert first, then their invitation: two coordinators
    # clicking at once cannot create two accounts, and the locks are always taken in one order.
    return Expert.objects.select_for_update(of=("self",)).select_related("user").get(pk=pk)


def _prepare_account(expert: Expert):
    """Create or link the expert's account for an invitation to their address."""
    email = expert.email.strip().lower()
    if not email:
        raise ValidationError(
            _("This expert has no e-mail address. Add one first, then send the invitation."),
            code="no_email",
        )
    user = _account_for(expert, email)
    if expert.user_id != user.pk:
        expert.user = user
        expert.save(update_fields=["user", "updated_at"])
    # The link goes to this address and only works from it, so following it proves the
    # address; allauth would otherwise ask for a second confirmation mail at the first login.
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return user


def _send(invitation: Invitation, *, user, sent_by) -> Invitation:
    """Give the invitation a fresh link and validity, and e-mail it after commit."""
    changed = ["password"]
    if _never_used(user):
        # A fresh unusable password changes the hash allauth's key is signed over: a
        # set-password page opened from an earlier link stops working too.
        user.set_unusable_password()
        if not user.is_active:  # switched off when an earlier invitation was withdrawn
            user.is_active = True
            changed.append("is_active")
        user.save(update_fields=changed)
    now = timezone.now()
    invitation.email = user.email
    invitation.sent_at = now
    invitation.expires_at = now + invitation_lifetime()
    invitation.sent_by = sent_by
    invitation.emailed_at = None
    if invitation.pk is not None:
        invitation.send_count += 1  # the link of the e-mail before stops working
    invitation.full_clean()
    invitation.save()

    from .tasks import invitation_send

    enqueue_on_commit(invitation_send, invitation.pk)
    return invitation


def _resendable(expert: Expert) -> Invitation | None:
    """The expert's invitation that is open or expired, newest first (there is one at most)."""
    return (
        Invitation.objects.select_for_update(of=("self",))
        .filter(pk__in=Invitation.objects.filter(expert=expert).resendable().values("pk"))
        .order_by("-sent_at", "-pk")
        .first()
    )


@transaction.atomic
def expert_invite(*, expert: Expert, sent_by, times_sent: int | None = None) -> Invitation:
    """Invite an expert to set a password for their account, or invite them again.

    Creates (or reuses) their account with the role expert, links it, and e-mails a link to set
    a password after commit. An open or expired invitation is sent again with a new link, so an
    expert has one working link at most. ``times_sent`` is how often that invitation had been
    sent on the page the coordinator clicked on (0: there was none); when another click got
    there first, nothing is sent twice. Raises ValidationError when the expert has no usable
    address."""
    expert = _lock_expert(expert.pk)
    current = _resendable(expert)
    if current is not None:
        current.expert = expert
        if times_sent is not None and current.send_count != times_sent:
            return current  # another click sent it already
    user = _prepare_account(expert)
    invitation = current or Invitation(expert=expert)
    invitation.expert = expert
    return _send(invitation, user=user, sent_by=sent_by)


def _lock_invitation(invitation: Invitation) -> Invitation:
    expert = _lock_expert(invitation.expert_id)
    locked = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    locked.expert = expert
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, sent_by, times_sent: int) -> bool:
    """Send an open or expired invitation again: a new link (the one before stops working), a
    new validity from now, and the e-mail again. ``times_sent`` is how often it had been sent
    on the coordinator's page; when it has been sent since (a second click of the same button),
    nothing happens and False is returned. Raises ValidationError when the invitation has been
    taken up or withdrawn."""
    invitation = _lock_invitation(invitation)
    if invitation.send_count != times_sent:
        return False
    state = invitation.state()
    if state == InvitationState.ACCEPTED:
        raise ValidationError(
            _("This invitation has been accepted: the account is in use."), code="accepted"
        )
    if state == InvitationState.WITHDRAWN:
        raise ValidationError(
            _(
                "This invitation was withdrawn. To invite this person after all, "
                "use the button on their page."
            ),
            code="withdrawn",
        )
    user = _prepare_account(invitation.expert)
    _send(invitation, user=user, sent_by=sent_by)
    return True


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, withdrawn_by) -> Invitation:
    """Withdraw an open or expired invitation: its link stops working at once. An account that
    was made for it and never used is switched off, so that "forgot password" does not open
    it either; inviting the person again switches it back on. Withdrawing twice changes
    nothing. Raises ValidationError when the invitation has been taken up."""
    invitation = _lock_invitation(invitation)
    state = invitation.state()
    if state == InvitationState.WITHDRAWN:
        return invitation
    if state == InvitationState.ACCEPTED:
        raise ValidationError(
            _(
                "This invitation has been accepted: the account is in use. "
                "An administrator can switch an account off."
            ),
            code="accepted",
        )
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = withdrawn_by
    invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    user = invitation.expert.user
    if user is not None and _never_used(user):
        user.set_unusable_password()  # a set-password page already open stops working
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
    return invitation


def invitation_set_password_path(user) -> str:
    """allauth's set-password page for this user, with a fresh key."""
    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )


def invitation_url(invitation: Invitation) -> str:
    """The absolute link in the invitation's latest e-mail."""
    return settings.SAMEN_SITE_URL + reverse(
        "invitation_open", kwargs={"token": invitation.link_token()}
    )


def invitation_message(invitation: Invitation) -> EmailMessage:
    """The invitation's e-mail, in the language of the account it invites to."""
    expert = invitation.expert

    def compose() -> EmailMessage:
        subject = gettext("You are invited to Samen")
        body = render_to_string(
            "experts/invitations/email.txt",
            {
                "expert": expert,
                "invitation": invitation,
                "invitation_url": invitation_url(invitation),
                "login_url": settings.SAMEN_SITE_URL + reverse("account_login"),
            },
        )
        return EmailMessage(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invitation.email],
        )

    return email_for(expert.user, compose)


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send the invitation's e-mail once, with the link as it is when it goes out. Returns
    whether a mail went out."""
    # The lock, the claim and the mail share a transaction: a failed send undoes the claim so a
    # retry sends again; a second run waits on the lock and finds it claimed; a resend that
    # came first is what the mail says.
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("expert__user")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None:
            logger.warning("Invitation %s no longer exists; nothing to send.", invitation_id)
            return False
        if invitation.emailed_at is not None:
            logger.info("Invitation %s was already sent.", invitation_id)
            return False
        if invitation.withdrawn_at is not None:
            logger.info("Invitation %s was withdrawn before its e-mail went out.", invitation_id)
            return False
        if invitation.expert.user is None:
            logger.warning("Invitation %s: no account to invite to.", invitation_id)
            return False
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
        invitation_message(invitation).send()
    return True


def invitations_accept(*, user) -> int:
    """Record that the user took up their invitation (set a password). Returns how many."""
    return Invitation.objects.filter(
        expert__user=user, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).update(accepted_at=timezone.now())
