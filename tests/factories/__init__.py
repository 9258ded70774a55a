"""factory-boy factories for every domain model."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from evaluations.models import EvaluationRound, Feedback, Question, Questionnaire
from experts.models import (
    Consent,
    ConsentPurpose,
    Expert,
    ExpertKind,
    Organisation,
    OrganisationKind,
    ParentalConsentRequest,
    RecruitmentChannel,
    RecruitmentContact,
    Theme,
    Training,
    TrainingKind,
    TrainingRecord,
)
from experts.parental.models import token_hash
from learning_networks.models import BreakoutGroup, LearningNetwork, Meeting, SmallProject
from participation.hours.services import months_refresh
from participation.models import (
    ActivityKind,
    ActivityLog,
    Attendance,
    FeeRate,
    FeeUnit,
    Match,
    Payment,
    PaymentScheme,
    Placement,
    Request,
    circle_for_level,
)
from participation.placements.services import network_compositions_refresh
from samen.accounts.models import Role, User

PASSWORD = "samen-test-wachtwoord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@samen.test")
    name = factory.Faker("name", locale="nl_NL")
    role = Role.EXPERT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """allauth needs a verified address before it lets someone log in."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        self.save()
        EmailAddress.objects.get_or_create(
            user=self, email=self.email, defaults={"verified": True, "primary": True}
        )


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Thema {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.CARE_PROVIDER


class RecruitmentContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentContact

    organisation = factory.SubFactory(OrganisationFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    channel = RecruitmentChannel.COUNCIL_MEETING


# Long before every date the tests use.
CONSENT_GIVEN_AT = timezone.make_aware(datetime.datetime(2020, 1, 6, 12))


class ExpertFactory(factory.django.DjangoModelFactory):
    """An adult ExpEx without consents; ``consent_to_take_part=True`` records the consent to
    take part that a new placement needs, given by the expert long ago."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"expert{n}@samen.test")
    kind = ExpertKind.YOUTH
    date_of_birth = datetime.date(2004, 5, 17)
    availability_hours_per_month = Decimal("8")
    # Saw the welcome of their door: their home page opens at once. ``welcomed_at=None`` for
    # an expert who logs in for the first time.
    welcomed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # created_at is the moment of saving (auto_now_add); ``created_at=`` makes an expert
        # who was added to Samen on another day.
        created_at = kwargs.pop("created_at", None)
        expert = super()._create(model_class, *args, **kwargs)
        if created_at is not None:
            model_class.objects.filter(pk=expert.pk).update(created_at=created_at)
            expert.created_at = created_at
        return expert

    @factory.post_generation
    def consent_to_take_part(self, create, extracted, **kwargs):
        if create and extracted:
            Consent.objects.create(
                expert=self, purpose=ConsentPurpose.PARTICIPATION, given_at=CONSENT_GIVEN_AT
            )


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Training {n}")
    kind = TrainingKind.EXPEX


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    expert = factory.SubFactory(ExpertFactory)
    training = factory.SubFactory(TrainingFactory)
    started_on = datetime.date(2025, 1, 10)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    expert = factory.SubFactory(ExpertFactory)
    purpose = "participation"


class ParentalConsentRequestFactory(factory.django.DjangoModelFactory):
    """A parent asked through a link for a 14-year-old; e-mailed, no answer yet. The token of
    its link is ``factory.token`` (``link_token=...`` to choose it)."""

    class Meta:
        model = ParentalConsentRequest
        exclude = ["link_token"]

    expert = factory.SubFactory(
        ExpertFactory,
        date_of_birth=factory.LazyFunction(
            lambda: timezone.localdate().replace(day=1) - datetime.timedelta(days=14 * 365)
        ),
    )
    parent_name = factory.Faker("name", locale="nl_NL")
    parent_email = factory.Sequence(lambda n: f"ouder{n}@samen.test")
    relation = "parent"
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + datetime.timedelta(days=14))
    emailed_at = factory.LazyAttribute(lambda o: o.created_at)
    link_token = factory.Sequence(lambda n: f"{n:0>43}")
    token_hash = factory.LazyAttribute(lambda o: token_hash(o.link_token))


class LearningNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningNetwork
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Leernetwerk {n}")
    slug = factory.Sequence(lambda n: f"leernetwerk-{n}")
    target_youth = 3
    target_parents = 2

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.add(*extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(LearningNetworkFactory)
    title = factory.Sequence(lambda n: f"Bijeenkomst {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    expected_participants = 8


class BreakoutGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakoutGroup

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")
    size = 6


class SmallProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmallProject

    network = factory.SubFactory(LearningNetworkFactory)
    title = factory.Sequence(lambda n: f"Project {n}")


class FeeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeRate

    name = "Vrijwilligersvergoeding per uur"
    payment_scheme = PaymentScheme.VOLUNTEER_ALLOWANCE
    unit = FeeUnit.HOUR
    amount = Decimal("5.00")
    valid_from = datetime.date(2023, 1, 1)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    expert = factory.SubFactory(ExpertFactory)
    network = factory.SubFactory(LearningNetworkFactory)
    ladder_level = 3
    circle = factory.LazyAttribute(lambda o: circle_for_level(o.ladder_level))
    starts_on = datetime.date(2025, 1, 1)
    hours_per_month = Decimal("4")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Placements in any state, as tests need them, with the counts of their network that
        # the placement services keep.
        placement = super()._create(model_class, *args, **kwargs)
        network_compositions_refresh(network_ids=[placement.network_id])
        return placement


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    title = factory.Sequence(lambda n: f"Vraag {n}")
    question = "Wil je meedenken over een nieuwe folder voor jongeren?"
    organisation = factory.SubFactory(OrganisationFactory)
    role = "education"
    expected_hours = Decimal("3")


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    request = factory.SubFactory(RequestFactory)
    # Only someone with a consent to take part is proposed (and e-mailed about it).
    expert = factory.SubFactory(ExpertFactory, consent_to_take_part=True)
    expectations = "Twee keer meelezen en één gesprek."
    hours = Decimal("3")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    expert = factory.SubFactory(ExpertFactory)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    expert = factory.SubFactory(ExpertFactory)
    payee_name = factory.LazyAttribute(lambda o: o.expert.full_name)
    payment_scheme = PaymentScheme.VOLUNTEER_ALLOWANCE
    year = 2025
    month = 3
    allowance_amount = Decimal("20.00")
    reference = factory.Sequence(lambda n: f"SAMEN-2025-{n:05d}")


class ActivityLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityLog

    expert = factory.SubFactory(ExpertFactory)
    date = factory.LazyFunction(timezone.localdate)
    kind = ActivityKind.MEETING
    hours = Decimal("2")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Logs with any status, as tests need them, and the monthly sums that the services
        # keep for every log they write.
        log = super()._create(model_class, *args, **kwargs)
        months_refresh(keys=[(log.expert_id, log.date)])
        return log


class EvaluationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationRound

    title = factory.Sequence(lambda n: f"Tips & tops {n}")
    year = 2025
    opens_on = datetime.date(2025, 11, 1)
    closes_on = datetime.date(2025, 12, 1)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    round = factory.SubFactory(EvaluationRoundFactory)
    kind = "top"
    respondent_group = "expert"
    text = "De voorbespreking met de trekker."


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    title = "Ervaringen van ouders"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    order = factory.Sequence(lambda n: n)
    text = "Wat wil je de professionals meegeven?"
