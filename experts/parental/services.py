"""Ask a parent or guardian for their consent through a link, send its e-mail, and record their
answer and withdrawals.

Who may ask: the expert for themselves (their own door), the coordinator (again, to the same
address), and whoever holds an expired or answered link (again, to the same address: a link
never sends anything to an address Samen did not already have). Each new request replaces the
one before, so an expert has one working link at most."""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from experts.consents.services import consent_withdraw_online, consents_give_online
from experts.models import Consent, ConsentPurpose, Expert, ParentalConsentRequest
from samen.accounts.models import User
from samen.jobs import enqueue_on_commit
from samen.mail import email_for

from .models import TOKEN_BYTES, ParentalLinkState, token_hash

logger = logging.getLogger(__name__)


def parental_link_lifetime() -> datetime.timedelta:
    """How long a parent's link works: ``SAMEN_PARENTAL_CONSENT_DAYS`` from the asking on."""
    return datetime.timedelta(days=settings.SAMEN_PARENTAL_CONSENT_DAYS)


def _lock_expert(pk: int) -> Expert:
    # Every workflow here locks the expert first, then their request, as the consent services
    # do: two clicks at once take turns, in one order.
    return Expert.objects.select_for_update(of=("self",)).get(pk=pk)


def _current(expert: Expert) -> ParentalConsentRequest | None:
    return (
        ParentalConsentRequest.objects.select_for_update(of=("self",))
        .filter(expert=expert)
        .current()
        .first()
    )


@transaction.atomic
def parental_consent_ask(
    *,
    expert: Expert,
    parent_name: str,
    parent_email: str,
    relation: str,
    requested_by: User | None,
    latest_seen: int | None = None,
    today: datetime.date | None = None,
) -> ParentalConsentRequest:
    """Ask a parent or guardian of ``expert`` for consent: a new link, e-mailed after commit;
    the link before stops working. ``latest_seen`` is the request the page showed (0: none):
    when another click made a new one since, nothing is sent twice and that one is returned.
    Raises ValidationError, by field, when the expert needs no parent's consent (16 or older,
    or no date of birth known) or the address is the expert's own."""
    today = today or timezone.localdate()
    expert = _lock_expert(expert.pk)
    current = _current(expert)
    if latest_seen is not None and current is not None and current.pk != latest_seen:
        return current  # another click asked already
    if not expert.needs_parental_consent_on(today):
        raise ValidationError(
            _("A parent's consent is only needed under 16. You can give consent yourself."),
            code="not_needed",
        )
    parent_email = parent_email.strip().lower()
    if expert.email and parent_email == expert.email.strip().lower():
        raise ValidationError(
            {
                "parent_email": _(
                    "Fill in the e-mail address of your parent or guardian, not your own."
                )
            }
        )
    now = timezone.now()
    if current is not None:
        current.replaced_at = now
        current.save(update_fields=["replaced_at"])
    request = ParentalConsentRequest(
        expert=expert,
        parent_name=parent_name.strip(),
        parent_email=parent_email,
        relation=relation,
        created_at=now,
        expires_at=now + parental_link_lifetime(),
        requested_by=requested_by,
    )
    request.full_clean()
    request.save()

    from .tasks import parental_consent_send

    enqueue_on_commit(parental_consent_send, request.pk)
    return request


@transaction.atomic
def parental_consent_ask_again(
    *,
    expert: Expert,
    requested_by: User | None,
    latest_seen: int | None = None,
) -> ParentalConsentRequest:
    """Send the parent the link again, to the name and address of the current request, with a
    new link (the coordinator's button; the expert's form changes them too). Raises
    ValidationError when nobody was asked yet, or as ``parental_consent_ask``."""
    expert = _lock_expert(expert.pk)
    current = _current(expert)
    if current is None:
        raise ValidationError(
            _("No parent or guardian was asked yet. The expert fills in their e-mail address."),
            code="not_asked",
        )
    return parental_consent_ask(
        expert=expert,
        parent_name=current.parent_name,
        parent_email=current.parent_email,
        relation=current.relation,
        requested_by=requested_by,
        latest_seen=current.pk if latest_seen is None else latest_seen,
    )


# A link that may ask for a new one: expired, or answered (to say yes after all).
RENEWABLE_STATES = frozenset({ParentalLinkState.EXPIRED, ParentalLinkState.ANSWERED})


