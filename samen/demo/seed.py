"""Turn ``samen.demo.data`` into rows, safe to run again.

Every row is found by a natural key and only saved when something differs, so a second run
writes nothing: not even history rows (django-simple-history adds one on every save)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from evaluations.models import (
    EvaluationRound,
    Feedback,
    Question,
    Questionnaire,
    RoundStatus,
)
from experts.models import (
    Consent,
    ConsentGiver,
    ConsentPurpose,
    Expert,
    ExpertPreferredRole,
    ExpertStatus,
    Organisation,
    RecruitmentContact,
    Theme,
    Training,
    TrainingRecord,
)
from learning_networks.models import (
    BreakoutGroup,
    LearningNetwork,
    Meeting,
    MeetingKind,
    MeetingStatus,
    SmallProject,
    SmallProjectStatus,
)
from participation.hours.services import months_refresh
from participation.models import (
    ActivityLog,
    ActivityStatus,
    AllowanceLimit,
    Attendance,
    AttendanceStatus,
    FeeRate,
    FeeUnit,
    Match,
    MatchStatus,
    Placement,
    PlacementRole,
    PlacementStatus,
    Request,
    RequestStatus,
)
from participation.placements.services import network_compositions_refresh
from samen.accounts.models import Role, User

from . import data

DEMO_DOMAIN = "samen.demo"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    door: str
    password: str


def upsert(
    model: type[models.Model],
    *,
    lookup: dict[str, Any],
    values: dict[str, Any] | None = None,
    on_create: dict[str, Any] | None = None,
    clean_exclude: list[str] | None = None,
) -> models.Model:
    """Find the row by ``lookup``; create it, or update the fields in ``values`` that differ.

    ``on_create`` is only used for a new row (a password, a moment in time). New and changed rows
    of a model with its own ``clean()`` pass ``full_clean()``, so its rules (such as the circle
    following the ladder level) apply to demo data too. Other models rely on the database's
    constraints: validating them would cost a query per foreign key and constraint."""
    values = values or {}
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        fields = {key: value for key, value in lookup.items() if "__" not in key}
        obj = model(**fields, **values, **(on_create or {}))
    else:
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if not changed:
            return obj
        for name in changed:
            setattr(obj, name, values[name])
    if type(obj).clean is not models.Model.clean:
        obj.full_clean(exclude=clean_exclude)
    obj.save()
    return obj


def _same(obj: models.Model, name: str, value: Any) -> bool:
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        # Compare ids: no query to load the related row.
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _Seeder:
    def __init__(self, today: datetime.date):
        self.today = today
        self._password_hash = ""
        self.logins: list[DemoLogin] = []
        self.themes: dict[str, Theme] = {}
        self.organisations: dict[str, Organisation] = {}
        self.contacts: dict[str, RecruitmentContact] = {}
        self.trainings: dict[str, Training] = {}
        self.fees: dict[str, FeeRate] = {}
        self.networks: dict[str, LearningNetwork] = {}
        self.experts: dict[str, Expert] = {}
        self.users: dict[str, User] = {}
        self.placements: dict[tuple[str, str], Placement] = {}
        self.meetings: dict[tuple[str, str, str], Meeting] = {}

    def run(self) -> list[DemoLogin]:
        self.seed_reference_lists()
        self.coordinator = self.seed_user(*data.COORDINATOR, role=Role.COORDINATOR)
        self.seed_user(*data.ADMIN, role=Role.ADMIN, staff=True)
        self.seed_recruitment()
        self.seed_networks()
        self.seed_experts()
        self.seed_placements()
        # The placements are written as they are (ended ones too), so the networks' counts
        # are kept here, as the placement services keep them.
        network_compositions_refresh(network_ids=[n.pk for n in self.networks.values()])
        self.seed_meetings()
        self.seed_activity_logs()
        self.seed_requests()
        self.seed_evaluation()
        return self.logins

    # Reference lists --------------------------------------------------------------------------

    def seed_reference_lists(self) -> None:
        for name in data.THEMES:
            self.themes[name] = upsert(Theme, lookup={"name": name})
        for name, (kind, city) in data.ORGANISATIONS.items():
            self.organisations[name] = upsert(
                Organisation, lookup={"name": name}, values={"kind": kind, "city": city}
            )
        for name, (kind, provider, hours, qualifies) in data.TRAININGS.items():
            self.trainings[name] = upsert(
                Training,
                lookup={"name": name},
                values={
                    "kind": kind,
                    "provider": provider,
                    "hours": hours,
                    "qualifies_as_expertise": qualifies,
                },
            )
        for key, (name, scheme, role, unit, amount, valid_from) in data.FEE_RATES.items():
            self.fees[key] = upsert(
                FeeRate,
                lookup={"name": name, "valid_from": valid_from},
                values={"payment_scheme": scheme, "role": role, "unit": unit, "amount": amount},
            )
        # The migration fills these; an admin may have corrected them since, so only add.
        for year, (adult, young, month, whole_year) in data.ALLOWANCE_LIMITS.items():
            AllowanceLimit.objects.get_or_create(
                year=year,
                defaults={
                    "per_hour_21_and_over": adult,
                    "per_hour_under_21": young,
                    "per_month": month,
                    "per_year": whole_year,
                },
            )

    # People -----------------------------------------------------------------------------------

    @property
    def password_hash(self) -> str:
        # One hash for every new demo account, made only when needed: hashing is slow on
        # purpose, and the demo password is published anyway.
        if not self._password_hash:
            self._password_hash = make_password(data.DEMO_PASSWORD)
        return self._password_hash

    def seed_user(
        self, email: str, name: str, *, role: str, staff: bool = False, door: str = ""
    ) -> User:
        # The password is only set for a new account: someone who changed it keeps theirs.
        is_new = not User.objects.filter(email=email).exists()
        user = upsert(
            User,
            lookup={"email": email},
            values={"name": name, "role": role, "is_staff": staff, "is_superuser": staff},
            on_create={"password": self.password_hash} if is_new else None,
        )
        # allauth only lets someone log in with a verified address.
        upsert(
            EmailAddress,
            lookup={"user": user, "email": email},
            values={"verified": True, "primary": True},
        )
        self.users[email] = user
        self.logins.append(DemoLogin(email, door or str(Role(role).label), data.DEMO_PASSWORD))
        return user

    def seed_recruitment(self) -> None:
        # The latest contact has a follow-up that is due, so the demo's dashboard shows one.
        latest = max(data.RECRUITMENT_CONTACTS, key=lambda key: data.RECRUITMENT_CONTACTS[key][1])
        for key, row in data.RECRUITMENT_CONTACTS.items():
            organisation, day, channel, description, youth, parents = row
            self.contacts[key] = upsert(
                RecruitmentContact,
                lookup={
                    "organisation": self.organisations[organisation],
                    "date": day,
                    "channel": channel,
                },
                values={
                    "description": description,
                    "youth_reached": youth,
                    "parents_reached": parents,
                    "created_by": self.coordinator,
                    **(
                        {"follow_up_on": self.today - datetime.timedelta(days=2)}
                        if key == latest
                        else {}
                    ),
                },
            )

    def seed_networks(self) -> None:
        for slug, row in data.NETWORKS.items():
            network = upsert(
                LearningNetwork,
                lookup={"slug": slug},
                values={
                    "name": row["name"],
                    "theme": row["theme"],
                    "started_on": row["started_on"],
                    "target_youth": 3,
                    "target_parents": 2,
                    "is_active": True,
                },
            )
            network.member_organisations.set([self.organisations[n] for n in row["members"]])
            email, name = row["lead"]
            lead = self.seed_user(
                email, name, role=Role.LEAD, door=f"{Role.LEAD.label}: {row['name']}"
            )
            network.leads.add(lead)
            self.networks[slug] = network

    def seed_experts(self) -> None:
        for key, row in data.EXPERTS.items():
            email = f"{key}@{DEMO_DOMAIN}"
            user = None
            if row.get("account"):
                user = self.seed_user(
                    email, f"{row['first_name']} {row['last_name']}", role=Role.EXPERT
                )
            born = row["date_of_birth"]
            if born == data.UNDER_16:
                born = datetime.date(self.today.year - 15, 1, 1)
            recruited = self.contacts[row["recruited"]]
            expert = upsert(
                Expert,
                lookup={"email": email},
                values={
                    "user": user,
                    "first_name": row["first_name"],
                    "last_name": row["last_name"],
                    "kind": row["kind"],
                    "expertise": row["expertise"],
                    "date_of_birth": born,
                    "status": row.get("status", ExpertStatus.ACTIVE),
                    "city": row["city"],
                    "availability_hours_per_month": row["hours"],
                    "availability_notes": row["when"],
                    "bio": row.get("bio", ""),
                    "coach": row.get("coach", ""),
                    "recruitment_source": recruited,
                    "share_email_with_leads": bool(row.get("account")),
                },
            )
            # Added to Samen when recruited, not on the day the demo was loaded: the signals
            # count from when someone started (a queryset update: no second history row).
            # Those with an account have used Samen since then: they saw the welcome.
            Expert.objects.filter(pk=expert.pk).update(
                created_at=_at(recruited.date, 10),
                welcomed_at=_at(recruited.date, 20) if user else None,
            )
            expert.themes.set([self.themes[name] for name in row["themes"]])
            for role in row["roles"]:
                ExpertPreferredRole.objects.get_or_create(expert=expert, role=role)
            self.seed_consents(expert, row, given_on=recruited.date)
            self.experts[key] = expert
        for key, training, started, completed in data.TRAINING_RECORDS:
            upsert(
                TrainingRecord,
                lookup={
                    "expert": self.experts[key],
                    "training": self.trainings[training],
                    "started_on": started,
                },
                values={
                    "completed_on": completed,
                    "hours": self.trainings[training].hours if completed else Decimal("0"),
                },
            )

    def seed_consents(self, expert: Expert, row: dict, *, given_on: datetime.date) -> None:
        purposes = list(data.CONSENT_PURPOSES)
        if row["themes"]:
            purposes.append(ConsentPurpose.SPECIAL_DATA)
        if row.get("account"):
            # They share their e-mail address with leads (``share_email_with_leads``).
            purposes.append(ConsentPurpose.SHARING)
        parent = row.get("parental_consent_by", "")
        for purpose in purposes:
            upsert(
                Consent,
                lookup={"expert": expert, "purpose": purpose, "withdrawn_at__isnull": True},
                values={
                    "given_by": ConsentGiver.PARENT if parent else ConsentGiver.SELF,
                    "given_by_name": parent,
                    "recorded_by": self.coordinator,
                },
                on_create={"given_at": _at(given_on, 20)},
            )

    # Taking part ------------------------------------------------------------------------------

    def seed_placements(self) -> None:
        rows = [(*row, data.PLACEMENT_START, None, "") for row in data.PLACEMENTS]
        for row in [*rows, *data.ENDED_PLACEMENTS]:
            key, slug, level, roles, hours, fee, starts_on, ends_on, end_reason = row
            fee_rate = self.fees[fee]
            placement = upsert(
                Placement,
                lookup={
                    "expert": self.experts[key],
                    "network": self.networks[slug],
                    "starts_on": starts_on,
                },
                values={
                    "status": PlacementStatus.ENDED if ends_on else PlacementStatus.ACTIVE,
                    "ladder_level": level,
                    "ends_on": ends_on,
                    "end_reason": end_reason,
                    "expectations": data.PLACEMENT_EXPECTATIONS,
                    "hours_per_month": Decimal(hours),
                    "attendance_agreement": data.PLACEMENT_ATTENDANCE,
                    "continuity_agreement": data.PLACEMENT_CONTINUITY,
                    "payment_scheme": fee_rate.payment_scheme,
                    "fee_rate": fee_rate,
                    "created_by": self.coordinator,
                },
                # Placement.clean() sets the circle from the ladder level.
                clean_exclude=["circle"],
            )
            for role in roles:
                PlacementRole.objects.get_or_create(placement=placement, role=role)
            if not ends_on:
                self.placements[key, slug] = placement

    def seed_meetings(self) -> None:
        """Per network: a held meeting with its prep meeting, and an upcoming pair."""
        for index, (slug, row) in enumerate(data.NETWORKS.items()):
            network = self.networks[slug]
            experts = [self.experts[k] for (k, s) in self.placements if s == slug]
            past_day = self.today - datetime.timedelta(days=14 + 7 * index)
            next_day = self.today + datetime.timedelta(days=10 + 7 * index)
            for when, day, status, topic in [
                ("past", past_day, MeetingStatus.HELD, row["past"]),
                ("next", next_day, MeetingStatus.PLANNED, row["upcoming"]),
            ]:
                plenary = upsert(
                    Meeting,
                    lookup={"network": network, "kind": MeetingKind.PLENARY, "title": topic},
                    values={
                        "starts_at": _at(day, 15),
                        "ends_at": _at(day, 17),
                        "location": "Werkplaats SAMEN, Leiden",
                        "is_online": False,
                        "status": status,
                        "expected_participants": 9,
                        "agenda": data.MEETING_AGENDA,
                        "feedback_to_experts": data.MEETING_FEEDBACK if when == "past" else "",
                    },
                )
                prep_day = day - datetime.timedelta(days=7)
                prep = upsert(
                    Meeting,
                    lookup={
                        "network": network,
                        "kind": MeetingKind.PREP,
                        "title": f"Voorbespreking: {topic}",
                    },
                    values={
                        "prepares": plenary,
                        "starts_at": _at(prep_day, 16),
                        "ends_at": _at(prep_day, 17),
                        "is_online": True,
                        "status": status,
                        "expected_participants": len(experts) + 1,
                    },
                )
                self.meetings[slug, when, "plenary"] = plenary
                self.meetings[slug, when, "prep"] = prep
                for position, expert in enumerate(experts):
                    self.seed_attendance(plenary, prep, expert, when=when, position=position)
        self.seed_breakout_groups()
        project = upsert(
            SmallProject,
            lookup={"network": self.networks["kwetsbare-gezinnen"], "title": data.PROJECT_TITLE},
            values={
                "description": data.PROJECT_DESCRIPTION,
                "status": SmallProjectStatus.RUNNING,
                "starts_on": datetime.date(2024, 10, 1),
            },
        )
        project.experts.set([self.experts["mohamed"], self.experts["sanne"]])

    def seed_attendance(
        self, plenary: Meeting, prep: Meeting, expert: Expert, *, when: str, position: int
    ) -> None:
        if when == "past":
            plenary_status, prep_status = AttendanceStatus.PRESENT, AttendanceStatus.PRESENT
            plenary_hours, prep_hours = Decimal("2"), Decimal("1")
        else:
            plenary_status = (
                AttendanceStatus.COMING if position % 2 == 0 else AttendanceStatus.INVITED
            )
            prep_status, plenary_hours, prep_hours = plenary_status, Decimal("0"), Decimal("0")
        # An expert under 16 comes with a parent, as the evaluation asked ("a companion").
        companion = expert.coach if expert.needs_parental_consent else ""
        for meeting, status, hours in [
            (plenary, plenary_status, plenary_hours),
            (prep, prep_status, prep_hours),
        ]:
            upsert(
                Attendance,
                lookup={"meeting": meeting, "expert": expert},
                values={"status": status, "hours": hours, "companion": companion},
            )

    def seed_breakout_groups(self) -> None:
        meeting = self.meetings["kwetsbare-gezinnen", "past", "plenary"]
        for name, topic, keys in [
            ("Groep A", "Wat helpt een gezin echt?", ["sanne", "mohamed"]),
            ("Groep B", "Wat zit een gezin in de weg?", ["lucas", "emma"]),
        ]:
            group = upsert(
                BreakoutGroup,
                lookup={"meeting": meeting, "name": name},
                values={"topic": topic, "size": 5},
            )
            group.experts.set([self.experts[key] for key in keys])

    def seed_activity_logs(self) -> None:
        logged = []
        for key, slug, kind, hours, travel, status in data.ACTIVITY_LOGS:
            placement = self.placements[key, slug]
            meeting = self.meetings[slug, "past", kind]
            hours, travel = Decimal(hours), Decimal(travel)
            approved = status == ActivityStatus.APPROVED
            fee_rate = placement.fee_rate
            amount = None
            if approved and fee_rate.unit == FeeUnit.HOUR:
                amount = (hours * fee_rate.amount).quantize(Decimal("0.01"))
            log = upsert(
                ActivityLog,
                lookup={
                    "expert": self.experts[key],
                    "kind": data.ACTIVITY_KIND[kind],
                    "meeting": meeting,
                },
                values={
                    "placement": placement,
                    "date": meeting.starts_at.date(),
                    "description": meeting.title,
                    "hours": hours,
                    "travel_costs": travel,
                    "status": status,
                    "fee_rate": fee_rate,
                    "amount": amount,
                    "logged_by": self.experts[key].user or self.coordinator,
                    "approved_by": self.coordinator if approved else None,
                    # Derived from the date, not from now, so a second run changes nothing.
                    "approved_at": _at(meeting.starts_at.date(), 21) if approved else None,
                },
            )
            logged.append((log.expert_id, log.date))
        # The logs are written as they are (approved ones too), so their monthly sums are
        # kept here, as the services keep them.
        months_refresh(keys=logged)

    def seed_requests(self) -> None:
        for row in data.REQUESTS:
            match = row.get("match")
            request = upsert(
                Request,
                lookup={"title": row["title"]},
                values={
                    "question": row["question"],
                    "network": self.networks.get(row.get("network", "")),
                    "organisation": self.organisations.get(row.get("organisation", "")),
                    "contact_name": row.get("contact_name", ""),
                    "contact_email": row.get("contact_email", ""),
                    "perspective": row["perspective"],
                    "expertise_wanted": row["expertise_wanted"],
                    "role": row["role"],
                    "ladder_level": row["ladder_level"],
                    "starts_on": self.today + datetime.timedelta(days=row["starts_in"]),
                    "respond_by": self.today + datetime.timedelta(days=row["respond_in"]),
                    "expected_hours": row["expected_hours"],
                    "experts_wanted": row["experts_wanted"],
                    "payment_scheme": row["payment_scheme"],
                    "competencies": row["competencies"],
                    "mode": row["mode"],
                    "location": row["location"],
                    "status": RequestStatus.MATCHING if match else RequestStatus.OPEN,
                    "created_by": self.coordinator,
                },
            )
            request.themes.set([self.themes[name] for name in row["themes"]])
            if match:
                key, expectations, hours = match
                fee_rate = self.fees[row["fee"]]
                upsert(
                    Match,
                    lookup={"request": request, "expert": self.experts[key]},
                    values={
                        "status": MatchStatus.PROPOSED,
                        "expectations": expectations,
                        "hours": hours,
                        "payment_scheme": fee_rate.payment_scheme,
                        "fee_rate": fee_rate,
                        "proposed_by": self.coordinator,
                    },
                )

    # Evaluation -------------------------------------------------------------------------------

    def seed_evaluation(self) -> None:
        row = data.EVALUATION_ROUND
        evaluation = upsert(
            EvaluationRound,
            lookup={"year": row["year"], "title": row["title"]},
            values={
                "opens_on": row["opens_on"],
                "closes_on": row["closes_on"],
                "status": RoundStatus.CLOSED,
            },
        )
        evaluation.networks.set(self.networks.values())
        for kind, group, text in data.FEEDBACK:
            upsert(
                Feedback,
                lookup={"round": evaluation, "kind": kind, "respondent_group": group, "text": text},
            )
        row = data.QUESTIONNAIRE
        questionnaire = upsert(
            Questionnaire,
            lookup={"title": row["title"]},
            values={"intro": row["intro"], "is_open": True, "round": evaluation},
        )
        for order, (text, kind, required) in enumerate(row["questions"], start=1):
            upsert(
                Question,
                lookup={"questionnaire": questionnaire, "order": order},
                values={"text": text, "kind": kind, "required": required},
            )


def seed_demo(*, today: datetime.date | None = None) -> list[DemoLogin]:
    """Load or refresh the demo data and return the demo logins."""
    with transaction.atomic():
        return _Seeder(today or timezone.localdate()).run()
