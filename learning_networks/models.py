"""Learning networks, their meetings (plenary and prep), break-out groups and small projects."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from experts.models import Expert, Organisation


class LearningNetworkQuerySet(models.QuerySet):
    def active(self) -> "LearningNetworkQuerySet":
        return self.filter(is_active=True)

    def led_by(self, user) -> "LearningNetworkQuerySet":
        return self.filter(leads=user)


class LearningNetwork(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    theme = models.CharField(_("theme"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_networks",
        verbose_name=_("network leads"),
    )
    member_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="networks", verbose_name=_("member organisations")
    )
    target_youth = models.PositiveSmallIntegerField(_("target number of ExpEx"), default=3)
    target_parents = models.PositiveSmallIntegerField(_("target number of parents"), default=2)
    max_group_size = models.PositiveSmallIntegerField(
        _("maximum group size"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the general maximum."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)

    objects = LearningNetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning network")
        verbose_name_plural = _("learning networks")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_group_size__isnull=True) | Q(max_group_size__gte=2),
                name="network_max_group_size_at_least_two",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def group_size_limit(self) -> int:
        return self.max_group_size or settings.SAMEN_MAX_GROUP_SIZE


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("Meeting")
    PREP = "prep", _("Prep meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(models.QuerySet):
    def joined_by_new_member(
        self, network: LearningNetwork, *, starts_on: datetime.date, now: datetime.datetime
    ) -> "MeetingQuerySet":
        """The meetings someone who joins ``network`` on ``starts_on`` will be at: its planned
        plenary meetings from that day on that have not started yet, first one first. A
        placement's preview counts them with one person more, and saving it does the same."""
        return self.filter(
            network=network,
            kind=MeetingKind.PLENARY,
            status=MeetingStatus.PLANNED,
            starts_at__gte=now,
            starts_at__date__gte=starts_on,
        ).order_by("starts_at", "pk")


class Meeting(models.Model):
    network = models.ForeignKey(
        LearningNetwork,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("network"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.PLENARY
    )
    prepares = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prep_meetings",
        verbose_name=_("prepares meeting"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    expected_participants = models.PositiveSmallIntegerField(
        _("expected participants"),
        default=0,
        help_text=_("Everyone at the table: professionals, families and experts."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    feedback_to_experts = models.TextField(
        _("what was done with the input"),
        blank=True,
        help_text=_("Feedback to the experts: what the network did with their input."),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["network", "starts_at"], name="meeting_network_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y})"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})
        if self.network_id and self.expected_participants > self.network.group_size_limit:
            raise ValidationError(
                {
                    "expected_participants": _(
                        "This is more than the maximum group size of %(max)s. "
                        "Split the group into break-out groups."
                    )
                    % {"max": self.network.group_size_limit}
                }
            )

    @property
    def online_link(self) -> str:
        """The link to join an online meeting: its location when that is a web address. Only
        http(s), so a page never links to a script."""
        location = self.location.strip()
        if self.is_online and location.lower().startswith(("https://", "http://")):
            return location
        return ""

    @property
    def duration_hours(self):
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)


class BreakoutGroup(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="breakout_groups", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=100)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    size = models.PositiveSmallIntegerField(_("number of people"), default=0)
    experts = models.ManyToManyField(
        Expert, blank=True, related_name="breakout_groups", verbose_name=_("experts")
    )

    class Meta:
        verbose_name = _("break-out group")
        verbose_name_plural = _("break-out groups")
        ordering = ["meeting", "name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="breakout_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        limit = (
            self.meeting.network.group_size_limit
            if self.meeting_id
            else settings.SAMEN_MAX_GROUP_SIZE
        )
        if self.size > limit:
            raise ValidationError(
                {
                    "size": _(
                        "A break-out group has at most %(max)s people (%(advised)s is advised)."
                    )
                    % {"max": limit, "advised": min(limit, settings.SAMEN_ADVISED_GROUP_SIZE)}
                }
            )


class SmallProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class SmallProject(models.Model):
    """A small co-produced project inside a network ("klein-maar-fijn")."""

    network = models.ForeignKey(
        LearningNetwork,
        on_delete=models.CASCADE,
        related_name="small_projects",
        verbose_name=_("network"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SmallProjectStatus.choices,
        default=SmallProjectStatus.IDEA,
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    experts = models.ManyToManyField(
        Expert, blank=True, related_name="small_projects", verbose_name=_("experts")
    )

    class Meta:
        verbose_name = _("small project")
        verbose_name_plural = _("small projects")
        ordering = ["network", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="small_project_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title
