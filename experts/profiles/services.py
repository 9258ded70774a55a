"""Create and change an expert's profile: the coordinator's form (``expert_create``,
``expert_update``) and the expert's own pages (``expert_profile_update``, the away periods)."""

import datetime
import operator
from collections.abc import Iterable
from functools import reduce
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import (
    AvailableTime,
    AwayPeriod,
    ContactChannel,
    DayPart,
    Expert,
    ExpertPreferredRole,
    ExpertRole,
    ExpertSupportNeed,
    SupportNeed,
    Theme,
    Weekday,
)
from experts.profiles.models import CHANNEL_FIELDS, CHANNEL_NEEDS
from samen.accounts.models import User

# What a coordinator may set through expert_create / expert_update. The account link, the
# erasure fields and the timestamps have their own workflows.
EDITABLE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "phone",
        "city",
        "kind",
        "expertise",
        "date_of_birth",
        "status",
        "bio",
        "availability_hours_per_month",
        "availability_notes",
        "paused_until",
        "coach",
        "coach_contact",
        "recruitment_source",
        "share_email_with_leads",
        "share_phone_with_leads",
        "benefit_situation",
        "private_notes",
    }
)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    # E-mail addresses are compared without case: Jan@X.nl and jan@x.nl are one person.
    if isinstance(fields.get("email"), str):
        fields["email"] = fields["email"].strip().lower()
    return fields


def _set_roles(expert: Expert, roles: Iterable[str]) -> None:
    wanted = set(roles)
    unknown = wanted - set(ExpertRole.values)
    if unknown:
        raise ValidationError({"roles": _("Choose roles from the list.")})
    expert.preferred_roles.exclude(role__in=wanted).delete()
    have = set(expert.preferred_roles.values_list("role", flat=True))
    ExpertPreferredRole.objects.bulk_create(
        [ExpertPreferredRole(expert=expert, role=role) for role in sorted(wanted - have)]
    )


@transaction.atomic
def expert_create(
    *,
    first_name: str,
    kind: str,
    themes: Iterable[Theme] = (),
    roles: Iterable[str] = (),
    **fields: Any,
) -> Expert:
    """Register an expert with their themes and preferred roles. Raises ValidationError."""
    _check_fields(fields)
    expert = Expert(first_name=first_name, kind=kind, **_normalise(fields))
    expert.full_clean()
    expert.save()
    expert.themes.set(themes)
    _set_roles(expert, roles)
    return expert


@transaction.atomic
def expert_update(
    *,
    expert: Expert,
    themes: Iterable[Theme] | None = None,
    roles: Iterable[str] | None = None,
    **fields: Any,
) -> Expert:
    """Change an expert's profile. Themes and roles are replaced when given. Raises
    ValidationError."""
    _check_fields(fields)
    for name, value in _normalise(fields).items():
        setattr(expert, name, value)
    expert.full_clean()
    expert.save()
    if themes is not None:
        expert.themes.set(themes)
    if roles is not None:
        _set_roles(expert, roles)
    return expert


# The expert's own pages ----------------------------------------------------------------------

# What an expert may change of their own profile. Name, kind, experience, status, the
# coordinator's break, coach, notes and date of birth are the coordinator's.
OWN_FIELDS = frozenset(
    {
        "email",
        "phone",
        "city",
        "preferred_channel",
        "availability_hours_per_month",
        "availability_notes",
        "meeting_mode",
        "goals",
        "support_note",
        "bio",
        "share_email_with_leads",
        "share_phone_with_leads",
        "benefit_situation",
    }
)
# Changing any of these asks the contact rule again (``_check_contact``).
CONTACT_FIELDS = frozenset({"email", "phone", "preferred_channel", "channels"})


def _check_contact(expert: Expert) -> None:
    """At least one way to reach the expert stays on, each way chosen has what it needs (an
    e-mail address, a phone number), and the way they like best is one of them."""
    channels = expert.contact_channels
    if not channels:
        raise ValidationError({"channels": _("Choose at least one way to reach you.")})
    errors: dict[str, list] = {}
    for channel in channels:
        needed = CHANNEL_NEEDS[channel]
        if not getattr(expert, needed):
            message = (
                _("Fill in your e-mail address, or do not choose e-mail.")
                if needed == "email"
                else _("Fill in your phone number, or choose e-mail only.")
            )
            if message not in errors.get(needed, []):
                errors.setdefault(needed, []).append(message)
    if expert.preferred_channel not in channels:
        errors["preferred_channel"] = [_("Choose what you like best from the ways you chose.")]
    if errors:
        raise ValidationError(errors)


def _check_email_free(expert: Expert) -> None:
    # The database keeps e-mail addresses unique; this says so in words. It does not say whose
    # address it is.
    if expert.email and Expert.objects.filter(email=expert.email).exclude(pk=expert.pk).exists():
        raise ValidationError(
            {"email": _("You cannot use this e-mail address. Ask the coordinator.")}
        )


def _set_support_needs(expert: Expert, needs: Iterable[str]) -> None:
    wanted = set(needs)
    if wanted - set(SupportNeed.values):
        raise ValidationError({"support_needs": _("Choose support from the list.")})
    expert.support_needs.exclude(need__in=wanted).delete()
    have = set(expert.support_needs.values_list("need", flat=True))
    ExpertSupportNeed.objects.bulk_create(
        [ExpertSupportNeed(expert=expert, need=need) for need in sorted(wanted - have)]
    )


