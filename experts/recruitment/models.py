"""Organisations (care providers, councils, schools, ...) and the contacts with them that
recruit experts, with what each contact brought."""

from django.conf import settings
from django.db import models
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
