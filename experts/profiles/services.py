"""Create and change an expert's profile."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import Expert, ExpertPreferredRole, ExpertRole, Theme

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


def expert_welcome_seen(*, expert: Expert) -> bool:
    """Record that the expert saw the welcome of their own door (the first time only).
    Returns whether this was the first time."""
    seen = Expert.objects.filter(pk=expert.pk, welcomed_at__isnull=True).update(
        welcomed_at=timezone.now()
    )
    return bool(seen)
