"""Experts by experience, parents, the organisations they come through, their trainings and
their consents. Themes and private notes are special-category personal data: only the expert
and the coordinators see them."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PARENTAL_CONSENT_AGE = 16


class ExpertKind(models.TextChoices):
    YOUTH = "youth", _("ExpEx (young expert)")
    PARENT = "parent", _("Parent")


class Expertise(models.TextChoices):
    """Having experience is not the same as being a trained expert: keep them apart."""

    KNOWLEDGE = "knowledge", _("Experiential knowledge")
    EXPERTISE = "expertise", _("Trained expertise")


class ExpertRole(models.TextChoices):
    CONNECTING = "connecting", _("Connecting")
    EDUCATION = "education", _("Education")
    RESEARCH_POLICY = "research_policy", _("Research and policy")
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional support")
    ADVOCACY = "advocacy", _("Advocacy")
    NAVIGATING = "navigating", _("Navigating and planning")


class Theme(models.Model):
    """A lived-experience theme (reference list kept by the admin)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    CARE_PROVIDER = "care_provider", _("Care provider")
    MUNICIPALITY = "municipality", _("Municipality")
    SCHOOL = "school", _("School (university, university of applied sciences, ROC)")
    KNOWLEDGE_INSTITUTE = "knowledge_institute", _("Knowledge institute")
    CLIENT_COUNCIL = "client_council", _("Client council")
    YOUTH_COUNCIL = "youth_council", _("Youth council")
    PARENT_COUNCIL = "parent_council", _("Parent council")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=OrganisationKind.choices)
    city = models.CharField(_("place"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"], name="organisation_kind_idx")]

    def __str__(self) -> str:
        return self.name


class RecruitmentChannel(models.TextChoices):
    COUNCIL_MEETING = "council_meeting", _("Council meeting")
    INFORMATION_EVENING = "information_evening", _("Recruitment evening")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    SOCIAL_MEDIA = "social_media", _("Social media")
    REFERRAL = "referral", _("Referral by a professional")
    WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
    OTHER = "other", _("Other")


class RecruitmentContact(models.Model):
    """A contact with an organisation to find experts, and what it brought."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recruitment_contacts",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=30, choices=RecruitmentChannel.choices)
    description = models.CharField(_("what happened"), max_length=250, blank=True)
    youth_reached = models.PositiveSmallIntegerField(_("young people reached"), default=0)
    parents_reached = models.PositiveSmallIntegerField(_("parents reached"), default=0)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("recruitment contact")
        verbose_name_plural = _("recruitment contacts")
        ordering = ["-date"]
        indexes = [models.Index(fields=["date"], name="recruitment_date_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.date:%d-%m-%Y})"


class ExpertStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Taking a break")
    STOPPED = "stopped", _("Stopped")
    ERASED = "erased", _("Erased")


class BenefitSituation(models.TextChoices):
    UNKNOWN = "unknown", _("Not stated")
    NONE = "none", _("No benefit")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance (bijstand)")
    UWV = "uwv", _("UWV benefit")
    OTHER = "other", _("Other benefit")


class ExpertQuerySet(models.QuerySet):
    def active(self) -> "ExpertQuerySet":
        return self.filter(status=ExpertStatus.ACTIVE)

    def for_lead_view(self) -> "ExpertQuerySet":
        """Never load the special-category columns for a lead's page."""
        return self.defer("private_notes", "benefit_situation", "date_of_birth")

    def born_after(self, date: datetime.date) -> "ExpertQuerySet":
        return self.filter(date_of_birth__gt=date)

    def under_16(self, today: datetime.date | None = None) -> "ExpertQuerySet":
        today = today or timezone.localdate()
        return self.born_after(_years_before(today, PARENTAL_CONSENT_AGE))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Expert(models.Model):
    """An ExpEx (kind youth) or a parent with experiential knowledge (kind parent)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
        verbose_name=_("account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ExpertKind.choices)
    expertise = models.CharField(
        _("experience"), max_length=10, choices=Expertise.choices, default=Expertise.KNOWLEDGE
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    bio = models.TextField(
        _("short introduction"),
        blank=True,
        help_text=_("Who you are and what you bring. Leads of your networks can read this."),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="experts", verbose_name=_("lived-experience themes")
    )
    availability_hours_per_month = models.DecimalField(
        _("available hours per month"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    availability_notes = models.CharField(_("when you are available"), max_length=250, blank=True)
    paused_until = models.DateField(_("taking a break until"), null=True, blank=True)
    coach = models.CharField(_("coach"), max_length=150, blank=True)
    coach_contact = models.CharField(_("coach contact details"), max_length=150, blank=True)
    recruitment_source = models.ForeignKey(
        RecruitmentContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("recruited through"),
    )
    share_email_with_leads = models.BooleanField(
        _("leads may see my e-mail address"), default=False
    )
    share_phone_with_leads = models.BooleanField(_("leads may see my phone number"), default=False)
    share_themes_with_leads = models.BooleanField(_("leads may see my themes"), default=False)
    benefit_situation = models.CharField(
        _("benefit"),
        max_length=20,
        choices=BenefitSituation.choices,
        default=BenefitSituation.UNKNOWN,
        help_text=_("Private. Helps the coordinator warn you when a fee could affect a benefit."),
    )
    private_notes = models.TextField(
        _("private notes"),
        blank=True,
        help_text=_("Only you and the coordinators can read this."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["first_name", "last_name"]
        indexes = [
            models.Index(fields=["status", "kind"], name="expert_status_kind_idx"),
            models.Index(fields=["last_name", "first_name"], name="expert_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(availability_hours_per_month__gte=0),
                name="expert_availability_not_negative",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=~Q(email=""),
                name="expert_email_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("participation:expert_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def needs_parental_consent(self) -> bool:
        age = self.age
        return age is not None and age < PARENTAL_CONSENT_AGE


class ExpertPreferredRole(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="preferred_roles")
    role = models.CharField(_("role"), max_length=20, choices=ExpertRole.choices)

    class Meta:
        verbose_name = _("preferred role")
        verbose_name_plural = _("preferred roles")
        constraints = [
            models.UniqueConstraint(fields=["expert", "role"], name="expert_role_unique"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class TrainingKind(models.TextChoices):
    EXPEX = "expex", _("ExpEx training")
    PARENT_BASIC = "parent_basic", _("Basic training for parents with lived experience")
    INTERVISION = "intervision", _("Peer supervision (intervisie)")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", _("Other")


class Training(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=TrainingKind.choices)
    provider = models.CharField(_("given by"), max_length=150, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    qualifies_as_expertise = models.BooleanField(
        _("counts as trained expertise"),
        default=False,
        help_text=_("Finishing this training makes someone a trained expert by experience."),
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="training_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="training_records")
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="records")
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=Decimal("0"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "training", "started_on"], name="training_record_unique"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="training_record_completed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0), name="training_record_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.training}"


class ConsentPurpose(models.TextChoices):
    PARTICIPATION = "participation", _("Taking part in learning networks and requests")
    SPECIAL_DATA = "special_data", _("Recording lived-experience themes and health notes")
    CONTACT = "contact", _("Being contacted about new requests")
    PHOTOS = "photos", _("Photos and recordings")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The expert")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")


class ConsentQuerySet(models.QuerySet):
    def in_force(self) -> "ConsentQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """Recorded consent for one purpose. Under 16, a parent or guardian gives it."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_by = models.CharField(
        _("given by"), max_length=10, choices=ConsentGiver.choices, default=ConsentGiver.SELF
    )
    given_by_name = models.CharField(_("name of who gave it"), max_length=150, blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_in_force_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(given_by="self") | ~Q(given_by_name=""),
                name="consent_parent_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.get_purpose_display()}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class InvitationState(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """An e-mail that invites an expert to set a password for their account.

    The link in it is allauth's password-reset key: stateless, signed over the user's password
    hash and last login, so no key is stored here and it stops working once a password is set.
    """

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("expert")
    )
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    emailed_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["expert", "-sent_at"], name="invitation_expert_sent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("sent_at")),
                name="invitation_expires_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} ({self.sent_at:%d-%m-%Y})"

    def state(self, now: datetime.datetime | None = None) -> str:
        """Accepted once the account has a password or was used; else expired after the date."""
        user = self.expert.user
        if self.accepted_at or (
            user is not None and (user.last_login is not None or user.has_usable_password())
        ):
            return InvitationState.ACCEPTED
        if (now or timezone.now()) >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.SENT

    def get_state_display(self) -> str:
        return InvitationState(self.state()).label