@transaction.atomic
def parental_consent_renew(*, request: ParentalConsentRequest) -> ParentalConsentRequest | None:
    """From an expired or answered link: a new link to the same parent at the same address
    (whoever clicks, only that address gets it). None when the link was replaced already (the
    same click twice, or a newer link exists), still waits for an answer, or when the expert
    no longer needs a parent's consent."""
    expert = _lock_expert(request.expert_id)
    current = _current(expert)
    if current is None or current.pk != request.pk or current.state() not in RENEWABLE_STATES:
        return None
    if not expert.needs_parental_consent_on(timezone.localdate()):
        return None
    return parental_consent_ask(
        expert=expert,
        parent_name=current.parent_name,
        parent_email=current.parent_email,
        relation=current.relation,
        requested_by=None,
        latest_seen=current.pk,
    )


def parental_consent_url(token: str) -> str:
    return settings.SAMEN_SITE_URL + reverse("parental_consent", kwargs={"token": token})


def parental_consent_message(request: ParentalConsentRequest, token: str) -> EmailMessage:
    """The e-mail with the link. The parent has no account: it is in the site's language."""

    def compose() -> EmailMessage:
        subject = gettext("%(name)s asks for your consent in Samen") % {
            "name": request.expert.first_name
        }
        body = render_to_string(
            "experts/parental/email.txt",
            {"request": request, "expert": request.expert, "link": parental_consent_url(token)},
        )
        return EmailMessage(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[request.parent_email],
        )

    return email_for(None, compose)


def parental_consent_email_send(*, request_id: int) -> bool:
    """E-mail the parent their link, once. The link's token is made here, in the transaction
    that claims the e-mail: only its hash is stored, and a send that fails makes no link.
    Nothing goes out for a request that was replaced or expired, or when the expert no longer
    needs a parent's consent. Returns whether a mail went out."""
    with transaction.atomic():
        request = (
            ParentalConsentRequest.objects.select_for_update(of=("self",))
            .select_related("expert")
            .filter(pk=request_id)
            .first()
        )
        if request is None:
            logger.warning("Parental consent request %s no longer exists.", request_id)
            return False
        if request.emailed_at is not None:
            logger.info("Parental consent request %s was already sent.", request_id)
            return False
        if request.state() != ParentalLinkState.SENDING:
            logger.info("Parental consent request %s is %s: not sent.", request_id, request.state())
            return False
        if not request.expert.needs_parental_consent:
            logger.info("Parental consent request %s: the expert is 16 now.", request_id)
            return False
        token = secrets.token_urlsafe(TOKEN_BYTES)
        request.token_hash = token_hash(token)
        request.emailed_at = timezone.now()
        request.save(update_fields=["token_hash", "emailed_at"])
        parental_consent_message(request, token).send()
    return True


def _check_usable(request: ParentalConsentRequest) -> None:
    state = request.state()
    if state in (ParentalLinkState.REPLACED, ParentalLinkState.EXPIRED):
        raise ValidationError(_("This link no longer works."), code=state)


@transaction.atomic
def parental_consent_answer(
    *,
    request: ParentalConsentRequest,
    name: str,
    answers: dict[str, bool],
    today: datetime.date | None = None,
) -> list[Consent]:
    """The parent's answer through their link: a consent for each purpose they said yes to
    (given by the parent or guardian, under the name they typed, online, through this
    request), the noes kept on the request. Once: an answered link records nothing again and
    returns []. Raises ValidationError when the link no longer works."""
    today = today or timezone.localdate()
    expert = _lock_expert(request.expert_id)
    request = ParentalConsentRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    _check_usable(request)
    if request.answered_at is not None:
        return []
    name = name.strip()
    unknown = set(answers) - set(ConsentPurpose.values)
    if unknown or not name:
        raise ValidationError(_("Fill in your name and answer every question."), code="invalid")
    consents = consents_give_online(
        expert=expert,
        purposes=[purpose for purpose, yes in answers.items() if yes],
        recorded_by=None,
        given_by=request.relation,
        given_by_name=name,
        parental_request=request,
        today=today,
    )
    request.answered_at = timezone.now()
    request.answered_by_name = name
    request.declined_purposes = [purpose for purpose, yes in answers.items() if not yes]
    request.full_clean()
    request.save(update_fields=["answered_at", "answered_by_name", "declined_purposes"])
    return consents


@transaction.atomic
def parental_consent_withdraw(
    *, request: ParentalConsentRequest, purpose: str, today: datetime.date | None = None
) -> Consent | None:
    """Withdraw, through the parent's link, the consent for ``purpose`` that a parent or
    guardian gave and that is in force (through this link or any other way); None when there
    is none. The history says through which link. Raises ValidationError when the link no
    longer works."""
    expert = _lock_expert(request.expert_id)
    request = ParentalConsentRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    _check_usable(request)
    return consent_withdraw_online(
        expert=expert,
        purpose=purpose,
        withdrawn_by=None,
        parental_only=True,
        reason=f"Withdrawn through the parent's link {request.pk}",
        today=today,
    )
