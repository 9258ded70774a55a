"""Reads for the organisation and recruitment pages: organisations by type, contacts, and which
channels and organisations brought experts who are active today.

Every read here runs a fixed number of queries, whatever the number of rows."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from experts.models import (
    Expert,
    ExpertKind,
    Organisation,
    OrganisationKind,
    RecruitmentChannel,
    RecruitmentContact,
)


def organisations_with_contacts() -> QuerySet[Organisation]:
    """Organisations with the number of recruitment contacts and the date of the last one."""
    return Organisation.objects.annotate(
        contact_count=Count("recruitment_contacts"),
        last_contact_on=Max("recruitment_contacts__date"),
    ).order_by("kind", "name", "pk")


def organisation_kind_counts() -> list[dict]:
    """How many organisations of each type, in the order of the types. One query."""
    counts = dict(Organisation.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    return [
        {"kind": kind, "label": kind.label, "count": counts[kind]}
        for kind in OrganisationKind
        if counts.get(kind)
    ]


def recruitment_contacts() -> QuerySet[RecruitmentContact]:
    return RecruitmentContact.objects.select_related("organisation", "follow_up_done_by").order_by(
        "-date", "-pk"
    )


def follow_up_overdue(contact: RecruitmentContact, today: datetime.date) -> bool:
    """Due (``follow_up_is_due``) since before today."""
    return contact.follow_up_is_due(today) and contact.follow_up_on < today


@dataclass
class SourceRow:
    """One channel or organisation: what its contacts reached, and the active experts it
    brought."""

    key: str | int | None
    label: str
    contacts: int = 0
    youth_reached: int = 0
    parents_reached: int = 0
    active_youth: int = 0
    active_parents: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def active_experts(self) -> int:
        return self.active_youth + self.active_parents


def _reached(*group_by: str) -> QuerySet:
    return (
        RecruitmentContact.objects.order_by()
        .values(*group_by)
        .annotate(
            contacts=Count("pk"),
            youth_reached=Sum("youth_reached"),
            parents_reached=Sum("parents_reached"),
        )
    )


def _active_experts(group_by: str) -> QuerySet:
    """Experts with status active today, counted by kind per recruitment source."""
    return (
        Expert.objects.active()
        .order_by()
        .values(group_by)
        .annotate(
            youth=Count("pk", filter=Q(kind=ExpertKind.YOUTH)),
            parents=Count("pk", filter=Q(kind=ExpertKind.PARENT)),
        )
    )


def _sorted(rows: dict) -> list[SourceRow]:
    return sorted(rows.values(), key=lambda r: (-r.active_experts, -r.contacts, r.label))


def _total(rows: list[SourceRow], label: str) -> SourceRow:
    total = SourceRow(key="total", label=label)
    for row in rows:
        total.contacts += row.contacts
        total.youth_reached += row.youth_reached
        total.parents_reached += row.parents_reached
        total.active_youth += row.active_youth
        total.active_parents += row.active_parents
    return total


@dataclass
class ChannelTable:
    rows: list[SourceRow]
    unknown: SourceRow
    total: SourceRow


def recruitment_by_channel() -> ChannelTable:
    """Per channel: contacts, youth and parents reached, and the experts recruited through it
    who are active today. Experts without a recruitment source are counted apart. Two queries.

    Reach and experts are counted in separate queries: joined, each contact's reach would be
    counted once per expert it brought."""
    rows: dict = {}
    for item in _reached("channel"):
        channel = item["channel"]
        rows[channel] = SourceRow(
            key=channel,
            label=RecruitmentChannel(channel).label,
            contacts=item["contacts"],
            youth_reached=item["youth_reached"] or 0,
            parents_reached=item["parents_reached"] or 0,
        )
    unknown = SourceRow(key=None, label=_("Not known"))
    for item in _active_experts("recruitment_source__channel"):
        channel = item["recruitment_source__channel"]
        row = unknown if channel is None else rows[channel]
        row.active_youth, row.active_parents = item["youth"], item["parents"]
    ordered = _sorted(rows)
    return ChannelTable(
        rows=ordered, unknown=unknown, total=_total([*ordered, unknown], _("Total"))
    )


def recruitment_by_organisation() -> list[SourceRow]:
    """Per organisation with recruitment contacts: the same figures as per channel. Two
    queries."""
    rows: dict = {}
    for item in _reached("organisation", "organisation__name", "organisation__kind"):
        pk = item["organisation"]
        rows[pk] = SourceRow(
            key=pk,
            label=item["organisation__name"],
            contacts=item["contacts"],
            youth_reached=item["youth_reached"] or 0,
            parents_reached=item["parents_reached"] or 0,
            extra={"kind": OrganisationKind(item["organisation__kind"]).label},
        )
    for item in _active_experts("recruitment_source__organisation").filter(
        recruitment_source__isnull=False
    ):
        row = rows[item["recruitment_source__organisation"]]
        row.active_youth, row.active_parents = item["youth"], item["parents"]
    return _sorted(rows)
