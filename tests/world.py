"""A small world for tests that walk the URL map: one object of each kind, all with the same id
(``FIXED``), so ``<int:pk>`` in any route reaches a real object of the right kind, owned by the
visitor of that door (the expert's own hours, the lead's own network). A page added with a new
kind of object fails the walking tests until the object is added here.

Used by ``tests/test_malformed_input.py`` (malformed input on every page) and
``tests/test_expert_door_is_private.py`` (another expert's ids answer 404)."""

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from experts.models import AwayPeriod, Consent, ConsentPurpose, Invitation
from participation.models import (
    ActivityStatus,
    DataExport,
    DataExportState,
    DeclaredAllowance,
    ErasureRequest,
    MatchStatus,
)
from samen.accounts.models import Role
from samen.urls import DOOR_PREFIXES
from tests.factories import (
    ActivityLogFactory,
    ExpertFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    OrganisationFactory,
    PlacementFactory,
    RecruitmentContactFactory,
    RequestFactory,
    UserFactory,
)

FIXED = 424242
# Tables that change on any request: the session (login, the staff idle clock), allauth's
# list of sessions.
ALWAYS_WRITTEN = ("django_session", "usersessions_")


def build_world() -> dict:
    """One object of each kind, all with id ``FIXED``, owned by the visitors this returns
    (by role: coordinator, admin, lead, expert; anonymous is ``None``): the expert's own
    record, consent, placement, match, meeting and hours, the lead's own network."""
    coordinator = UserFactory(email="co@samen.test", role=Role.COORDINATOR)
    admin = UserFactory(
        email="beheer@samen.test", role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    lead = UserFactory(email="trekker@samen.test", role=Role.LEAD)
    expert_user = UserFactory(email="expex@samen.test", role=Role.EXPERT)
    expert = ExpertFactory(pk=FIXED, user=expert_user, email=expert_user.email)
    Consent.objects.create(
        pk=FIXED,
        expert=expert,
        purpose=ConsentPurpose.PARTICIPATION,
        given_at=timezone.now() - datetime.timedelta(days=400),
    )
    invited = ExpertFactory(email="nieuw@samen.test")
    Invitation.objects.create(
        pk=FIXED,
        expert=invited,
        email=invited.email,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        sent_by=coordinator,
    )
    organisation = OrganisationFactory(pk=FIXED)
    RecruitmentContactFactory(
        pk=FIXED,
        organisation=organisation,
        follow_up_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    network = LearningNetworkFactory(pk=FIXED, leads=[lead])
    PlacementFactory(pk=FIXED, expert=expert, network=network)
    request_ = RequestFactory(pk=FIXED, organisation=organisation)
    MatchFactory(pk=FIXED, request=request_, expert=expert, status=MatchStatus.PROPOSED)
    MeetingFactory(pk=FIXED, network=network)
    ActivityLogFactory(
        pk=FIXED,
        expert=expert,
        status=ActivityStatus.SUBMITTED,
        hours=Decimal("2"),
        receipt=ContentFile(b"%PDF-1.4\n%%EOF\n", name="bon.pdf"),
    )
    today = timezone.localdate()
    AwayPeriod.objects.create(
        pk=FIXED,
        expert=expert,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=20),
    )
    DeclaredAllowance.objects.create(
        pk=FIXED,
        expert=expert,
        organisation_name="Stichting Elders",
        year=today.year,
        month=today.month,
        amount=Decimal("25.00"),
    )
    DataExport.objects.create(
        pk=FIXED,
        expert=expert,
        state=DataExportState.READY,
        file=ContentFile(b"PK\x05\x06" + b"\0" * 18, name="data.zip"),
        size=22,
        finished_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    ErasureRequest.objects.create(pk=FIXED, expert=expert)
    return {
        "coordinator": coordinator,
        "admin": admin,
        "lead": lead,
        "expert": expert_user,
        "anonymous": None,
    }


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _routes(patterns, prefix="") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def door_pages(door: str) -> list[tuple[str, str]]:
    """(url name, path) of every page of a door, ids filled with FIXED."""
    resolver = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == door)
    pages = []
    for route, name in _routes(resolver.url_patterns, DOOR_PREFIXES[door]):
        path = "/" + re.sub(r"<int:\w+>", str(FIXED), route)
        assert "<" not in path, f"fill the converter of {route} in this test"
        pages.append((f"{door}:{name}", path))
    return pages


def tables_digest() -> str:
    """One fingerprint of every table's content (but those any request writes)."""
    tables = [
        name
        for name in connection.introspection.table_names()
        if not name.startswith(ALWAYS_WRITTEN)
    ]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        parts = " UNION ALL ".join(
            f"SELECT '{name}' AS t, md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), ''))"
            f" AS d FROM {quote(name)} r"
            for name in tables
        )
        sql = f"SELECT md5(string_agg(t || d, '|' ORDER BY t)) FROM ({parts}) s"
    else:
        parts = " UNION ALL ".join(
            f"SELECT '{name}' || count(*) AS d FROM {quote(name)}" for name in tables
        )
        sql = f"SELECT group_concat(d, '|') FROM ({parts})"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]
