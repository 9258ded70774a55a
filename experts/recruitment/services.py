"""Writes for organisations and recruitment contacts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Organisation, RecruitmentContact


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    city: str = "",
    contact_name: str = "",
    contact_email: str = "",
    notes: str = "",
) -> Organisation:
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        city=city,
        contact_name=contact_name,
        contact_email=contact_email,
        notes=notes,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    city: str,
    contact_name: str,
    contact_email: str,
    notes: str,
) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.city = city
    organisation.contact_name = contact_name
    organisation.contact_email = contact_email
    organisation.notes = notes
    organisation.full_clean()
    organisation.save()
    return organisation


def _check_follow_up(contact: RecruitmentContact) -> None:
    if contact.follow_up_on and contact.date and contact.follow_up_on < contact.date:
        raise ValidationError(
            {"follow_up_on": _("The follow-up date cannot be before the date of the contact.")}
        )


@transaction.atomic
def recruitment_contact_create(
    *,
    organisation: Organisation,
    date: datetime.date,
    channel: str,
    description: str = "",
    youth_reached: int = 0,
    parents_reached: int = 0,
    follow_up_on: datetime.date | None = None,
    notes: str = "",
    created_by=None,
) -> RecruitmentContact:
    """Record a contact with an organisation to find experts, and what it brought."""
    contact = RecruitmentContact(
        organisation=organisation,
        date=date,
        channel=channel,
        description=description,
        youth_reached=youth_reached,
        parents_reached=parents_reached,
        follow_up_on=follow_up_on,
        notes=notes,
        created_by=created_by,
    )
    _check_follow_up(contact)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def recruitment_contact_update(
    *,
    contact: RecruitmentContact,
    organisation: Organisation,
    date: datetime.date,
    channel: str,
    description: str,
    youth_reached: int,
    parents_reached: int,
    follow_up_on: datetime.date | None,
    notes: str,
) -> RecruitmentContact:
    """Change a contact. A new follow-up date is a new follow-up, still to be done; clearing
    the date means there is nothing to follow up."""
    contact = RecruitmentContact.objects.select_for_update().get(pk=contact.pk)
    if follow_up_on != contact.follow_up_on:
        contact.follow_up_done_at = None
        contact.follow_up_done_by = None
    contact.organisation = organisation
    contact.date = date
    contact.channel = channel
    contact.description = description
    contact.youth_reached = youth_reached
    contact.parents_reached = parents_reached
    contact.follow_up_on = follow_up_on
    contact.notes = notes
    _check_follow_up(contact)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def recruitment_follow_up_done(
    *, contact: RecruitmentContact, by, now: datetime.datetime | None = None
) -> RecruitmentContact:
    """Mark a contact's follow-up as done, with when and by whom; the follow-up date stays, so
    the list still says when it was due. Refused in Dutch when there is no follow-up, or when
    it was already marked done (two coordinators clicking at once: the second one is told)."""
    contact = RecruitmentContact.objects.select_for_update().get(pk=contact.pk)
    if contact.follow_up_on is None:
        raise ValidationError(_("This contact has no follow-up date."))
    if contact.follow_up_done_at is not None:
        raise ValidationError(_("This follow-up was already marked as done."))
    contact.follow_up_done_at = now or timezone.now()
    contact.follow_up_done_by = by
    contact.full_clean()
    contact.save(update_fields=["follow_up_done_at", "follow_up_done_by"])
    return contact
