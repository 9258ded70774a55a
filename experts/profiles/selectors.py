import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from experts.models import (
    AwayPeriod,
    Consent,
    DayPart,
    Expert,
    ExpertKind,
    TrainingRecord,
    Weekday,
)


def expert_for_user(user) -> Expert | None:
    """The expert record behind an expert's account, with what their own page shows."""
    return (
        Expert.objects.filter(user=user)
        .prefetch_related(
            "themes",
            "preferred_roles",
            Prefetch("consents", queryset=Consent.objects.in_force()),
            "training_records__training",
        )
        .first()
    )


def expert_profile_queryset(*, today: datetime.date | None = None) -> QuerySet[Expert]:
    """Experts with everything their profile page shows, in a fixed number of queries:
    account, recruitment source, what leads see of their contact details today
    (``with_contact_for_leads``), themes, preferred roles, support needs, the times they are
    usually free, their away periods not over today (``coming_away_periods``), all consents
    (also withdrawn, with who recorded them) and trainings."""
    today = today or timezone.localdate()
    return (
        Expert.objects.with_contact_for_leads(on=today)
        .select_related("user", "recruitment_source__organisation")
        .prefetch_related(
            "themes",
            "preferred_roles",
            "support_needs",
            "available_times",
            Prefetch(
                "away_periods",
                queryset=AwayPeriod.objects.not_over(on=today),
                to_attr="coming_away_periods",
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related("recorded_by").order_by("-given_at"),
            ),
            Prefetch(
                "training_records",
                queryset=TrainingRecord.objects.select_related("training").order_by("-started_on"),
            ),
        )
    )


@dataclass(frozen=True)
class SharedProfile:
    """What a network lead may know of an expert: name, ExpEx or parent, the introduction the
    expert wrote for leads, and their e-mail address and phone number only when the expert
    chose to share them and their consent to share contact details is in force
    (``ExpertQuerySet.with_contact_for_leads``). Themes, notes, benefit situation and date of
    birth are never here."""

    pk: int
    full_name: str
    kind: str
    kind_label: str
    bio: str
    email: str
    phone: str


def shared_profiles(
    experts: QuerySet[Expert], *, today: datetime.date | None = None
) -> dict[int, SharedProfile]:
    """The shared profile of each of ``experts``, by pk. One query, which selects only these
    columns: an address the expert did not share never leaves the database.

    An expert who withdrew their consent to take part (or whose parent or guardian did), and
    gave none since, has no profile here at all: leads no longer see them from that day
    (``ExpertQuerySet.with_consent_to_take_part_withdrawn``)."""
    today = today or timezone.localdate()
    withdrawn = Expert.objects.with_consent_to_take_part_withdrawn(on=today)
    rows = (
        experts.exclude(pk__in=withdrawn.values("pk"))
        .with_contact_for_leads(on=today)
        .order_by()
        .values(
            "pk", "first_name", "last_name", "kind", "bio", "email_for_leads", "phone_for_leads"
        )
    )
    return {
        row["pk"]: SharedProfile(
            pk=row["pk"],
            full_name=f"{row['first_name']} {row['last_name']}".strip(),
            kind=row["kind"],
            kind_label=str(ExpertKind(row["kind"]).label),
            bio=row["bio"],
            email=row["email_for_leads"],
            phone=row["phone_for_leads"],
        )
        for row in rows
    }


def with_own_profile(expert: Expert, *, today: datetime.date) -> Expert:
    """``expert`` (the record the door already read) with what their own profile page shows,
    in a fixed number of queries: themes, roles, support needs, the times they are usually
    free, and their away periods that are not over on ``today`` (as ``coming_away_periods``)."""
    prefetch_related_objects(
        [expert],
        "themes",
        "preferred_roles",
        "support_needs",
        "available_times",
        Prefetch(
            "away_periods",
            queryset=AwayPeriod.objects.not_over(on=today),
            to_attr="coming_away_periods",
        ),
    )
    return expert


@dataclass(frozen=True)
class DayTimes:
    day: str
    parts: list[str]


def times_by_day(expert: Expert) -> list[DayTimes]:
    """The parts of each weekday the expert is usually free, Monday first; days without any
    are left out. Reads ``expert.available_times`` (prefetch it for a list)."""
    parts: dict[int, set[str]] = {}
    for time in expert.available_times.all():
        parts.setdefault(time.weekday, set()).add(time.part)
    return [
        DayTimes(
            day=str(Weekday(day).label),
            parts=[str(label) for value, label in DayPart.choices if value in parts[day]],
        )
        for day in sorted(parts)
    ]
