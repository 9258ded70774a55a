"""ExpEx and parents: who they are, what they bring, when they have time and what leads may
see. Themes and private notes are special-category personal data: only the expert and the
coordinators see them."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from experts.consents.models import PARENTAL_CONSENT_AGE, Consent
from experts.parental.models import ParentalConsentRequest
from experts.recruitment.models import RecruitmentContact
from samen.history import FieldsHistory


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


class ContactChannel(models.TextChoices):
    """How the coordinator may reach an expert personally. Samen's own e-mails (an invitation,
    a proposal) go to the e-mail address whatever is chosen here."""

    EMAIL = "email", _("E-mail")
    CALL = "call", _("Phone call")
    TEXT = "text", _("Text message (SMS)")
    CHAT = "chat", _("WhatsApp or another chat app")


# Each channel is a boolean field of the expert; the e-mail channel needs an e-mail address,
# the others a phone number.
CHANNEL_FIELDS = {
    ContactChannel.EMAIL: "contact_by_email",
    ContactChannel.CALL: "contact_by_call",
    ContactChannel.TEXT: "contact_by_text",
    ContactChannel.CHAT: "contact_by_chat",
}
CHANNEL_NEEDS = {
    ContactChannel.EMAIL: "email",
    ContactChannel.CALL: "phone",
    ContactChannel.TEXT: "phone",
    ContactChannel.CHAT: "phone",
}


class MeetingMode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")
    EITHER = "either", _("Online or on site")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DayPart(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


class SupportNeed(models.TextChoices):
    COMPANION = "companion", _("Someone to come with me to meetings")
    READING = "reading", _("Help with reading texts")
    LANGUAGE = "language", _("Help with the Dutch language")
    OTHER = "other", _("Something else")


# Experts who take part or may soon: everyone but those who stopped or were erased. Only they
# can get a new placement, and only they count in the dashboard's signals.
CURRENT_STATUSES = frozenset({ExpertStatus.CANDIDATE, ExpertStatus.ACTIVE, ExpertStatus.PAUSED})


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same date ``years`` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# The fields of an expert whose changes are kept in ``Expert.history``.
AUDITED_FIELDS = ("share_email_with_leads", "share_phone_with_leads", "benefit_situation")


def on_break_condition(*, on: datetime.date) -> Q:
    """The one definition of being on a break on ``on``, as a condition on experts: the status
    says so, the coordinator's break (``paused_until``) lasts until that day or later, or one
    of the expert's own away periods covers it. ``ExpertQuerySet.on_break`` and
    ``.available``, the suggestions' counts and ``Expert.is_on_break`` all ask this."""
    away = AwayPeriod.objects.covering(on).filter(expert=OuterRef("pk"))
    return Q(status=ExpertStatus.PAUSED) | Q(paused_until__gte=on) | Q(Exists(away))


