"""An expert with a row in every model that can hold something about them, with names and
addresses that occur nowhere else, so a test can search the whole database for them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from experts.models import (
    AvailableTime,
    AwayPeriod,
    Expert,
    ExpertPreferredRole,
    ExpertSupportNeed,
    Invitation,
    ParentalConsentRequest,
    TrainingRequest,
)
from participation.models import (
    ActivityStatus,
    CalendarFeed,
    DataExport,
    DataExportState,
    DeclaredAllowance,
    ErasureRequest,
    ExportFormat,
    ExportKind,
    ExportLog,
    PaymentStatus,
    PlacementRole,
)
from samen.accounts.models import Role
from tests.factories import (
    ActivityLogFactory,
    AttendanceFactory,
    BreakoutGroupFactory,
    ConsentFactory,
    ExpertFactory,
    FeedbackFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    PaymentFactory,
    PlacementFactory,
    SmallProjectFactory,
    ThemeFactory,
    TrainingRecordFactory,
    UserFactory,
)

PDF = b"%PDF-1.7\n" + b"0" * 64


@dataclass
class Everything:
    """The expert, their account, and what a test checks afterwards."""

    expert: Expert
    user: object
    # Texts that say who the person is: none may be left anywhere after erasure.
    identifying: list[str]
    files: list[tuple]  # (storage, name)
    session_key: str
    paid_log_pk: int
    payment_pk: int


def ready_export(expert: Expert, **fields) -> DataExport:
    """A download that is ready, with a (tiny) file."""
    storage = DataExport._meta.get_field("file").storage
    name = storage.save(f"exports/{expert.pk}/test.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    now = timezone.now()
    return DataExport.objects.create(
        **{
            "expert": expert,
            "state": DataExportState.READY,
            "file": name,
            "size": 22,
            "finished_at": now,
            "expires_at": now + datetime.timedelta(days=7),
            **fields,
        }
    )


def _session_key(user) -> str:
    client = Client()
    client.force_login(user)
    return client.session.session_key


@pytest.fixture
def everything(db, coordinator) -> Everything:
    user = UserFactory(
        email="zwaantje.oosterbroek@voorbeeld.test", name="Zwaantje Oosterbroek", role=Role.EXPERT
    )
    expert = ExpertFactory(
        user=user,
        first_name="Zwaantje",
        last_name="Oosterbroek-Veldkamp",
        email="zwaantje.oosterbroek@voorbeeld.test",
        phone="06-98765432",
        city="Oudemolen-aan-Zee",
        bio="Ik ben Zwaantje en ik woon in Oudemolen-aan-Zee.",
        private_notes="Zwaantje heeft veel meegemaakt.",
        coach="Coach Gerbrandina Kwakernaak",
        coach_contact="gerbrandina@voorbeeld.test",
        availability_notes="Woensdagmiddag",
    )
    expert.themes.add(ThemeFactory(name="Uithuisplaatsing"))
    ExpertPreferredRole.objects.create(expert=expert, role="education")
    # A change of an audited field: a second row in the expert's history.
    expert.benefit_situation = "uwv"
    expert.save()

    consent = ConsentFactory(
        expert=expert,
        purpose="photos",
        given_by="self",
        notes="Zwaantje tekende op papier.",
        recorded_by=coordinator,
    )
    consent.scan.save("scan.pdf", ContentFile(PDF))
    Invitation.objects.create(
        expert=expert,
        email=expert.email,
        expires_at=timezone.now() + datetime.timedelta(days=14),
        sent_by=coordinator,
    )
    TrainingRecordFactory(expert=expert, notes="Zwaantje rondde de training af.")
    TrainingRequest.objects.create(
        expert=expert, wish="Presenteren zoals Zwaantje", note="Zwaantje wil dit graag."
    )
    ExpertSupportNeed.objects.create(expert=expert, need="companion")
    ParentalConsentRequest.objects.create(
        expert=expert,
        parent_name="Moeder Oosterbroek",
        parent_email="moeder.oosterbroek@voorbeeld.test",
        relation="parent",
        expires_at=timezone.now() + datetime.timedelta(days=14),
        answered_by_name="Moeder Oosterbroek",
        requested_by=user,
    )
    AvailableTime.objects.create(expert=expert, weekday=2, part="afternoon")
    AwayPeriod.objects.create(
        expert=expert,
        starts_on=timezone.localdate() + datetime.timedelta(days=3),
        ends_on=timezone.localdate() + datetime.timedelta(days=9),
    )

    network = LearningNetworkFactory(leads=[user])
    meeting = MeetingFactory(network=network)
    BreakoutGroupFactory(meeting=meeting).experts.add(expert)
    SmallProjectFactory(network=network).experts.add(expert)
    AttendanceFactory(meeting=meeting, expert=expert, companion="Moeder van Zwaantje")
    CalendarFeed.objects.create(expert=expert)
    DeclaredAllowance.objects.create(
        expert=expert, organisation_name="Stichting Oosterbroek", year=2025, month=3, amount=10
    )

    placement = PlacementFactory(
        expert=expert,
        network=network,
        status="active",
        expectations="Zwaantje vertelt over haar ervaring.",
    )
    PlacementRole.objects.create(placement=placement, role="education")
    match = MatchFactory(expert=expert, declined_reason="", expectations="Meelezen, Zwaantje.")

    payment = PaymentFactory(
        expert=expert,
        status=PaymentStatus.PAID,
        paid_at=timezone.now(),
        created_by=coordinator,
        paid_by=coordinator,
    )
    paid_log = ActivityLogFactory(
        expert=expert,
        placement=placement,
        match=match,
        meeting=meeting,
        date=datetime.date(2025, 3, 4),
        description="Voorbereiding door Zwaantje",
        travel_costs=Decimal("4.20"),
        status=ActivityStatus.PAID,
        approved_at=timezone.now(),
        payment=payment,
        logged_by=user,
        approved_by=coordinator,
    )
    paid_log.receipt.save("bon.pdf", ContentFile(PDF))
    waiting_log = ActivityLogFactory(
        expert=expert,
        placement=placement,
        description="Bijeenkomst met Zwaantje",
        logged_by=user,
    )
    waiting_log.receipt.save("bon.pdf", ContentFile(PDF))

    ExportLog.objects.create(
        user=user,
        user_email=user.email,
        kind=ExportKind.OWN_DATA,
        rows=3,
        format=ExportFormat.ZIP,
    )
    export = ready_export(expert)
    ErasureRequest.objects.create(expert=expert)
    FeedbackFactory(author=user, text="Zwaantje vond de sfeer goed.")

    address = EmailAddress.objects.get(user=user)
    EmailConfirmation.objects.create(email_address=address, key="zwaantje-key")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
    session_key = _session_key(user)
    UserSession.objects.create(
        user=user, session_key=session_key, ip="192.0.2.7", user_agent="Zwaantjes telefoon"
    )
    user.groups.add(Group.objects.create(name="Testgroep"))
    user.user_permissions.add(Permission.objects.first())
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Expert),
        object_id=str(expert.pk),
        object_repr=f"{expert.first_name} {expert.last_name}",
        action_flag=CHANGE,
        change_message="Zwaantje changed.",
    )
    # The coordinator's change of the expert on the admin site: a log row about the expert.
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(Expert),
        object_id=str(expert.pk),
        object_repr=f"{expert.first_name} {expert.last_name}",
        action_flag=CHANGE,
    )
    expert.refresh_from_db()
    return Everything(
        expert=expert,
        user=user,
        identifying=[
            "Zwaantje",
            "Oosterbroek",
            "zwaantje.oosterbroek@voorbeeld.test",
            "06-98765432",
            "Oudemolen-aan-Zee",
            "Gerbrandina",
            "192.0.2.7",
        ],
        files=[
            (consent.scan.storage, consent.scan.name),
            (paid_log.receipt.storage, paid_log.receipt.name),
            (waiting_log.receipt.storage, waiting_log.receipt.name),
            (export.file.storage, export.file.name),
        ],
        session_key=session_key,
        paid_log_pk=paid_log.pk,
        payment_pk=payment.pk,
    )
