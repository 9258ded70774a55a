"""Placements: link an expert to a network, change the ladder level and agreements, end it,
and reopen it when it was ended by mistake.

``placement_check`` holds every rule a new or changed placement must keep, so the preview and
the save refuse the same things. Each write records who made it in the placement's history.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import CURRENT_STATUSES, Expert
from learning_networks.models import LearningNetwork, Meeting
from participation.models import (
    FeeRate,
    NetworkComposition,
    PaymentScheme,
    Placement,
    PlacementRole,
    PlacementStatus,
    circle_for_level,
)
from samen.accounts.models import User
from samen.formatting import format_date
from samen.signals import bulk_written

# Under these schemes nobody is paid a rate through Samen.
SCHEMES_WITHOUT_RATE = [PaymentScheme.EMPLOYED, PaymentScheme.COSTS_ONLY]


@dataclass(frozen=True, kw_only=True)
class Agreements:
    """What the expert and the coordinator agreed (afspraken)."""

    expectations: str = ""
    hours_per_month: Decimal = Decimal("0")
    attendance_agreement: str = ""
    continuity_agreement: str = ""
    payment_scheme: str = PaymentScheme.VOLUNTEER_ALLOWANCE
    fee_rate: FeeRate | None = None
    travel_costs_reimbursed: bool = True

    @classmethod
    def of(cls, placement: Placement) -> "Agreements":
        """The agreements as ``placement`` holds them."""
        return cls(
            expectations=placement.expectations,
            hours_per_month=placement.hours_per_month,
            attendance_agreement=placement.attendance_agreement,
            continuity_agreement=placement.continuity_agreement,
            payment_scheme=placement.payment_scheme,
            fee_rate=placement.fee_rate,
            travel_costs_reimbursed=placement.travel_costs_reimbursed,
        )


def duplicate_message(*, expert: Expert, network: LearningNetwork) -> str:
    return _(
        "%(expert)s is already linked to %(network)s. Change that placement, or end it first."
    ) % {"expert": expert.full_name, "network": network.name}


@transaction.atomic
def network_compositions_refresh(*, network_ids: Iterable[int] | None = None) -> None:
    """Count the active placements of these networks again into ``NetworkComposition``
    (every network when None). Each network's row is locked first, in id order: two changes
    in one network take turns, and the second one counts what the first one committed."""
    if network_ids is None:
        network_ids = LearningNetwork.objects.values_list("pk", flat=True)
    ids = sorted(set(network_ids))
    if not ids:
        return
    NetworkComposition.objects.bulk_create(
        [NetworkComposition(network_id=pk) for pk in ids], ignore_conflicts=True
    )
    list(NetworkComposition.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    counts = Placement.objects.filter(network_id__in=ids).composition_by_network()
    zero = dict.fromkeys(NetworkComposition.COUNTS, 0)
    for pk in ids:
        NetworkComposition.objects.filter(pk=pk).update(**(zero | counts.get(pk, {})))


def coming_meetings_recount(
    *,
    network: LearningNetwork,
    starts_on: datetime.date,
    change: int,
    now: datetime.datetime | None = None,
) -> None:
    """Count a member who joins (``change=1``) or leaves (``change=-1``) ``network`` on
    ``starts_on`` in the expected people of the meetings they join
    (``MeetingQuerySet.joined_by_new_member``), never below zero. The placement preview shows
    the first of those meetings with one more, so the page says after saving what the preview
    said before. A meeting may end up above the maximum group size: the preview warned, and the
    network's page and the dashboard flag it."""
    meetings = Meeting.objects.joined_by_new_member(
        network, starts_on=starts_on, now=now or timezone.now()
    )
    if meetings.update(expected_participants=Greatest(F("expected_participants") + change, 0)):
        bulk_written.send(sender=Meeting)


def _consent_refusal(expert: Expert, *, today: datetime.date) -> str:
    """Why ``expert`` may not take part as far as consent goes, and what to do about it."""
    name = {"expert": expert.full_name}
    if expert.is_missing_parental_consent(on=today):
        return (
            _(
                "%(expert)s is under 16. A parent or guardian must give consent before "
                "%(expert)s can take part. Record the consent on the expert's page first."
            )
            % name
        )
    if expert.withdrew_consent_to_take_part(on=today):
        return (
            _(
                "The consent of %(expert)s to take part was withdrawn. %(expert)s can only be "
                "linked again with a new consent. Record it on the expert's page first."
            )
            % name
        )
    return (
        _(
            "%(expert)s has not given consent to take part. Record the consent on the "
            "expert's page first."
        )
        % name
    )


