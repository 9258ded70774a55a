"""Organisations (care providers, councils, schools, ...) and the contacts with them that
recruit experts, with what each contact brought and when to get back to them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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


class RecruitmentContactQuerySet(models.QuerySet):
    def follow_up_due(self, *, on: datetime.date) -> "RecruitmentContactQuerySet":
        """Contacts to get back to: a follow-up date on or before ``on``, not marked done."""
        return self.filter(follow_up_on__lte=on, follow_up_done_at__isnull=True)

    def follow_up_planned(self, *, on: datetime.date) -> "RecruitmentContactQuerySet":
        """Contacts with a follow-up after ``on``, not marked done."""
        return self.filter(follow_up_on__gt=on, follow_up_done_at__isnull=True)

    def follow_up_done(self) -> "RecruitmentContactQuerySet":
        return self.filter(follow_up_done_at__isnull=False)


class RecruitmentContact(models.Model):
    """A contact with an organisation to find experts, what it brought, and when to get back
    to them (the follow-up, marked done with when and by whom)."""

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
    follow_up_done_at = models.DateTimeField(_("follow-up done at"), null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up done by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = RecruitmentContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("recruitment contact")
        verbose_name_plural = _("recruitment contacts")
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["date"], name="recruitment_date_idx"),
            # The dashboard reads the follow-ups still to do, a few among many contacts.
            models.Index(
                fields=["follow_up_on"],
                condition=Q(follow_up_on__isnull=False, follow_up_done_at__isnull=True),
                name="recruitment_follow_up_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_done_at__isnull=True) | Q(follow_up_on__isnull=False),
                name="recruitment_done_has_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.date:%d-%m-%Y})"

    def follow_up_is_due(self, day: datetime.date) -> bool:
        """``RecruitmentContactQuerySet.follow_up_due`` for this contact."""
        return (
            self.follow_up_on is not None
            and self.follow_up_on <= day
            and self.follow_up_done_at is None
        )
