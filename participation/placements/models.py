from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from experts.models import Expert, ExpertKind, ExpertRole
from learning_networks.models import LearningNetwork
from participation.choices import Circle, LadderLevel, PaymentScheme, circle_for_level


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


OPEN_PLACEMENT_STATUSES = [PlacementStatus.PROPOSED, PlacementStatus.ACTIVE, PlacementStatus.PAUSED]


class PlacementQuerySet(models.QuerySet):
    def current(self) -> "PlacementQuerySet":
        """Active placements: the ones a network's composition counts."""
        return self.filter(status=PlacementStatus.ACTIVE)

    def open(self) -> "PlacementQuerySet":
        """Not ended: proposed, active or paused. An expert has at most one per network."""
        return self.filter(status__in=OPEN_PLACEMENT_STATUSES)

    def composition_by_network(self) -> dict[int, dict[str, int]]:
        """Per network, over the active placements among these: the ExpEx (``youth``) and
        parents (``parents``) in it, and how many are in each circle (``circle_core``, ...)
        and on each ladder level (``level_1`` to ``level_5``). One query; a network without
        active placements is left out. ``NetworkComposition`` keeps these counts."""
        rows = (
            self.current()
            .order_by()
            .values("network")
            .annotate(
                youth=Count("pk", filter=Q(expert__kind=ExpertKind.YOUTH)),
                parents=Count("pk", filter=Q(expert__kind=ExpertKind.PARENT)),
                **{f"circle_{c}": Count("pk", filter=Q(circle=c)) for c in Circle},
                **{f"level_{n}": Count("pk", filter=Q(ladder_level=n)) for n in LadderLevel},
            )
        )
        return {row.pop("network"): row for row in rows}


class Placement(models.Model):
    """An expert linked to a learning network, with the agreements made."""

    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="placements", verbose_name=_("expert")
    )
    network = models.ForeignKey(
        LearningNetwork,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("network"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE
    )
    ladder_level = models.PositiveSmallIntegerField(
        _("participation ladder"), choices=LadderLevel.choices, default=LadderLevel.ADVISE
    )
    # Blank in forms: Placement.clean() fills it in from the ladder level.
    circle = models.CharField(_("circle"), max_length=10, choices=Circle.choices, blank=True)
    circle_overridden = models.BooleanField(
        _("circle chosen by hand"),
        default=False,
        help_text=_("Normally the circle follows from the ladder level."),
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    # Agreements (afspraken)
    expectations = models.TextField(_("what is expected"), blank=True)
    hours_per_month = models.DecimalField(
        _("hours per month"), max_digits=5, decimal_places=1, default=Decimal("0")
    )
    attendance_agreement = models.CharField(_("attendance"), max_length=250, blank=True)
    continuity_agreement = models.CharField(_("continuity"), max_length=250, blank=True)
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
        related_name="placements",
        verbose_name=_("rate"),
    )
    travel_costs_reimbursed = models.BooleanField(_("travel costs reimbursed"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["network", "expert"]
        indexes = [
            models.Index(fields=["network", "status"], name="placement_network_status_idx"),
            models.Index(fields=["expert", "status"], name="placement_expert_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "network"],
                condition=Q(status__in=["proposed", "active", "paused"]),
                name="placement_one_open_per_expert_network",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__gte=0), name="placement_hours_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(ladder_level__gte=1, ladder_level__lte=5),
                name="placement_ladder_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(circle_overridden=True)
                | Q(ladder_level__lte=2, circle="core")
                | Q(ladder_level__in=[3, 4], circle="second")
                | Q(ladder_level=5, circle="third"),
                name="placement_circle_follows_ladder",
            ),
            models.CheckConstraint(
                condition=Q(circle__in=["core", "second", "third"]),
                name="placement_circle_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ends_on__isnull=False),
                name="placement_ended_has_end_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.network}"

    def clean(self) -> None:
        # The circle is stored (for filtering and history) but follows the ladder by default.
        if not self.circle_overridden or not self.circle:
            self.circle = circle_for_level(self.ladder_level)
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
        if self.status == PlacementStatus.ENDED and not self.end_reason.strip():
            raise ValidationError({"end_reason": _("Say why the placement ends.")})


class PlacementRole(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=ExpertRole.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("placement role")
        verbose_name_plural = _("placement roles")
        constraints = [
            models.UniqueConstraint(fields=["placement", "role"], name="placement_role_unique"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class NetworkComposition(models.Model):
    """A network's active placements counted as ``PlacementQuerySet.composition_by_network``
    counts them. Kept by ``network_compositions_refresh`` (placements/services.py) in the
    transaction that changes a placement, and when an expert changes, so the dashboard and the
    list of networks read one row per network instead of counting every placement."""

    network = models.OneToOneField(
        LearningNetwork,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="composition_counts",
        verbose_name=_("network"),
    )
    youth = models.PositiveIntegerField(_("ExpEx"), default=0)
    parents = models.PositiveIntegerField(_("parents"), default=0)
    circle_core = models.PositiveIntegerField(_("core group"), default=0)
    circle_second = models.PositiveIntegerField(_("second circle"), default=0)
    circle_third = models.PositiveIntegerField(_("third circle"), default=0)
    level_1 = models.PositiveIntegerField(_("level 1"), default=0)
    level_2 = models.PositiveIntegerField(_("level 2"), default=0)
    level_3 = models.PositiveIntegerField(_("level 3"), default=0)
    level_4 = models.PositiveIntegerField(_("level 4"), default=0)
    level_5 = models.PositiveIntegerField(_("level 5"), default=0)

    COUNTS = (
        "youth",
        "parents",
        "circle_core",
        "circle_second",
        "circle_third",
        "level_1",
        "level_2",
        "level_3",
        "level_4",
        "level_5",
    )

    class Meta:
        verbose_name = _("composition of a network")
        verbose_name_plural = _("compositions of networks")

    def __str__(self) -> str:
        return str(self.network)

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}