def placement_check(
    *,
    expert: Expert,
    network: LearningNetwork,
    roles: Iterable[str],
    agreements: Agreements,
    placement: Placement | None = None,
    reopening: bool = False,
    today: datetime.date | None = None,
) -> None:
    """Raise a ValidationError (per form field) when the placement may not be saved.

    Without ``placement`` the checks are those of a new link; with it, of a change. Reopening
    an ended ``placement`` asks the checks of a new link, and keeps the rate agreed then.

    A new link needs a consent to take part in force (under 16: from a parent or guardian), as
    a suggestion does. A change of an open link does not ask it again: when the consent was
    withdrawn, the dashboard flags the link and the coordinator ends it."""
    today = today or timezone.localdate()
    roles = set(roles)
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if placement is None or reopening:
        if expert.status not in CURRENT_STATUSES:
            refuse(
                "expert",
                _("%(expert)s has status “%(status)s”. Make them active first.")
                % {"expert": expert.full_name, "status": expert.get_status_display()},
            )
        if not network.is_active:
            refuse("network", _("This network is no longer active."))
        if Placement.objects.open().filter(expert=expert, network=network).exists():
            refuse(NON_FIELD_ERRORS, duplicate_message(expert=expert, network=network))
        # Taking part needs a consent to take part in force, the rule of the suggestions
        # (``ExpertQuerySet.with_consent_to_take_part``). Under 16 a parent's consent (AVG/UAVG),
        # so the link waits for it; a withdrawn consent stops new links until a new one.
        if not expert.may_take_part(on=today):
            refuse("expert", _consent_refusal(expert, today=today))
    elif placement.status == PlacementStatus.ENDED:
        refuse(NON_FIELD_ERRORS, _("This placement has ended. It can no longer be changed."))

    rate = agreements.fee_rate
    if rate is not None:
        unchanged = placement is not None and placement.fee_rate_id == rate.pk
        if agreements.payment_scheme in SCHEMES_WITHOUT_RATE:
            refuse(
                "fee_rate",
                _("With “%(scheme)s” no rate is paid. Leave the rate empty.")
                % {"scheme": PaymentScheme(agreements.payment_scheme).label},
            )
        elif rate.payment_scheme != agreements.payment_scheme:
            refuse("fee_rate", _("This rate belongs to another way of paying."))
        if not unchanged and not rate.is_valid_on(today):
            refuse("fee_rate", _("This rate is not valid today."))
        if rate.role and rate.role not in roles:
            refuse(
                "fee_rate",
                _("This rate is for the role “%(role)s”. Choose that role, or another rate.")
                % {"role": rate.get_role_display()},
            )
        if rate.only_for_kind and rate.only_for_kind != expert.kind:
            refuse(
                "fee_rate",
                _("This rate is only for %(kind)s.") % {"kind": rate.get_only_for_kind_display()},
            )
    if errors:
        raise ValidationError(errors)


def _set_roles(placement: Placement, roles: Iterable[str], user: User | None) -> None:
    """Make the placement's roles exactly ``roles``; one row at a time so history keeps each."""
    wanted = set(roles)
    for row in placement.roles.all():
        if row.role in wanted:
            wanted.discard(row.role)
        else:
            row._history_user = user
            row.delete()
    for role in sorted(wanted):
        row = PlacementRole(placement=placement, role=role)
        row.full_clean(exclude=["placement"])
        row._history_user = user
        row.save()


def _apply(
    placement: Placement, *, ladder_level: int, circle: str | None, agreements: Agreements
) -> None:
    placement.ladder_level = ladder_level
    placement.circle_overridden = circle is not None
    placement.circle = circle or circle_for_level(ladder_level)
    placement.expectations = agreements.expectations
    placement.hours_per_month = agreements.hours_per_month
    placement.attendance_agreement = agreements.attendance_agreement
    placement.continuity_agreement = agreements.continuity_agreement
    placement.payment_scheme = agreements.payment_scheme
    placement.fee_rate = agreements.fee_rate
    placement.travel_costs_reimbursed = agreements.travel_costs_reimbursed


