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
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from experts.profiles.models import Expert
from samen.accounts.models import Role
from samen.jobs import enqueue_on_commit

from .models import Invitation

logger = logging.getLogger(__name__)


def invitation_lifetime() -> datetime.timedelta:
    """How long the link works: allauth's reset key lives as long as Django's reset token."""
    return datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


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


@transaction.atomic
def expert_invite(*, expert: Expert, sent_by) -> Invitation:
    """Invite an expert to set a password for their account, or invite them again.

    Creates (or reuses) their account with the role expert, links it, and e-mails a link to set
    a password after commit. Raises ValidationError when the expert has no usable address."""
    # Lock the expert so two coordinators clicking at once cannot create two accounts.
    expert = Expert.objects.select_for_update(of=("self",)).select_related("user").get(pk=expert.pk)
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
    if not user.has_usable_password():
        # A fresh unusable password changes the hash the key is signed over: only the newest
        # link works.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    # The link goes to this address and only works from it, so following it proves the
    # address; allauth would otherwise ask for a second confirmation mail at the first login.
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    now = timezone.now()
    invitation = Invitation(
        expert=expert,
        email=user.email,
        sent_at=now,
        expires_at=now + invitation_lifetime(),
        sent_by=sent_by,
    )
    invitation.full_clean()
    invitation.save()

    from .tasks import invitation_send

    enqueue_on_commit(invitation_send, invitation.pk)
    return invitation


def invitation_set_password_url(user) -> str:
    """An absolute link to allauth's set-password page for this user, with a fresh key."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.SAMEN_SITE_URL + path


def invitation_message(invitation: Invitation) -> EmailMessage:
    expert = invitation.expert
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("You are invited to Samen")
        body = render_to_string(
            "experts/invitations/email.txt",
            {
                "expert": expert,
                "invitation": invitation,
                "set_password_url": invitation_set_password_url(expert.user),
                "login_url": settings.SAMEN_SITE_URL + reverse("account_login"),
            },
        )
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send the invitation's e-mail once. Returns whether a mail went out."""
    invitation = Invitation.objects.select_related("expert__user").filter(pk=invitation_id).first()
    if invitation is None:
        logger.warning("Invitation %s no longer exists; nothing to send.", invitation_id)
        return False
    if invitation.expert.user is None:
        logger.warning("Expert of invitation %s has no account; nothing to send.", invitation_id)
        return False
    # The claim and the mail share a transaction: a failed send undoes the claim so a retry
    # sends again, and a second run meanwhile waits on the row lock and finds it claimed.
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if claimed != 1:
            logger.info("Invitation %s was already sent.", invitation_id)
            return False
        invitation_message(invitation).send()
    return True


def invitations_accept(*, user) -> int:
    """Record that the user took up their invitation (set a password). Returns how many."""
    return Invitation.objects.filter(expert__user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