def _set_available_times(expert: Expert, times: Iterable[tuple[int, str]]) -> None:
    wanted = set(times)
    valid = {(day, part) for day in Weekday.values for part in DayPart.values}
    if wanted - valid:
        raise ValidationError({"available_times": _("Choose days and times from the list.")})
    have = set(expert.available_times.values_list("weekday", "part"))
    gone = [Q(weekday=weekday, part=part) for weekday, part in have - wanted]
    if gone:
        expert.available_times.filter(reduce(operator.or_, gone)).delete()
    AvailableTime.objects.bulk_create(
        [
            AvailableTime(expert=expert, weekday=day, part=part)
            for day, part in sorted(wanted - have)
        ]
    )


@transaction.atomic
def expert_profile_update(
    *,
    expert: Expert,
    by: User,
    channels: Iterable[str] | None = None,
    themes: Iterable[Theme] | None = None,
    roles: Iterable[str] | None = None,
    support_needs: Iterable[str] | None = None,
    available_times: Iterable[tuple[int, str]] | None = None,
    **fields: Any,
) -> Expert:
    """An expert changes their own profile, one page at a time: only ``OWN_FIELDS``, and the
    ways to reach them (``channels``), themes, roles, support needs and times they are free
    when given. Who changed the sharing choices or the benefit situation is kept in the
    expert's history (``by``). The same change sent twice changes nothing the second time.
    Raises ValidationError with Dutch messages by field."""
    unknown = set(fields) - OWN_FIELDS
    if unknown:
        raise TypeError(f"Fields an expert cannot set: {', '.join(sorted(unknown))}")
    # Two tabs, or a double click, take turns; each sees what the other saved.
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    changed = []
    wanted = dict(_normalise(fields))
    if channels is not None:
        chosen = set(channels)
        if chosen - set(ContactChannel.values):
            raise ValidationError({"channels": _("Choose ways from the list.")})
        wanted.update({field: channel in chosen for channel, field in CHANNEL_FIELDS.items()})
    for name, value in wanted.items():
        if getattr(expert, name) != value:
            setattr(expert, name, value)
            changed.append(name)
    if CONTACT_FIELDS & ({*fields} | ({"channels"} if channels is not None else set())):
        _check_email_free(expert)
        _check_contact(expert)
    if changed:
        # Only what this page changes is checked: an old value elsewhere (from an import,
        # say) never blocks the expert.
        expert.full_clean(exclude=[f.name for f in Expert._meta.fields if f.name not in changed])
        expert._history_user = by
        expert.save(update_fields=[*changed, "updated_at"])
    if themes is not None:
        expert.themes.set(themes)
    if roles is not None:
        _set_roles(expert, roles)
    if support_needs is not None:
        _set_support_needs(expert, support_needs)
    if available_times is not None:
        _set_available_times(expert, available_times)
    return expert


# An away period ends at most this long from today: further ahead is a typing error, and a
# longer break is something to agree with the coordinator.
AWAY_PERIOD_MAX_AHEAD = datetime.timedelta(days=2 * 365)


def _check_away_period(
    *, starts_on: datetime.date, ends_on: datetime.date, today: datetime.date
) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    if ends_on < today:
        raise ValidationError(
            {"ends_on": _("This period is over already. Add only periods still to come.")}
        )
    if ends_on > today + AWAY_PERIOD_MAX_AHEAD:
        raise ValidationError(
            {
                "ends_on": _(
                    "Choose a last day within two years from today. For a longer break, "
                    "talk to the coordinator."
                )
            }
        )


@transaction.atomic
def away_period_add(
    *,
    expert: Expert,
    starts_on: datetime.date,
    ends_on: datetime.date,
    today: datetime.date | None = None,
) -> AwayPeriod:
    """An expert says they are away from ``starts_on`` to ``ends_on`` (both included): not
    before it starts, not over already, and ending within two years. The same period sent
    twice is stored once. Raises ValidationError."""
    _check_away_period(starts_on=starts_on, ends_on=ends_on, today=today or timezone.localdate())
    period, _created = AwayPeriod.objects.get_or_create(
        expert=expert, starts_on=starts_on, ends_on=ends_on
    )
    return period


@transaction.atomic
def away_period_change(
    *,
    period: AwayPeriod,
    starts_on: datetime.date,
    ends_on: datetime.date,
    today: datetime.date | None = None,
) -> AwayPeriod:
    """Change an away period, with the rules of ``away_period_add``. Raises ValidationError,
    also when the expert has this period already."""
    _check_away_period(starts_on=starts_on, ends_on=ends_on, today=today or timezone.localdate())
    if (period.starts_on, period.ends_on) == (starts_on, ends_on):
        return period
    period.starts_on, period.ends_on = starts_on, ends_on
    try:
        with transaction.atomic():
            period.save(update_fields=["starts_on", "ends_on"])
    except IntegrityError as exc:
        raise ValidationError({"starts_on": _("You have added this period already.")}) from exc
    return period


def away_period_remove(*, period: AwayPeriod) -> None:
    """Remove an away period: the expert is no longer away then."""
    period.delete()


def expert_welcome_seen(*, expert: Expert) -> bool:
    """Record that the expert saw the welcome of their own door (the first time only).
    Returns whether this was the first time."""
    seen = Expert.objects.filter(pk=expert.pk, welcomed_at__isnull=True).update(
        welcomed_at=timezone.now()
    )
    return bool(seen)
