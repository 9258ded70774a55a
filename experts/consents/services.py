"""Record a consent and its withdrawal.

The same two services serve every door: the coordinator records a consent given on paper, in
person or by e-mail (with a scan of the signed form when there is one); the expert's own door
and a parent's link record one given online (``consents_give_online``,
``consent_withdraw_online``). Who recorded it is the logged-in user, passed in by the view,
never chosen in a form. Each write keeps its author in the consent's history."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import (
    PARENTAL_GIVERS,
    Consent,
    ConsentGiver,
    ConsentMethod,
    Expert,
    ParentalConsentRequest,
)
from samen.accounts.models import User
from samen.formatting import format_date

# What a scan may be, recognised by its first bytes (never by its name or the browser's word
# for it): the extension it is stored with and the type it is served as.
SCAN_TYPES = {
    b"%PDF-": (".pdf", "application/pdf"),
    b"\xff\xd8\xff": (".jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": (".png", "image/png"),
}
# The type a stored scan is served as, by the extension it was stored with.
SCAN_CONTENT_TYPES = dict(SCAN_TYPES.values())


def scan_kind(file: File) -> str | None:
    """The extension of the kind of file ``file`` is by its content, or None when it is not a
    PDF, JPEG or PNG. Reads the first bytes and puts the file back at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for magic, (extension, _content_type) in SCAN_TYPES.items():
        if head.startswith(magic):
            return extension
    return None


def _check_scan(scan: UploadedFile) -> str:
    """The extension to store ``scan`` with; ValidationError on the field ``scan`` when it is
    too large or not a PDF, JPEG or PNG."""
    limit = settings.SAMEN_CONSENT_SCAN_MAX_BYTES
    if scan.size > limit:
        raise ValidationError(
            {
                "scan": _("The file is larger than %(size)s. Scan it at a lower resolution.")
                % {"size": filesizeformat(limit)}
            }
        )
    extension = scan_kind(scan)
    if extension is None:
        raise ValidationError({"scan": _("Choose a PDF, JPG or PNG file.")})
    return extension


def _moment(day: datetime.date) -> datetime.datetime:
    """The moment that stands for ``day``: now for today, else the start of that day."""
    now = timezone.now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _in_force_message(existing: Consent) -> str:
    return _(
        "There is already a consent for “%(purpose)s”, given on %(date)s. Record its "
        "withdrawal first when it is replaced."
    ) % {
        "purpose": existing.get_purpose_display(),
        "date": format_date(existing.given_at),
    }


@transaction.atomic
def consent_record(
    *,
    expert: Expert,
    purpose: str,
    method: str,
    given_on: datetime.date,
    given_by: str = ConsentGiver.SELF,
    given_by_name: str = "",
    scan: UploadedFile | None = None,
    notes: str = "",
    recorded_by: User | None,
    parental_request: ParentalConsentRequest | None = None,
    today: datetime.date | None = None,
) -> Consent:
    """Record that ``expert`` (or their parent or guardian) gave consent for ``purpose`` on
    ``given_on``. Raises ValidationError, by field, when:

    - the day lies in the future;
    - the expert was under 16 that day and gave it themselves: a parent or guardian must;
    - a parent or guardian gave it and their name is missing;
    - a consent for the purpose is already on record and not withdrawn;
    - the scan is too large or not a PDF, JPEG or PNG.
    """
    today = today or timezone.localdate()
    given_by_name = given_by_name.strip()
    # Lock the expert: two coordinators recording the same consent at once take turns, and the
    # second sees the first one's consent instead of a database error.
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    errors: dict[str, list[str]] = {}
    if method not in ConsentMethod.values:
        errors.setdefault("method", []).append(_("Say how the consent was given."))
    if given_on > today:
        errors.setdefault("given_on", []).append(_("The date cannot be in the future."))
    if given_by == ConsentGiver.SELF and expert.needs_parental_consent_on(given_on):
        errors.setdefault("given_by", []).append(
            _("%(expert)s was under 16 on that day. A parent or guardian gives consent for them.")
            % {"expert": expert.full_name}
        )
    if given_by in PARENTAL_GIVERS and not given_by_name:
        errors.setdefault("given_by_name", []).append(
            _("Write the name of the parent or guardian.")
        )
    existing = expert.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if existing is not None:
        errors.setdefault("purpose", []).append(_in_force_message(existing))
    extension = None
    if scan:
        try:
            extension = _check_scan(scan)
        except ValidationError as error:
            errors.setdefault("scan", []).extend(error.message_dict["scan"])
    if errors:
        raise ValidationError(errors)

    consent = Consent(
        expert=expert,
        purpose=purpose,
        method=method,
        given_by=given_by,
        given_by_name=given_by_name if given_by in PARENTAL_GIVERS else "",
        given_at=_moment(given_on),
        recorded_by=recorded_by,
        notes=notes.strip(),
        parental_request=parental_request,
    )
    if scan:
        consent.scan = File(scan, name=f"scan{extension}")
    consent.full_clean(exclude=["scan"])
    consent._history_user = recorded_by
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError:
        # The stored scan belongs to no consent now.
        if consent.scan:
            consent.scan.storage.delete(consent.scan.name)
        raise
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    consent: Consent,
    withdrawn_on: datetime.date,
    withdrawn_by: User | None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Consent:
    """Record that the consent was withdrawn on ``withdrawn_on``. From that day on it no longer
    counts (``ConsentQuerySet.in_force``). The consent, its scan and who recorded what stay in
    the history; ``reason`` goes with it there (how it was withdrawn when nobody logged in did,
    such as a parent through their link). Raises ValidationError when it was already
    withdrawn, or when the day lies in the future or before the consent was given."""
    today = today or timezone.localdate()
    consent = Consent.objects.select_for_update().select_related("expert").get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError(
            _("This consent was already withdrawn on %(date)s.")
            % {"date": format_date(consent.withdrawn_at)}
        )
    given_on = timezone.localdate(consent.given_at)
    if withdrawn_on > today:
        raise ValidationError({"withdrawn_on": _("The date cannot be in the future.")})
    if withdrawn_on < given_on:
        raise ValidationError(
            {
                "withdrawn_on": _("The consent was given on %(date)s. Choose that day or later.")
                % {"date": format_date(given_on)}
            }
        )
    # On the day it was given, withdrawing cannot come before the moment it was given.
    consent.withdrawn_at = max(_moment(withdrawn_on), consent.given_at)
    consent.full_clean(exclude=["scan"])
    consent._history_user = withdrawn_by
    if reason:
        consent._change_reason = reason[:100]
    consent.save(update_fields=["withdrawn_at"])
    return consent


