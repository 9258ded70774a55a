from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from experts.models import Expert, ExpertRole, Organisation, Theme
from learning_networks.models import LearningNetwork
from participation.choices import LadderLevel, PaymentScheme, Perspective


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a match")
    MATCHING = "matching", _("Match proposed")
    MATCHED = "matched", _("Matched")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ExpertiseWanted(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Experiential knowledge is enough")
    EXPERTISE = "expertise", _("Trained expertise needed")
    EITHER = "either", _("Either")


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")
    EITHER = "either", _("Online or on site")


# A request that is not done or cancelled and has fewer confirmed matches than the experts it
# wants: no match yet (open), or some proposed or confirmed but not enough (matching). The
# status follows the matches (``requests.services._refresh_request_status``).
WAITING_REQUEST_STATUSES = frozenset({RequestStatus.OPEN, RequestStatus.MATCHING})
# A closed request asks nobody any more: closing it withdraws its proposals
# (``requests.services.request_update``), and no e-mail about its matches goes out.
CLOSED_REQUEST_STATUSES = frozenset({RequestStatus.DONE, RequestStatus.CANCELLED})


class RequestQuerySet(models.QuerySet):
    def waiting_for_match(self) -> "RequestQuerySet":
        """Requests that do not have what they asked for yet: fewer experts confirmed by both
        sides than ``experts_wanted``, and not closed. A request that wants two experts and
        has one stays here until the second is confirmed."""
        return self.filter(status__in=WAITING_REQUEST_STATUSES)


class Request(models.Model):
    """A question for expert input, from a network or an outside organisation."""

    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("the question in plain words"))
    network = models.ForeignKey(
        LearningNetwork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("from network"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("from organisation"),
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    perspective = models.CharField(
        _("perspective wanted"),
        max_length=10,
        choices=Perspective.choices,
        default=Perspective.EITHER,
    )
    expertise_wanted = models.CharField(
        _("experience wanted"),
        max_length=10,
        choices=ExpertiseWanted.choices,
        default=ExpertiseWanted.EITHER,
    )
    role = models.CharField(_("role"), max_length=20, choices=ExpertRole.choices)
    ladder_level = models.PositiveSmallIntegerField(
        _("participation ladder"), choices=LadderLevel.choices, default=LadderLevel.ADVISE
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    respond_by = models.DateField(_("answer wanted by"), null=True, blank=True)
    expected_hours = models.DecimalField(
        _("expected hours"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), message=_("The hours cannot be negative."))],
    )
    experts_wanted = models.PositiveSmallIntegerField(
        _("number of experts wanted"),
        default=1,
        validators=[MinValueValidator(1, message=_("Ask for at least one expert."))],
    )
    payment_scheme = models.CharField(
        pgettext_lazy("way of paying", "payment"),
        max_length=20,
        choices=PaymentScheme.choices,
        default=PaymentScheme.VOLUNTEER_ALLOWANCE,
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="requests", verbose_name=_("themes")
    )
    competencies = models.TextField(_("skills needed"), blank=True)
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.EITHER)
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="request_status_idx")]
        constraints = [
            # Exactly one of the two asks: a network or an outside organisation.
            models.CheckConstraint(
                condition=Q(network__isnull=False, organisation__isnull=True)
                | Q(network__isnull=True, organisation__isnull=False),
                name="request_has_requester",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="request_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(expected_hours__gte=0), name="request_hours_not_negative"
            ),
            models.CheckConstraint(condition=Q(experts_wanted__gte=1), name="request_wants_expert"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Errors name their field, so the matching database constraint is not checked (and
        # reported) a second time by full_clean().
        errors = {}
        if self.network_id and self.organisation_id:
            errors["organisation"] = _(
                "Choose the network or the organisation that asks, not both."
            )
        elif not self.network_id and not self.organisation_id:
            errors["network"] = _("Choose the network or the organisation that asks.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)

    @property
    def requester(self):
        return self.network or self.organisation

    @property
    def is_closed(self) -> bool:
        """Done or cancelled (``CLOSED_REQUEST_STATUSES``)."""
        return self.status in CLOSED_REQUEST_STATUSES


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed by both")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DONE = "done", _("Done")


class MatchSide(models.TextChoices):
    """The two sides that must both say yes before a match counts."""

    EXPERT = "expert", _("Expert")
    REQUESTER = "requester", _("Requester")


OPEN_MATCH_STATUSES = [MatchStatus.PROPOSED, MatchStatus.CONFIRMED]


class MatchQuerySet(models.QuerySet):
    def of_open_requests(self) -> "MatchQuerySet":
        """Matches of a request that is not closed (done or cancelled): the only ones whose
        e-mails and reminders may still go out."""
        return self.exclude(request__status__in=CLOSED_REQUEST_STATUSES)


class Match(models.Model):
    """An expert proposed for a request. It counts only when both sides confirmed it."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="matches", verbose_name=_("request")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="matches", verbose_name=_("expert")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    expectations = models.TextField(_("what is expected"), blank=True)
    hours = models.DecimalField(
        _("time (hours)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), message=_("The hours cannot be negative."))],
    )
    payment_scheme = models.CharField(
        pgettext_lazy("way of paying", "payment"),
        max_length=20,
        choices=PaymentScheme.choices,
        default=PaymentScheme.VOLUNTEER_ALLOWANCE,
    )
    fee_rate = models.ForeignKey(
        "participation.FeeRate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("rate"),
    )
    score = models.DecimalField(
        _("match score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    score_reasons = models.JSONField(_("why this expert"), default=list, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    expert_confirmed_at = models.DateTimeField(_("expert confirmed at"), null=True, blank=True)
    requester_confirmed_at = models.DateTimeField(
        _("requester confirmed at"), null=True, blank=True
    )
    declined_reason = models.TextField(_("reason for declining"), blank=True)
    declined_side = models.CharField(
        _("declined by"), max_length=10, choices=MatchSide.choices, blank=True
    )
    closed_at = models.DateTimeField(_("declined or withdrawn at"), null=True, blank=True)
    expert_notified_at = models.DateTimeField(_("expert informed at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("confirmation e-mailed at"), null=True, blank=True
    )

    objects = MatchQuerySet.as_manager()
    # Who recorded each answer, and when: the coordinator now, the expert later in their door.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["status"], name="match_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "expert"], name="match_one_per_request_expert"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="match_hours_not_negative"),
            # A confirmed match has both confirmations and explicit expectations and time.
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "done"])
                | (
                    Q(expert_confirmed_at__isnull=False)
                    & Q(requester_confirmed_at__isnull=False)
                    & ~Q(expectations="")
                    & Q(hours__gt=0)
                ),
                name="match_confirmed_by_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.request}"

    @property
    def is_confirmed(self) -> bool:
        return self.status in {MatchStatus.CONFIRMED, MatchStatus.DONE}

    @property
    def missing_sides(self) -> list[MatchSide]:
        """The sides that have not confirmed yet, while the match is proposed."""
        if self.status != MatchStatus.PROPOSED:
            return []
        missing = []
        if self.expert_confirmed_at is None:
            missing.append(MatchSide.EXPERT)
        if self.requester_confirmed_at is None:
            missing.append(MatchSide.REQUESTER)
        return missing