class ExpertQuerySet(models.QuerySet):
    """The rules about experts that pages, checks and tasks share. Each has one definition."""

    def active(self) -> "ExpertQuerySet":
        return self.filter(status=ExpertStatus.ACTIVE)

    def current(self) -> "ExpertQuerySet":
        """Experts who take part or may soon (see ``CURRENT_STATUSES``)."""
        return self.filter(status__in=CURRENT_STATUSES)

    def on_break(self, *, on: datetime.date) -> "ExpertQuerySet":
        """Experts on a break on ``on`` (``on_break_condition``)."""
        return self.filter(on_break_condition(on=on))

    def available(self, *, on: datetime.date) -> "ExpertQuerySet":
        """Experts who may be asked on ``on``: active, not on a break that day (the
        coordinator's break or one of their own away periods), and with hours per month to
        give. Whether those hours are used up is a rule of participation."""
        return (
            self.active()
            .filter(availability_hours_per_month__gt=0)
            .exclude(on_break_condition(on=on))
        )

    def search(self, words: str) -> "ExpertQuerySet":
        """Experts whose first name, last name, e-mail address or place holds every word. A NUL
        character separates words too: no text in the database holds one (PostgreSQL refuses
        it in a query)."""
        queryset = self
        for word in words.replace("\x00", " ").split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(city__icontains=word)
            )
        return queryset

    def younger_than(self, age: int, *, on: datetime.date) -> "ExpertQuerySet":
        """Experts whose age on ``on`` is below ``age`` (``Expert.age_on`` in SQL). A date of
        birth that is not known never counts as young."""
        return self.filter(date_of_birth__gt=years_before(on, age))

    def needing_parental_consent(self, *, on: datetime.date) -> "ExpertQuerySet":
        """Experts under 16 on ``on``: a parent or guardian consents for them."""
        return self.younger_than(PARENTAL_CONSENT_AGE, on=on)

    def missing_parental_consent(self, *, on: datetime.date) -> "ExpertQuerySet":
        """Experts under 16 on ``on`` without a parent's or guardian's consent to take part that
        is in force that day. Their own consent does not count."""
        parental = (
            Consent.objects.to_take_part().parental().in_force(on=on).filter(expert=OuterRef("pk"))
        )
        return self.needing_parental_consent(on=on).exclude(Exists(parental))

    def waiting_for_parent(self, *, on: datetime.date) -> "ExpertQuerySet":
        """Experts missing a parent's consent to take part on ``on``
        (``missing_parental_consent``) whose parent or guardian was asked through a link
        (a request that was not replaced since, whatever its state): the coordinator's
        dashboard signals them, to send the link again or to call."""
        asked = ParentalConsentRequest.objects.current().filter(expert=OuterRef("pk"))
        return self.missing_parental_consent(on=on).filter(Exists(asked))

    def with_contact_for_leads(self, *, on: datetime.date) -> "ExpertQuerySet":
        """Annotate ``email_for_leads`` and ``phone_for_leads``: what a lead may see of the
        expert's e-mail address and phone number on ``on``, "" for what they may not. A lead
        sees what the expert chose to share (``share_email_with_leads``,
        ``share_phone_with_leads``) while the expert's consent to share contact details is in
        force; without that consent, neither. The one definition: ``shared_profiles`` reads
        it, and the coordinator's page says it."""
        sharing = Exists(
            Consent.objects.to_share_contact_details().in_force(on=on).filter(expert=OuterRef("pk"))
        )
        return self.annotate(
            email_for_leads=Case(
                When(sharing & Q(share_email_with_leads=True), then=F("email")),
                default=Value(""),
            ),
            phone_for_leads=Case(
                When(sharing & Q(share_phone_with_leads=True), then=F("phone")),
                default=Value(""),
            ),
        )

    def with_consent_to_take_part(self, *, on: datetime.date) -> "ExpertQuerySet":
        """Experts who may take part on ``on`` as far as consent goes: a consent to take part
        in force, and under 16 one given by a parent or guardian."""
        in_force = Consent.objects.to_take_part().in_force(on=on).filter(expert=OuterRef("pk"))
        return self.filter(Exists(in_force)).exclude(
            pk__in=self.model.objects.missing_parental_consent(on=on).values("pk")
        )

    def with_consent_to_take_part_withdrawn(self, *, on: datetime.date) -> "ExpertQuerySet":
        """Experts whose consent to take part was withdrawn (by them, or by their parent or
        guardian) on or before ``on``, and who gave none since: no consent to take part in
        force on ``on`` was given at or after that withdrawal. So a child's own consent does
        not undo a parent's withdrawal. Leads no longer see these experts, and an open
        placement of theirs is flagged to the coordinator. Someone who never gave consent is
        not here: nothing was withdrawn.

        Deliberately without the date of birth, so the lead's page never reads it: for an
        expert who turned 16 after a parent withdrew, only a consent given since counts."""
        given_since = (
            Consent.objects.to_take_part()
            .in_force(on=on)
            .filter(expert=OuterRef(OuterRef("pk")), given_at__gte=OuterRef("withdrawn_at"))
        )
        withdrawn = (
            Consent.objects.to_take_part()
            .withdrawn(on=on)
            .filter(expert=OuterRef("pk"))
            .exclude(Exists(given_since))
        )
        return self.filter(Exists(withdrawn))


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
    meeting_mode = models.CharField(
        _("online or on site"),
        max_length=10,
        choices=MeetingMode.choices,
        default=MeetingMode.EITHER,
    )
    # The coordinator's field: a break agreed with the coordinator, from now until this day.
    # The expert's own absences, with a start and an end, are ``AwayPeriod`` rows. Both count
    # in ``on_break_condition``.
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
    contact_by_email = models.BooleanField(_("by e-mail"), default=True)
    contact_by_call = models.BooleanField(_("by phone call"), default=False)
    contact_by_text = models.BooleanField(_("by text message (SMS)"), default=False)
    contact_by_chat = models.BooleanField(_("by WhatsApp or another chat app"), default=False)
    preferred_channel = models.CharField(
        _("how you like to be reached"),
        max_length=10,
        choices=ContactChannel.choices,
        default=ContactChannel.EMAIL,
    )
    goals = models.TextField(_("what you want to get out of it"), max_length=1000, blank=True)
    support_note = models.CharField(_("about the support you need"), max_length=500, blank=True)
    share_email_with_leads = models.BooleanField(
        _("leads may see my e-mail address"), default=False
    )
    share_phone_with_leads = models.BooleanField(_("leads may see my phone number"), default=False)
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
    # When the expert saw the welcome of their own door (and went on to their consents, or
    # skipped): until then their home page shows the welcome first.
    welcomed_at = models.DateTimeField(_("welcome seen at"), null=True, blank=True)

    objects = ExpertQuerySet.as_manager()
    # Who changed what leads may see and the benefit situation (which the fee warnings read),
    # and when. Only these fields are copied: the rest of the profile, notes and date of birth
    # included, stays in one place.
    history = FieldsHistory(fields=AUDITED_FIELDS)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["first_name", "last_name"]
        indexes = [
            models.Index(fields=["status", "kind"], name="expert_status_kind_idx"),
            models.Index(fields=["last_name", "first_name"], name="expert_name_idx"),
            # The expert list's default order: its first page reads 25 entries of this index.
            models.Index(fields=["first_name", "last_name", "id"], name="expert_first_name_idx"),
            # Experts under 16 are few: the parental-consent rules read them by date of birth.
            models.Index(fields=["date_of_birth"], name="expert_date_of_birth_idx"),
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
        if self.erased_at is not None and not self.full_name:
            return gettext("Erased person %(number)s") % {"number": self.pk}
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("coordinator:expert_detail", args=[self.pk])

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

    def needs_parental_consent_on(self, day: datetime.date) -> bool:
        """Under 16 on ``day`` (``ExpertQuerySet.needing_parental_consent`` for one expert)."""
        age = self.age_on(day)
        return age is not None and age < PARENTAL_CONSENT_AGE

    @property
    def needs_parental_consent(self) -> bool:
        return self.needs_parental_consent_on(timezone.localdate())

    def is_missing_parental_consent(self, *, on: datetime.date) -> bool:
        """``ExpertQuerySet.missing_parental_consent`` for this expert. One query."""
        return type(self).objects.filter(pk=self.pk).missing_parental_consent(on=on).exists()

    def may_take_part(self, *, on: datetime.date) -> bool:
        """``ExpertQuerySet.with_consent_to_take_part`` for this expert. One query."""
        return type(self).objects.filter(pk=self.pk).with_consent_to_take_part(on=on).exists()

    def withdrew_consent_to_take_part(self, *, on: datetime.date) -> bool:
        """``ExpertQuerySet.with_consent_to_take_part_withdrawn`` for this expert. One query."""
        return (
            type(self)
            .objects.filter(pk=self.pk)
            .with_consent_to_take_part_withdrawn(on=on)
            .exists()
        )

    def is_on_break(self, day: datetime.date) -> bool:
        """``on_break_condition`` for this expert: the status says so, the coordinator's break
        lasts until that day or later, or an away period covers it (one query, only then)."""
        if self.status == ExpertStatus.PAUSED or (
            self.paused_until is not None and self.paused_until >= day
        ):
            return True
        return self.pk is not None and self.away_periods.covering(day).exists()

    @property
    def contact_channels(self) -> list[str]:
        """The channels the expert may be reached by, in the order of ``ContactChannel``."""
        return [channel for channel, field in CHANNEL_FIELDS.items() if getattr(self, field)]


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


class ExpertSupportNeed(models.Model):
    """Support an expert needs to take part (a companion, help with reading or with Dutch).
    Private: only the expert and the coordinators see it."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="support_needs")
    need = models.CharField(_("support"), max_length=20, choices=SupportNeed.choices)

    class Meta:
        verbose_name = _("support need")
        verbose_name_plural = _("support needs")
        constraints = [
            models.UniqueConstraint(fields=["expert", "need"], name="expert_support_need_unique"),
        ]

    def __str__(self) -> str:
        return self.get_need_display()


class AvailableTime(models.Model):
    """A part of a weekday when an expert can usually take part (Monday evening)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="available_times")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    part = models.CharField(_("part of the day"), max_length=10, choices=DayPart.choices)

    class Meta:
        verbose_name = _("available time")
        verbose_name_plural = _("available times")
        ordering = ["weekday", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "weekday", "part"], name="available_time_unique"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="available_time_weekday_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_part_display()}"


class AwayPeriodQuerySet(models.QuerySet):
    def covering(self, day: datetime.date) -> "AwayPeriodQuerySet":
        """Periods that include ``day`` (first and last day included)."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def not_over(self, *, on: datetime.date) -> "AwayPeriodQuerySet":
        """Periods that still last on ``on`` or are still to come."""
        return self.filter(ends_on__gte=on)


class AwayPeriod(models.Model):
    """A period an expert is away (a holiday, exams): they are on a break then
    (``on_break_condition``) and are not asked. The expert adds these themselves."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="away_periods")
    starts_on = models.DateField(_("first day away"))
    ends_on = models.DateField(_("last day away"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AwayPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("away period")
        verbose_name_plural = _("away periods")
        ordering = ["starts_on", "ends_on"]
        indexes = [
            models.Index(fields=["expert", "ends_on"], name="away_period_expert_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="away_period_ends_after_start",
            ),
            # The same period sent twice is one period.
            models.UniqueConstraint(
                fields=["expert", "starts_on", "ends_on"], name="away_period_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"