# Giving and withdrawing online: the expert in their own door, a parent through their link.
# Both only add what is missing and withdraw what is in force, so the same form sent twice
# changes nothing the second time.


@transaction.atomic
def consents_give_online(
    *,
    expert: Expert,
    purposes: list[str],
    recorded_by: User | None,
    given_by: str = ConsentGiver.SELF,
    given_by_name: str = "",
    parental_request: ParentalConsentRequest | None = None,
    today: datetime.date | None = None,
) -> list[Consent]:
    """Record a consent given online today for each of ``purposes`` that has none in force;
    returns the consents recorded (none for a purpose that already had one). By the expert
    themselves (``recorded_by`` is their account), or by a parent or guardian through their
    link (``given_by``, the name they typed, the link's request; nobody logged in). Raises
    ValidationError as ``consent_record`` does: under 16, only a parent or guardian."""
    today = today or timezone.localdate()
    # consent_record locks the expert too; locking first keeps the check and the writes in
    # one turn when the same form arrives twice at once.
    Expert.objects.select_for_update().get(pk=expert.pk)
    in_force = set(expert.consents.in_force(on=today).values_list("purpose", flat=True))
    recorded = []
    for purpose in dict.fromkeys(purposes):
        if purpose in in_force:
            continue
        recorded.append(
            consent_record(
                expert=expert,
                purpose=purpose,
                method=ConsentMethod.ONLINE,
                given_on=today,
                given_by=given_by,
                given_by_name=given_by_name,
                recorded_by=recorded_by,
                parental_request=parental_request,
                today=today,
            )
        )
    return recorded


@transaction.atomic
def consent_withdraw_online(
    *,
    expert: Expert,
    purpose: str,
    withdrawn_by: User | None,
    parental_only: bool = False,
    reason: str = "",
    today: datetime.date | None = None,
) -> Consent | None:
    """Withdraw, from today, the expert's consent for ``purpose`` that is in force; None when
    there is none (already withdrawn: the same click twice). ``parental_only``: only one a
    parent or guardian gave (a parent's link never withdraws the expert's own)."""
    today = today or timezone.localdate()
    Expert.objects.select_for_update().get(pk=expert.pk)
    consents = expert.consents.in_force(on=today).filter(purpose=purpose)
    if parental_only:
        consents = consents.parental()
    consent = consents.first()
    if consent is None:
        return None
    return consent_withdraw(
        consent=consent, withdrawn_on=today, withdrawn_by=withdrawn_by, reason=reason, today=today
    )