@transaction.atomic
def placement_create(
    *,
    expert: Expert,
    network: LearningNetwork,
    ladder_level: int,
    starts_on: datetime.date,
    roles: Iterable[str] = (),
    agreements: Agreements,
    circle: str | None = None,
    created_by: User | None,
) -> Placement:
    """Link an expert to a network as an active placement. ``circle`` overrides the circle
    that follows from the ladder level."""
    roles = list(roles)
    # Lock the expert: two coordinators linking the same expert at the same moment must not
    # both pass the check for an open placement.
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    placement_check(expert=expert, network=network, roles=roles, agreements=agreements)
    placement = Placement(
        expert=expert,
        network=network,
        status=PlacementStatus.ACTIVE,
        starts_on=starts_on,
        created_by=created_by,
    )
    _apply(placement, ladder_level=ladder_level, circle=circle, agreements=agreements)
    placement.full_clean()
    placement._history_user = created_by
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as exc:
        # The constraint placement_one_open_per_expert_network backs up the check above. Each
        # database words the error its own way, so ask the database what is there instead.
        if Placement.objects.open().filter(expert=expert, network=network).exists():
            raise ValidationError(duplicate_message(expert=expert, network=network)) from exc
        raise
    _set_roles(placement, roles, created_by)
    network_compositions_refresh(network_ids=[network.pk])
    coming_meetings_recount(network=network, starts_on=starts_on, change=1)
    return placement


@transaction.atomic
def placement_update(
    *,
    placement: Placement,
    ladder_level: int,
    roles: Iterable[str],
    agreements: Agreements,
    circle: str | None = None,
    changed_by: User | None,
) -> Placement:
    """Change the ladder level, circle, roles and agreements of an open placement. The
    history keeps the old values with the date and who changed them."""
    roles = list(roles)
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("expert", "network")
        .get(pk=placement.pk)
    )
    placement_check(
        expert=placement.expert,
        network=placement.network,
        roles=roles,
        agreements=agreements,
        placement=placement,
    )
    _apply(placement, ladder_level=ladder_level, circle=circle, agreements=agreements)
    placement.full_clean()
    placement._history_user = changed_by
    placement.save()
    _set_roles(placement, roles, changed_by)
    network_compositions_refresh(network_ids=[placement.network_id])
    return placement


@transaction.atomic
def placement_end(
    *,
    placement: Placement,
    ends_on: datetime.date,
    reason: str,
    ended_by: User | None,
    today: datetime.date | None = None,
) -> Placement:
    """End a placement: the reason is required, the end date lies between the start and
    today. Ending takes effect at once, so the date cannot be in the future."""
    today = today or timezone.localdate()
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status == PlacementStatus.ENDED:
        raise ValidationError(_("This placement has already ended."))
    errors: dict[str, list[str]] = {}
    reason = reason.strip()
    if not reason:
        errors["reason"] = [_("Say why the placement ends.")]
    if ends_on < placement.starts_on:
        errors["ends_on"] = [
            _("The end date cannot be before the start date (%(start)s).")
            % {"start": format_date(placement.starts_on)}
        ]
    elif ends_on > today:
        errors["ends_on"] = [_("The end date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    placement.status = PlacementStatus.ENDED
    placement.ends_on = ends_on
    placement.end_reason = reason
    placement.full_clean()
    placement._history_user = ended_by
    placement.save()
    network_compositions_refresh(network_ids=[placement.network_id])
    # Ending takes effect at once: the expert is no longer expected at the coming meetings.
    coming_meetings_recount(network=placement.network, starts_on=today, change=-1)
    return placement


@transaction.atomic
def placement_reopen(
    *,
    placement: Placement,
    reopened_by: User | None,
    today: datetime.date | None = None,
) -> Placement:
    """Make an ended placement active again, for when it was ended by mistake. The checks are
    those of a new link (``placement_check``: the expert takes part, the network is active, no
    other open link to it, a consent to take part in force, under 16 from a parent); the
    agreements, roles and rate stay.
    The end date and reason are cleared; the history keeps them, and who reopened it."""
    today = today or timezone.localdate()
    # Lock the expert first, as placement_create does: a new link to the same network at the
    # same moment must not pass the check for an open placement as well.
    expert = Expert.objects.select_for_update().get(pk=placement.expert_id)
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("network", "fee_rate")
        .get(pk=placement.pk)
    )
    if placement.status != PlacementStatus.ENDED:
        raise ValidationError(_("This placement has not ended."))
    placement_check(
        expert=expert,
        network=placement.network,
        roles=[row.role for row in placement.roles.all()],
        agreements=Agreements.of(placement),
        placement=placement,
        reopening=True,
        today=today,
    )
    placement.status = PlacementStatus.ACTIVE
    placement.ends_on = None
    placement.end_reason = ""
    placement.full_clean()
    placement._history_user = reopened_by
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as exc:
        if Placement.objects.open().filter(expert=expert, network=placement.network).exists():
            raise ValidationError(
                duplicate_message(expert=expert, network=placement.network)
            ) from exc
        raise
    network_compositions_refresh(network_ids=[placement.network_id])
    # Back in the network: expected again at the coming meetings, as when first linked.
    coming_meetings_recount(network=placement.network, starts_on=timezone.localdate(), change=1)
    return placement
